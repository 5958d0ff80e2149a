import * as assert from 'node:assert/strict';
import { inefficientIndexScan } from '../../../../src/core/plan/tips/inefficient-index-scan';
import { HEALTHY, evaluate, evaluateFixture, variant } from './helpers';

describe('tip inefficient-index-scan', () => {
  it('fires when the filter after the index discards nearly everything, proposing the filtered column first', () => {
    const [t] = evaluateFixture(inefficientIndexScan, 'inefficient-index-scan');
    assert.equal(t!.severity, 'critical');
    assert.match(t!.message, /fetched 60,001 rows through the index orders_pkey, then its filter discarded 60,001 \(100\.0%\)/);
    assert.deepEqual(t!.indexCandidate, { schema: 'public', table: 'orders', columns: ['user_id', 'id'] });
  });

  it('bands the removed share at 75, 95 and 99%', () => {
    const removing = (kept: number, removed: number) => variant('inefficient-index-scan', (e) => { e.Plan['Actual Rows'] = kept; e.Plan['Rows Removed by Filter'] = removed; });
    assert.deepEqual(evaluate(inefficientIndexScan, removing(3000, 7000)), []);
    assert.deepEqual(evaluate(inefficientIndexScan, removing(2000, 8000)).map((t) => t.severity), ['info']);
    assert.deepEqual(evaluate(inefficientIndexScan, removing(400, 9600)).map((t) => t.severity), ['warning']);
  });

  it('stays quiet on healthy plans and when the index leaves half the rows', () => {
    for (const name of [...HEALTHY, 'initplan']) assert.deepEqual(evaluateFixture(inefficientIndexScan, name), [], name);
  });
});

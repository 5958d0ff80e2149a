import * as assert from 'node:assert/strict';
import { seqScanFilter } from '../../../../src/core/plan/tips/seq-scan-filter';
import { HEALTHY, enriched, evaluate, evaluateFixture, variant } from './helpers';

describe('tip seq-scan-filter', () => {
  it('fires on a lookup by an unindexed column, with the column as index candidate', () => {
    const [t] = evaluateFixture(seqScanFilter, 'seq-scan-filter');
    assert.equal(t!.severity, 'critical');
    assert.match(t!.message, /read 200,000 rows and its filter discarded 199,999 of them \(100\.0%\) to keep 1\./);
    assert.deepEqual(t!.indexCandidate, { schema: 'public', table: 'users', columns: ['email'] });
    const scan = enriched('seq-scan-filter').nodes[0]!;
    assert.ok(Math.abs(t!.estimatedSavingMs! - scan.exclusiveMs! * (199999 / 200000)) < 1e-9, 'saving = exclusive time × removed share');
  });

  it('fires inside a correlated SubPlan, counting removed rows over every loop', () => {
    const [t] = evaluateFixture(seqScanFilter, 'subplan');
    assert.match(t!.message, /discarded 1,499,990 of them/);
    assert.deepEqual(t!.indexCandidate?.columns, ['user_id']);
  });

  it('bands the removed share at 75, 95 and 99% and needs 1,000 removed rows', () => {
    const removing = (kept: number, removed: number) => variant('seq-scan-filter', (e) => { e.Plan['Actual Rows'] = kept; e.Plan['Rows Removed by Filter'] = removed; });
    const severity = (kept: number, removed: number) => evaluate(seqScanFilter, removing(kept, removed)).map((t) => t.severity);
    assert.deepEqual(severity(5000, 5000), []);
    assert.deepEqual(severity(2000, 8000), ['info']);
    assert.deepEqual(severity(400, 9600), ['warning']);
    assert.deepEqual(severity(10, 9990), ['critical']);
    assert.deepEqual(severity(1, 999), []);
  });

  it('still fires with TIMING OFF, without a saving estimate', () => {
    const [t] = evaluateFixture(seqScanFilter, 'timing-off');
    assert.equal(t!.severity, 'critical');
    assert.equal(t!.estimatedSavingMs, null);
  });

  it('stays quiet on healthy plans and on a filter that keeps half the rows', () => {
    for (const name of [...HEALTHY, 'workers-not-launched']) assert.deepEqual(evaluateFixture(seqScanFilter, name), [], name);
  });
});

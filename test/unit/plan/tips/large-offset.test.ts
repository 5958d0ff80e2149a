import * as assert from 'node:assert/strict';
import { largeOffset } from '../../../../src/core/plan/tips/large-offset';
import { HEALTHY, at, enriched, evaluate, evaluateFixture, variant } from './helpers';

describe('tip large-offset', () => {
  it('fires on OFFSET 100000, proposing keyset pagination', () => {
    const [t] = evaluateFixture(largeOffset, 'large-offset');
    assert.equal(t!.severity, 'critical');
    assert.equal(t!.message, 'Limit read 100,020 rows to return 20: the OFFSET skipped 100,000.');
    assert.match(t!.action.text, /key in users_pkey/);
    const input = enriched('large-offset').nodes[1]!;
    assert.ok(Math.abs(t!.estimatedSavingMs! - input.inclusiveMs! * (100000 / 100020)) < 1e-9);
  });

  it('bands skipped rows at 1,000, 10,000 and 100,000', () => {
    const skipping = (n: number) => variant('large-offset', (e) => { at(e.Plan, 0)['Actual Rows'] = n + 20; });
    assert.deepEqual(evaluate(largeOffset, skipping(999)), []);
    assert.deepEqual(evaluate(largeOffset, skipping(1000)).map((t) => t.severity), ['info']);
    assert.deepEqual(evaluate(largeOffset, skipping(10000)).map((t) => t.severity), ['warning']);
  });

  it('stays quiet without an offset', () => {
    for (const name of [...HEALTHY, 'no-analyze-join']) assert.deepEqual(evaluateFixture(largeOffset, name), [], name);
  });
});

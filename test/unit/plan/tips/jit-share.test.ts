import * as assert from 'node:assert/strict';
import { jitShare } from '../../../../src/core/plan/tips/jit-share';
import { HEALTHY, enriched, evaluate, evaluateFixture, variant } from './helpers';

describe('tip jit-share', () => {
  it('fires when JIT compilation dominates a short query, restoring the default thresholds', () => {
    const [t] = evaluateFixture(jitShare, 'jit-share');
    const plan = enriched('jit-share');
    assert.equal(t!.nodeId, null);
    assert.equal(t!.severity, 'critical');
    assert.match(t!.message, /^JIT compilation took [\d.]+ ms \(\d+\.\d% of the [\d.]+ ms execution\) for 8 functions, mostly optimization\.$/);
    assert.match(t!.action.text, /jit_above_cost is 0 here/);
    assert.match(t!.action.sql!, /SET jit_above_cost = 100000;/);
    assert.equal(t!.estimatedSavingMs, plan.totals.jit!.totalMs);
  });

  it('turns JIT off when the plan really is above the default threshold', () => {
    const plan = variant('jit-share', (e) => { delete (e.Settings as Record<string, string>).jit_above_cost; e.Plan['Total Cost'] = 250000; });
    assert.equal(evaluate(jitShare, plan)[0]!.action.sql, 'SET jit = off;');
  });

  it('bands JIT time over execution time at 10, 25 and 50%', () => {
    const withExecution = (ms: number) => variant('jit-share', (e) => { e['Execution Time'] = ms; });
    const total = enriched('jit-share').totals.jit!.totalMs!;
    assert.deepEqual(evaluate(jitShare, withExecution(total * 11)), []);
    assert.deepEqual(evaluate(jitShare, withExecution(total * 9)).map((t) => t.severity), ['info']);
    assert.deepEqual(evaluate(jitShare, withExecution(total * 3)).map((t) => t.severity), ['warning']);
  });

  it('stays quiet without JIT', () => {
    for (const name of HEALTHY) assert.deepEqual(evaluateFixture(jitShare, name), [], name);
  });
});

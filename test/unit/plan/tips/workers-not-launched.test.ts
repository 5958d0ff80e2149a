import * as assert from 'node:assert/strict';
import { workersNotLaunched } from '../../../../src/core/plan/tips/workers-not-launched';
import { HEALTHY, at, enriched, evaluate, evaluateFixture, variant } from './helpers';

describe('tip workers-not-launched', () => {
  it('fires when no planned worker started, naming the session limit', () => {
    const [t] = evaluateFixture(workersNotLaunched, 'workers-not-launched');
    const gather = enriched('workers-not-launched').nodes[1]!;
    assert.equal(t!.nodeId, gather.id);
    assert.equal(t!.severity, 'warning');
    assert.match(t!.message, /^Gather planned 2 workers and launched 0; the [\d.]+ ms below it ran on 1 process\.$/);
    assert.match(t!.action.text, /max_parallel_workers is 0 in this session/);
    assert.equal(t!.action.sql, 'SET max_parallel_workers = 8;');
    assert.ok(Math.abs(t!.estimatedSavingMs! - gather.inclusiveMs! * (1 - 1 / 3)) < 1e-9);
  });

  it('is informational when some workers started, and points at the pool when the session allows them', () => {
    const partly = variant('workers-not-launched', (e) => { at(e.Plan, 0)['Workers Launched'] = 1; delete (e.Settings as Record<string, string>).max_parallel_workers; });
    const [t] = evaluate(workersNotLaunched, partly);
    assert.equal(t!.severity, 'info');
    assert.match(t!.action.sql!, /^ALTER SYSTEM SET max_parallel_workers = 8;/);
  });

  it('stays quiet when every planned worker started', () => {
    for (const name of [...HEALTHY, 'parallel-scan', 'parallel-no-leader']) assert.deepEqual(evaluateFixture(workersNotLaunched, name), [], name);
  });
});

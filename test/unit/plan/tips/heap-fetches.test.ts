import * as assert from 'node:assert/strict';
import { heapFetches } from '../../../../src/core/plan/tips/heap-fetches';
import { HEALTHY, evaluate, evaluateFixture, variant } from './helpers';

describe('tip heap-fetches', () => {
  it('fires on an index-only scan after updates, with VACUUM as the action', () => {
    const [t] = evaluateFixture(heapFetches, 'heap-fetches');
    assert.equal(t!.severity, 'critical');
    assert.match(t!.message, /fetched 101,338 table rows for 76,004 index entries \(100\.0%\)/);
    assert.equal(t!.action.sql, 'VACUUM (ANALYZE) public.visits;');
  });

  it('bands fetches per row at 10, 40 and 90% and needs 100 fetches', () => {
    const fetching = (n: number) => variant('heap-fetches', (e) => { e.Plan['Heap Fetches'] = n; });
    assert.deepEqual(evaluate(heapFetches, fetching(7000)), []);
    assert.deepEqual(evaluate(heapFetches, fetching(7601)).map((t) => t.severity), ['info']);
    assert.deepEqual(evaluate(heapFetches, fetching(30402)).map((t) => t.severity), ['warning']);
  });

  it('stays quiet on index-only scans of vacuumed tables', () => {
    for (const name of [...HEALTHY, 'subplan', 'modifying-cte']) assert.deepEqual(evaluateFixture(heapFetches, name), [], name);
  });
});

import * as assert from 'node:assert/strict';
import { nestedLoopMisestimate } from '../../../../src/core/plan/tips/nested-loop-misestimate';
import { HEALTHY, at, enriched, evaluate, evaluateFixture, variant } from './helpers';

describe('tip nested-loop-misestimate', () => {
  it('fires when an underestimated outer side makes the inner side run thousands of times', () => {
    const [t] = evaluateFixture(nestedLoopMisestimate, 'nested-loop-misestimate');
    const plan = enriched('nested-loop-misestimate');
    assert.equal(t!.nodeId, 0);
    assert.equal(t!.severity, 'warning');
    assert.match(t!.message, /^Nested Loop expected \d+ outer rows and got 5,000 \(\d+× more\), so Index Scan using deliveries_site_id_idx on deliveries d ran 5,000 times for [\d.]+ ms\.$/);
    // The kind that fixes the estimate is measured by the index advice before any SQL is offered.
    assert.equal(t!.action.sql, undefined);
    assert.match(t!.action.text, /Extended statistics on them can fix the estimate; which kind does depends on the data/);
    assert.deepEqual(t!.statisticsCandidate, { name: 'sites_city_zip_region_stats', schema: 'public', table: 'sites', columns: ['city', 'zip', 'region'], alias: 's', estimatedRows: 13, actualRows: 5000 });
    assert.match(t!.action.text, /enable_nestloop = off/);
    const [outer, inner] = [plan.nodes[1]!, plan.nodes[2]!];
    assert.ok(Math.abs(t!.estimatedSavingMs! - inner.inclusiveMs! * (1 - outer.rows.estimatedTotal! / outer.rows.actualTotal!)) < 1e-9);
  });

  it('needs 100 inner loops and a 10× underestimate', () => {
    const fewLoops = variant('nested-loop-misestimate', (e) => { at(e.Plan, 1)['Actual Loops'] = 99; });
    assert.deepEqual(evaluate(nestedLoopMisestimate, fewLoops), []);
    const goodEstimate = variant('nested-loop-misestimate', (e) => { at(e.Plan, 0)['Plan Rows'] = 600; });
    assert.deepEqual(evaluate(nestedLoopMisestimate, goodEstimate), []);
  });

  it('stays quiet on a short nested loop with right estimates', () => {
    for (const name of HEALTHY) assert.deepEqual(evaluateFixture(nestedLoopMisestimate, name), [], name);
  });
});

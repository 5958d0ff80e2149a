import * as assert from 'node:assert/strict';
import { enrichPlan } from '../../../../src/core/plan/enrich';
import { parseExplain } from '../../../../src/core/plan/parse';
import { rowMisestimate } from '../../../../src/core/plan/tips/row-misestimate';
import { HEALTHY, at, evaluate, evaluateFixture, variant } from './helpers';

describe('tip row-misestimate', () => {
  it('fires on correlated columns under a nested loop, 385× under, naming the columns for statistics to be measured', () => {
    const tips = evaluateFixture(rowMisestimate, 'nested-loop-misestimate');
    assert.equal(tips.length, 1);
    const t = tips[0]!;
    assert.equal(t.nodeId, 1);
    assert.equal(t.severity, 'warning');
    assert.match(t.message, /returned 5,000 rows where the planner expected 13 \(underestimated 385×\)/);
    assert.equal(t.action.sql, undefined, 'no CREATE STATISTICS before a kind is shown to fix the estimate');
    assert.deepEqual(t.statisticsCandidate?.columns, ['city', 'zip', 'region']);
    assert.equal(t.docs, 'docs/tips/row-misestimate.md');
  });

  it('stays quiet when nothing above the node was chosen on its estimate (count(*) of the scan)', () => {
    const plan = evaluateFixture(rowMisestimate, 'correlated-columns-misestimate');
    assert.deepEqual(plan, []);
    // The same scan under a join is reported.
    const joined = variant('correlated-columns-misestimate', (e) => { e.Plan['Node Type'] = 'Hash Join'; });
    assert.equal(evaluate(rowMisestimate, joined).length, 1);
  });

  it('gives no statistics advice for a comparison with a value known only at run time', () => {
    const plan = variant('nested-loop-misestimate', (e) => { at(e.Plan, 0).Filter = '(s.city > (InitPlan 1).col1)'; });
    const t = evaluate(rowMisestimate, plan)[0]!;
    assert.equal(t.action.sql, undefined);
    assert.match(t.action.text, /default selectivity that no statistics change/);
  });

  it('fires on stale statistics with ANALYZE and a finer histogram as the action', () => {
    const t = evaluateFixture(rowMisestimate, 'stale-statistics')[0]!;
    assert.match(t.message, /underestimated 100,000×/);
    assert.match(t.action.sql!, /^ANALYZE public\.events;/);
    assert.match(t.action.sql!, /ALTER COLUMN kind SET STATISTICS 1000/);
  });

  it('uses the 10 / 100 / 1000 bands and ignores factors below 10', () => {
    const withEstimate = (rows: number) => variant('nested-loop-misestimate', (e) => { at(e.Plan, 0)['Plan Rows'] = rows; });
    const severity = (rows: number) => evaluate(rowMisestimate, withEstimate(rows)).map((t) => t.severity);
    assert.deepEqual(severity(501), []); // 5000 / 501 < 10
    assert.deepEqual(severity(500), ['info']);
    assert.deepEqual(severity(50), ['warning']);
    assert.deepEqual(severity(5), ['critical']);
  });

  it('reports the scan where the error starts, not the Hash that passes it on', () => {
    const tips = evaluateFixture(rowMisestimate, 'nested-loop-misestimate');
    assert.deepEqual(tips.map((t) => t.nodeId), [1]);
  });

  it('ignores overestimates below a Limit, where stopping early is expected', () => {
    const tips = evaluateFixture(rowMisestimate, 'large-offset');
    assert.deepEqual(tips, []);
  });

  it('stays quiet on healthy plans and on small row counts', () => {
    for (const name of HEALTHY) assert.deepEqual(evaluateFixture(rowMisestimate, name), [], name);
    const tiny = variant('nested-loop-misestimate', (e) => { at(e.Plan, 0)['Actual Rows'] = 50; });
    assert.deepEqual(evaluate(rowMisestimate, tiny), []);
  });
});

describe('tip row-misestimate on a recursive CTE', () => {
  it('advises no ANALYZE: the planner estimates a recursive CTE by a fixed rule', () => {
    const node = (type: string, extra: Record<string, unknown> = {}) => ({ 'Node Type': type, 'Plan Rows': 10, 'Actual Rows': 5000, 'Actual Loops': 1, 'Actual Total Time': 5, 'Total Cost': 100, ...extra });
    const plan = enrichPlan(parseExplain({ Plan: node('Hash Join', { Plans: [
      node('Recursive Union', { 'Parent Relationship': 'InitPlan', 'Subplan Name': 'CTE tree', Plans: [node('Seq Scan', { 'Relation Name': 'nodes', 'Plan Rows': 1, 'Actual Rows': 1 }), node('WorkTable Scan', { 'CTE Name': 'tree' })] }),
      node('CTE Scan', { 'Parent Relationship': 'Outer', 'CTE Name': 'tree', Alias: 'tree' }),
      node('Hash', { 'Parent Relationship': 'Inner', 'Plan Rows': 5000, Plans: [node('Seq Scan', { 'Relation Name': 'edges', 'Plan Rows': 5000 })] }),
    ] }) }));
    const scan = plan.nodes.find((n) => n.nodeType === 'CTE Scan')!;
    const [t] = evaluate(rowMisestimate, plan).filter((x) => x.nodeId === scan.id);
    assert.ok(t);
    assert.equal(t.action.sql, undefined);
    assert.match(t.action.text, /recursive CTE by a fixed rule .* ANALYZE changes nothing here/);
  });
});

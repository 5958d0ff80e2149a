import * as assert from 'node:assert/strict';
import { rowMisestimate } from '../../../../src/core/plan/tips/row-misestimate';
import { HEALTHY, at, evaluate, evaluateFixture, variant } from './helpers';

describe('tip row-misestimate', () => {
  it('fires on correlated columns, 1,000× under, with CREATE STATISTICS on the correlated columns', () => {
    const tips = evaluateFixture(rowMisestimate, 'correlated-columns-misestimate');
    assert.equal(tips.length, 1);
    const t = tips[0]!;
    assert.equal(t.nodeId, 1);
    assert.equal(t.severity, 'critical');
    assert.match(t.message, /returned 1,000 rows where the planner expected 1 \(underestimated 1,000×\)/);
    assert.match(t.action.sql!, /^CREATE STATISTICS addresses_city_zip_region_stats \(dependencies, ndistinct, mcv\) ON city, zip, region FROM public\.addresses;\nANALYZE public\.addresses;$/);
    assert.equal(t.docs, 'docs/tips/row-misestimate.md');
  });

  it('fires on stale statistics with ANALYZE and a finer histogram as the action', () => {
    const t = evaluateFixture(rowMisestimate, 'stale-statistics')[0]!;
    assert.match(t.message, /underestimated 100,000×/);
    assert.match(t.action.sql!, /^ANALYZE public\.events;/);
    assert.match(t.action.sql!, /ALTER COLUMN kind SET STATISTICS 1000/);
  });

  it('uses the 10 / 100 / 1000 bands and ignores factors below 10', () => {
    const withEstimate = (rows: number) => variant('correlated-columns-misestimate', (e) => { at(e.Plan, 0)['Plan Rows'] = rows; });
    const severity = (rows: number) => evaluate(rowMisestimate, withEstimate(rows)).map((t) => t.severity);
    assert.deepEqual(severity(101), []); // 1000 / 101 < 10
    assert.deepEqual(severity(100), ['info']);
    assert.deepEqual(severity(10), ['warning']);
    assert.deepEqual(severity(1), ['critical']);
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
    const tiny = variant('correlated-columns-misestimate', (e) => { at(e.Plan, 0)['Actual Rows'] = 50; });
    assert.deepEqual(evaluate(rowMisestimate, tiny), []);
  });
});

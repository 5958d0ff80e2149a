import * as assert from 'node:assert/strict';
import { staleStatistics } from '../../../../src/core/plan/tips/stale-statistics';
import type { TableStats } from '../../../../src/core/plan/tips/types';
import { HEALTHY, enriched, evaluate, evaluateFixture, fixtureMeta, variant } from './helpers';

const stats = (table: string, liveTuples: number, modsSinceAnalyze: number, lastAnalyze: string | null = '2026-01-01T00:00:00Z'): TableStats =>
  ({ schema: 'public', table, liveTuples, modsSinceAnalyze, lastAnalyze, lastAutoanalyze: null });

describe('tip stale-statistics', () => {
  it('fires from pg_stat_user_tables figures on the table the plan reads, raised by the misestimate there', () => {
    const [t] = evaluateFixture(staleStatistics, 'stale-statistics');
    assert.equal(t!.severity, 'critical');
    assert.match(t!.message, /^101,000 rows of events \(99\.0% of its 102,000\) changed since it was last analysed \(less than a minute before this plan\); .* is off by 100,000×\.$/);
    assert.equal(t!.action.sql, 'ANALYZE public.events;');
    assert.equal(t!.estimatedSavingMs, null);
  });

  it('needs the context: without table statistics it cannot tell', () => {
    assert.deepEqual(evaluateFixture(staleStatistics, 'stale-statistics', {}), []);
  });

  it('follows autovacuum\'s threshold (50 rows + 10%) and bands at 10, 50 and 100% changed (a plan without actual rows)', () => {
    const plan = enriched('no-analyze-join');
    const severity = (mods: number) => evaluate(staleStatistics, plan, { tableStats: [stats('users', 200000, mods)] }).map((t) => t.severity);
    assert.deepEqual(severity(20000), []);
    assert.deepEqual(severity(20050), ['info']);
    assert.deepEqual(severity(100000), ['warning']);
    assert.deepEqual(severity(200000), ['critical']);
  });

  it('reports a table never analysed, once per table, and quotes odd names in the SQL', () => {
    // Never analysed: the planner guessed 1 row where the scan found 1,000.
    const plan = variant('hostile-identifiers', (e) => { e.Plan['Plan Rows'] = 1; });
    const tips = evaluate(staleStatistics, plan, { tableStats: [stats('<script>alert(1)</script>', 1000, 0, null)] });
    assert.equal(tips.length, 1);
    assert.match(tips[0]!.message, /^<script>alert\(1\)<\/script> has never been analysed/);
    assert.equal(tips[0]!.action.sql, 'ANALYZE public."<script>alert(1)</script>";');
  });

  it('says how long ago the table was analysed when the plan time is known', () => {
    const plan = enriched('no-analyze-join');
    const [t] = evaluate(staleStatistics, plan, { tableStats: [stats('users', 200000, 150000, '2026-01-01T00:00:00Z')], now: '2026-01-04T00:00:00Z' });
    assert.match(t!.message, /\(3 days before this plan\)/);
  });

  it('with actual rows, speaks only of an error the changes can account for', () => {
    // Estimates right despite many changes: nothing to explain.
    assert.deepEqual(evaluate(staleStatistics, enriched('seq-scan-filter'), { tableStats: [stats('users', 200000, 150000)] }), []);
    assert.deepEqual(evaluate(staleStatistics, enriched('hostile-identifiers'), { tableStats: [stats('<script>alert(1)</script>', 1000, 0, null)] }), [], 'never analysed, yet estimated right');
    // 1,000 rows where 1 was expected, with 12,000 of 100,000 rows changed: the changes can account for it.
    const plan = enriched('correlated-columns-misestimate');
    assert.equal(evaluate(staleStatistics, plan, { tableStats: [stats('addresses', 100000, 12000)] }).length, 1);
    // An error of 100,000 rows cannot come from 20,050 changes: something else is wrong, and ANALYZE will not fix it.
    const events = enriched('stale-statistics');
    assert.deepEqual(evaluate(staleStatistics, events, { tableStats: [stats('events', 200000, 20050)] }), []);
  });

  it('stays quiet on fresh statistics', () => {
    for (const name of HEALTHY) assert.deepEqual(evaluateFixture(staleStatistics, name, fixtureMeta('stale-statistics').context), [], name);
  });
});

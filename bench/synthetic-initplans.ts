/**
 * A plan with many InitPlans, in the shape PostgreSQL 18 prints for
 * `SELECT (SELECT v FROM t WHERE id = 1) AS c1, …, (SELECT v FROM t WHERE
 * id = n) AS cn FROM t WHERE id <= 10` (captured once from a real server
 * and reproduced field for field): one scan whose Output references every
 * InitPlan, each InitPlan an index scan of its own. ORMs and report
 * builders write statements like this; resolving which node evaluates
 * which InitPlan is where analysis can turn quadratic.
 *
 * `asChildren` gives the same nodes as ordinary children of an Append,
 * with nothing to resolve: the baseline the InitPlan figures are compared
 * with.
 */
type Node = Record<string, unknown> & { Plans?: Node[] };

const COUNTERS = {
  'Shared Read Blocks': 0, 'Shared Dirtied Blocks': 0, 'Shared Written Blocks': 0,
  'Local Hit Blocks': 0, 'Local Read Blocks': 0, 'Local Dirtied Blocks': 0, 'Local Written Blocks': 0,
  'Temp Read Blocks': 0, 'Temp Written Blocks': 0,
  'Shared I/O Read Time': 0, 'Shared I/O Write Time': 0, 'Local I/O Read Time': 0, 'Local I/O Write Time': 0,
  'Temp I/O Read Time': 0, 'Temp I/O Write Time': 0,
};

function lookup(i: number, asChild: boolean): Node {
  return {
    'Node Type': 'Index Scan',
    'Parent Relationship': asChild ? 'Member' : 'InitPlan',
    ...(asChild ? {} : { 'Subplan Name': `InitPlan ${i}` }),
    'Parallel Aware': false, 'Async Capable': false, 'Scan Direction': 'Forward',
    'Index Name': 't_pkey', 'Relation Name': 't', Schema: 'public', Alias: `t_${i}`,
    'Startup Cost': 0.28, 'Total Cost': 8.29, 'Plan Rows': 1, 'Plan Width': 4,
    'Actual Startup Time': 0.011, 'Actual Total Time': 0.011, 'Actual Rows': 1, 'Actual Loops': 1, Disabled: false,
    Output: [`t_${i}.v`], 'Index Cond': `(t_${i}.id = ${i})`, 'Rows Removed by Index Recheck': 0, 'Index Searches': 1,
    'Shared Hit Blocks': 3, ...COUNTERS,
  };
}

export function initPlanPlan(count: number, asChildren = false): unknown {
  const lookups = Array.from({ length: count }, (_, k) => lookup(k + 1, asChildren));
  const ownMs = 0.034;
  const root: Node = {
    'Node Type': asChildren ? 'Append' : 'Index Only Scan',
    'Parallel Aware': false, 'Async Capable': false,
    ...(asChildren ? {} : { 'Scan Direction': 'Forward', 'Index Name': 't_pkey', 'Relation Name': 't', Schema: 'public', Alias: 't' }),
    'Startup Cost': 8.29 * count, 'Total Cost': 8.29 * count + 8, 'Plan Rows': 10, 'Plan Width': 4 * count,
    'Actual Startup Time': 0.011 * count + 0.02, 'Actual Total Time': 0.011 * count + ownMs, 'Actual Rows': 10, 'Actual Loops': 1, Disabled: false,
    Output: asChildren ? [] : lookups.map((_, k) => `(InitPlan ${k + 1}).col1`),
    ...(asChildren ? {} : { 'Index Cond': '(t.id <= 10)', 'Rows Removed by Index Recheck': 0, 'Heap Fetches': 10, 'Index Searches': 1 }),
    'Shared Hit Blocks': 3 * count + 12, ...COUNTERS,
    Plans: lookups,
  };
  return [{ Plan: root, Planning: { 'Shared Hit Blocks': 0, 'Shared Read Blocks': 0 }, 'Planning Time': 2.5, Triggers: [], 'Execution Time': 0.011 * count + 0.05 }];
}

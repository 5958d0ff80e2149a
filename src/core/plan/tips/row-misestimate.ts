/**
 * row-misestimate: the planner expected far more or far fewer rows than the
 * node produced. Every choice above the node (join method, join order,
 * memory) was made on the wrong number.
 */
import type { EnrichedPlan, PlanNode } from '../enrich';
import { formatCount, formatFactor } from '../format';
import { comparedColumns } from '../predicate';
import { quoteIdent } from '../sql';
import { statisticsName, type StatisticsCandidate } from '../../advice/statistics';
import { ancestors, band, docsPath, inputChildren, saving, tableName, tableSql, tip } from './helpers';
import type { TipAction, TipRule } from './types';

/** Factor bands, as pev2 and explain.depesz use: 10× info, 100× warning, 1000× critical. */
export const FACTOR_BANDS = [10, 100, 1000] as const;
/** Below this many rows on both sides, a large factor is noise (1 estimated, 30 actual). */
export const MIN_ROWS = 100;

export const rowMisestimate: TipRule = {
  id: 'row-misestimate',
  title: 'Row estimate far off',
  docs: docsPath('row-misestimate'),
  evaluate(node, plan) {
    const m = node.rows.misestimate;
    if (!m || m.direction === 'exact' || node.neverExecuted) return [];
    const severity = band(m.factor, FACTOR_BANDS);
    if (!severity) return [];
    if (Math.max(node.rows.actualTotal ?? 0, node.rows.estimatedTotal ?? 0) < MIN_ROWS) return [];
    if (m.direction === 'over' && stopsEarly(plan, node)) return [];
    if (inherited(plan, node)) return [];
    if (!choicesDependOn(plan, node)) return [];
    const est = node.rows.estimatedTotal ?? 0;
    const act = node.rows.actualTotal ?? 0;
    const message =
      `${node.label} returned ${formatCount(act)} rows where the planner expected ${formatCount(est)} ` +
      `(${m.direction === 'under' ? 'under' : 'over'}estimated ${formatFactor(m.factor)}).`;
    // Saving: the misestimate costs nothing by itself; what it costs is the parent's
    // choice of method. We take half of the parent's exclusive time as the part a
    // correct estimate could change (a better method still has work to do).
    const parent = node.parentId !== null ? plan.nodes[node.parentId]! : undefined;
    const { statistics, ...action } = fixEstimate(node, plan);
    return [tip(rowMisestimate, node.id, { severity, message, action, estimatedSavingMs: saving(plan, (parent?.exclusiveMs ?? 0) * 0.5), ...(statistics ? { statisticsCandidate: statistics } : {}) })];
  },
};

/**
 * The action that improves an estimate at a scan: extended statistics when
 * the filter ANDs several equality conditions (the planner multiplies their
 * selectivities as if independent), else fresh and finer statistics. The
 * statistics kind that fixes an estimate can only be found by trying each
 * on the data (see advice/statistics.ts): the action names the columns and
 * leaves the SQL to the index advice, which measures it.
 */
export function fixEstimate(node: PlanNode, plan?: EnrichedPlan): TipAction & { readonly statistics?: StatisticsCandidate } {
  const table = tableSql(node);
  if (plan && readsRecursiveCte(plan, node)) {
    return { text: 'The planner estimates the rows of a recursive CTE by a fixed rule (ten times its non-recursive part), not from statistics: ANALYZE changes nothing here. If the estimate matters, materialise the result in a temporary table, ANALYZE it, and join that instead.' };
  }
  if (!table) {
    return { text: 'Look for the scan below this node whose estimate is off first; fixing the estimate there usually fixes it here. Refresh statistics with ANALYZE on the tables involved.' };
  }
  const names = [node.relation?.alias, node.relation?.name];
  const compared = comparedColumns(node.raw.Filter).concat(comparedColumns(node.raw['Index Cond'])).concat(comparedColumns(node.raw['Recheck Cond']))
    .filter((c) => c.qualifier === undefined || names.includes(c.qualifier));
  const equalities = [...new Set(compared.filter((c) => c.kind === 'equality').map((c) => c.column))];
  if (equalities.length >= 2) {
    const statistics: StatisticsCandidate = {
      name: statisticsName(node.relation!.name, equalities),
      ...(node.relation!.schema !== undefined ? { schema: node.relation!.schema } : {}),
      table: node.relation!.name,
      columns: equalities,
      ...(node.relation!.alias !== undefined ? { alias: node.relation!.alias } : {}),
      estimatedRows: node.rows.estimatedPerLoop ?? 0,
      ...(node.rows.actualPerLoop !== undefined ? { actualRows: node.rows.actualPerLoop } : {}),
    };
    return {
      text: `The conditions on ${equalities.join(', ')} are probably correlated: the planner multiplies their selectivities. Extended statistics on them can fix the estimate; which kind does depends on the data, so the index advice of this plan tries each and offers the one that brings the estimate within 2× of the actual rows.`,
      statistics,
    };
  }
  // A comparison with a value the planner cannot see when it plans (an InitPlan's or a parameter's) gets a default selectivity: no statistics change it.
  if (compared.length > 0 && compared.every((c) => c.againstUnknown === true)) {
    return { text: `The condition compares ${tableName(node)} with a value only known when the statement runs (a subquery's result or a parameter), so the planner uses a default selectivity that no statistics change. If the estimate matters, compute the value first and pass it as a constant.` };
  }
  const column = equalities[0] ?? comparedColumns(node.raw.Filter ?? node.raw['Index Cond']).map((c) => c.column)[0];
  if (column) {
    return {
      text: `Refresh the statistics of ${tableName(node)}; if the estimate stays off, collect a finer histogram for ${column}.`,
      sql: `ANALYZE ${table};\n-- if it stays off:\nALTER TABLE ${table} ALTER COLUMN ${quoteIdent(column)} SET STATISTICS 1000;\nANALYZE ${table};`,
    };
  }
  return { text: `Refresh the statistics of ${tableName(node)}.`, sql: `ANALYZE ${table};` };
}

/**
 * Overestimates are expected where execution stops early: below a Limit, on
 * the inner side of semi and anti joins (one match is enough) and below a
 * Merge Join (it stops when either side runs out).
 */
function stopsEarly(plan: EnrichedPlan, node: PlanNode): boolean {
  const parent = node.parentId !== null ? plan.nodes[node.parentId] : undefined;
  if (parent && /Semi|Anti/.test(parent.raw['Join Type'] ?? '') && node.raw['Parent Relationship'] === 'Inner') return true;
  if (parent?.nodeType === 'Merge Join') return true;
  return ancestors(plan, node).some((a) => a.nodeType === 'Limit');
}

/** A scan of a recursive CTE (its working table, or the CTE read through a Recursive Union). */
function readsRecursiveCte(plan: EnrichedPlan, node: PlanNode): boolean {
  if (node.nodeType === 'WorkTable Scan' || node.nodeType === 'Recursive Union') return true;
  if (node.nodeType !== 'CTE Scan') return false;
  const cte = plan.nodes.find((n) => n.attachment === 'cte' && n.subplanName === `CTE ${String(node.raw['CTE Name'] ?? '')}`);
  return cte?.nodeType === 'Recursive Union';
}

/**
 * Nodes that take rows as they come, whatever their number: nothing in them
 * was chosen on the estimate below. A plain aggregate (count(*) of a scan),
 * a Gather, a Limit, a Result or a ModifyTable over a misestimated scan
 * would be the same plan with a correct estimate.
 */
const PASS_THROUGH = new Set(['Gather', 'Result', 'ProjectSet', 'Limit', 'LockRows', 'ModifyTable', 'Append']);

/**
 * Whether some choice above the node was made on its estimate: a join
 * method or order, a hash table's size, a sort instead of an ordered index,
 * a hashed or sorted aggregate. A misestimate with only pass-through nodes
 * above it (up to the root, or to the InitPlan or SubPlan it computes a value
 * for) changes nothing. The node's own access path was chosen on its
 * estimate too, but the tips that fix the scan (seq-scan-filter,
 * inefficient-index-scan) speak for it.
 */
function choicesDependOn(plan: EnrichedPlan, node: PlanNode): boolean {
  let current = node;
  while (current.parentId !== null) {
    if (current.attachment === 'cte') return true; // CTE Scans elsewhere take their estimate from it
    if (current.attachment !== 'child') return false;
    const parent = plan.nodes[current.parentId]!;
    const plainAggregate = parent.nodeType === 'Aggregate' && (parent.raw.Strategy ?? 'Plain') === 'Plain';
    if (!PASS_THROUGH.has(parent.nodeType) && !plainAggregate) return true;
    current = parent;
  }
  return false;
}

/**
 * A node that passes on a child's misestimate (Hash over its scan, Sort,
 * Gather) is not reported again: the tip goes where the error starts. A node
 * whose factor is more than twice its input's adds its own error and is kept.
 */
function inherited(plan: EnrichedPlan, node: PlanNode): boolean {
  const m = node.rows.misestimate!;
  return inputChildren(plan, node).some((c) => {
    const cm = c.rows.misestimate;
    return cm !== undefined && cm.direction === m.direction && cm.factor * 2 >= m.factor;
  });
}

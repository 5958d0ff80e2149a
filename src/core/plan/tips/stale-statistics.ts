/**
 * stale-statistics: a table the plan reads has changed a lot since it was
 * last analysed (or was never analysed), so the planner works from old
 * numbers. Needs pg_stat_user_tables figures in the context.
 */
import type { EnrichedPlan, PlanNode } from '../enrich';
import { formatCount, formatFactor, formatShare } from '../format';
import { band, docsPath, raise, tableName, tableSql, tip } from './helpers';
import type { PlanContext, Severity, TableStats, TipRule } from './types';

/**
 * Rows changed since the last analyse over live rows: autovacuum analyses
 * past 50 rows + 10% (its default threshold and scale factor), so 10% is
 * info, 50% warning, 100% critical. A misestimate at the node raises it one level.
 */
export const CHANGE_BANDS = [0.1, 0.5, 1] as const;
export const AUTOVACUUM_BASE = 50;

export const staleStatistics: TipRule = {
  id: 'stale-statistics',
  title: 'Stale table statistics',
  docs: docsPath('stale-statistics'),
  evaluate(node, plan, context) {
    if (!node.relation || !context.tableStats) return [];
    const stats = findStats(context, node);
    if (!stats || !isFirstScanOf(plan, node)) return [];
    const never = stats.lastAnalyze === null && stats.lastAutoanalyze === null;
    const ratio = stats.modsSinceAnalyze / Math.max(stats.liveTuples, 1);
    if (!never && stats.modsSinceAnalyze < AUTOVACUUM_BASE + 0.1 * stats.liveTuples) return [];
    if (never && stats.liveTuples === 0) return [];
    // With actual rows, the tip must explain an error: a scan of the table off by 10× or more, by no more rows
    // than changed since the last analyse (changes cannot move a count further). An error larger than that has
    // another cause (correlated columns, a value known only at run time), which ANALYZE does not fix.
    if (plan.analyzed && !explainsAnError(plan, node, stats, never)) return [];
    let severity: Severity = never ? 'warning' : band(ratio, CHANGE_BANDS) ?? 'info';
    const m = node.rows.misestimate;
    const misestimated = m !== undefined && m.direction !== 'exact' && m.factor >= 10;
    if (misestimated) severity = raise(severity);
    const when = lastAnalysed(stats, context.now);
    const message = never
      ? `${tableName(node)} has never been analysed, and holds about ${formatCount(stats.liveTuples)} rows${misestimated ? `; ${node.label} is off by ${formatFactor(m.factor)}` : ''}.`
      : `${formatCount(stats.modsSinceAnalyze)} rows of ${tableName(node)} (${formatShare(Math.min(ratio, 9.99))} of its ${formatCount(stats.liveTuples)}) changed since it was last analysed${when}` +
        `${misestimated ? `; ${node.label} is off by ${formatFactor(m.factor)}` : ''}.`;
    const action = {
      text: `Analyse ${tableName(node)} now; if it keeps going stale, lower its autovacuum_analyze_scale_factor or analyse after bulk loads.`,
      sql: `ANALYZE ${tableSql(node)!};`,
    };
    // Saving: none is claimed; fresh statistics change the plan, and the misestimate and
    // nested-loop tips estimate what the current plan loses.
    return [tip(staleStatistics, node.id, { severity, message, action, estimatedSavingMs: null })];
  },
};

/** Whether a scan of the node's table is misestimated by an error the changes since the last analyse can account for. */
function explainsAnError(plan: EnrichedPlan, node: PlanNode, stats: TableStats, never: boolean): boolean {
  const r = node.relation!;
  return plan.nodes.some((n) => {
    if (n.relation?.name !== r.name || n.relation.schema !== r.schema || n.neverExecuted) return false;
    const m = n.rows.misestimate;
    if (!m || m.direction === 'exact' || m.factor < MISESTIMATE_FACTOR) return false;
    if (never) return true;
    const gap = Math.abs((n.rows.actualPerLoop ?? 0) - (n.rows.estimatedPerLoop ?? 0));
    return gap <= stats.modsSinceAnalyze;
  });
}

/** The error a tip about statistics must explain: the row-misestimate rule's first band. */
const MISESTIMATE_FACTOR = 10;

function findStats(context: PlanContext, node: PlanNode): TableStats | undefined {
  const r = node.relation!;
  return context.tableStats!.find((s) => s.table === r.name && (r.schema === undefined || s.schema === r.schema));
}

/** One tip per table: on the first node (in plan order) that reads it. */
function isFirstScanOf(plan: EnrichedPlan, node: PlanNode): boolean {
  const r = node.relation!;
  return plan.nodes.find((n) => n.relation?.name === r.name && n.relation.schema === r.schema)?.id === node.id;
}

function lastAnalysed(stats: TableStats, now: string | undefined): string {
  const last = [stats.lastAnalyze, stats.lastAutoanalyze].filter((d): d is string => d !== null).sort().pop();
  if (!last || !now) return '';
  const ms = Date.parse(now) - Date.parse(last);
  if (!Number.isFinite(ms) || ms < 0) return '';
  const minutes = ms / 60_000;
  if (minutes < 1) return ' (less than a minute before this plan)';
  if (minutes < 120) return ` (${Math.round(minutes)} min before this plan)`;
  if (minutes < 48 * 60) return ` (${Math.round(minutes / 60)} hours before this plan)`;
  return ` (${Math.round(minutes / 1440)} days before this plan)`;
}

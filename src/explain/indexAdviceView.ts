/**
 * Turns verification results into the plan view's "Index advice" section:
 * the candidates that help, best first (lowest cost with the index), each
 * with its figures formatted, and the others with the reason they were
 * left out. Pure: no editor, no database.
 */
import type { IndexCandidate } from '../core/advice/statementCandidates';
import { FIXED_FACTOR, estimateFactor, statisticsDdl, type StatisticsCandidate } from '../core/advice/statistics';
import { formatCount, formatFactor } from '../core/plan/format';
import type { StatisticsResult } from '../db/statisticsVerify';
import { MIN_COST_DROP, percent } from '../core/advice/verdict';
import { formatCost, formatDuration } from '../core/plan/format';
import type { CandidateOutcome, VerifyResult } from '../db/indexVerify';
import type { IndexAdviceItem, IndexAdviceView } from '../shared/protocol';

const METHOD_TEXT = { hypopg: 'HypoPG (hypothetical index)', 'rolled-back': 'built in a transaction, rolled back' } as const;

/** A misestimate tip's statistics and what measuring them found. */
export interface StatisticsOutcome {
  readonly candidate: StatisticsCandidate;
  readonly result: StatisticsResult;
}

export function adviceView(recordId: string, candidates: readonly IndexCandidate[], result: VerifyResult, canCreate: boolean, statistics: readonly StatisticsOutcome[] = []): IndexAdviceView {
  const byName = new Map(candidates.map((c) => [c.name, c]));
  const helping = result.outcomes.flatMap((o) => (o.status === 'verified' && o.verdict.helps ? [o] : [])).sort((a, b) => a.after.totalCost - b.after.totalCost);
  const items = helping.flatMap((o) => {
    const c = byName.get(o.name);
    return c ? [item(c, o)] : [];
  });
  const rejected = result.outcomes.flatMap((o) => {
    const c = byName.get(o.name);
    if (!c || (o.status === 'verified' && o.verdict.helps)) return [];
    return [{ name: c.name, ddl: c.ddl, why: o.status === 'skipped' ? o.reason : (o.verdict.why ?? 'It does not help.') }];
  });
  const statisticsItems = statistics.flatMap(statisticsItem);
  const statisticsRejected = statistics.flatMap(statisticsRejection);
  const indexSummary = candidates.length > 0 ? summary(candidates.length, items.length, result) : '';
  const allItems = [...items, ...statisticsItems];
  const allRejected = [...rejected, ...statisticsRejected];
  const texts = [indexSummary, statistics.length > 0 ? statisticsSummary(statistics.length, statisticsItems.length) : ''].filter(Boolean);
  const unavailable = (candidates.length === 0 || result.method === 'none') && allItems.length === 0 && allRejected.length === 0;
  return { recordId, state: unavailable ? 'unavailable' : 'done', summary: texts.join(' '), items: allItems, rejected: allRejected, canCreate };
}

const STATISTICS_METHOD = 'created and analysed in a transaction, rolled back';

function statisticsItem({ candidate: c, result: r }: StatisticsOutcome): IndexAdviceItem[] {
  if (r.status !== 'measured' || !r.chosen) return [];
  const what = r.chosen.kinds.length === 0 ? 'a fresh ANALYZE' : `statistics (${r.chosen.kinds.join(', ')})`;
  const change = r.before.totalCost > 0 ? (r.chosen.totalCost - r.before.totalCost) / r.before.totalCost : 0;
  const actual = c.actualRows ?? 0;
  return [{
    name: c.name,
    table: c.schema && c.schema !== 'public' ? `${c.schema}.${c.table}` : c.table,
    reason: `the estimate of ${c.columns.join(', ')}: ${what} brings it within ${FIXED_FACTOR}× of the actual rows`,
    ddl: statisticsDdl(c, r.chosen.kinds),
    method: STATISTICS_METHOD,
    costBefore: formatCost(r.before.totalCost),
    costAfter: formatCost(r.chosen.totalCost),
    // What the statistics fix is the estimate, not the cost (a right estimate can pick a plan the planner costs higher).
    costChange: `${formatFactor(estimateFactor(r.before.estimatedRows, actual))} → ${formatFactor(estimateFactor(r.chosen.estimatedRows, actual))} off`,
    costChangeTitle: `How far the estimate is from the ${formatCount(actual)} actual rows, before and after; the plan's cost changes by ${percent(change)}`,
    rowsBefore: formatCount(r.before.estimatedRows),
    rowsAfter: formatCount(r.chosen.estimatedRows),
    rowsActual: formatCount(c.actualRows ?? 0),
    kind: 'statistics',
  }];
}

function statisticsRejection({ candidate: c, result: r }: StatisticsOutcome): IndexAdviceView['rejected'] {
  if (r.status === 'skipped') return [{ name: c.name, ddl: '', why: r.reason }];
  if (r.chosen) return [];
  const tried = r.trials.map((t) => `${t.kinds.length === 0 ? 'ANALYZE' : t.kinds.join(' + ')}: ${formatCount(t.estimatedRows)}`).join(', ');
  return [{ name: c.name, ddl: '', why: `No statistics brought the estimate within ${FIXED_FACTOR}× of the ${formatCount(c.actualRows ?? 0)} actual rows (estimated rows: ${tried}), so none is proposed.` }];
}

function statisticsSummary(measured: number, fixing: number): string {
  const subject = measured === 1 ? 'The misestimate was' : `${measured} misestimates were`;
  return `${subject} measured against a fresh ANALYZE and each kind of extended statistics in a transaction that was rolled back; ${fixing === 0 ? 'none brought the estimate within 2× of the actual rows' : `${fixing} fix${fixing === 1 ? 'es' : ''} it`}.`;
}

function item(c: IndexCandidate, o: Extract<CandidateOutcome, { status: 'verified' }>): IndexAdviceItem {
  const times = o.before.timeMs !== undefined && o.after.timeMs !== undefined ? { timeBefore: formatDuration(o.before.timeMs), timeAfter: formatDuration(o.after.timeMs) } : {};
  return {
    name: c.name,
    table: c.table,
    reason: c.reason,
    ddl: c.ddl,
    method: METHOD_TEXT[o.method],
    costBefore: formatCost(o.before.totalCost),
    costAfter: formatCost(o.after.totalCost),
    costChange: percent(o.verdict.costChange),
    ...times,
    ...(c.extension ? { extension: c.extension } : {}),
  };
}

function summary(found: number, helping: number, result: VerifyResult): string {
  if (result.method === 'none') return result.note ?? 'The candidate indexes could not be verified.';
  const how = result.method === 'hypopg' ? 'with HypoPG (hypothetical indexes, nothing built)' : 'by building each index inside a transaction that was rolled back';
  const rule = `shown when the planner uses the index and the plan's cost drops by at least ${percent(MIN_COST_DROP)}`;
  if (helping === 0) return `${count(found, 'candidate index')} verified ${how}; none helps this statement (${rule}).`;
  return `${count(helping, 'of', found)} ${found === 1 ? 'candidate index helps' : 'candidate indexes help'}, verified ${how}; ${rule}.`;
}

function count(n: number, word: string, of?: number): string {
  if (of !== undefined) return `${n} ${word} ${of}`;
  return `${n} ${word}${n === 1 ? '' : 'es'}`;
}

/** The section while verification runs or waits, and when there is nothing to verify. */
export function pendingView(recordId: string, state: 'working' | 'confirm' | 'done', summaryText: string): IndexAdviceView {
  return { recordId, state, summary: summaryText, items: [], rejected: [], canCreate: false };
}

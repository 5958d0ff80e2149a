/**
 * Turns verification results into the plan view's "Index advice" section:
 * the candidates that help, best first (lowest cost with the index), each
 * with its figures formatted, and the others with the reason they were
 * left out. Pure: no editor, no database.
 */
import type { IndexCandidate } from '../core/advice/statementCandidates';
import { MIN_COST_DROP, percent } from '../core/advice/verdict';
import { formatCost, formatDuration } from '../core/plan/format';
import type { CandidateOutcome, VerifyResult } from '../db/indexVerify';
import type { IndexAdviceItem, IndexAdviceView } from '../shared/protocol';

const METHOD_TEXT = { hypopg: 'HypoPG (hypothetical index)', 'rolled-back': 'built in a transaction, rolled back' } as const;

export function adviceView(recordId: string, candidates: readonly IndexCandidate[], result: VerifyResult, canCreate: boolean): IndexAdviceView {
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
  return { recordId, state: result.method === 'none' && items.length === 0 && rejected.length === 0 ? 'unavailable' : 'done', summary: summary(candidates.length, items.length, result), items, rejected, canCreate };
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

/**
 * Runs the tip rules over an enriched plan and ranks what they find.
 *
 * Ranking: by estimated saving, largest first; tips without a saving estimate
 * (pointers such as slow-node and stale-statistics, or any tip on a plan
 * without timing) come after those with one; ties go to the higher severity.
 *
 * Cut-off, so that small wins do not bury the ones that matter: the cut-off
 * is max(1 ms, 2% of the execution time) on timed plans.
 * - critical tips are always kept;
 * - warnings are kept when their saving reaches the cut-off or has no estimate;
 * - info tips are kept only when their saving reaches the cut-off.
 * A slow-node tip only says where the time goes, so it is dropped when
 * another tip already names the same node.
 */
import type { EnrichedPlan } from './enrich';
import { TIP_RULES } from './tips/index';
import { severityRank } from './tips/helpers';
import { slowNode } from './tips/slow-node';
import type { PlanContext, Tip, TipRule } from './tips/types';

export interface TipOptions {
  readonly rules?: readonly TipRule[];
  /** Absolute floor of the cut-off, ms (default 1). */
  readonly minSavingMs?: number;
  /** Share of the execution time under which a saving is cut off (default 0.02). */
  readonly minSavingShare?: number;
}

export function findTips(plan: EnrichedPlan, context: PlanContext = {}, options: TipOptions = {}): Tip[] {
  const rules = options.rules ?? TIP_RULES;
  const found: Tip[] = [];
  for (const node of plan.nodes) {
    for (const rule of rules) found.push(...rule.evaluate(node, plan, context));
  }
  const cutoff = plan.timed ? Math.max(options.minSavingMs ?? 1, (options.minSavingShare ?? 0.02) * plan.totals.basis) : 0;
  const kept = found.filter((t) => keep(t, cutoff));
  const named = new Set(kept.filter((t) => t.id !== slowNode.id).map((t) => t.nodeId));
  return rankTips(kept.filter((t) => t.id !== slowNode.id || !named.has(t.nodeId)));
}

function keep(t: Tip, cutoff: number): boolean {
  if (t.severity === 'critical') return true;
  if (t.estimatedSavingMs === null) return t.severity === 'warning';
  return t.estimatedSavingMs >= cutoff;
}

export function rankTips(tips: readonly Tip[]): Tip[] {
  return [...tips].sort((a, b) => {
    const sa = a.estimatedSavingMs;
    const sb = b.estimatedSavingMs;
    if (sa !== null && sb !== null && sa !== sb) return sb - sa;
    if ((sa === null) !== (sb === null)) return sa === null ? 1 : -1;
    return severityRank(b.severity) - severityRank(a.severity);
  });
}

/**
 * Runs the tip rules over an enriched plan and ranks what they find.
 *
 * Ranking: by estimated saving, largest first; tips without a saving estimate
 * (pointers such as slow-node and stale-statistics, or any tip on a plan
 * without timing) come after those with one; ties go to the higher severity.
 *
 * Partitions: the same finding on sibling partitions under one Append (a
 * filter every partition scan discards, one per month) is one finding about
 * the partitioned table: it becomes one tip, with the savings added up
 * (partitionSiblings.ts).
 *
 * Cut-off, so that small wins do not bury the ones that matter: the cut-off
 * is max(1 ms, 2% of the execution time) on timed plans.
 * - a tip with a saving estimate is kept when the saving reaches the cut-off,
 *   whatever its severity: "critical" about a fraction of a millisecond is
 *   noise;
 * - without an estimate, warnings and critical tips are kept, info tips are not.
 * A slow-node tip only says where the time goes, so it is dropped when
 * another tip already names the same node.
 */
import type { EnrichedPlan } from './enrich';
import { mergePartitionSiblings } from './partitionSiblings';
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
  const kept = mergePartitionSiblings(found, plan, context).filter((t) => keep(t, cutoff));
  const named = new Set(kept.filter((t) => t.id !== slowNode.id).map((t) => t.nodeId));
  return rankTips(kept.filter((t) => t.id !== slowNode.id || !named.has(t.nodeId)));
}

function keep(t: Tip, cutoff: number): boolean {
  if (t.estimatedSavingMs === null) return t.severity !== 'info';
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

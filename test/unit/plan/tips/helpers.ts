/** Shared helpers for the tip rule tests. */
import { enrichPlan, type EnrichedPlan } from '../../../../src/core/plan/enrich';
import { parseExplain } from '../../../../src/core/plan/parse';
import type { PlanContext, Tip, TipRule } from '../../../../src/core/plan/tips/types';
import { enriched, fixtureMeta, rawFixture } from '../fixtures';

export { enriched, fixtureMeta };

/** Every tip one rule finds in a plan (before ranking and cut-off). */
export function evaluate(rule: TipRule, plan: EnrichedPlan, context: PlanContext = {}): Tip[] {
  return plan.nodes.flatMap((n) => rule.evaluate(n, plan, context));
}

export function evaluateFixture(rule: TipRule, name: string, context?: PlanContext): Tip[] {
  return evaluate(rule, enriched(name), context ?? fixtureMeta(name).context ?? {});
}

type RawNode = Record<string, unknown> & { Plans?: RawNode[] };

/** A copy of a captured plan with one change, for threshold tests (the rest stays as captured). */
export function variant(name: string, change: (explain: Record<string, unknown> & { Plan: RawNode }) => void): EnrichedPlan {
  const copy = rawFixture(name)[0] as Record<string, unknown> & { Plan: RawNode };
  change(copy);
  return enrichPlan(parseExplain(copy));
}

/** The raw node at a path of child indexes. */
export function at(root: RawNode, ...path: number[]): RawNode {
  let node = root;
  for (const i of path) node = node.Plans![i]!;
  return node;
}

export const HEALTHY = ['healthy-pk-lookup', 'healthy-join'];

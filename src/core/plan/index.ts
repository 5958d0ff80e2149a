/**
 * The plan engine in one call: parse → enrich → tips → view model, plus the
 * text rendering. The pieces are exported for callers that need one step
 * (a comparison needs two enriched plans, the bench times enrichment alone).
 */
import { enrichPlan, type EnrichedPlan } from './enrich';
import { parseExplain } from './parse';
import { renderText } from './text';
import { findTips, type TipOptions } from './tips';
import type { PlanContext, Tip } from './tips/types';
import { buildViewModel, type PlanViewModel } from './viewModel';

export interface AnalysedPlan {
  readonly plan: EnrichedPlan;
  readonly tips: readonly Tip[];
  readonly view: PlanViewModel;
  /** The plan as psql's text format prints it. */
  readonly text: string;
}

/** `input`: EXPLAIN (FORMAT JSON) output, as text or parsed. Throws PlanParseError on anything else. */
export function analysePlan(input: unknown, context: PlanContext = {}, options: TipOptions = {}): AnalysedPlan {
  const raw = parseExplain(input);
  const plan = enrichPlan(raw);
  const tips = findTips(plan, context, options);
  return { plan, tips, view: buildViewModel(plan, tips), text: renderText(raw) };
}

export { comparePlans, type PlanComparison, type NodeDelta } from './compare';
export { enrichPlan, type EnrichedPlan, type PlanNode } from './enrich';
export { parseExplain, PlanParseError } from './parse';
export { renderText } from './text';
export { findTips, rankTips, type TipOptions } from './tips';
export { TIP_RULES } from './tips/index';
export type { ForeignKey, IndexCandidate, PartitionOf, PlanContext, Severity, TableStats, Tip, TipRule } from './tips/types';
export { buildViewModel, type PlanViewModel, type ViewNode, type ViewTip } from './viewModel';

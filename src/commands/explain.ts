/**
 * PG Insight: Explain Analyze and Explain (No Execution) — the statement
 * under the cursor or the selection, through the safe runner, into the plan
 * view. Both return the new history record (undefined when nothing ran),
 * which lets tests and other commands follow up on it.
 */
import type { Ctx } from '../context';
import { explainService } from '../explain';
import type { PlanRecord } from '../explain/history';
import { isExplainArgs } from '../explain/service';

export function explainAnalyze(ctx: Ctx) {
  /** From a menu the first argument is the document's URI; only ExplainArgs are read. */
  return (args?: unknown): Promise<PlanRecord | undefined> => explainService(ctx).explainFromEditor(true, isExplainArgs(args) ? args : {});
}

export function explainPlain(ctx: Ctx) {
  return (args?: unknown): Promise<PlanRecord | undefined> => explainService(ctx).explainFromEditor(false, isExplainArgs(args) ? args : {});
}

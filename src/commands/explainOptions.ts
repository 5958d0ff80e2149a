/**
 * PG Insight: Explain Options… — the quick toggle of the EXPLAIN options
 * (BUFFERS, TIMING, VERBOSE, SETTINGS, WAL, MEMORY, SERIALIZE), written to
 * the `pgInsight.explain.*` settings.
 */
import * as vscode from 'vscode';
import type { Ctx } from '../context';
import { toggleExplainOptions } from '../explain/options';

export function explainOptions(ctx: Ctx) {
  return async (): Promise<void> => {
    const changed = await toggleExplainOptions(vscode.window.activeTextEditor?.document.uri);
    if (changed && changed.length > 0) ctx.log.info(`EXPLAIN options changed: ${changed.join(', ')}.`);
  };
}

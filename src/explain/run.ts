/**
 * One EXPLAIN round trip from the editor, through the safe runner: a
 * progress notification whose Cancel aborts the statement on the server,
 * the confirmation before ANALYZE of a writing statement (the runner rolls
 * it back either way; `pgInsight.explain.confirmWrites` can turn the
 * question off), and the server facts the history records. The plan's
 * context (table statistics and foreign keys for the tips) comes back with
 * the plan, read in the same transaction.
 */
import * as vscode from 'vscode';
import type { Ctx } from '../context';
import { DbError, type ExplainOptions, type ExplainResult, type ServerInfo, type StatementSafety } from '../db/types';
import { statementLabel } from './fingerprint';
import { confirmationText } from './confirmation';

export interface ExplainRun {
  readonly result: ExplainResult;
  readonly server: ServerInfo | undefined;
  readonly connection: string;
}

const RUN_AND_ROLL_BACK = 'Run and Roll Back';

/** Asks before running a writing statement for real; a user setting can turn the question off. */
export async function confirmWrite(ctx: Ctx, safety: StatementSafety): Promise<boolean> {
  if (!ctx.config().confirmWrites) return true;
  const text = confirmationText(safety);
  const choice = await vscode.window.showWarningMessage(text.message, { modal: true, detail: text.detail }, RUN_AND_ROLL_BACK);
  return choice === RUN_AND_ROLL_BACK;
}

/** The active connection's server, from the connection state or by asking it. */
export async function currentServer(ctx: Ctx): Promise<ServerInfo | undefined> {
  const state = ctx.connections.state;
  if (state.kind === 'connected') return state.server;
  if (state.kind === 'error' && state.server) return state.server;
  return ctx.connections.use((db) => db.serverInfo());
}

/** Runs EXPLAIN with progress and Cancel; throws DbError (cancelled, refused, syntax, ...). */
export async function runExplain(ctx: Ctx, sql: string, values: readonly unknown[], options: ExplainOptions): Promise<ExplainRun> {
  const title = `${options.analyze ? 'EXPLAIN ANALYZE' : 'EXPLAIN'} ${statementLabel(sql, 50)}`;
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (_progress, token) => {
    const abort = new AbortController();
    const cancelled = token.onCancellationRequested(() => abort.abort());
    try {
      if (token.isCancellationRequested) throw new DbError('cancelled', 'The query was cancelled.', []);
      const server = await currentServer(ctx).catch(() => undefined);
      const result = await ctx.connections.use((db) =>
        db.explain(sql, values, options, {
          signal: abort.signal,
          confirmWrite: (safety) => confirmWrite(ctx, safety),
          // The tips' catalog facts ride in the EXPLAIN's transaction rather than a round trip of their own.
          withContext: true,
        }),
      );
      return { result, server, connection: ctx.connections.activeProfile()?.name ?? 'unknown' };
    } finally {
      cancelled.dispose();
    }
  });
}

/**
 * One snapshot of pg_stat_statements for the active connection, added to
 * the slow queries panel's history, which the side bar view and the
 * statement CodeLens read too. Said here once so that every reader takes it
 * the same way: the scope from the settings, the availability checked first.
 */
import * as vscode from 'vscode';
import type { Ctx } from '../context';
import { diagnoseStatements, readSnapshot } from '../db/stats';
import type { SlowQueriesPanels } from '../panels/slowQueriesPanel';
import { readSettings } from '../panels/slowQueriesData';

/** `taken`: added to the history; `unavailable`: why pg_stat_statements cannot be read; `skipped`: not connected. */
export type SnapshotOutcome = { readonly kind: 'taken' } | { readonly kind: 'unavailable'; readonly message: string } | { readonly kind: 'skipped' };

/** Throws the database's error (connection lost, timeout) for the caller to show. */
export async function takeStatementSnapshot(ctx: Ctx, panels: SlowQueriesPanels): Promise<SnapshotOutcome> {
  const profile = ctx.connections.activeProfile();
  if (!profile || ctx.connections.state.kind !== 'connected') return { kind: 'skipped' };
  const diagnosis = await ctx.connections.use((db) => diagnoseStatements(db));
  const source = diagnosis.source;
  if (!source) return { kind: 'unavailable', message: diagnosis.availability.message };
  const scope = readSettings((s) => vscode.workspace.getConfiguration(s)).allDatabases ? 'all' : 'database';
  const snapshot = await ctx.connections.use((db) => readSnapshot(db, source, scope));
  await panels.histories.add(profile.id, snapshot);
  return { kind: 'taken' };
}

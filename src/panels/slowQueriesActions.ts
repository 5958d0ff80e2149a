/**
 * What the slow queries panel's buttons do in VS Code: copy, explain, find
 * in code, export, reset the statistics, cancel or terminate a session.
 * Actions that change something on the server ask first, with a non-modal
 * warning (modal dialogs are refused in test windows, and a non-modal one
 * does not block the editor), and a refusal by the server is shown as the
 * sentence that names the missing privilege.
 */
import * as vscode from 'vscode';
import type { Ctx } from '../context';
import { asDbError } from '../connections/manager';
import { resetStatements, signalSession, type StatementsSource } from '../db/stats';
import { toCsv, toJson, type QueryStat, type WindowStats } from '../core/stats';
import type { StatementsView } from '../shared/slowQueriesProtocol';

export type ExportFormat = 'csv' | 'json';

export const EXPLAIN_COMMAND = 'pgInsight.explain';
/** src/commands/findInCode.ts; the row action lights up when it is registered. */
export const FIND_IN_CODE_COMMAND = 'pgInsight.findInCode';

export function rowByKey(view: StatementsView | undefined, key: string): QueryStat | undefined {
  return view?.rows.find((r) => r.key === key);
}

export async function copyQuery(text: string): Promise<void> {
  await vscode.env.clipboard.writeText(text);
  void vscode.window.setStatusBarMessage('Query copied to the clipboard.', 3000);
}

/**
 * Explain works on the editor's selection, so the statement goes into a new
 * SQL document, selected; the explain command then asks for the `$n`
 * values the way it always does (generic plan, sampled or typed values).
 */
export async function explainQuery(text: string): Promise<void> {
  const doc = await vscode.workspace.openTextDocument({ content: text, language: 'sql' });
  const editor = await vscode.window.showTextDocument(doc, vscode.ViewColumn.Beside);
  editor.selection = new vscode.Selection(doc.positionAt(0), doc.positionAt(text.length));
  await vscode.commands.executeCommand(EXPLAIN_COMMAND);
}

export async function findInCode(text: string): Promise<void> {
  await vscode.commands.executeCommand(FIND_IN_CODE_COMMAND, { query: text });
}

/** Writes the export; without `target` a Save As dialog asks where. Returns where it was written. */
export async function exportRows(stats: WindowStats, format: ExportFormat, keys: readonly string[] | undefined, target?: vscode.Uri): Promise<vscode.Uri | undefined> {
  const byKey = new Map(stats.rows.map((r) => [r.key, r]));
  const rows = keys ? keys.map((k) => byKey.get(k)).filter((r): r is QueryStat => r !== undefined) : stats.rows;
  const uri = target ?? (await vscode.window.showSaveDialog({
    title: 'Export Slow Queries',
    saveLabel: 'Export',
    defaultUri: defaultExportUri(format),
    filters: format === 'csv' ? { CSV: ['csv'] } : { JSON: ['json'] },
  }));
  if (!uri) return undefined;
  const text = format === 'csv' ? toCsv(rows) : toJson(stats, rows);
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
  void vscode.window.setStatusBarMessage(`Exported ${rows.length} statements to ${vscode.workspace.asRelativePath(uri)}.`, 5000);
  return uri;
}

function defaultExportUri(format: ExportFormat): vscode.Uri | undefined {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  return folder ? vscode.Uri.joinPath(folder, `slow-queries.${format}`) : undefined;
}

/** Asks, then resets pg_stat_statements. True when the statistics were reset. */
export async function resetStatistics(ctx: Ctx, source: StatementsSource, user: string): Promise<boolean> {
  const choice = await vscode.window.showWarningMessage(
    'Reset pg_stat_statements? The statistics of every statement in every database of this server start again from zero, for everyone using them.',
    'Reset',
    'Cancel',
  );
  if (choice !== 'Reset') return false;
  try {
    await ctx.connections.use((db) => resetStatements(db, source, user));
  } catch (e) {
    const message = asDbError(e).message;
    ctx.log.warn(`Slow queries: ${message}`);
    void ctx.notify.error(message);
    return false;
  }
  void vscode.window.showInformationMessage('pg_stat_statements was reset.');
  return true;
}

/** Asks, then cancels the session's statement or ends the session. True when the server accepted. */
export async function signal(ctx: Ctx, action: 'cancel' | 'terminate', pid: number): Promise<boolean> {
  const [question, button] = action === 'cancel'
    ? [`Cancel the statement running in session ${pid}? Its transaction fails and rolls back.`, 'Cancel Statement']
    : [`Terminate session ${pid}? Its connection is closed and any open transaction rolls back.`, 'Terminate Session'];
  const choice = await vscode.window.showWarningMessage(question, button, 'Keep');
  if (choice !== button) return false;
  try {
    const result = await ctx.connections.use((db) => signalSession(db, action, pid));
    // The message names the session's role, as the server spells it.
    void ctx.notify.info(result.message);
    return true;
  } catch (e) {
    const message = asDbError(e).message;
    ctx.log.warn(`Activity: ${message}`);
    void ctx.notify.error(message);
    return false;
  }
}

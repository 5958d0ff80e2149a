/**
 * PG Insight: Scan Workspace for Query Problems — every source and SQL file
 * of the workspace, with a cancellable progress notification; the findings
 * land in the Problems panel. Returns the counts (for tests).
 */
import * as vscode from 'vscode';
import type { Ctx } from '../context';
import { diagnosticsProvider } from '../diagnostics';
import type { ScanCounts } from '../providers/diagnostics';

export function scanWorkspace(ctx: Ctx) {
  return async (): Promise<ScanCounts> => {
    const provider = diagnosticsProvider(ctx);
    const counts = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'PG Insight: scanning for query problems', cancellable: true },
      (progress, token) => provider.scan((message, increment) => progress.report({ message, increment }), token),
    );
    const summary = `${counts.findings} query problem${counts.findings === 1 ? '' : 's'} in ${counts.files} file${counts.files === 1 ? '' : 's'}`;
    ctx.log.info(`Workspace scan ${counts.cancelled ? 'cancelled' : 'done'}: ${summary}.`);
    if (counts.cancelled) void ctx.notify.info(`Scan cancelled after ${counts.files} files: ${summary} so far.`);
    else {
      void ctx.notify.info(`Scan done: ${summary}.`);
      if (counts.findings > 0) void vscode.commands.executeCommand('workbench.actions.view.problems');
    }
    return counts;
  };
}

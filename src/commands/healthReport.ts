/**
 * "Database Health Report": runs every health check on the active
 * connection with a progress notification (checks done / total; Cancel
 * aborts the statements on the server), then shows the report panel.
 * Also the export and "Copy summary" commands, which act on the report
 * shown. Returns the document, so tests can compare the page with it.
 */
import * as vscode from 'vscode';
import type { Ctx } from '../context';
import { ALL_CHECKS, runChecks } from '../core/health';
import { verifyProposals } from '../health/verifyProposals';
import { reportDocument, type ReportDocument } from '../core/health/report';
import { healthSettings } from '../core/health/reportSettings';
import { healthRunner } from '../health/runner';
import { HealthPanels } from '../panels/healthPanel';
import type { ExportFormat } from '../shared/healthProtocol';

const panelsByCtx = new WeakMap<Ctx, HealthPanels>();

/** The one set of health panels per activation, shared by the commands and the serializer. */
export function healthPanels(ctx: Ctx): HealthPanels {
  let panels = panelsByCtx.get(ctx);
  if (!panels) {
    panels = new HealthPanels({ extensionUri: ctx.extension.extensionUri, log: ctx.log, notify: ctx.notify, rerun: () => runHealthReport(ctx) });
    panelsByCtx.set(ctx, panels);
    ctx.extension.subscriptions.push(panels);
  }
  return panels;
}

export async function runHealthReport(ctx: Ctx): Promise<ReportDocument | undefined> {
  const raw = vscode.workspace.getConfiguration('pgInsight.health');
  const settings = healthSettings({ thresholds: raw.get('thresholds'), concurrency: raw.get('concurrency') });
  for (const problem of settings.problems) ctx.log.warn(problem);
  const connection = ctx.connections.activeProfile()?.name ?? 'database';
  const total = ALL_CHECKS.length;

  const doc = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Database health report', cancellable: true },
    async (progress, token) => {
      const abort = new AbortController();
      const onCancel = token.onCancellationRequested(() => abort.abort());
      try {
        progress.report({ message: `0 / ${total} checks` });
        return await ctx.connections.use(async (db) => {
          const info = await db.serverInfo({ signal: abort.signal });
          const report = await runChecks(ALL_CHECKS, healthRunner(db, info.versionNum), {
            concurrency: settings.concurrency,
            thresholds: settings.thresholds,
            signal: abort.signal,
            onProgress: ({ done }) => progress.report({ message: `${done} / ${total} checks`, increment: 100 / total }),
          });
          if (abort.signal.aborted) return undefined;
          // The indexes it proposes, checked against the planner where HypoPG allows it.
          const checked = await verifyProposals(db, report, { signal: abort.signal }).catch((e: unknown) => {
            ctx.log.warn(`Health report: the proposed indexes could not be verified: ${e instanceof Error ? e.message : String(e)}`);
            return { report, method: 'none' as const };
          });
          return abort.signal.aborted ? undefined : reportDocument(checked.report, connection);
        });
      } finally {
        onCancel.dispose();
      }
    },
  );
  if (!doc) {
    ctx.log.info('Health report cancelled.');
    return undefined;
  }
  const c = doc.summary.counts;
  ctx.log.info(`Health report: ${c.critical} critical, ${c.warning} warning, ${c.error} error, ${c.limited} limited, ${c.info} info in ${doc.durationMs} ms.`);
  healthPanels(ctx).show(doc);
  return doc;
}

export function healthReport(ctx: Ctx) {
  return () => runHealthReport(ctx);
}

/** Export Health Report…: asks for the format and the file unless given (tests pass both). */
export function exportHealthReport(ctx: Ctx) {
  return async (format?: ExportFormat, path?: string): Promise<string | undefined> => {
    let chosen = format;
    if (!chosen) {
      const pick = await vscode.window.showQuickPick(
        [
          { label: 'Markdown', description: 'for a pull request, a ticket or a wiki', format: 'markdown' as const },
          { label: 'JSON', description: 'the whole report, for tools', format: 'json' as const },
        ],
        { title: 'Export the health report as' },
      );
      if (!pick) return undefined;
      chosen = pick.format;
    }
    return healthPanels(ctx).exportTo(chosen, path);
  };
}

export function copyHealthSummary(ctx: Ctx) {
  return () => healthPanels(ctx).copySummary();
}

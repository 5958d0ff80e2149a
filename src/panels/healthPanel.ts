/**
 * The health report panel: one webview showing the latest report. The host
 * keeps the document; the page keeps a copy in its state, so after a window
 * reload the serializer shows the same report without querying the server
 * again. "Scope to this workspace" is applied here (the page only shows),
 * and the exports write what the page shows.
 */
import * as vscode from 'vscode';
import type { ReportDocument } from '../core/health/report';
import { currentDocument, scopeDocument } from '../core/health/report';
import { renderJson, renderMarkdown, renderSummary } from '../core/health/reportRender';
import { displayValues } from '../core/text/databaseText';
import type { Log } from '../log';
import type { Notifier } from '../providers/notifications';
import { isHealthWebviewMessage, type ExportFormat, type HealthHostMessage, type HealthWebviewMessage, type HealthWebviewState } from '../shared/healthProtocol';
import { workspaceTables } from '../health/workspaceTables';
import { webviewHtml, webviewOptions } from './html';

export const HEALTH_VIEW_TYPE = 'pgInsight.health';
export const HEALTH_TITLE = 'PG Insight Health Report';
const SHOWN_KEY = 'pgInsight.healthReportShown';

export interface HealthPanelDeps {
  readonly extensionUri: vscode.Uri;
  readonly log: Log;
  readonly notify: Notifier;
  /** Runs the report again (the panel's "Run again" button). */
  rerun(): Promise<unknown>;
}

export class HealthPanels implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private document: ReportDocument | undefined;
  private scoped = false;
  private scopeNote: string | undefined;
  private tables: readonly string[] | undefined;

  constructor(private readonly deps: HealthPanelDeps) {}

  /** The report as shown: scoped when the toggle is on. */
  shown(): ReportDocument | undefined {
    if (!this.document) return undefined;
    return this.scoped && this.tables ? scopeDocument(this.document, this.tables) : this.document;
  }

  show(document: ReportDocument): void {
    this.document = document;
    if (!this.panel) {
      const panel = vscode.window.createWebviewPanel(HEALTH_VIEW_TYPE, 'Health Report', vscode.ViewColumn.Active, webviewOptions(this.deps.extensionUri));
      this.adopt(panel);
    } else {
      this.panel.reveal();
      this.post();
    }
  }

  /** Restores a panel after a reload from the page's saved state. */
  serializer(): vscode.WebviewPanelSerializer<HealthWebviewState> {
    return {
      deserializeWebviewPanel: async (panel, state) => {
        if (state?.document) {
          // A page saved by an earlier version keeps its results; its counts gain what this version counts.
          this.document = currentDocument(state.document);
          this.scoped = state.scoped === true;
          if (this.scoped) await this.loadTables();
        }
        this.adopt(panel);
      },
    };
  }

  async setScoped(scoped: boolean): Promise<void> {
    this.scoped = scoped;
    if (scoped) await this.loadTables();
    this.post();
  }

  async exportTo(format: ExportFormat, path?: string): Promise<string | undefined> {
    const doc = this.shown();
    if (!doc) throw new Error('There is no health report to export: run "Database Health Report" first.');
    let target: vscode.Uri | undefined;
    if (path) {
      target = vscode.Uri.file(path);
    } else {
      const stamp = doc.generatedAt.slice(0, 16).replace(/[-:]/g, '').replace('T', '-');
      const name = `health-${(doc.target.database ?? 'report').replace(/[^\w.-]+/g, '_')}-${stamp}.${format === 'json' ? 'json' : 'md'}`;
      const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
      target = await vscode.window.showSaveDialog({
        defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined,
        filters: format === 'json' ? { JSON: ['json'] } : { Markdown: ['md'] },
        saveLabel: 'Export',
      });
      if (!target) return undefined;
    }
    const text = format === 'json' ? renderJson(doc) : renderMarkdown(doc);
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(text));
    this.deps.log.info(`Health report exported to ${target.fsPath}.`);
    return target.fsPath;
  }

  async copySummary(): Promise<string> {
    const doc = this.shown();
    if (!doc) throw new Error('There is no health report to copy: run "Database Health Report" first.');
    const text = renderSummary(doc);
    await vscode.env.clipboard.writeText(text);
    void vscode.window.setStatusBarMessage('Health report summary copied.', 3000);
    return text;
  }

  dispose(): void {
    this.panel?.dispose();
  }

  private adopt(panel: vscode.WebviewPanel): void {
    this.panel = panel;
    panel.webview.options = webviewOptions(this.deps.extensionUri);
    panel.iconPath = vscode.Uri.joinPath(this.deps.extensionUri, 'media', 'icon.png');
    panel.title = this.document?.target.database ? `Health: ${this.document.target.database}` : 'Health Report';
    const disposables: vscode.Disposable[] = [
      panel.webview.onDidReceiveMessage((m: unknown) => this.receive(m)),
      panel.onDidDispose(() => {
        for (const d of disposables.splice(0)) d.dispose();
        if (this.panel !== panel) return;
        this.panel = undefined;
        void vscode.commands.executeCommand('setContext', SHOWN_KEY, false);
      }),
    ];
    panel.webview.html = webviewHtml(panel.webview, this.deps.extensionUri, { bundle: 'health', title: HEALTH_TITLE });
    void vscode.commands.executeCommand('setContext', SHOWN_KEY, true);
  }

  private async loadTables(): Promise<void> {
    try {
      const found = await workspaceTables();
      this.tables = found.tables;
      this.scopeNote = found.tables.length === 0
        ? 'No table names were found in SQL files or SQL strings of this workspace: nothing table-level is shown.'
        : `${found.tables.length} tables named in ${found.files} files of this workspace (SQL files and SQL strings in code).`;
    } catch (e) {
      this.tables = [];
      this.scopeNote = `The workspace could not be scanned: ${e instanceof Error ? e.message : String(e)}`;
      this.deps.log.warn(this.scopeNote);
    }
  }

  private post(): void {
    const doc = this.shown();
    if (!this.panel || !doc || !this.document) return;
    this.panel.title = doc.target.database ? `Health: ${doc.target.database}` : 'Health Report';
    const message: HealthHostMessage = { type: 'show', document: doc, scoped: this.scoped, scopeNote: this.scoped ? this.scopeNote : undefined,
      state: { document: this.document, scoped: this.scoped } };
    // The document's rows were cleaned as they arrived; a document restored from an older state may not have been.
    void this.panel.webview.postMessage(displayValues(message));
  }

  private receive(m: unknown): void {
    if (!isHealthWebviewMessage(m)) return;
    void this.handle(m).catch((e: unknown) => {
      const message = e instanceof Error ? e.message : String(e);
      this.deps.log.error(`Health report: ${message}`);
      void this.deps.notify.error(message);
    });
  }

  private async handle(m: HealthWebviewMessage): Promise<void> {
    switch (m.type) {
      case 'ready':
        this.post();
        return;
      case 'copy':
        await vscode.env.clipboard.writeText(m.text);
        void vscode.window.setStatusBarMessage(`Copied ${m.what}.`, 3000);
        return;
      case 'copySummary':
        await this.copySummary();
        return;
      case 'export':
        await this.exportTo(m.format);
        return;
      case 'scope':
        await this.setScoped(m.scoped);
        return;
      case 'rerun':
        await this.deps.rerun();
        return;
      case 'openDocs': {
        // The pages ship with the sources (docs/checks), not inside the packaged extension.
        const uri = vscode.Uri.joinPath(this.deps.extensionUri, 'docs', 'checks', `${m.checkId}.md`);
        try {
          await vscode.workspace.fs.stat(uri);
        } catch {
          void vscode.window.showInformationMessage(`The "${m.checkId}" check is documented in docs/checks/${m.checkId}.md of the PG Insight sources.`);
          return;
        }
        await vscode.commands.executeCommand('markdown.showPreview', uri);
        return;
      }
    }
  }
}

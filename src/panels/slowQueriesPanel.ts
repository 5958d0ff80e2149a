/**
 * The slow queries panel: one webview with pg_stat_statements over a chosen
 * window and the live activity tab. The host reads the server (through the
 * active connection's safe runner), keeps the snapshots and sends the page
 * finished figures; the page sorts, filters and draws.
 *
 * Snapshots are taken when the page loads, on Refresh, and every
 * `pgInsight.slowQueries.refreshSeconds` while the panel is visible: a
 * hidden panel costs the server nothing.
 */
import * as vscode from 'vscode';
import type { Ctx } from '../context';
import { asDbError } from '../connections/manager';
import { diagnoseStatements, readActivity, readSnapshot, type StatementsDiagnosis } from '../db/stats';
import type { StatsScope } from '../core/stats';
import {
  DEFAULT_SLOW_QUERIES_UI, isSlowQueriesMessage, slowQueriesUiOf,
  type SlowQueriesHostMessage, type SlowQueriesUi, type SlowQueriesWebviewMessage, type StatementsView, type UnavailableView,
} from '../shared/slowQueriesProtocol';
import { displayValues } from '../core/text/databaseText';
import { webviewHtml, webviewOptions } from './html';
import { copyQuery, EXPLAIN_COMMAND, explainQuery, FIND_IN_CODE_COMMAND, exportRows, findInCode, resetStatistics, rowByKey, signal, type ExportFormat } from './slowQueriesActions';
import { readSettings, SnapshotHistories, statementsView, statsOf, type SlowQueriesSettings } from './slowQueriesData';

export const SLOW_QUERIES_VIEW_TYPE = 'pgInsight.slowQueries';
const TITLE = 'PG Insight Slow Queries';

export class SlowQueriesPanel implements vscode.Disposable {
  private ui: SlowQueriesUi;
  private diagnosis: StatementsDiagnosis | undefined;
  private lastStatements: StatementsView | undefined;
  private lastMessage: SlowQueriesHostMessage | undefined;
  private refreshing: Promise<void> | undefined;
  private timer: ReturnType<typeof setInterval> | undefined;
  private activityWanted = false;
  /** A statement to show once the page has it (the statement CodeLens opens the panel at its row). */
  private focusKey: string | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly ctx: Ctx,
    private readonly histories: SnapshotHistories,
    ui: SlowQueriesUi,
    onDispose: () => void,
  ) {
    this.ui = ui;
    const uri = ctx.extension.extensionUri;
    panel.webview.options = webviewOptions(uri);
    panel.iconPath = vscode.Uri.joinPath(uri, 'media', 'icon.png');
    panel.title = 'Slow Queries';
    this.disposables.push(
      panel.webview.onDidReceiveMessage((m: unknown) => this.receive(m)),
      panel.onDidChangeViewState(() => this.schedule()),
      ctx.connections.onDidChangeState((state) => {
        if (state.kind === 'connected' || state.kind === 'disconnected') {
          this.diagnosis = undefined;
          if (panel.visible) void this.refresh();
        }
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('pgInsight.slowQueries') || e.affectsConfiguration('pgInsight.activity')) {
          this.schedule();
          this.repost();
        }
      }),
      panel.onDidDispose(() => {
        onDispose();
        this.dispose();
      }),
    );
    panel.webview.html = webviewHtml(panel.webview, uri, { bundle: 'slow-queries', title: TITLE });
  }

  /** The last statements view sent to the page (for tests). */
  get statements(): StatementsView | undefined {
    return this.lastStatements;
  }

  /** False when the last read found pg_stat_statements unusable; undefined before the first read. */
  get statementsAvailable(): boolean | undefined {
    return this.diagnosis ? this.diagnosis.source !== null : undefined;
  }

  /** Brings the panel forward at a statement's row, now or as soon as the page has it. */
  focusStatement(key: string): void {
    // A hidden page is recreated when shown (its context is not retained): it gets the focus after its 'ready'.
    const visible = this.panel.visible;
    this.focusKey = key;
    this.panel.reveal();
    if (visible) this.postFocus();
  }

  private postFocus(): void {
    const key = this.focusKey;
    if (!key || !rowByKey(this.lastStatements, key)) return;
    this.focusKey = undefined;
    this.post({ type: 'focus', key });
  }

  get uiState(): SlowQueriesUi {
    return this.ui;
  }

  private get settings(): SlowQueriesSettings {
    return readSettings((s) => vscode.workspace.getConfiguration(s));
  }

  private get scope(): StatsScope {
    return this.ui.allDatabases ? 'all' : 'database';
  }

  reveal(): void {
    this.panel.reveal();
  }

  /** Takes a snapshot and sends the new figures; concurrent calls share one read. */
  refresh(): Promise<void> {
    this.refreshing ??= this.doRefresh().finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  /** Reads the live activity tab's sessions. */
  async loadActivity(): Promise<void> {
    this.activityWanted = true;
    const longRunningMs = this.settings.longRunningMs;
    try {
      const sessions = await this.ctx.connections.use((db) => readActivity(db, { longRunningMs }));
      this.post({ type: 'activity', view: { sessions, longRunningMs, takenAt: Date.now() } });
    } catch (e) {
      this.post({ type: 'activityProblem', message: asDbError(e).message });
    }
  }

  /** Writes the rows (all of the window's, or those keys in that order) to `target`, or asks where. */
  async exportTo(format: ExportFormat, target?: vscode.Uri, keys?: readonly string[]): Promise<vscode.Uri | undefined> {
    const store = this.currentStore();
    const stats = store ? statsOf(store, this.ui.window, this.settings.thresholds) : null;
    if (!stats) {
      void vscode.window.showInformationMessage('There are no statements to export yet: refresh the panel first.');
      return undefined;
    }
    return exportRows(stats, format, keys, target);
  }

  dispose(): void {
    this.stopTimer();
    for (const d of this.disposables.splice(0)) d.dispose();
  }

  private currentStore() {
    const profile = this.ctx.connections.activeProfile();
    return profile ? this.histories.store(profile.id, this.scope) : undefined;
  }

  private async doRefresh(): Promise<void> {
    const profile = this.ctx.connections.activeProfile();
    if (!profile || this.ctx.connections.state.kind !== 'connected') {
      const state = this.ctx.connections.state;
      const message = state.kind === 'error' ? state.error.message : state.kind === 'connecting' ? 'Connecting…' : 'No database connection: select one to see its slow queries.';
      this.post({ type: 'problem', message, canSelectConnection: state.kind !== 'connecting' });
      return;
    }
    this.post({ type: 'busy', busy: true });
    try {
      const scope = this.scope;
      const diagnosis = await this.ctx.connections.use((db) => diagnoseStatements(db));
      this.diagnosis = diagnosis;
      const source = diagnosis.source;
      if (!source) {
        this.post({ type: 'unavailable', view: unavailableOf(diagnosis) });
        return;
      }
      const snapshot = await this.ctx.connections.use((db) => readSnapshot(db, source, scope));
      await this.histories.add(profile.id, snapshot);
      await this.repostStatements();
    } catch (e) {
      const error = asDbError(e);
      this.ctx.log.error(`Slow queries: ${error.message}`);
      this.post({ type: 'problem', message: error.message, canSelectConnection: error.kind === 'connection-lost' });
    } finally {
      this.post({ type: 'busy', busy: false });
    }
    if (this.activityWanted) await this.loadActivity();
  }

  /** Sends the window's figures from the snapshots already taken (no read). */
  private async repostStatements(): Promise<void> {
    const store = this.currentStore();
    const diagnosis = this.diagnosis;
    if (!store || !diagnosis?.source) return;
    const commands = await vscode.commands.getCommands(true);
    const view = statementsView(store, {
      window: this.ui.window,
      settings: this.settings,
      allDatabases: this.ui.allDatabases,
      database: diagnosis.availability.facts.database,
      canExplain: commands.includes(EXPLAIN_COMMAND),
      canFindInCode: commands.includes(FIND_IN_CODE_COMMAND),
      notice: diagnosis.availability.status === 'limited' ? unavailableOf(diagnosis) : null,
    });
    if (!view) return;
    this.lastStatements = view;
    this.post({ type: 'statements', view });
    this.postFocus();
  }

  private repost(): void {
    void this.repostStatements();
  }

  /** Auto-refresh runs only while the panel is visible. */
  private schedule(): void {
    this.stopTimer();
    const seconds = this.settings.refreshSeconds;
    if (!this.panel.visible || seconds <= 0) return;
    this.timer = setInterval(() => void this.refresh(), seconds * 1000);
  }

  private stopTimer(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  private post(message: SlowQueriesHostMessage): void {
    if (message.type !== 'busy' && message.type !== 'activity' && message.type !== 'activityProblem' && message.type !== 'focus') this.lastMessage = message;
    // The page shows statements and names with credentials redacted and bidi controls spelled
    // out; the host keeps the texts as read, for Explain, Find in Code and Copy.
    void this.panel.webview.postMessage(displayValues(message));
  }

  private async receive(raw: unknown): Promise<void> {
    if (!isSlowQueriesMessage(raw)) return;
    try {
      await this.handle(raw);
    } catch (e) {
      const message = asDbError(e).message;
      this.ctx.log.error(`Slow queries: ${message}`);
      void this.ctx.notify.error(message);
    }
  }

  private async handle(m: SlowQueriesWebviewMessage): Promise<void> {
    switch (m.type) {
      case 'ready': {
        // Also after the page was recreated (hidden and shown again): it says how it was left.
        this.ui = slowQueriesUiOf({ ui: m.ui });
        this.schedule();
        if (this.lastMessage) this.post(this.lastMessage);
        this.postFocus();
        await this.refresh();
        return;
      }
      case 'refresh':
        await this.refresh();
        return;
      case 'window':
        this.ui = { ...this.ui, window: m.window };
        await this.repostStatements();
        return;
      case 'scope':
        this.ui = { ...this.ui, allDatabases: m.allDatabases };
        await this.refresh();
        return;
      case 'reset':
        await this.reset();
        return;
      case 'export':
        await this.exportTo(m.format, undefined, m.keys);
        return;
      case 'copy':
      case 'explain':
      case 'findInCode': {
        const row = rowByKey(this.lastStatements, m.key);
        if (!row) return;
        if (m.type === 'copy') await copyQuery(row.query);
        else if (m.type === 'explain') await explainQuery(row.query);
        else await findInCode(row.query);
        return;
      }
      case 'copyText':
        await vscode.env.clipboard.writeText(m.text);
        void vscode.window.setStatusBarMessage('Copied to the clipboard.', 3000);
        return;
      case 'activity':
        await this.loadActivity();
        return;
      case 'signal': {
        const done = await signal(this.ctx, m.action, m.pid);
        if (done) await this.loadActivity();
        return;
      }
      case 'selectConnection':
        await vscode.commands.executeCommand('pgInsight.selectConnection');
        return;
    }
  }

  private async reset(): Promise<void> {
    const profile = this.ctx.connections.activeProfile();
    const source = this.diagnosis?.source;
    if (!profile || !source || !this.diagnosis) return;
    const done = await resetStatistics(this.ctx, source, this.diagnosis.availability.facts.user);
    if (!done) return;
    await this.histories.clear(profile.id);
    await this.refresh();
  }
}

function unavailableOf(d: StatementsDiagnosis): UnavailableView {
  return { title: d.availability.title, message: d.availability.message, fix: d.availability.fix };
}

/** The one slow queries panel, its serializer, and the histories it keeps. */
export class SlowQueriesPanels implements vscode.Disposable {
  private current: SlowQueriesPanel | undefined;
  /** Every connection's snapshots, also read by the statement CodeLens. */
  readonly histories: SnapshotHistories;

  constructor(private readonly ctx: Ctx) {
    this.histories = new SnapshotHistories(ctx.extension.workspaceState);
  }

  /** The open panel brought to the front, or a new one. */
  show(): SlowQueriesPanel {
    if (this.current) {
      this.current.reveal();
      return this.current;
    }
    const panel = vscode.window.createWebviewPanel(SLOW_QUERIES_VIEW_TYPE, 'Slow Queries', vscode.ViewColumn.Active, webviewOptions(this.ctx.extension.extensionUri));
    return this.adopt(panel, { ...DEFAULT_SLOW_QUERIES_UI, allDatabases: readSettings((s) => vscode.workspace.getConfiguration(s)).allDatabases });
  }

  get panel(): SlowQueriesPanel | undefined {
    return this.current;
  }

  /** Revives the panel after a window reload, as the page left it. */
  serializer(): vscode.WebviewPanelSerializer {
    return {
      deserializeWebviewPanel: (panel: vscode.WebviewPanel, state: unknown) => {
        this.current?.panel.dispose();
        this.adopt(panel, slowQueriesUiOf(state));
        return Promise.resolve();
      },
    };
  }

  dispose(): void {
    this.current?.panel.dispose();
    this.current = undefined;
  }

  private adopt(panel: vscode.WebviewPanel, ui: SlowQueriesUi): SlowQueriesPanel {
    const p = new SlowQueriesPanel(panel, this.ctx, this.histories, ui, () => {
      if (this.current === p) this.current = undefined;
    });
    this.current = p;
    return p;
  }
}

/**
 * The Slow Queries view in the PG Insight side bar: the statements of the
 * connected database that took the most time since its statistics were
 * reset, heaviest first, each with its calls, mean and share of the time,
 * coloured by the same thresholds as the panel. A click opens the panel at
 * that row; the context menu explains it, finds it in the code or copies it.
 *
 * It reads the same snapshot history as the panel (and the CodeLens): a
 * snapshot is taken when the view becomes visible while connected, on
 * Refresh, and whenever the panel takes one. Nothing is read while the view
 * is hidden.
 */
import * as vscode from 'vscode';
import type { Ctx } from '../context';
import { asDbError } from '../connections/manager';
import type { QueryStat } from '../core/stats';
import { showBidiControls } from '../core/text/bidi';
import { markdownCodeBlock } from '../core/text/markdown';
import { duration, lensTitle } from '../core/sqlmatch/lensTitle';
import type { SlowQueriesPanels } from '../panels/slowQueriesPanel';
import { readSettings, statsOf } from '../panels/slowQueriesData';
import { explainQuery, findInCode } from '../panels/slowQueriesActions';
import { REVEAL_STATEMENT } from './statementLens';
import { takeStatementSnapshot } from './statementSnapshots';

export const SLOW_QUERIES_VIEW_ID = 'pgInsight.slowQueriesView';
/** How many statements the side bar lists; the panel has them all. */
const TOP = 20;
const LABEL_CHARS = 90;
const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** One statement; `key` and `query` are what the context menu's commands receive. */
export class StatementNode extends vscode.TreeItem {
  constructor(
    readonly key: string,
    readonly query: string,
    row: QueryStat,
  ) {
    // Shown with bidi controls spelled out; `query` itself stays as read, for the commands.
    const shown = showBidiControls(query);
    const oneLine = shown.replace(/\s+/g, ' ').trim();
    // The side bar is narrow: the figures lead, the statement follows. The list is ordered by total
    // time, so the total comes first; the mean (what the colour judges) and the calls make it up.
    const calls = `${integer.format(row.calls)} ${row.calls === 1 ? 'call' : 'calls'}`;
    super(row.calls > 0 ? `${duration(row.totalMs)} · ${duration(row.totalMs / row.calls)} × ${integer.format(row.calls)}` : calls, vscode.TreeItemCollapsibleState.None);
    this.id = key;
    this.description = oneLine.length > LABEL_CHARS ? `${oneLine.slice(0, LABEL_CHARS - 1)}…` : oneLine;
    const hot = row.band === 'emergency' || row.band === 'critical';
    this.iconPath = hot
      ? new vscode.ThemeIcon('flame', new vscode.ThemeColor('errorForeground'))
      : row.band === 'warning'
        ? new vscode.ThemeIcon('warning', new vscode.ThemeColor('editorWarning.foreground'))
        : new vscode.ThemeIcon('pulse');
    const tooltip = new vscode.MarkdownString(undefined, false);
    // Statement texts come from the database: a code block (fenced longer than any backtick run) shows them as text.
    tooltip.appendMarkdown(markdownCodeBlock(shown));
    tooltip.appendText(`\n${lensTitle(row, false)}${row.band !== 'none' && row.band !== 'ok' ? ` (${row.band})` : ''}`);
    this.tooltip = tooltip;
    this.accessibilityInformation = { label: `${oneLine.slice(0, 200)}, ${lensTitle(row, false)}` };
    this.contextValue = 'statement';
    this.command = { command: REVEAL_STATEMENT, title: 'Open in the slow queries panel', arguments: [key] };
  }
}

/** A line that says why there is nothing to list, with the way out as its click. */
class NoticeNode extends vscode.TreeItem {
  constructor(message: string, icon: string, command?: vscode.Command) {
    super(message, vscode.TreeItemCollapsibleState.None);
    this.iconPath = new vscode.ThemeIcon(icon);
    this.tooltip = message;
    this.command = command;
    this.contextValue = 'notice';
  }
}

type Node = StatementNode | NoticeNode;

export class SlowQueriesView implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly view: vscode.TreeView<Node>;
  private readonly subscriptions: vscode.Disposable[];
  private problem: NoticeNode | undefined;
  private reading: Promise<void> | undefined;

  constructor(
    private readonly ctx: Ctx,
    private readonly panels: SlowQueriesPanels,
  ) {
    this.view = vscode.window.createTreeView(SLOW_QUERIES_VIEW_ID, { treeDataProvider: this });
    const redraw = () => this.changed.fire();
    this.subscriptions = [
      this.view,
      this.changed,
      panels.histories.onDidChange(redraw),
      this.view.onDidChangeVisibility((e) => {
        if (e.visible) void this.refresh();
      }),
      ctx.connections.onDidChangeState((state) => {
        this.problem = undefined;
        if (state.kind === 'connected' && this.view.visible) void this.refresh();
        else redraw();
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('pgInsight.slowQueries')) redraw();
      }),
    ];
  }

  /** Takes a snapshot of pg_stat_statements (one at a time); the tree redraws from the history. */
  refresh(): Promise<void> {
    this.reading ??= this.read().finally(() => {
      this.reading = undefined;
    });
    return this.reading;
  }

  private async read(): Promise<void> {
    if (this.ctx.connections.state.kind !== 'connected') return;
    await vscode.window.withProgress({ location: { viewId: SLOW_QUERIES_VIEW_ID } }, async () => {
      try {
        // The history's change event redraws the tree; one redraw only, since every redraw
        // replaces the rows' click commands and a click on a row being replaced is lost.
        const outcome = await takeStatementSnapshot(this.ctx, this.panels);
        this.problem = outcome.kind === 'unavailable' ? new NoticeNode(outcome.message, 'warning', { command: 'pgInsight.showSlowQueries', title: 'Show how to fix it' }) : undefined;
        if (outcome.kind === 'unavailable') this.changed.fire();
      } catch (e) {
        const error = asDbError(e);
        this.ctx.log.error(`Slow queries view: ${error.message}`);
        this.problem = new NoticeNode(error.message, 'error');
        this.changed.fire();
      }
    });
  }

  getTreeItem(node: Node): vscode.TreeItem {
    return node;
  }

  getChildren(node?: Node): Node[] {
    if (node) return [];
    // Not connected: the view's welcome content says so and offers a connection.
    if (this.ctx.connections.state.kind !== 'connected') return [];
    if (this.problem) return [this.problem];
    const profile = this.ctx.connections.activeProfile();
    if (!profile) return [];
    const settings = readSettings((s) => vscode.workspace.getConfiguration(s));
    const store = this.panels.histories.store(profile.id, settings.allDatabases ? 'all' : 'database');
    const latest = store.latest;
    if (!latest) return [new NoticeNode('Reading pg_stat_statements…', 'loading~spin')];
    const rows = (statsOf(store, 'reset', settings.thresholds)?.rows ?? [])
      .filter((r) => !r.own && !r.hidden && r.calls > 0)
      .sort((a, b) => b.totalMs - a.totalMs)
      .slice(0, TOP);
    if (rows.length === 0) return [new NoticeNode('No statement has run since the statistics were reset.', 'info')];
    return rows.map((r) => new StatementNode(r.key, r.query, r));
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }
}

/** The statement a context menu command of this view got. */
export function statementOf(arg: unknown): StatementNode | undefined {
  return arg instanceof StatementNode ? arg : undefined;
}

/** The view and the commands of its title bar and context menu (hidden from the palette). */
export function registerSlowQueriesView(ctx: Ctx, panels: SlowQueriesPanels): vscode.Disposable {
  const view = new SlowQueriesView(ctx, panels);
  const withStatement = (fn: (node: StatementNode) => Promise<unknown> | Thenable<unknown>) => (arg: unknown) => {
    const node = statementOf(arg);
    return node ? fn(node) : undefined;
  };
  return vscode.Disposable.from(
    view,
    vscode.commands.registerCommand('pgInsight.slowQueriesView.refresh', () => view.refresh()),
    vscode.commands.registerCommand('pgInsight.slowQueriesView.explain', withStatement((n) => explainQuery(n.query))),
    vscode.commands.registerCommand('pgInsight.slowQueriesView.findInCode', withStatement((n) => findInCode(n.query))),
    vscode.commands.registerCommand('pgInsight.slowQueriesView.copy', withStatement(async (n) => {
      await vscode.env.clipboard.writeText(n.query);
      void vscode.window.setStatusBarMessage('Statement copied', 3000);
    })),
  );
}

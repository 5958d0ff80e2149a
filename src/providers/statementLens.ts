/**
 * Figures from pg_stat_statements above the code that issues each
 * statement: "12,340 calls · mean 23.1 ms · 9 % of DB time", from the
 * newest snapshot of the connected database (counted since the statistics
 * were reset), refreshed when a snapshot is taken or the file is checked.
 * Clicking opens the slow queries panel at that statement's row. A match
 * by predicted ORM shape starts with "≈".
 *
 * The search runs in the analysis worker over the document's own summary,
 * so a lens costs the host one message per document.
 */
import * as vscode from 'vscode';
import type { Ctx } from '../context';
import { windowStats, type QueryStat } from '../core/stats';
import { lensTitle, sumFigures } from '../core/sqlmatch/lensTitle';
import type { CodeSite } from '../diagnostics/protocol';
import type { SlowQueriesPanels } from '../panels/slowQueriesPanel';
import type { DiagnosticsProvider } from './diagnostics';
import { rangeOf } from './statementSites';
import { takeStatementSnapshot } from './statementSnapshots';
import { readSettings } from '../panels/slowQueriesData';
import { asDbError } from '../connections/manager';

export const REVEAL_STATEMENT = 'pgInsight.slowQueries.revealStatement';

export class StatementLenses implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(
    private readonly ctx: Ctx,
    private readonly provider: DiagnosticsProvider,
    private readonly panels: SlowQueriesPanels,
  ) {}

  refresh(): void {
    this.changed.fire();
  }

  forgetSnapshotTries(): void {
    this.lastTry.clear();
  }

  /** When the lenses last read the statistics themselves, by connection. */
  private readonly lastTry = new Map<string, number>();

  /**
   * The lenses read the statistics themselves when the history has none of
   * the connected database, or only one older than the panel's refresh
   * interval (`pgInsight.slowQueries.refreshSeconds`): a code file in view
   * is reason enough, and the figures follow the workload as the panel's do.
   * At most one read per interval; the history's change event redraws them.
   */
  private snapshotIfStale(): void {
    const profile = this.ctx.connections.activeProfile();
    if (!profile || this.ctx.connections.state.kind !== 'connected') return;
    const intervalMs = readSettings((s) => vscode.workspace.getConfiguration(s)).refreshSeconds * 1000;
    const now = Date.now();
    const newest = Math.max(0, ...(['database', 'all'] as const).map((scope) => this.panels.histories.store(profile.id, scope).latest?.takenAt ?? 0));
    const stale = newest === 0 || (intervalMs > 0 && now - newest >= intervalMs);
    if (!stale || now - (this.lastTry.get(profile.id) ?? 0) < Math.max(intervalMs, 5_000)) return;
    this.lastTry.set(profile.id, now);
    takeStatementSnapshot(this.ctx, this.panels).then(
      (outcome) => {
        if (outcome.kind === 'unavailable') this.ctx.log.info(`Statement CodeLens: ${outcome.message}`);
      },
      (e: unknown) => this.ctx.log.warn(`Statement CodeLens: could not read pg_stat_statements: ${asDbError(e).message}`),
    );
  }

  dispose(): void {
    this.changed.dispose();
  }

  async provideCodeLenses(document: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    if (!this.ctx.config(document.uri).slowQueriesCodeLens) return [];
    const facts = this.provider.factsOf(document.uri);
    // A summary of an older text would put the lenses on the wrong lines.
    if (!facts || facts.lineStarts.length !== document.lineCount) return [];
    this.snapshotIfStale();
    const rows = this.currentRows();
    if (rows.length === 0) return [];
    const path = this.provider.pathOf(document.uri);
    const result = await this.provider.analysis.sites(rows.map((r) => ({ key: r.key, text: r.query })), [path]);
    const byKey = new Map(rows.map((r) => [r.key, r]));
    const bySite = new Map<number, { site: CodeSite; rows: QueryStat[] }>();
    for (const [key, sites] of Object.entries(result.sites)) {
      const row = byKey.get(key);
      if (!row) continue;
      for (const site of sites) {
        if (site.lineCount !== document.lineCount) continue;
        const entry = bySite.get(site.start) ?? { site, rows: [] };
        entry.rows.push(row);
        bySite.set(site.start, entry);
      }
    }
    return [...bySite.values()].sort((a, b) => a.site.start - b.site.start).map(({ site, rows: matched }) => {
      const heaviest = [...matched].sort((a, b) => b.totalMs - a.totalMs)[0];
      const likely = site.confidence === 'likely';
      const start = rangeOf(site).start;
      return new vscode.CodeLens(new vscode.Range(start, start), {
        title: lensTitle(sumFigures(matched), likely),
        tooltip: `${likely ? 'Likely: this ORM call has the shape of the statement. ' : ''}pg_stat_statements since the statistics were reset${matched.length > 1 ? `, ${matched.length} entries` : ''}. Click to open the slow queries panel at it.`,
        command: REVEAL_STATEMENT,
        arguments: [heaviest?.key],
      });
    });
  }

  /**
   * The statements of the newest snapshot of the connected database: none
   * when not connected, or when the panel found pg_stat_statements unusable.
   */
  private currentRows(): QueryStat[] {
    const profile = this.ctx.connections.activeProfile();
    if (!profile || this.ctx.connections.state.kind !== 'connected') return [];
    if (this.panels.panel?.statementsAvailable === false) return [];
    const stores = (['database', 'all'] as const).map((scope) => this.panels.histories.store(profile.id, scope));
    const store = stores.filter((s) => s.latest).sort((a, b) => (b.latest?.takenAt ?? 0) - (a.latest?.takenAt ?? 0))[0];
    const latest = store?.latest;
    if (!store || !latest) return [];
    const stats = windowStats(store.snapshots, 'reset');
    return (stats?.rows ?? []).filter((r) => !r.own && !r.hidden && r.calls > 0 && r.dbid === latest.dbid);
  }
}

export function registerStatementLens(ctx: Ctx, provider: DiagnosticsProvider, panels: SlowQueriesPanels): vscode.Disposable {
  const lenses = new StatementLenses(ctx, provider, panels);
  return vscode.Disposable.from(
    lenses,
    provider.onDidCheck(() => lenses.refresh()),
    panels.histories.onDidChange(() => lenses.refresh()),
    ctx.connections.onDidChangeState((state) => {
      // A new connection (or the same one again) may have statistics now: the lenses may read them once more.
      if (state.kind !== 'connected') lenses.forgetSnapshotTries();
      lenses.refresh();
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('pgInsight.slowQueries.codeLens')) lenses.refresh();
    }),
    vscode.languages.registerCodeLensProvider([{ scheme: 'file' }, { scheme: 'untitled' }], lenses),
    vscode.commands.registerCommand(REVEAL_STATEMENT, (key: unknown) => {
      const panel = panels.show();
      if (typeof key === 'string') panel.focusStatement(key);
      return panel;
    }),
  );
}

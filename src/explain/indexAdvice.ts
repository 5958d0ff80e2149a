/**
 * Index advice after an EXPLAIN: candidate indexes for the statement (from
 * the live schema, and from the plan's tips: a foreign key's lookups),
 * verified against the planner before the plan view shows them, and the actions on a verified candidate (copy is the page's own;
 * a new migration file; create it on this database now, then explain again
 * and compare).
 *
 * HypoPG verification builds nothing, so it runs right after the plan. A
 * trial build (no HypoPG) locks writes to the table while it runs, so it
 * waits for the user's go-ahead from the view ("Verify…"), confirmed in a
 * modal dialog; with `pgInsight.explain.confirmWrites` off, as for writing
 * statements, it runs at once.
 */
import * as vscode from 'vscode';
import type { Ctx } from '../context';
import { asDbError } from '../connections/manager';
import { adviceCandidates } from '../core/advice/planCandidates';
import type { IndexCandidate } from '../core/advice/statementCandidates';
import { formatBytes } from '../core/plan/format';
import { showBidiControls } from '../core/text/bidi';
import { readSchema } from '../db/catalog';
import { createIndexNow, verifyCandidates, type TableSize } from '../db/indexVerify';
import { DbError } from '../db/types';
import { migrationFolder, newMigration } from '../providers/migrationFiles';
import type { IndexAdviceHost, PlanPanel, PlanPanels } from '../panels/planPanel';
import type { IndexAdviceRequest, IndexAdviceView } from '../shared/protocol';
import type { PlanAnalyses } from './analyses';
import type { PlanHistory, PlanRecord } from './history';
import { adviceView, pendingView, type StatisticsOutcome } from './indexAdviceView';
import { statisticsDdl } from '../core/advice/statistics';
import type { Tip } from '../core/plan';
import { verifyStatistics } from '../db/statisticsVerify';

/** What the advice needs from the explain feature. */
export interface AdviceSite {
  readonly history: PlanHistory;
  /** The plan's analysis (its tips name indexes the statement's text does not show, such as a foreign key's). */
  readonly analyses: PlanAnalyses;
  readonly panels: PlanPanels;
  rerun(record: PlanRecord): Promise<PlanRecord | undefined>;
}

interface Entry {
  view: IndexAdviceView;
  candidates: readonly IndexCandidate[];
  statistics: readonly StatisticsOutcome[];
}

const VERIFY = 'Build, Measure and Roll Back';
const CREATE = 'Create Index';
/** Advice is kept for this many plans (memory only: it is recomputed after a reload when asked). */
const KEEP = 50;

export class IndexAdvice implements IndexAdviceHost {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly ctx: Ctx,
    private readonly site: AdviceSite,
  ) {}

  /** Starts the advice for a new plan (before its panel shows it: the page then starts with "working"); the result follows. */
  afterExplain(record: PlanRecord): void {
    void this.verify(record, false);
  }

  /**
   * The advice of a plan; for a plan explained before this session (the
   * view restored after a reload), an offer to find and verify candidates.
   */
  view(recordId: string): IndexAdviceView | undefined {
    const entry = this.entries.get(recordId);
    if (entry) return entry.view;
    if (!this.site.history.get(recordId)) return undefined;
    return pendingView(recordId, 'confirm', 'No index advice yet for this plan: Verify looks for candidate indexes and checks each against the planner.');
  }

  async onRequest(request: IndexAdviceRequest, _panel: PlanPanel): Promise<void> {
    const record = this.site.history.get(request.recordId);
    if (!record) return;
    try {
      switch (request.type) {
        case 'indexAdvice.verify':
          return await this.verify(record, true);
        case 'indexAdvice.migration':
          return await this.addMigration(record, request.name);
        case 'indexAdvice.create':
          return await this.createNow(record, request.name);
      }
    } catch (e) {
      const error = asDbError(e);
      this.ctx.log.error(`Index advice "${request.type}" failed: ${error.message}`);
      void this.ctx.notify.error(error.message);
    }
  }

  private async verify(record: PlanRecord, userAsked: boolean): Promise<void> {
    const profile = this.ctx.connections.activeProfile();
    // The advice belongs to the database the plan came from.
    if (!profile || profile.name !== record.connection) {
      this.set(record.id, pendingView(record.id, 'done', `Index advice needs the connection this plan came from ("${record.connection}"); connect to it and explain again.`), []);
      return;
    }
    this.set(record.id, pendingView(record.id, 'working', 'Looking for candidate indexes and verifying them…'), []);
    let waiting: readonly TableSize[] | undefined;
    try {
      const schema = await this.ctx.connections.use((db) => readSchema(db));
      // The plan's tips name indexes the text cannot show (a foreign key's lookups); a plan that cannot be analysed has none.
      const tips = await this.site.analyses.of(record).then((a) => a.tips, () => []);
      const candidates = adviceCandidates(record.sql, schema, tips);
      const statistics = await this.measureStatistics(record, tips);
      if (candidates.length === 0 && statistics.length === 0) {
        this.set(record.id, pendingView(record.id, 'done', 'No candidate index: what the statement filters, joins and sorts on is already indexed, or it gives an index nothing to search by.'), []);
        return;
      }
      const result = candidates.length === 0 ? { method: 'none' as const, outcomes: [] } : await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Verifying candidate indexes' }, () =>
        this.ctx.connections.use((db) => verifyCandidates(db, {
          sql: record.sql,
          values: record.parameters === 'values' ? (record.values ?? []) : [],
          genericPlan: record.parameters === 'generic',
          // Measured again with ANALYZE only when the catalog judged the statement reading (a writing run was confirmed once, for that run).
          analyze: record.options.analyze && !record.rolledBack,
          candidates,
          maxTableBytes: this.ctx.config().indexVerifyMaxTableMb * 1024 * 1024,
          confirm: async (tables) => {
            if (!this.ctx.config().confirmWrites) return true;
            if (!userAsked) {
              waiting = tables;
              return false;
            }
            return confirmBuild(tables);
          },
        })),
      );
      if (waiting) {
        const what = waiting.map((t) => `${t.table} (${formatBytes(t.bytes)})`).join(', ');
        const waitingText = `${candidates.length === 1 ? '1 candidate index' : `${candidates.length} candidate indexes`} on ${what}. Without HypoPG, verifying means building each index inside a transaction that is rolled back; writes to the table wait while it builds.`;
        // The statistics measured meanwhile are shown while the indexes wait for the go-ahead.
        const measured = adviceView(record.id, [], { method: 'none', outcomes: [] }, !profile.production && !profile.readOnly, statistics);
        this.set(record.id, { ...measured, state: 'confirm', summary: [waitingText, measured.summary].filter(Boolean).join(' ') }, candidates, statistics);
        return;
      }
      const writable = !profile.production && !profile.readOnly;
      this.set(record.id, adviceView(record.id, candidates, result, writable, statistics), candidates, statistics);
    } catch (e) {
      const error = asDbError(e);
      const message = error.kind === 'cancelled' ? 'Verification was cancelled.' : `The candidate indexes could not be verified: ${error.message}`;
      this.ctx.log.warn(`Index advice: ${message}`);
      this.set(record.id, pendingView(record.id, 'done', message), []);
    }
  }

  /**
   * The statistics the plan's misestimate tips name, each measured (a fresh
   * ANALYZE, then each kind, in a transaction that is rolled back). Only
   * for plans with actual rows: without them nothing says which estimate is
   * right.
   */
  private async measureStatistics(record: PlanRecord, tips: readonly Tip[]): Promise<StatisticsOutcome[]> {
    if (!record.options.analyze) return [];
    const wanted = [...new Map(tips.flatMap((t) => (t.statisticsCandidate ? [[t.statisticsCandidate.name, t.statisticsCandidate] as const] : []))).values()];
    const out: StatisticsOutcome[] = [];
    for (const candidate of wanted) {
      const result = await this.ctx.connections.use((db) => verifyStatistics(db, {
        sql: record.sql,
        values: record.parameters === 'values' ? (record.values ?? []) : [],
        genericPlan: record.parameters === 'generic',
        candidate,
      }));
      out.push({ candidate, result });
    }
    return out;
  }

  private async addMigration(record: PlanRecord, name: string): Promise<void> {
    const c = this.migrationSource(record, name);
    const source = record.source ? vscode.Uri.parse(record.source.uri) : undefined;
    const folder = (source && vscode.workspace.getWorkspaceFolder(source)) ?? vscode.workspace.workspaceFolders?.[0];
    if (!folder) {
      void this.ctx.notify.info('Open a folder to add a migration file; the DDL can be copied instead.');
      return;
    }
    const { file, edit } = newMigration(await migrationFolder(folder), c.name, c.ddl);
    if (!(await vscode.workspace.applyEdit(edit))) throw new DbError('other', `Could not create ${vscode.workspace.asRelativePath(file, false)}.`);
    await vscode.window.showTextDocument(file, { preview: false });
  }

  /** Builds the index for real (CONCURRENTLY), explains again and opens the comparison. */
  private async createNow(record: PlanRecord, name: string): Promise<void> {
    const c = this.candidate(record, name);
    const profile = this.ctx.connections.activeProfile();
    if (!profile || profile.name !== record.connection) throw new DbError('refused', `Not created: the plan came from "${record.connection}", which is not the connected database.`, []);
    if (profile.production || profile.readOnly) throw new DbError('refused', `Not created: "${profile.name}" is marked ${profile.production ? 'as a production connection' : 'read-only'}. Add the index through a migration instead.`, []);
    if (this.ctx.config().confirmWrites) {
      // Names and DDL are built from the catalog's names: bidi controls spelled out, so the DDL reads as it runs.
      const choice = await vscode.window.showWarningMessage(
        showBidiControls(`Create ${c.name} on ${c.table} in "${profile.name}" now?`),
        { modal: true, detail: `${showBidiControls(c.ddl)}\n\nThe index is built with CONCURRENTLY (writes go on meanwhile) and stays: drop it to undo. The statement is then explained again and the two plans compared.` },
        CREATE,
      );
      if (choice !== CREATE) return;
    }
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Creating ${c.name}`, cancellable: true }, async (_p, token) => {
      const abort = new AbortController();
      const cancelled = token.onCancellationRequested(() => abort.abort());
      try {
        await this.ctx.connections.use((db) => createIndexNow(db, c, { signal: abort.signal }));
      } finally {
        cancelled.dispose();
      }
    });
    const entry = this.entries.get(record.id);
    if (entry) this.set(record.id, { ...entry.view, items: entry.view.items.map((i) => (i.name === c.name ? { ...i, created: true } : i)) }, entry.candidates, entry.statistics);
    vscode.window.setStatusBarMessage(`Created index ${c.name}.`, 5000);
    const after = await this.site.rerun(record);
    if (after) await vscode.commands.executeCommand('pgInsight.comparePlans', record.id, after.id);
  }

  private candidate(record: PlanRecord, name: string): IndexCandidate {
    const c = this.entries.get(record.id)?.candidates.find((x) => x.name === name);
    if (!c) throw new DbError('other', 'This index advice is out of date: explain the statement again.', []);
    return c;
  }

  /** What a migration gets: a candidate index, or measured statistics (which go into migrations, not "create now"). */
  private migrationSource(record: PlanRecord, name: string): Pick<IndexCandidate, 'name' | 'ddl'> {
    const entry = this.entries.get(record.id);
    const c = entry?.candidates.find((x) => x.name === name) ?? chosenStatistics(entry?.statistics ?? []).find((x) => x.name === name);
    if (!c) throw new DbError('other', 'This index advice is out of date: explain the statement again.', []);
    return c;
  }

  private set(recordId: string, view: IndexAdviceView, candidates: readonly IndexCandidate[], statistics: readonly StatisticsOutcome[] = []): void {
    this.entries.delete(recordId);
    this.entries.set(recordId, { view, candidates, statistics });
    for (const old of this.entries.keys()) {
      if (this.entries.size <= KEEP) break;
      this.entries.delete(old);
    }
    this.site.panels.postAdvice(view);
  }
}

/** The statistics a measurement chose, as the migration action needs them. */
function chosenStatistics(outcomes: readonly StatisticsOutcome[]): Array<Pick<IndexCandidate, 'name' | 'ddl' | 'table'>> {
  return outcomes.flatMap(({ candidate, result }) =>
    result.status === 'measured' && result.chosen ? [{ name: candidate.name, table: candidate.table, ddl: statisticsDdl(candidate, result.chosen.kinds) }] : []);
}

async function confirmBuild(tables: readonly TableSize[]): Promise<boolean> {
  const what = showBidiControls(tables.map((t) => `${t.table} (${formatBytes(t.bytes)})`).join(', '));
  const choice = await vscode.window.showWarningMessage(
    'Verify the candidate indexes by building them?',
    { modal: true, detail: `Each index is built on ${what} inside a transaction, the statement explained with it, and everything rolled back: nothing is kept. Writes to the table wait while an index builds.` },
    VERIFY,
  );
  return choice === VERIFY;
}


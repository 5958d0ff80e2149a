/**
 * The Explain feature's editor side: from the statement in the editor to a
 * plan on screen, and everything the plan view asks for afterwards (copy,
 * docs, history, compare, re-run). Built once per extension activation;
 * the commands in src/commands/explain*.ts call into it.
 */
import * as vscode from 'vscode';
import type { Ctx } from '../context';
import { showFailure } from '../connections/failures';
import { asDbError } from '../connections/manager';
import { loadSqlParser } from '../core/sql/parser';
import { rewritePlaceholders } from '../core/sql/placeholders';
import type { AnalysedPlan } from '../core/plan';
import type { ExplainOptions } from '../db/types';
import { pickProfile } from '../commands/pickProfile';
import { PlanPanels, type PlanPanel, type PlanPanelHost } from '../panels/planPanel';
import { PlanDiagnostics } from '../providers/planDiagnostics';
import type { PanelPayload, PanelRef, WebviewMessage } from '../shared/protocol';
import { statementFingerprint, statementLabel } from './fingerprint';
import { PlanHistory, type PlanRecord } from './history';
import { PlanAnalyses } from './analyses';
import { IndexAdvice } from './indexAdvice';
import { readExplainOptions } from './options';
import { ParameterMemory } from './parameterMemory';
import { chooseParameters, sampleFromStatistics, type ParameterChoice } from './parameters';
import { comparePayload, planPayload } from './payloads';
import { pickRecord, pickTwo } from './pickers';
import { currentServer, runExplain } from './run';
import { resolveTarget, type ExplainTarget } from './target';

/** Arguments a caller (a test, another command) may pass instead of answering prompts. */
export interface ExplainArgs {
  /** Values for `$1…$n` (null for NULL), or 'generic' for a generic plan. */
  readonly parameters?: readonly (string | null)[] | 'generic';
}

export function isExplainArgs(value: unknown): value is ExplainArgs {
  return typeof value === 'object' && value !== null && !(value instanceof vscode.Uri) && 'parameters' in value;
}

const DOCS_PATH = /^docs\/tips\/[a-z0-9-]+\.md$/;

export class ExplainService implements PlanPanelHost, vscode.Disposable {
  readonly history: PlanHistory;
  readonly panels: PlanPanels;
  private readonly memory: ParameterMemory;
  /** The top tips of the last explain, as diagnostics on the statement's text. */
  readonly planDiagnostics: PlanDiagnostics;
  /** Candidate indexes for each new plan, verified before the plan view shows them. */
  readonly indexAdvice: IndexAdvice;
  /** One analysis per plan, shared by the plan view, the tips on the text and the index advice. */
  readonly analyses: PlanAnalyses;

  constructor(private readonly ctx: Ctx) {
    this.planDiagnostics = new PlanDiagnostics(ctx.extension.extensionUri);
    this.analyses = new PlanAnalyses(vscode.Uri.joinPath(ctx.extension.extensionUri, 'dist', 'planWorker.js').fsPath, (m) => ctx.log.warn(m));
    this.history = new PlanHistory(ctx.extension.workspaceState);
    this.memory = new ParameterMemory(ctx.extension.workspaceState);
    this.panels = new PlanPanels(ctx.extension.extensionUri, this);
    this.indexAdvice = new IndexAdvice(ctx, this);
    this.panels.setAdviceHost(this.indexAdvice);
  }

  dispose(): void {
    this.panels.dispose();
    this.planDiagnostics.dispose();
  }

  /** Explains the statement in the active editor; the new history record, or undefined when nothing ran. */
  async explainFromEditor(analyze: boolean, args: ExplainArgs = {}): Promise<PlanRecord | undefined> {
    const editor = vscode.window.activeTextEditor;
    if (!editor) {
      void this.ctx.notify.info('Open a SQL file or select a statement to explain.');
      return undefined;
    }
    await loadSqlParser();
    const target = resolveTarget(editor);
    if ('problem' in target) {
      void this.ctx.notify.warn(target.problem);
      return undefined;
    }
    const rewrite = rewritePlaceholders(target.text);
    const sql = rewrite.text.trim();
    const fingerprint = statementFingerprint(sql);
    if (!(await this.ensureConnected())) return undefined;
    const server = await currentServer(this.ctx).catch(() => undefined);

    let choice: ParameterChoice = { mode: 'none', values: [] };
    if (rewrite.parameterCount > 0) {
      const given = args.parameters;
      const generic = analyze ? 'EXPLAIN ANALYZE executes the statement, so it needs values' : server && server.versionNum < 160000 ? `generic plans need PostgreSQL 16; this server is ${server.version}` : true;
      if (given === 'generic') {
        if (generic !== true) {
          void this.ctx.notify.warn(`No generic plan: ${generic}.`);
          return undefined;
        }
        choice = { mode: 'generic', values: [] };
      } else if (given) choice = { mode: 'values', values: given };
      else {
        const picked = await chooseParameters(rewrite, this.memory.get(fingerprint), generic, () => sampleFromStatistics(this.ctx, sql, rewrite.parameterCount));
        if (!picked) return undefined;
        choice = picked;
      }
      if (choice.mode === 'values') await this.memory.remember(fingerprint, choice.values);
    }
    const options: ExplainOptions = { ...readExplainOptions(analyze, target.document.uri), ...(choice.mode === 'generic' ? { genericPlan: true } : {}) };
    return this.run({ sql, fingerprint, options, choice, source: { uri: target.document.uri.toString(), languageId: target.document.languageId } }, target);
  }

  /** Explains a recorded statement again, with the options and values it had. */
  async rerun(record: PlanRecord): Promise<PlanRecord | undefined> {
    if (!(await this.ensureConnected())) return undefined;
    const choice: ParameterChoice = { mode: record.parameters, values: record.values ?? [] };
    return this.run({ sql: record.sql, fingerprint: record.fingerprint, options: record.options, choice, source: record.source });
  }

  /** Opens a comparison; without ids, the user picks two plans. */
  async compare(beforeId?: string, afterId?: string): Promise<boolean> {
    let pair: [PlanRecord, PlanRecord] | undefined;
    if (beforeId !== undefined && afterId !== undefined) {
      const b = this.history.get(beforeId);
      const a = this.history.get(afterId);
      if (!b || !a) {
        void this.ctx.notify.warn('One of the plans to compare is no longer in the history.');
        return false;
      }
      pair = [b, a];
    } else {
      await loadSqlParser();
      const editor = vscode.window.activeTextEditor;
      const shown = this.panels.panels().find((p) => p.panel.active && p.ref.kind === 'plan');
      const shownRecord = shown?.ref.kind === 'plan' ? this.history.get(shown.ref.recordId) : undefined;
      pair = await pickTwo(this.history, shownRecord?.fingerprint ?? (editor ? this.fingerprintAtCursor(editor) : undefined));
    }
    if (!pair) return false;
    this.panels.show({ kind: 'compare', beforeId: pair[0].id, afterId: pair[1].id });
    return true;
  }

  // PlanPanelHost

  /**
   * Synchronous, as the page waits for it: the analysis computed when the
   * plan arrived (analyses.ts, off the thread for large plans) when it is
   * still kept, else computed here.
   */
  payload(ref: PanelRef): PanelPayload {
    if (ref.kind === 'plan') {
      const record = this.history.get(ref.recordId);
      if (!record) return { kind: 'missing', ref, message: 'This plan is no longer in the history (it keeps the last plans of each statement). Explain the statement again to see a new one.' };
      return planPayload(record, this.history.forStatement(record.fingerprint).length, this.analyses.peek(record.id));
    }
    const before = this.history.get(ref.beforeId);
    const after = this.history.get(ref.afterId);
    if (!before || !after) return { kind: 'missing', ref, message: 'One of the compared plans is no longer in the history. Run "Compare Plans…" again.' };
    return comparePayload(before, after, this.analyses.peek(before.id)?.plan, this.analyses.peek(after.id)?.plan);
  }

  panelKey(ref: PanelRef): string {
    if (ref.kind === 'compare') return 'compare';
    return `plan:${this.history.get(ref.recordId)?.fingerprint ?? ref.recordId}`;
  }

  panelTitle(ref: PanelRef): string {
    if (ref.kind === 'compare') return 'Compare Plans';
    const record = this.history.get(ref.recordId);
    return record ? `Plan: ${statementLabel(record.sql, 32)}` : 'Plan';
  }

  async onMessage(message: WebviewMessage, panel: PlanPanel): Promise<void> {
    try {
      await this.handle(message, panel);
    } catch (e) {
      this.ctx.log.error(`Plan view "${message.type}" failed: ${asDbError(e).message}`);
    }
  }

  private async handle(message: WebviewMessage, panel: PlanPanel): Promise<void> {
    switch (message.type) {
      case 'ready':
        return;
      case 'copy':
        await vscode.env.clipboard.writeText(message.text);
        vscode.window.setStatusBarMessage(`Copied ${message.what}.`, 3000);
        return;
      case 'openDocs': {
        if (!DOCS_PATH.test(message.path)) return;
        const uri = vscode.Uri.joinPath(this.ctx.extension.extensionUri, message.path);
        try {
          await vscode.workspace.fs.stat(uri);
        } catch {
          void this.ctx.notify.info(`The page ${message.path} is not included in this installation.`);
          return;
        }
        await vscode.commands.executeCommand('markdown.showPreview', uri);
        return;
      }
      case 'compare': {
        const current = this.history.get(message.recordId);
        const other = await pickRecord(this.history, { title: 'Compare with…', placeHolder: 'The plan to compare this one with', first: current?.fingerprint, exclude: message.recordId });
        if (!other || !current) return;
        // The older plan is "before".
        const [b, a] = other.at <= current.at ? [other, current] : [current, other];
        this.panels.show({ kind: 'compare', beforeId: b.id, afterId: a.id });
        return;
      }
      case 'history': {
        const current = this.history.get(message.recordId);
        if (!current) return;
        const other = await pickRecord(this.history, { title: 'Plans of this statement', placeHolder: 'Open another plan of this statement', first: current.fingerprint, exclude: current.id, onlyFirst: true });
        if (other) panel.show({ kind: 'plan', recordId: other.id });
        return;
      }
      case 'rerun': {
        const record = this.history.get(message.recordId);
        if (record) await this.rerun(record);
        return;
      }
      case 'openPlan':
        if (this.history.get(message.recordId)) this.panels.show({ kind: 'plan', recordId: message.recordId });
        return;
    }
  }

  private async run(
    request: { sql: string; fingerprint: string; options: ExplainOptions; choice: ParameterChoice; source?: PlanRecord['source'] },
    target?: ExplainTarget,
  ): Promise<PlanRecord | undefined> {
    try {
      const { result, server, connection } = await runExplain(this.ctx, request.sql, request.choice.mode === 'values' ? request.choice.values : [], request.options);
      const context = result.context;
      const record = await this.history.add({
        fingerprint: request.fingerprint,
        sql: request.sql,
        options: request.options,
        parameters: request.choice.mode,
        values: request.choice.mode === 'values' ? request.choice.values : undefined,
        at: new Date().toISOString(),
        connection,
        serverVersion: server?.version,
        durationMs: result.durationMs,
        rolledBack: result.rolledBack,
        statementType: result.safety.statementType,
        plan: result.plan,
        context,
        source: request.source,
      });
      const analysed = await this.analyses.of(record);
      this.indexAdvice.afterExplain(record);
      this.panels.show({ kind: 'plan', recordId: record.id }, { preserveFocus: true });
      if (target) this.showTipsOnText(target, request.sql, request.fingerprint, analysed);
      // A Re-run from the plan view: the statement's tips already on a text are replaced by this plan's.
      else this.planDiagnostics.refresh(request.fingerprint, analysed);
      return record;
    } catch (e) {
      this.report(e, target);
      return undefined;
    }
  }

  /** The tips on the SQL text; a plan is still worth showing when they cannot be placed. */
  private showTipsOnText(target: ExplainTarget, sql: string, fingerprint: string, analysed: AnalysedPlan): void {
    try {
      this.planDiagnostics.show(target, sql, fingerprint, analysed);
    } catch (e) {
      this.ctx.log.warn(`Could not place the plan's tips on the SQL text: ${asDbError(e).message}`);
    }
  }

  /** Says what went wrong in a sentence; a syntax error also selects its place in the editor. */
  private report(e: unknown, target: ExplainTarget | undefined): void {
    const error = asDbError(e);
    if (error.kind === 'cancelled') {
      void this.ctx.notify.info(error.message);
    } else if (error.kind === 'refused') {
      void this.ctx.notify.warn(error.message);
    } else if (error.kind === 'syntax' || (error.position !== undefined && target)) {
      void this.ctx.notify.error(error.message);
      if (target && target.kind !== 'string' && error.position !== undefined) this.revealPosition(target, error.position);
    } else {
      showFailure(this.ctx, error, this.ctx.connections.activeProfile());
    }
  }

  private revealPosition(target: ExplainTarget, position: number): void {
    const rewrite = rewritePlaceholders(target.text);
    const leading = rewrite.text.length - rewrite.text.trimStart().length;
    const offset = target.document.offsetAt(target.range.start) + rewrite.toOriginal(position + leading);
    const at = target.document.positionAt(offset);
    const editor = vscode.window.visibleTextEditors.find((e) => e.document === target.document);
    if (editor) {
      editor.selection = new vscode.Selection(at, at);
      editor.revealRange(new vscode.Range(at, at), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    }
  }

  /** Connects first when no connection is active (the user picks one). */
  private async ensureConnected(): Promise<boolean> {
    const state = this.ctx.connections.state;
    if (state.kind !== 'disconnected') return true;
    const profile = await pickProfile(this.ctx, 'Explain on which connection?');
    if (!profile) return false;
    const result = await this.ctx.connections.connect(profile.id, { interactive: true });
    if (result.kind === 'error') showFailure(this.ctx, result.error, result.profile);
    return result.kind === 'connected';
  }

  private fingerprintAtCursor(editor: vscode.TextEditor): string | undefined {
    const target = resolveTarget(editor);
    return 'problem' in target ? undefined : statementFingerprint(rewritePlaceholders(target.text).text.trim());
  }
}

/**
 * Code diagnostics in the editor: a DiagnosticCollection fed on open, on
 * change (debounced) and on save, over a workspace index that the
 * background indexing and the workspace scan keep current. Every file is
 * one unit of work followed by a `setImmediate` yield, so the extension
 * host is never busy for long at a stretch.
 */
import * as vscode from 'vscode';
import type { Ctx } from '../context';
import { AnalysisClient } from '../diagnostics/client';
import { isAnalyzable, looksBinary } from '../diagnostics/engine';
import type { FindingView, Level } from '../diagnostics/findingView';
import type { FileFacts } from '../diagnostics/protocol';
import { SchemaCache } from '../diagnostics/schemaCache';
import { ProjectConfigFiles } from '../diagnostics/projectConfigFile';
import { diagnosticsSettings } from '../diagnostics/settings';
import { matchesAny } from '../core/code/glob';

export const DIAGNOSTIC_SOURCE = 'PG Insight';
const DEBOUNCE_MS = 400;
const SOURCE_GLOB = '**/*.{ts,tsx,js,jsx,mjs,cjs,py,go,rb,sql}';
const EXCLUDE_GLOB = '{**/node_modules/**,**/.git/**,**/dist/**,**/out/**,**/.venv/**,**/venv/**}';

const SEVERITY: Record<Level, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  information: vscode.DiagnosticSeverity.Information,
};

export interface ScanCounts {
  readonly files: number;
  readonly findings: number;
  readonly cancelled: boolean;
}

async function readText(uri: vscode.Uri): Promise<string> {
  return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
}

export function yieldToHost(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export class DiagnosticsProvider implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection('pg-insight');
  readonly analysis: AnalysisClient;
  readonly schema: SchemaCache;
  /** The finding behind each published diagnostic, by document, for the quick fixes. */
  private readonly views = new Map<string, { diagnostic: vscode.Diagnostic; view: FindingView }[]>();
  private readonly uris = new Map<string, vscode.Uri>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly subscriptions: vscode.Disposable[] = [];
  private indexing: Promise<void> | undefined;
  private indexDone = false;
  private readonly facts = new Map<string, FileFacts>();
  private readonly projectConfig: ProjectConfigFiles;
  private sentSchema: object | null | undefined = null;
  private readonly checked = new vscode.EventEmitter<vscode.Uri>();
  /** Fires after a document's diagnostics were published (code lenses follow). */
  readonly onDidCheck = this.checked.event;

  constructor(private readonly ctx: Ctx) {
    const dist = vscode.Uri.joinPath(ctx.extension.extensionUri, 'dist').fsPath;
    this.analysis = new AnalysisClient(vscode.Uri.joinPath(ctx.extension.extensionUri, 'dist', 'analysisWorker.js').fsPath, [dist], (m) => ctx.log.warn(m));
    this.schema = new SchemaCache(ctx);
    this.projectConfig = new ProjectConfigFiles((m) => ctx.log.warn(m));
    this.subscriptions.push(
      this.collection,
      this.checked,
      this.schema,
      this.schema.onDidChange(() => this.recheckOpen()),
      this.projectConfig,
      this.projectConfig.onDidChange(() => this.recheckOpen()),
      vscode.workspace.onDidOpenTextDocument((d) => this.schedule(d, 0)),
      vscode.workspace.onDidChangeTextDocument((e) => this.schedule(e.document, DEBOUNCE_MS)),
      vscode.workspace.onDidSaveTextDocument((d) => this.schedule(d, 0)),
      vscode.workspace.onDidCloseTextDocument((d) => {
        this.cancelTimer(d.uri);
        // A closed untitled document is gone for good: its problems go with it. (A closed file
        // keeps its problems, as the workspace scan found them.)
        if (d.uri.scheme === 'untitled') this.forget(d.uri);
      }),
      vscode.workspace.onDidDeleteFiles((e) => {
        for (const uri of e.files) this.forget(uri);
      }),
    );
  }

  /** Indexes the workspace in the background, then checks the open documents. */
  start(): void {
    this.indexing = this.indexWorkspace().then(
      () => {
        this.indexDone = true;
        this.recheckOpen();
      },
      (e: unknown) => this.ctx.log.warn(`Indexing the workspace for diagnostics failed: ${e instanceof Error ? e.message : String(e)}`),
    );
    this.recheckOpen();
  }

  /** Resolves once the first background indexing is over (for tests and the scan). */
  ready(): Promise<void> {
    return this.indexing ?? Promise.resolve();
  }

  /** True once the first background indexing is over (Find in code waits for it, with progress). */
  get indexed(): boolean {
    return this.indexDone;
  }

  pathOf(uri: vscode.Uri): string {
    const path = vscode.workspace.asRelativePath(uri, false);
    this.uris.set(path, uri);
    return path;
  }

  uriOf(path: string): vscode.Uri | undefined {
    return this.uris.get(path);
  }

  /** SQL strings and line table of a file as last checked (for lenses and hovers). */
  factsOf(uri: vscode.Uri): FileFacts | undefined {
    return this.facts.get(this.pathOf(uri));
  }

  /** The finding views published for a document. */
  published(uri: vscode.Uri): readonly { diagnostic: vscode.Diagnostic; view: FindingView }[] {
    return this.views.get(uri.toString()) ?? [];
  }

  recheckOpen(): void {
    for (const d of vscode.workspace.textDocuments) this.schedule(d, 0);
  }

  private schedule(document: vscode.TextDocument, delay: number): void {
    if (!this.wanted(document)) return;
    this.cancelTimer(document.uri);
    this.timers.set(
      document.uri.toString(),
      setTimeout(() => {
        this.timers.delete(document.uri.toString());
        this.check(document).catch((e: unknown) => this.ctx.log.warn(`Diagnostics for ${document.uri.fsPath} failed: ${e instanceof Error ? e.message : String(e)}`));
      }, delay),
    );
  }

  private cancelTimer(uri: vscode.Uri): void {
    const t = this.timers.get(uri.toString());
    if (t) clearTimeout(t);
    this.timers.delete(uri.toString());
  }

  private wanted(document: vscode.TextDocument): boolean {
    return (document.uri.scheme === 'file' || document.uri.scheme === 'untitled') && isAnalyzable(document.fileName);
  }

  private forget(uri: vscode.Uri): void {
    const path = this.pathOf(uri);
    this.facts.delete(path);
    void this.analysis.forget(path);
    this.collection.delete(uri);
    this.views.delete(uri.toString());
  }

  /** Analyses a document's current text and publishes its diagnostics. */
  async check(document: vscode.TextDocument): Promise<void> {
    const version = document.version;
    const views = await this.analyze(document.uri, document.getText());
    // A newer edit has its own check coming; publishing this one would flicker stale ranges.
    if (document.version !== version || document.isClosed) return;
    this.publish(document.uri, views);
    this.checked.fire(document.uri);
  }

  /** The findings for a file's text, or the single note of a file skipped for its size. */
  private async analyze(uri: vscode.Uri, text: string): Promise<readonly FindingView[] | vscode.Diagnostic[]> {
    const settings = diagnosticsSettings(uri);
    if (!settings.enabled || looksBinary(text)) return [];
    if (text.length > settings.maxFileSizeKb * 1024) {
      const note = new vscode.Diagnostic(new vscode.Range(0, 0, 0, 0), `PG Insight skipped: file larger than ${settings.maxFileSizeKb} KB (pgInsight.diagnostics.maxFileSizeKb).`, vscode.DiagnosticSeverity.Information);
      note.source = DIAGNOSTIC_SOURCE;
      return [note];
    }
    const path = this.pathOf(uri);
    // `.pg-insight.json` is the project's policy, shared with `pg-insight scan`; the user's own
    // `pgInsight.diagnostics.rules` setting still decides a rule it names.
    const project = await this.projectConfig.get(uri);
    if (project.exclude.length > 0 && matchesAny(path, project.exclude)) return [];
    const rules = { ...project.rules, ...settings.rules };
    const rowThreshold = project.missingIndexMinRows ?? settings.missingIndexMinRows;
    const excludeGlobs = project.migrations ?? settings.excludeGlobs;
    const schema = await this.schema.get();
    if (schema !== this.sentSchema) {
      this.sentSchema = schema;
      await this.analysis.setSchema(schema, this.schema.roots());
    }
    const result = await this.analysis.check({ path, text, options: { rowThreshold, excludeGlobs }, rules });
    if (result.facts) this.facts.set(path, result.facts);
    if (!schema && result.facts?.sql.some((q) => q.origin !== 'sql-like')) this.sayNoSchema(path);
    return result.views;
  }

  private saidNoSchema = false;

  /**
   * Once a session, when a file sends SQL and no schema is known: the index rules are off, and a
   * quiet editor must not read as "no missing index".
   */
  private sayNoSchema(path: string): void {
    if (this.saidNoSchema) return;
    this.saidNoSchema = true;
    const connect = 'Select Connection…';
    const log = 'Open Log';
    void this.ctx.notify
      .info(
        `PG Insight found SQL in ${path} but no schema to judge it against, so missing-index and non-sargable-predicate are off. Connect to a database, or keep SQL migrations, a structure.sql, schema.prisma or Django models in the workspace.`,
        connect,
        log,
      )
      .then((choice) => {
        if (choice === connect) void vscode.commands.executeCommand('pgInsight.selectConnection');
        else if (choice === log) void vscode.commands.executeCommand('pgInsight.showLog');
      });
  }

  private publish(uri: vscode.Uri, views: readonly FindingView[] | vscode.Diagnostic[]): void {
    if (views.some((v) => v instanceof vscode.Diagnostic)) {
      this.views.delete(uri.toString());
      this.collection.set(uri, views.filter((v) => v instanceof vscode.Diagnostic));
      return;
    }
    const pairs = (views as readonly FindingView[]).map((view) => ({ diagnostic: this.toDiagnostic(view), view }));
    this.views.set(uri.toString(), pairs);
    this.collection.set(uri, pairs.map((p) => p.diagnostic));
  }

  private toDiagnostic(view: FindingView): vscode.Diagnostic {
    const range = new vscode.Range(view.start.line, view.start.character, view.end.line, view.end.character);
    const d = new vscode.Diagnostic(range, view.message, SEVERITY[view.level]);
    d.source = DIAGNOSTIC_SOURCE;
    d.code = { value: view.ruleId, target: vscode.Uri.joinPath(this.ctx.extension.extensionUri, view.docsPath) };
    d.relatedInformation = view.related.flatMap((r) => {
      const target = this.uriOf(r.path);
      return target ? [new vscode.DiagnosticRelatedInformation(new vscode.Location(target, new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character)), r.message)] : [];
    });
    return d;
  }

  /** Reads every source file of the workspace into the index, one file per turn of the event loop. */
  async indexWorkspace(onFile?: (done: number, total: number) => void, token?: vscode.CancellationToken): Promise<vscode.Uri[]> {
    const uris = await vscode.workspace.findFiles(SOURCE_GLOB, EXCLUDE_GLOB);
    const done: vscode.Uri[] = [];
    for (const uri of uris) {
      if (token?.isCancellationRequested) break;
      const limit = diagnosticsSettings(uri).maxFileSizeKb * 1024;
      const stat = await vscode.workspace.fs.stat(uri);
      if (stat.size <= limit) {
        const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
        const text = open ? open.getText() : await readText(uri);
        if (!looksBinary(text)) await this.analysis.update(this.pathOf(uri), text);
      }
      done.push(uri);
      onFile?.(done.length, uris.length);
      await yieldToHost();
    }
    return done;
  }

  /** The workspace scan: index everything, then publish diagnostics for every file (Problems panel). */
  async scan(progress: (message: string, increment: number) => void, token: vscode.CancellationToken): Promise<ScanCounts> {
    let lastShare = 0;
    const uris = await this.indexWorkspace((done, total) => {
      const share = (done / Math.max(total, 1)) * 50;
      progress(`Indexing ${done}/${total} files`, share - lastShare);
      lastShare = share;
    }, token);
    let findings = 0;
    let checked = 0;
    for (const uri of uris) {
      if (token.isCancellationRequested) return { files: checked, findings, cancelled: true };
      const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
      if (open) await this.check(open);
      else this.publish(uri, await this.analyze(uri, await readText(uri)));
      findings += this.collection.get(uri)?.length ?? 0;
      checked++;
      const share = 50 + (checked / Math.max(uris.length, 1)) * 50;
      progress(`Checked ${checked}/${uris.length} files, ${findings} problems`, share - lastShare);
      lastShare = share;
      await yieldToHost();
    }
    return { files: checked, findings, cancelled: token.isCancellationRequested };
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    for (const s of this.subscriptions) s.dispose();
    this.analysis.dispose();
  }
}

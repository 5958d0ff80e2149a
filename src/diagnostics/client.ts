/**
 * The editor's handle on the analysis: a worker thread when its bundle is
 * there (dist/analysisWorker.js), else the same engine in process (the
 * transpiled tests). Callers see one asynchronous API either way.
 */
import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { SchemaModel } from '../core/schema/model';
import type { RootSchema } from '../core/schema/workspaceSchema';
import { AnalysisEngine } from './engine';
import { fsGrammarSource } from './grammarSource';
import { handle, type AnalysisRequest, type CheckResult, type SitesResult, type StatementRequest } from './protocol';

type Pending = { resolve: (value: unknown) => void; reject: (e: Error) => void };

export class AnalysisClient {
  private worker: Worker | undefined;
  private local: AnalysisEngine | undefined;
  private readonly pending = new Map<number, Pending>();
  private next = 1;
  private lastSchema: SchemaModel | undefined;
  private lastRoots: readonly RootSchema[] | undefined;

  /** `workerFile`: the bundled worker; `wasmDirs`: where the in-process fallback finds the grammars. */
  constructor(workerFile: string, private readonly wasmDirs: readonly string[], private readonly onError: (message: string) => void) {
    if (!existsSync(workerFile)) {
      this.local = new AnalysisEngine(fsGrammarSource(wasmDirs));
      return;
    }
    try {
      // The host's own flags (inspector, heap size) are not all valid for a worker.
      const worker = new Worker(workerFile, { execArgv: [] });
      worker.on('message', (m: { id: number; ok: boolean; result?: unknown; error?: string }) => {
        const p = this.pending.get(m.id);
        this.pending.delete(m.id);
        if (m.ok) p?.resolve(m.result);
        else p?.reject(new Error(m.error ?? 'analysis failed'));
      });
      worker.on('error', (e) => this.fallBack(e));
      worker.on('exit', (code) => {
        if (this.worker === worker) this.fallBack(new Error(`exit code ${code}`));
      });
      worker.unref();
      this.worker = worker;
    } catch (e) {
      this.fallBack(e instanceof Error ? e : new Error(String(e)));
    }
  }

  get inWorker(): boolean {
    return this.worker !== undefined;
  }

  /** Without a worker the analysis runs in process: slower for the host, but diagnostics keep coming. */
  private fallBack(e: Error): void {
    this.onError(`The analysis worker is not available (${e.message}); analysing in process.`);
    this.worker = undefined;
    this.local ??= new AnalysisEngine(fsGrammarSource(this.wasmDirs));
    void handle(this.local, { op: 'schema', schema: this.lastSchema, ...(this.lastRoots ? { roots: this.lastRoots } : {}) });
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
  }

  private send(request: AnalysisRequest): Promise<unknown> {
    if (this.local) return handle(this.local, request);
    const worker = this.worker;
    if (!worker) return handle((this.local ??= new AnalysisEngine(fsGrammarSource(this.wasmDirs))), request);
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      try {
        worker.postMessage({ id, request });
      } catch (e) {
        // A value the structured clone refuses: this request fails, the worker stays.
        this.pending.delete(id);
        reject(e instanceof Error ? e : new Error(String(e)));
      }
    });
  }

  async update(path: string, text: string): Promise<void> {
    await this.send({ op: 'update', path, text });
  }

  async forget(path: string): Promise<void> {
    await this.send({ op: 'forget', path });
  }

  async setSchema(schema: SchemaModel | undefined, roots?: readonly RootSchema[]): Promise<void> {
    this.lastSchema = schema;
    this.lastRoots = roots;
    await this.send({ op: 'schema', schema, ...(roots ? { roots } : {}) });
  }

  async check(request: Omit<Extract<AnalysisRequest, { op: 'check' }>, 'op'>): Promise<CheckResult> {
    // Settings come from VS Code as read-only proxies, which a worker message cannot carry: send plain copies.
    const plain = { ...request, options: JSON.parse(JSON.stringify(request.options)) as typeof request.options, rules: JSON.parse(JSON.stringify(request.rules)) as typeof request.rules };
    return (await this.send({ op: 'check', ...plain })) as CheckResult;
  }

  /** The call sites of each statement in the indexed files (or only `paths`), searched off the host's thread. */
  async sites(statements: readonly StatementRequest[], paths?: readonly string[]): Promise<SitesResult> {
    return (await this.send({ op: 'sites', statements, ...(paths ? { paths } : {}) })) as SitesResult;
  }

  dispose(): void {
    void this.worker?.terminate();
    this.worker = undefined;
  }
}

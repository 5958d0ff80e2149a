/**
 * One analysis per plan: the plan view, the tips on the SQL text and the
 * index advice of an explain all read the same `AnalysedPlan` (enrichment,
 * tips, view model, text), computed once when the plan arrives and kept for
 * the plans still in the history's recent use. A plan of LARGE_PLAN_NODES
 * nodes or more is analysed in a worker thread (dist/planWorker.js) so the
 * extension host stays responsive; smaller ones take a few milliseconds and
 * are analysed in place. Without the worker bundle (the transpiled tests)
 * or if the worker fails, the analysis runs in place.
 */
import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { analysePlan, type AnalysedPlan } from '../core/plan';
import type { PlanRecord } from './history';

/** From this many nodes a plan is analysed off the extension host's thread (about 50 ms of work). */
export const LARGE_PLAN_NODES = 1500;
/** Analyses kept: the open panels and the plans just explained. */
const KEPT = 16;

export class PlanAnalyses {
  private readonly kept = new Map<string, AnalysedPlan>();
  private readonly running = new Map<string, Promise<AnalysedPlan>>();
  /** How many analyses ran in a worker thread (for tests and the log). */
  offThread = 0;

  constructor(private readonly workerFile: string | undefined, private readonly onError: (message: string) => void = () => {}) {}

  /** The analysis of a record, computed once. */
  async of(record: PlanRecord): Promise<AnalysedPlan> {
    const kept = this.take(record.id);
    if (kept) return kept;
    const running = this.running.get(record.id);
    if (running) return running;
    const work = this.compute(record).finally(() => this.running.delete(record.id));
    this.running.set(record.id, work);
    const analysed = await work;
    this.keep(record.id, analysed);
    return analysed;
  }

  /** Only what is already computed (for callers that must not wait). */
  peek(recordId: string): AnalysedPlan | undefined {
    return this.kept.get(recordId);
  }

  private async compute(record: PlanRecord): Promise<AnalysedPlan> {
    const context = record.context ?? {};
    if (this.workerFile && existsSync(this.workerFile) && countNodes(record.plan) >= LARGE_PLAN_NODES) {
      try {
        const result = await inWorker(this.workerFile, record.plan, context);
        this.offThread++;
        return result;
      } catch (e) {
        // A parse error is the plan's own: the same error comes back in place, with its message.
        this.onError(`Plan analysis in a worker thread failed (${e instanceof Error ? e.message : String(e)}); analysing in place.`);
      }
    }
    return analysePlan(record.plan, context);
  }

  private take(id: string): AnalysedPlan | undefined {
    const found = this.kept.get(id);
    if (found) {
      // Most recently used last.
      this.kept.delete(id);
      this.kept.set(id, found);
    }
    return found;
  }

  private keep(id: string, analysed: AnalysedPlan): void {
    this.kept.set(id, analysed);
    while (this.kept.size > KEPT) this.kept.delete(this.kept.keys().next().value!);
  }
}

/** Nodes in an EXPLAIN (FORMAT JSON) value, counted without parsing it into the model. */
export function countNodes(plan: unknown): number {
  const value = typeof plan === 'string' ? safeParse(plan) : plan;
  const roots = Array.isArray(value) ? value : [value];
  let count = 0;
  const stack: unknown[] = roots.map((r) => (r && typeof r === 'object' ? (r as { Plan?: unknown }).Plan : undefined));
  while (stack.length > 0) {
    const node = stack.pop();
    if (!node || typeof node !== 'object') continue;
    count++;
    const plans: unknown = (node as { Plans?: unknown }).Plans;
    if (Array.isArray(plans)) for (const child of plans as unknown[]) stack.push(child);
  }
  return count;
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** A worker per large plan: they are rare, and a worker that has finished holds no memory. */
function inWorker(file: string, plan: unknown, context: object): Promise<AnalysedPlan> {
  return new Promise((resolve, reject) => {
    // The host's own flags (inspector, heap size) are not all valid for a worker.
    const worker = new Worker(file, { execArgv: [] });
    const done = (f: () => void) => {
      void worker.terminate();
      f();
    };
    worker.once('message', (m: { ok: boolean; result?: AnalysedPlan; error?: string }) => done(() => (m.ok ? resolve(m.result!) : reject(new Error(m.error ?? 'analysis failed')))));
    worker.once('error', (e) => done(() => reject(e)));
    worker.once('exit', (code) => reject(new Error(`the worker exited with code ${code}`)));
    worker.postMessage({ id: 1, plan, context });
  });
}

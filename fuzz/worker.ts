/**
 * One fuzz target in a worker thread, so that the main thread can see a hang
 * (no progress report within the watchdog's time) and stop it. Reports come
 * every batch; any input slower than the hang limit is reported on its own.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { CodeAnalyzer } from '../src/core/code/analyzer';
import { wasmFileName, type GrammarSource } from '../src/core/code/grammar';
import { mutateJson, mutateMany, prng } from './mutate';
import { codeTarget, planTarget, prepareSql, sqlTarget, type Target } from './targets';
import type { Corpus } from './corpus';

export interface WorkerJob {
  readonly target: 'sql' | 'plan' | 'code';
  readonly seed: number;
  readonly from: number;
  readonly count: number;
  readonly slowMs: number;
  readonly corpus: Corpus;
}

export type WorkerMessage =
  | { kind: 'progress'; done: number }
  | { kind: 'finding'; index: number; what: string; input: string }
  | { kind: 'end'; done: number; maxMs: number; totalMs: number };

async function target(job: WorkerJob): Promise<Target<unknown>> {
  const at = (index: number) => prng(job.seed * 1_000_003 + index);
  if (job.target === 'sql') {
    await prepareSql();
    return sqlTarget((i) => mutateMany(at(i), job.corpus.sql));
  }
  if (job.target === 'plan') {
    const plans = job.corpus.plans.map((p) => JSON.parse(p) as unknown);
    return planTarget((i) => {
      const rand = at(i);
      const base = plans[Math.floor(rand() * plans.length)];
      // Every tenth plan also goes in as (mutated) text.
      return rand() < 0.1 ? mutateMany(rand, job.corpus.plans) : mutateJson(rand, base);
    });
  }
  const wasmDir = dirname(require.resolve('@vscode/tree-sitter-wasm'));
  const source: GrammarSource = async (name) => new Uint8Array(await readFile(join(wasmDir, wasmFileName(name))));
  const analyzer = new CodeAnalyzer(source);
  return codeTarget(analyzer, (i) => {
    const rand = at(i);
    const file = job.corpus.code[Math.floor(rand() * job.corpus.code.length)] ?? { path: 'x.ts', text: '' };
    return { path: file.path, text: mutateMany(rand, [file.text, ...job.corpus.sql.slice(0, 20)]) };
  });
}

async function main(): Promise<void> {
  const job = workerData as WorkerJob;
  const port = parentPort;
  if (!port) return;
  const t = await target(job);
  let maxMs = 0;
  let totalMs = 0;
  let done = 0;
  for (let i = job.from; i < job.from + job.count; i++) {
    const input = t.input(i);
    const started = performance.now();
    let findings: string[];
    try {
      findings = await t.run(input);
    } catch (e) {
      findings = [`crash: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`];
    }
    const ms = performance.now() - started;
    totalMs += ms;
    if (ms > maxMs) maxMs = ms;
    if (ms > job.slowMs) findings.push(`slow: ${ms.toFixed(0)} ms`);
    for (const what of findings) port.postMessage({ kind: 'finding', index: i, what, input: t.show(input) } satisfies WorkerMessage);
    done++;
    if (done % 2000 === 0) port.postMessage({ kind: 'progress', done } satisfies WorkerMessage);
  }
  port.postMessage({ kind: 'end', done, maxMs, totalMs } satisfies WorkerMessage);
}

void main();

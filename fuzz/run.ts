/**
 * `npm run fuzz`: a bounded fuzz run, not part of `npm test`.
 *
 *   npm run fuzz -- [--inputs N] [--seed S] [--server N] [--slow-ms M]
 *
 * Mutated inputs (default 1,000,000 in all) go through statement splitting,
 * parsing, classification and placeholder rewriting (with the classifier's
 * structural oracle), plan parsing through the view model, and code analysis,
 * each target in a worker thread watched for hangs. Then the classifier's
 * oracle on a real server (`--server`, default 2,000 statements): a statement
 * PG Insight runs as 'read' must change nothing. Prints inputs, time and
 * findings per target; exits 1 on any finding.
 */
import { Worker } from 'node:worker_threads';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadCorpus } from './corpus';
import { runServerOracle } from './serverOracle';
import type { WorkerJob, WorkerMessage } from './worker';

interface Options {
  inputs: number;
  seed: number;
  server: number;
  slowMs: number;
}

function options(argv: readonly string[]): Options {
  const get = (name: string, fallback: number) => {
    const at = argv.indexOf(`--${name}`);
    const value = at >= 0 ? Number(argv[at + 1]) : fallback;
    if (!Number.isFinite(value) || value < 0) throw new Error(`--${name} takes a number`);
    return value;
  };
  return { inputs: get('inputs', 1_000_000), seed: get('seed', 20261207), server: get('server', 2_000), slowMs: get('slow-ms', 1_000) };
}

/** Shares of the inputs per target: SQL is cheap and holds the classifier; code analysis is the slowest. */
const shares = { sql: 0.8, plan: 0.17, code: 0.03 } as const;
/** A worker silent for this long is hung; its range is reported and the run goes on after it. */
const WATCHDOG_MS = 15_000;

interface TargetReport {
  target: string;
  inputs: number;
  seconds: number;
  maxMs: number;
  findings: Map<string, { count: number; index: number; input: string }>;
}

function runTarget(target: WorkerJob['target'], count: number, opts: Options, corpus: WorkerJob['corpus']): Promise<TargetReport> {
  const report: TargetReport = { target, inputs: 0, seconds: 0, maxMs: 0, findings: new Map() };
  const started = performance.now();
  const note = (what: string, index: number, input: string) => {
    const key = what.replace(/\d+ ms/, 'N ms');
    const seen = report.findings.get(key);
    if (seen) seen.count++;
    else report.findings.set(key, { count: 1, index, input });
  };
  return new Promise((resolve) => {
    const launch = (from: number) => {
      const left = count - (from);
      if (left <= 0) {
        report.seconds = (performance.now() - started) / 1000;
        resolve(report);
        return;
      }
      const job: WorkerJob = { target, seed: opts.seed, from, count: left, slowMs: opts.slowMs, corpus };
      const worker = new Worker(join(__dirname, 'worker.js'), { workerData: job });
      let done = 0;
      let timer = setTimeout(onHang, WATCHDOG_MS);
      function onHang() {
        note(`hang: no progress for ${WATCHDOG_MS / 1000} s`, from + done, `inputs ${from + done} to ${from + done + 2000} (replay with --seed ${opts.seed})`);
        void worker.terminate();
        report.inputs += 2000;
        launch(from + done + 2000);
      }
      worker.on('message', (m: WorkerMessage) => {
        clearTimeout(timer);
        timer = setTimeout(onHang, WATCHDOG_MS);
        if (m.kind === 'progress') done = m.done;
        else if (m.kind === 'finding') note(m.what, m.index, m.input);
        else {
          clearTimeout(timer);
          report.inputs += m.done;
          report.maxMs = Math.max(report.maxMs, m.maxMs);
          report.seconds = (performance.now() - started) / 1000;
          resolve(report);
        }
      });
      worker.on('error', (e) => {
        clearTimeout(timer);
        note(`crash of the worker: ${e.message}`, from + done, '');
        report.inputs += done + 1;
        launch(from + done + 1);
      });
    };
    launch(0);
  });
}

async function main(): Promise<void> {
  const opts = options(process.argv.slice(2));
  const corpus = loadCorpus(process.cwd());
  console.log(`fuzz: ${opts.inputs} inputs, seed ${opts.seed}; seeds: ${corpus.sql.length} SQL texts, ${corpus.plans.length} plans, ${corpus.code.length} source files`);
  const counts = { sql: Math.round(opts.inputs * shares.sql), plan: Math.round(opts.inputs * shares.plan), code: 0 };
  counts.code = opts.inputs - counts.sql - counts.plan;
  // Two cores: the SQL target runs beside the plan and code targets.
  const [sql, rest] = await Promise.all([
    runTarget('sql', counts.sql, opts, corpus),
    (async () => [await runTarget('plan', counts.plan, opts, corpus), await runTarget('code', counts.code, opts, corpus)])(),
  ]);
  const reports = [sql, ...rest];
  let findings = 0;
  for (const r of reports) {
    console.log(`\n${r.target}: ${r.inputs} inputs in ${r.seconds.toFixed(1)} s (${Math.round(r.inputs / Math.max(r.seconds, 0.001))}/s), slowest input ${r.maxMs.toFixed(1)} ms, ${r.findings.size} distinct findings`);
    for (const [what, f] of r.findings) {
      findings += f.count;
      console.log(`  ${f.count} x ${what}\n    first at input ${f.index}: ${f.input.slice(0, 400)}`);
    }
  }
  const total = reports.reduce((n, r) => n + r.inputs, 0);
  if (opts.server > 0) {
    console.log(`\nserver oracle: ${opts.server} generated statements through EXPLAIN ANALYZE on a hostile database`);
    const t = performance.now();
    const o = await runServerOracle(opts.server, opts.seed, (line) => console.log(line));
    console.log(`  ${o.statements} statements in ${((performance.now() - t) / 1000).toFixed(1)} s: ${o.read} ran as read, ${o.write} asked as writing, ${o.refused} refused, ${o.failed} failed on the server`);
    console.log(`  ${o.escapes.length} escapes`);
    for (const e of o.escapes.slice(0, 20)) console.log(`    ${e.sql}\n      ${e.what}`);
    findings += o.escapes.length;
  }
  console.log(`\nfuzz: ${total} inputs, ${findings} findings`);
  process.exit(findings === 0 ? 0 : 1);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(2);
});

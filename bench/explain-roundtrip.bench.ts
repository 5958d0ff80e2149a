/**
 * PG Insight's explain round trip against psql running the same EXPLAIN
 * (ANALYZE, BUFFERS, FORMAT JSON) of a ~1 ms query on the same server, in
 * the same run. The PG Insight path is the Explain command's below the
 * editor: placeholders rewritten and the statement fingerprinted, the
 * runner's explain (parse and safety check of the one statement, then a
 * READ ONLY transaction with its limits, the EXPLAIN and a ROLLBACK on a
 * pooled connection, with the catalog facts the tips need read in the same
 * transaction right after the EXPLAIN), and the payload the plan view
 * receives (parse, enrich, tips, view model, text plan, JSON). The earlier
 * path, which read those facts in a transaction of their own, is measured
 * alongside for comparison.
 *
 * Two psql baselines: a new `psql -c` process per run, which is what a
 * user typing the command pays (process start, connection and
 * authentication included), and one psql session fed through stdin, which
 * leaves only the statement and psql's printing. A bare `pg` client
 * sending the same EXPLAIN is the floor: one round trip, nothing else.
 * The goal is a ratio ≤ 1.1 against psql; the figures are
 * reported, not asserted.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { rewritePlaceholders } from '../src/core/sql/placeholders';
import { createDatabase } from '../src/db';
import { planTables, readPlanContext } from '../src/db/planContext';
import type { Database, DbLog, ExplainOptions } from '../src/db/types';
import { readStatementEffects } from '../src/db/statementEffects';
import { functionRules } from '../src/core/sql/safety';
import { statementFingerprint } from '../src/explain/fingerprint';
import type { PlanRecord } from '../src/explain/history';
import { planPayload } from '../src/explain/payloads';
import { startTestPostgres, type TestServer } from '../test/support/postgres';
import { fmt, median, percentile } from './stats';

const quiet: DbLog = { statement: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const RUNS = 150;
const WARMUP = 15;
const DB = 'bench_explain';
/** About a millisecond of execution: an index range scan and an aggregate over 3,000 rows. */
const STATEMENT = 'SELECT count(*), max(label) FROM items WHERE id BETWEEN 1000 AND 4000';
/** The Explain command's defaults (BUFFERS and TIMING on, the rest off): see src/explain/options.ts. */
const OPTIONS: ExplainOptions = { analyze: true, buffers: true, timing: true, verbose: false, settings: false, wal: false, memory: false, serialize: false };
const EXPLAIN_SQL = `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${STATEMENT}`;

/** Debian's psql (any major version reads an 18 server's EXPLAIN output); the embedded package ships none. */
function findPsql(): string | null {
  for (const p of ['/usr/lib/postgresql/18/bin/psql', '/usr/lib/postgresql/17/bin/psql', '/usr/lib/postgresql/16/bin/psql', '/usr/lib/postgresql/15/bin/psql', '/usr/bin/psql']) {
    if (existsSync(p)) return p;
  }
  return null;
}

function psqlEnv(server: TestServer): NodeJS.ProcessEnv {
  return { ...process.env, PGHOST: server.host, PGPORT: String(server.port), PGUSER: server.user, PGPASSWORD: server.password, PGDATABASE: DB, PGAPPNAME: 'psql-bench' };
}

/** One `psql -c` process: start, connect, authenticate, run, print, exit. */
function psqlOnce(psql: string, env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(psql, ['-X', '-q', '-A', '-t', '-c', EXPLAIN_SQL], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`psql exited with ${code}: ${err}`))));
  });
}

/** One psql session kept open: each run writes the EXPLAIN and an \echo marker, and waits for the marker. */
class PsqlSession {
  private readonly child: ChildProcessWithoutNullStreams;
  private buffer = '';
  private waiting: { marker: string; resolve: (out: string) => void } | undefined;
  private count = 0;

  constructor(psql: string, env: NodeJS.ProcessEnv) {
    this.child = spawn(psql, ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1'], { env });
    this.child.stdout.on('data', (d: Buffer) => {
      this.buffer += d.toString();
      const w = this.waiting;
      const at = w ? this.buffer.indexOf(`${w.marker}\n`) : -1;
      if (w && at >= 0) {
        const out = this.buffer.slice(0, at);
        this.buffer = this.buffer.slice(at + w.marker.length + 1);
        this.waiting = undefined;
        w.resolve(out);
      }
    });
    this.child.stderr.resume();
  }

  run(): Promise<string> {
    const marker = `__bench_done_${++this.count}__`;
    return new Promise((resolve) => {
      this.waiting = { marker, resolve };
      this.child.stdin.write(`${EXPLAIN_SQL};\n\\echo ${marker}\n`);
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.child.on('close', () => resolve());
      this.child.stdin.end('\\q\n');
    });
  }
}

interface Stages {
  /** The runner's explain with the plan context read in its transaction. */
  explain: number;
  analysis: number;
  executionMs: number;
}

/** The earlier path: the plan context in a READ ONLY transaction of its own after the EXPLAIN's. */
async function separateContext(db: Database): Promise<void> {
  const result = await db.explain(STATEMENT, [], OPTIONS);
  await readPlanContext(db, planTables(result.plan));
}

/** The Explain command's path below the editor; returns the time of each stage. */
async function insightRoundTrip(db: Database): Promise<Stages> {
  const t0 = performance.now();
  const sql = rewritePlaceholders(STATEMENT).text.trim();
  const fingerprint = statementFingerprint(sql);
  const result = await db.explain(sql, [], OPTIONS, { withContext: true });
  const context = result.context;
  if (!context?.tableStats?.length) throw new Error('the plan context has no table statistics');
  const t2 = performance.now();
  const record: PlanRecord = {
    id: 'bench', fingerprint, sql, options: OPTIONS, parameters: 'none', at: new Date().toISOString(), connection: 'bench', serverVersion: '18',
    durationMs: result.durationMs, rolledBack: result.rolledBack, statementType: result.safety.statementType, plan: result.plan, context,
  };
  const payload = planPayload(record, 1);
  const t3 = performance.now();
  if (payload.view.nodes.length === 0) throw new Error('the plan view has no nodes');
  const executionMs = (result.plan as [{ 'Execution Time': number }])[0]['Execution Time'];
  return { explain: t2 - t0, analysis: t3 - t2, executionMs };
}

async function main(): Promise<void> {
  const psql = findPsql();
  if (!psql) {
    console.log('psql is not installed (apt-get install postgresql-client-15): nothing to compare with, benchmark not run.');
    return;
  }
  const psqlVersion = spawnSync(psql, ['--version'], { encoding: 'utf8' }).stdout.trim();
  const server = await startTestPostgres();
  let session: PsqlSession | undefined;
  let db: Database | undefined;
  const bare = new Client({ host: server.host, port: server.port, user: server.user, password: server.password, database: DB });
  try {
    await server.createDatabase(DB);
    await bare.connect();
    await bare.query('CREATE TABLE items AS SELECT g AS id, md5(g::text) AS label FROM generate_series(1, 100000) g');
    await bare.query('ALTER TABLE items ADD PRIMARY KEY (id)');
    await bare.query('VACUUM ANALYZE items');
    db = createDatabase(
      {
        profile: { id: 'bench', name: 'bench', source: 'user-settings', host: server.host, port: server.port, database: DB, user: server.user, sslmode: 'disable' },
        password: server.password,
      },
      { statementTimeoutMs: 30000, lockTimeoutMs: 5000, connectTimeoutMs: 10000, poolMax: 3 },
      quiet,
    );
    const env = psqlEnv(server);
    session = new PsqlSession(psql, env);
    const sessionRef = session;
    const dbRef = db;
    const check = (out: string) => {
      if (!out.includes('"Execution Time"')) throw new Error(`psql printed no plan: ${out.slice(0, 200)}`);
    };

    const times: Record<string, number[]> = { spawned: [], session: [], bare: [], runner: [], withContext: [], separate: [], full: [], effects: [] };
    const stages: Stages[] = [];
    const variants: [string, () => Promise<void>][] = [
      ['spawned', async () => check(await psqlOnce(psql, env))],
      ['session', async () => check(await sessionRef.run())],
      ['bare', async () => void (await bare.query(EXPLAIN_SQL))],
      ['runner', async () => void (await dbRef.explain(STATEMENT, [], OPTIONS))],
      ['withContext', async () => void (await dbRef.explain(STATEMENT, [], OPTIONS, { withContext: true }))],
      // The part of the runner explain that reads from the catalog what the statement executes (its own rolled-back transaction).
      ['effects', async () => void (await dbRef.trial('what the statement executes', (tx) => readStatementEffects(tx, { text: STATEMENT, type: 'SelectStmt', viaPrepare: false }, functionRules, () => undefined), { write: true }))],
      ['separate', () => separateContext(dbRef)],
      ['full', async () => void stages.push(await insightRoundTrip(dbRef))],
    ];
    // Round robin, in a rotating order, so that drift in the machine's load touches every variant alike.
    for (let i = 0; i < WARMUP + RUNS; i++) {
      for (let k = 0; k < variants.length; k++) {
        const [name, fn] = variants[(i + k) % variants.length]!;
        const t = performance.now();
        await fn();
        if (i >= WARMUP) times[name]!.push(performance.now() - t);
      }
    }
    const measured = stages.slice(WARMUP);
    const pick = (f: (s: Stages) => number) => median(measured.map(f));

    const line = (name: string, t: number[], ratios: [string, number[]][] = []) =>
      console.log(
        `${name.padEnd(58)} median ${fmt(median(t)).padStart(9)}  p95 ${fmt(percentile(t, 95)).padStart(9)}` +
          ratios.map(([label, base]) => `  ${label} ${(median(t) / median(base)).toFixed(2)}`).join(''),
      );
    const vs = (): [string, number[]][] => [['÷ psql -c', times.spawned!], ['÷ psql session', times.session!]];
    console.log(`PostgreSQL ${server.major} (embedded), ${psqlVersion} at ${psql}; ${RUNS} runs of each after ${WARMUP} warm-up runs, interleaved`);
    console.log(`statement: ${STATEMENT}; server Execution Time median ${fmt(pick((s) => s.executionMs))}`);
    line('psql -c, a new process per run (baseline)', times.spawned!);
    line('psql session fed through stdin (baseline)', times.session!);
    line('bare pg client, the same EXPLAIN (floor)', times.bare!);
    line('PG Insight runner explain (parse, safety, tx, EXPLAIN)', times.runner!, vs());
    line('  of which: what the statement executes, from the catalog', times.effects!, [['÷ runner explain', times.runner!]]);
    line('PG Insight runner explain + plan context, one transaction', times.withContext!, vs());
    line('  earlier: plan context in a transaction of its own', times.separate!, vs());
    line('PG Insight as the Explain command (+ analysis, view model)', times.full!, vs());
    console.log(`stages of the command's round trip (medians): explain with plan context ${fmt(pick((s) => s.explain))}, parse + enrich + tips + view model + payload ${fmt(pick((s) => s.analysis))}`);
    const spawnedRatio = median(times.full!) / median(times.spawned!);
    const sessionRatio = median(times.full!) / median(times.session!);
    console.log(
      `reading: against what a user runs (psql -c) the command's round trip is ${spawnedRatio.toFixed(2)}× (goal ≤ 1.1, ${spawnedRatio <= 1.1 ? 'met' : 'not met'}); ` +
        'most of psql -c is starting a process and authenticating, which the pooled connection pays once.',
    );
    console.log(
      `         against a warm psql session it is ${sessionRatio.toFixed(2)}×: the extra is the transaction around the EXPLAIN (BEGIN with its limits, ROLLBACK: two more round trips), ` +
        'the reading of what the statement executes before ANALYZE runs it (a rolled-back transaction of its own), ' +
        'the catalog read for the tips (one more round trip, inside the EXPLAIN\'s transaction), and the analysis; psql only prints the text.',
    );
  } finally {
    await session?.close();
    await db?.close();
    await bare.end().catch(() => undefined);
    await server.stop();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});

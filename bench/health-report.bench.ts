/**
 * The health report on a large schema: 1,000 tables and 3,000 indexes. Times
 * the whole report through runChecks (the safe runner, three checks at a
 * time, each statement in its own READ ONLY transaction), and psql running
 * the same statements one after another on the same server in the same run
 * (the SQL each check reported it ran, in one script, one psql process).
 * Prints both medians, the ratio (goal <= 1.2) and the absolute time (goal
 * <= 2 s on a 2-core machine).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { ALL_CHECKS, runChecks } from '../src/core/health';
import { CONTEXT_SQL } from '../src/core/health/context';
import { summarize } from '../src/core/health/summary';
import { createDatabase } from '../src/db';
import type { DbLog } from '../src/db/types';
import { healthRunner } from '../src/health/runner';
import { startTestPostgres } from '../test/support/postgres';
import { fmt, median } from './stats';

const quiet: DbLog = { statement: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const TABLES = 1000;
const RUNS = 5;
const PSQL = '/usr/bin/psql';

async function main(): Promise<void> {
  const server = await startTestPostgres();
  try {
    const url = await server.createDatabase('bench_health');
    const setup = new Client({ connectionString: url });
    await setup.connect();
    const started = performance.now();
    // Each table: a primary key and two more indexes, so 3,000 indexes in all.
    await setup.query(`DO $$
      BEGIN
        FOR i IN 1..${TABLES} LOOP
          EXECUTE format('CREATE TABLE t%s (id int PRIMARY KEY, a int, b text, c timestamptz)', i);
          EXECUTE format('INSERT INTO t%s SELECT g, g %% 17, md5(g::text), now() FROM generate_series(1, 20) g', i);
          EXECUTE format('CREATE INDEX t%s_a ON t%s (a)', i, i);
          EXECUTE format('CREATE INDEX t%s_b ON t%s (b, a)', i, i);
        END LOOP;
      END $$`);
    await setup.query('ANALYZE');
    const counts = await setup.query<{ tables: string; indexes: string }>(
      "SELECT count(*) FILTER (WHERE relkind = 'r') AS tables, count(*) FILTER (WHERE relkind = 'i') AS indexes FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public'",
    );
    await setup.end();
    console.log(`PostgreSQL ${server.major}: ${counts.rows[0]?.tables} tables and ${counts.rows[0]?.indexes} indexes built in ${fmt(performance.now() - started)}`);

    const db = createDatabase(
      {
        profile: { id: 'bench', name: 'bench', source: 'user-settings', host: server.host, port: server.port, database: 'bench_health', user: server.user, sslmode: 'disable' },
        password: server.password,
      },
      { statementTimeoutMs: 30000, lockTimeoutMs: 5000, connectTimeoutMs: 10000, poolMax: 3 },
      quiet,
    );
    const info = await db.serverInfo();
    const runner = healthRunner(db, info.versionNum);

    let statements: string[] = [];
    const reportTimes: number[] = [];
    for (let i = 0; i < RUNS + 1; i++) {
      const t = performance.now();
      const report = await runChecks(ALL_CHECKS, runner);
      const ms = performance.now() - t;
      if (i === 0) {
        // The first run warms the caches and tells which statements ran.
        statements = [CONTEXT_SQL, ...report.results.flatMap((r) => r.sql)];
        const s = summarize(report.results);
        console.log(`report: ${report.results.length} checks, ${statements.length} statements; ${s.counts.error} errors, ${s.counts.skipped} skipped`);
        continue;
      }
      reportTimes.push(ms);
    }
    await db.close();

    const dir = mkdtempSync(join(tmpdir(), 'pgi-bench-'));
    const script = join(dir, 'health.sql');
    writeFileSync(script, statements.map((s) => `${s.trim()};\n`).join('\n'));
    const psqlTimes: number[] = [];
    for (let i = 0; i < RUNS + 1; i++) {
      const t = performance.now();
      const r = spawnSync(PSQL, ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-o', '/dev/null', '-f', script, url], { encoding: 'utf8' });
      const ms = performance.now() - t;
      if (r.status !== 0) throw new Error(`psql failed: ${r.stderr || r.error?.message}`);
      if (i > 0) psqlTimes.push(ms);
    }

    const report = median(reportTimes);
    const psql = median(psqlTimes);
    console.log(`health report via runChecks (concurrency 3)  median ${fmt(report).padStart(11)}  (goal <= 2 s)`);
    console.log(`psql, same ${statements.length} statements in turn   median ${fmt(psql).padStart(11)}`);
    console.log(`ratio report / psql ${(report / psql).toFixed(2)} (goal <= 1.2), ${RUNS} runs each after one warm-up`);
  } finally {
    await server.stop();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});

/**
 * What the safe runner costs: a catalog read through `Database.read` (a READ
 * ONLY transaction with statement and lock timeouts set, then COMMIT: three
 * round trips) against the same query sent by a bare `pg` client (one round
 * trip), on the same server in the same run. Also EXPLAIN (FORMAT JSON) of a
 * 1 ms query through the runner against the bare client.
 */
import { Client } from 'pg';
import { createDatabase } from '../src/db';
import type { DbLog } from '../src/db/types';
import { startTestPostgres } from '../test/support/postgres';
import { fmt, median, percentile, timeRuns } from './stats';

const quiet: DbLog = { statement: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const RUNS = 300;

async function main(): Promise<void> {
  const server = await startTestPostgres();
  try {
    const url = await server.createDatabase('bench_runner');
    const setup = new Client({ connectionString: url });
    await setup.connect();
    await setup.query('CREATE TABLE items AS SELECT g AS id, md5(g::text) AS label FROM generate_series(1, 10000) g');
    await setup.query('CREATE INDEX ON items (id)');
    await setup.query('ANALYZE items');

    const db = createDatabase(
      {
        profile: { id: 'bench', name: 'bench', source: 'user-settings', host: server.host, port: server.port, database: 'bench_runner', user: server.user, sslmode: 'disable' },
        password: server.password,
      },
      { statementTimeoutMs: 30000, lockTimeoutMs: 5000, connectTimeoutMs: 10000, poolMax: 3 },
      quiet,
    );
    const read = 'SELECT count(*) FROM pg_catalog.pg_class';
    const point = 'SELECT label FROM items WHERE id = 4242';

    const bare = await timeRuns(RUNS, 30, () => setup.query(read));
    const runner = await timeRuns(RUNS, 30, () => db.read('bench', (tx) => tx.query(read)));
    const bareExplain = await timeRuns(RUNS, 30, () => setup.query(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${point}`));
    const runnerExplain = await timeRuns(RUNS, 30, () => db.explain(point, [], { analyze: true, buffers: true }));

    const line = (name: string, t: number[], base?: number[]) =>
      console.log(
        `${name.padEnd(44)} median ${fmt(median(t)).padStart(9)}  p95 ${fmt(percentile(t, 95)).padStart(9)}` +
          (base ? `  ratio ${(median(t) / median(base)).toFixed(2)}` : ''),
      );
    console.log(`PostgreSQL ${server.major}, ${RUNS} runs each after 30 warm-up runs`);
    line('catalog read, bare pg client (baseline)', bare);
    line('catalog read, safe runner (3 round trips)', runner, bare);
    line('EXPLAIN ANALYZE point query, bare (baseline)', bareExplain);
    line('EXPLAIN ANALYZE point query, safe runner', runnerExplain, bareExplain);
    await db.close();
    await setup.end();
  } finally {
    await server.stop();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});

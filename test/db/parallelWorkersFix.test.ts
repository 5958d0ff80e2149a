/**
 * workers-not-launched when the pool of parallel workers is used up by
 * another query, proven on servers of this suite's own (embedded PostgreSQL
 * 18, and Debian's 15 when installed): one session's parallel query holds
 * both workers max_parallel_workers allows, the explained statement gets
 * none, the tip offers to raise max_parallel_workers with ALTER SYSTEM, and
 * once applied as offered the same statement, with the other query still
 * running, gets its workers.
 */
import assert from 'node:assert/strict';
import type { Client } from 'pg';
import { analysePlan, type AnalysedPlan } from '../../src/core/plan';
import { loadSqlParser } from '../../src/core/sql/parser';
import type { TestServer } from '../support/postgres';
import { PRIVATE_SERVERS, applyOffered, superuserOn } from './health/private-server';
import { until } from './health/support';

const PARALLEL = "SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0; SET max_parallel_workers_per_gather = 2";
const STATEMENT = 'SELECT count(*) FROM orders WHERE amount > 50';

for (const { title, start } of PRIVATE_SERVERS) {
  describe(`workers-not-launched, its ALTER SYSTEM applied as offered, on ${title} (db)`, function () {
    this.timeout(120_000);
    let server: TestServer | null = null;
    let admin: Client;

    before(async function () {
      this.timeout(120_000);
      await loadSqlParser();
      server = await start({ settings: { fsync: 'off' } });
      if (!server) return this.skip();
      await server.createDatabase('parallel_fix');
      admin = await superuserOn(server, 'parallel_fix');
      await admin.query(`
        CREATE TABLE orders (id int PRIMARY KEY, amount int NOT NULL);
        INSERT INTO orders SELECT g, g % 100 FROM generate_series(1, 200000) g;
        CREATE TABLE slow (id int PRIMARY KEY);
        INSERT INTO slow SELECT g FROM generate_series(1, 3000) g;
        -- Parallel safe, so that the workers run it: each row waits 3 ms.
        CREATE FUNCTION nap(int) RETURNS boolean LANGUAGE plpgsql PARALLEL SAFE AS $$ BEGIN PERFORM pg_sleep(0.003); RETURN true; END $$;`);
      await admin.query('VACUUM ANALYZE orders');
      await admin.query('VACUUM ANALYZE slow');
      await admin.query("ALTER SYSTEM SET max_parallel_workers = 2");
      await admin.query('SELECT pg_reload_conf()');
    });

    after(async function () {
      this.timeout(60_000);
      await admin?.query('ALTER SYSTEM RESET max_parallel_workers').catch(() => undefined);
      await admin?.end().catch(() => undefined);
      await server?.stop();
    });

    async function explained(c: Client): Promise<AnalysedPlan> {
      const r = await c.query<{ 'QUERY PLAN': unknown }>(`EXPLAIN (ANALYZE, BUFFERS, SETTINGS, FORMAT JSON) ${STATEMENT}`);
      return analysePlan(r.rows[0]!['QUERY PLAN']);
    }

    it('raises the pool as offered, and the statement gets its workers while the other query still runs', async () => {
      const holder = await superuserOn(server!, 'parallel_fix');
      const probe = await superuserOn(server!, 'parallel_fix');
      try {
        for (const c of [holder, probe]) for (const statement of PARALLEL.split('; ')) await c.query(statement);
        await until('the reloaded max_parallel_workers', async () => ((await probe.query<{ v: string }>("SELECT current_setting('max_parallel_workers') AS v")).rows[0]!.v === '2' ? true : undefined), 10_000, 100);
        const running = holder.query('SELECT count(*) FROM slow WHERE nap(id)');
        await until('the other query to hold both workers', async () => {
          const r = await admin.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_stat_activity WHERE backend_type = 'parallel worker'");
          return r.rows[0]!.n >= 2 ? true : undefined;
        }, 10_000, 50);
        const before = await explained(probe);
        const tip = before.tips.find((t) => t.id === 'workers-not-launched');
        assert.ok(tip, before.text);
        assert.match(tip.action.sql ?? '', /^ALTER SYSTEM SET max_parallel_workers = 8;\nSELECT pg_reload_conf\(\);$/);
        await applyOffered(admin, tip.action.sql);
        await until('the raised max_parallel_workers', async () => ((await probe.query<{ v: string }>("SELECT current_setting('max_parallel_workers') AS v")).rows[0]!.v === '8' ? true : undefined), 10_000, 100);
        const stillRunning = (await admin.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_stat_activity WHERE backend_type = 'parallel worker'")).rows[0]!.n;
        const after = await explained(probe);
        assert.ok(stillRunning >= 2, 'the other query still held its workers');
        assert.ok(!after.tips.some((t) => t.id === 'workers-not-launched'), after.text);
        const gather = after.plan.nodes.find((n) => n.nodeType === 'Gather');
        assert.equal(gather?.workers?.launched, 2);
        await running;
      } finally {
        await holder.end();
        await probe.end();
      }
    });
  });
}

/**
 * Every fix the health report offers as SQL, proven: for each check, the
 * condition is created for real on a server of the test's own (embedded
 * PostgreSQL 18, and Debian's 15 when it is installed), the check reports
 * it, exactly the offered SQL is run (one statement at a time, as psql would
 * send it, so CONCURRENTLY works), and the check re-run no longer reports it.
 * Where the fix is meant to let something work again (an insert past the
 * integer limit), that is tried too.
 */
import assert from 'node:assert/strict';
import type { Client } from 'pg';
import { duplicateIndexes } from '../../../src/core/health/checks/duplicate-indexes';
import { foreignKeysWithoutIndex } from '../../../src/core/health/checks/foreign-keys-without-index';
import { indexBloat } from '../../../src/core/health/checks/index-bloat';
import { invalidConstraints } from '../../../src/core/health/checks/invalid-constraints';
import { invalidIndexes } from '../../../src/core/health/checks/invalid-indexes';
import { missingIndexes } from '../../../src/core/health/checks/missing-indexes';
import { sequenceOverflow } from '../../../src/core/health/checks/sequence-overflow';
import { tableBloat } from '../../../src/core/health/checks/table-bloat';
import { tablesWithoutPrimaryKey } from '../../../src/core/health/checks/tables-without-primary-key';
import { unusedIndexes } from '../../../src/core/health/checks/unused-indexes';
import { vacuumAnalyzeStaleness } from '../../../src/core/health/checks/vacuum-analyze-staleness';
import { configurationReview } from '../../../src/core/health/checks/configuration-review';
import { pgStatStatements } from '../../../src/core/health/checks/pg-stat-statements';
import type { CheckResult, Finding, HealthCheck, HealthThresholds } from '../../../src/core/health';
import { loadSqlParser } from '../../../src/core/sql/parser';
import type { TestServer } from '../../support/postgres';
import { PRIVATE_SERVERS, applyOffered as apply, openHealthOn, superuserOn } from './private-server';
import { flushStats, runOne, until, untilCleared, untilFinding, type HealthDb } from './support';

for (const { title, start } of PRIVATE_SERVERS) {
  describe(`health checks: every offered fix applied and re-checked, ${title} (db)`, function () {
    this.timeout(60_000);
    let server: TestServer | null = null;
    let admin: Client;
    let h: HealthDb;
    let db = '';
    let counter = 0;

    before(async function () {
      this.timeout(120_000);
      await loadSqlParser();
      // track_io_timing stays out of the command line, where it would override the ALTER SYSTEM its case tests.
      server = await start({ settings: { fsync: 'off', synchronous_commit: 'off', track_io_timing: null } });
      if (!server) this.skip();
    });

    beforeEach(async function () {
      if (!server) this.skip();
      // A database per case: no fix or condition leaks into the next.
      db = `fixes_${++counter}`;
      await server.createDatabase(db);
      admin = await superuserOn(server, db);
      h = await openHealthOn(server, db);
    });

    afterEach(async () => {
      await h?.close();
      await admin?.end().catch(() => undefined);
    });

    after(async function () {
      this.timeout(60_000);
      await server?.stop();
    });

    /** The finding on `object`, waiting for statistics to be published. */
    async function reported(check: HealthCheck, object: string, t: Partial<HealthThresholds> = {}): Promise<Finding> {
      return (await untilFinding(h, check, object, t, 15_000)).finding;
    }

    const cleared = (check: HealthCheck, object: string, t: Partial<HealthThresholds> = {}): Promise<CheckResult> => untilCleared(h, check, object, t);

    const flush = () => flushStats(admin);

    /** A server setting changed for one case, and reset after it, whatever the outcome. */
    async function withSystemSetting(name: string, value: string, fn: () => Promise<void>): Promise<void> {
      await admin.query(`ALTER SYSTEM SET ${name} = '${value}'`);
      await admin.query('SELECT pg_reload_conf()');
      try {
        await fn();
      } finally {
        await admin.query(`ALTER SYSTEM RESET ${name}`);
        await admin.query('SELECT pg_reload_conf()');
      }
    }

    it('sequence-overflow: a serial key at 93 % widens column, sequence and referencing key; the insert past 2,147,483,647 then succeeds', async () => {
      await admin.query(`
        CREATE TABLE accounts (id serial PRIMARY KEY, name text);
        CREATE TABLE entries (id bigserial PRIMARY KEY, account_id integer REFERENCES accounts (id));
        SELECT setval('accounts_id_seq', 2000000000);`);
      const finding = await reported(sequenceOverflow, 'public.accounts.id');
      await apply(admin, finding.remediation?.sql);
      await admin.query("SELECT setval('accounts_id_seq', 2147483647)");
      const inserted = await admin.query<{ id: string }>("INSERT INTO accounts (name) VALUES ('past the limit') RETURNING id");
      assert.equal(inserted.rows[0]?.id, '2147483648');
      await admin.query('INSERT INTO entries (account_id) VALUES (2147483648)');
      await cleared(sequenceOverflow, 'public.accounts.id');
      assert.equal((await runOne(h, sequenceOverflow)).status, 'ok');
    });

    it('invalid-indexes: a unique build failed on duplicates is dropped (a REINDEX would fail again), and no invalid index is left', async () => {
      await admin.query("CREATE TABLE people (id int PRIMARY KEY, email text); INSERT INTO people SELECT g, 'same@example.com' FROM generate_series(1, 100) g;");
      await assert.rejects(admin.query('CREATE UNIQUE INDEX CONCURRENTLY people_email_key ON people (email)'), /could not create unique index/);
      const finding = await reported(invalidIndexes, 'public.people_email_key');
      assert.match(finding.message, /writes do not maintain it yet/);
      await assert.rejects(admin.query('REINDEX INDEX CONCURRENTLY people_email_key'), /could not create unique index/, 'the fix offered before fails');
      // That failed REINDEX left its own leftover, which is dropped too.
      const leftover = (await runOne(h, invalidIndexes)).findings.find((f) => /_ccnew/.test(f.object));
      assert.ok(leftover, 'the failed REINDEX leaves a _ccnew index');
      await apply(admin, leftover.remediation?.sql);
      await apply(admin, finding.remediation?.sql);
      assert.equal((await cleared(invalidIndexes, 'public.people_email_key')).status, 'ok');
    });

    it('invalid-indexes: a cancelled build of a plain index is rebuilt in place', async () => {
      await admin.query(`
        CREATE TABLE readings (id int PRIMARY KEY, v int);
        INSERT INTO readings SELECT g, g FROM generate_series(1, 200) g;
        -- An expression that takes a while per row, so that the build can be cancelled midway.
        CREATE FUNCTION slow_id(int) RETURNS int IMMUTABLE LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(0.005); RETURN $1; END $$;`);
      await admin.query("SET statement_timeout = '300ms'");
      await assert.rejects(admin.query('CREATE INDEX CONCURRENTLY readings_slow_idx ON readings (slow_id(v))'), /statement timeout/);
      await admin.query('RESET statement_timeout');
      const finding = await reported(invalidIndexes, 'public.readings_slow_idx');
      assert.equal(finding.remediation?.sql, 'REINDEX INDEX CONCURRENTLY public.readings_slow_idx;');
      await apply(admin, finding.remediation?.sql);
      assert.equal((await cleared(invalidIndexes, 'public.readings_slow_idx')).status, 'ok');
    });

    it('vacuum-analyze-staleness: dead rows on a table with autovacuum off are vacuumed and autovacuum is turned back on', async () => {
      await admin.query(`
        CREATE TABLE churn (id int PRIMARY KEY, payload text) WITH (autovacuum_enabled = off);
        INSERT INTO churn SELECT g, 'x' FROM generate_series(1, 20000) g;
        UPDATE churn SET payload = 'y';
        UPDATE churn SET payload = 'z';`);
      await flush();
      await admin.query('ANALYZE churn');
      const finding = await reported(vacuumAnalyzeStaleness, 'public.churn');
      assert.match(finding.message, /dead rows/);
      await apply(admin, finding.remediation?.sql);
      await cleared(vacuumAnalyzeStaleness, 'public.churn');
      const options = await admin.query<{ reloptions: string[] | null }>("SELECT reloptions FROM pg_class WHERE relname = 'churn'");
      assert.equal(options.rows[0]?.reloptions, null, 'autovacuum is no longer disabled on the table');
    });

    it('vacuum-analyze-staleness: a table never analysed (autovacuum off for it) is analysed', async () => {
      await admin.query("CREATE TABLE fresh (id int PRIMARY KEY, v text) WITH (autovacuum_enabled = off); INSERT INTO fresh SELECT g, g::text FROM generate_series(1, 5000) g;");
      await flush();
      const result = await runOne(h, vacuumAnalyzeStaleness);
      const never = result.findings.find((f) => f.object === 'public.fresh' && /never been analysed/.test(f.message));
      assert.ok(never, JSON.stringify(result.findings));
      assert.equal(never.severity, 'warning');
      await apply(admin, never.remediation?.sql);
      await until('the ANALYZE to be recorded', async () => !(await runOne(h, vacuumAnalyzeStaleness)).findings.some((f) => /never been analysed/.test(f.message)));
    });

    it('vacuum-analyze-staleness: dead rows on a table autovacuum may visit are vacuumed, and it is told to come sooner', async () => {
      // Autovacuum stays on for the table (the finding for a table it reaches); off for the server while the case runs, so that it does not clean up first.
      await withSystemSetting('autovacuum', 'off', async () => {
      await admin.query(`
        CREATE TABLE busy (id int PRIMARY KEY, payload text);
        INSERT INTO busy SELECT g, 'x' FROM generate_series(1, 20000) g;
        UPDATE busy SET payload = 'y';`);
      await flush();
      await admin.query('ANALYZE busy');
      const finding = await reported(vacuumAnalyzeStaleness, 'public.busy');
      assert.match(finding.remediation?.sql ?? '', /autovacuum_vacuum_scale_factor = 0\.05/);
      await apply(admin, finding.remediation?.sql);
      await cleared(vacuumAnalyzeStaleness, 'public.busy');
      const options = await admin.query<{ reloptions: string[] | null }>("SELECT reloptions FROM pg_class WHERE relname = 'busy'");
      assert.deepEqual(options.rows[0]?.reloptions, ['autovacuum_vacuum_scale_factor=0.05']);
      });
    });

    it('vacuum-analyze-staleness: statistics gone stale after most rows changed are refreshed', async () => {
      await admin.query(`
        CREATE TABLE drifting (id int PRIMARY KEY, v int) WITH (autovacuum_enabled = off);
        INSERT INTO drifting SELECT g, g FROM generate_series(1, 10000) g;`);
      await flush();
      await admin.query('VACUUM ANALYZE drifting');
      await admin.query('UPDATE drifting SET v = v + 1 WHERE id <= 8000');
      await flush();
      const { finding } = await untilFinding(h, vacuumAnalyzeStaleness, 'public.drifting', {}, 15_000);
      const stale = (await runOne(h, vacuumAnalyzeStaleness)).findings.find((f) => f.object === 'public.drifting' && /statistics are stale/.test(f.message));
      assert.ok(stale, JSON.stringify(finding));
      await apply(admin, stale.remediation?.sql);
      await until('the stale statistics to be refreshed', async () => !(await runOne(h, vacuumAnalyzeStaleness)).findings.some((f) => f.object === 'public.drifting' && /statistics are stale/.test(f.message)), 15_000, 200);
    });

    it('sequence-overflow: sequences that feed no column are widened or given the bigint limit as offered, and go past the old one', async () => {
      await admin.query(`
        CREATE SEQUENCE small_seq AS integer;
        SELECT setval('small_seq', 2000000000);
        CREATE SEQUENCE capped_seq AS bigint MAXVALUE 1000000;
        SELECT setval('capped_seq', 950000);
        CREATE SEQUENCE falling_seq AS bigint INCREMENT -1 MINVALUE -1000000 MAXVALUE -1 START -1;
        SELECT setval('falling_seq', -950000);`);
      for (const [name, limit, past] of [['small_seq', '2147483647', '2147483648'], ['capped_seq', '1000000', '1000001'], ['falling_seq', '-1000000', '-1000001']] as const) {
        const finding = await reported(sequenceOverflow, `public.${name}`);
        await apply(admin, finding.remediation?.sql);
        // At the old limit, the next value is one the old definition refused.
        await admin.query(`SELECT setval('${name}', ${limit})`);
        const next = await admin.query<{ v: string }>(`SELECT nextval('${name}')::text AS v`);
        assert.equal(next.rows[0]?.v, past, `${name} goes past its old limit`);
      }
      for (const sequence of ['public.small_seq', 'public.capped_seq', 'public.falling_seq']) await cleared(sequenceOverflow, sequence);
    });

    it('duplicate-indexes and unused-indexes: the index dropped concurrently is gone from both', async () => {
      await admin.query(`
        CREATE TABLE customers (id int PRIMARY KEY, region text);
        INSERT INTO customers SELECT g, 'r' || (g % 7) FROM generate_series(1, 2000) g;
        CREATE INDEX customers_region_a ON customers (region);
        CREATE INDEX customers_region_b ON customers (region);
        ANALYZE customers;`);
      const duplicate = await reported(duplicateIndexes, 'public.customers_region_b');
      await apply(admin, duplicate.remediation?.sql);
      await cleared(duplicateIndexes, 'public.customers_region_b');
      const thresholds = { unusedIndexMinBytes: 0, unusedIndexMinStatsDays: 0 };
      const unused = await reported(unusedIndexes, 'public.customers_region_a', thresholds);
      await apply(admin, unused.remediation?.sql);
      await cleared(unusedIndexes, 'public.customers_region_a', thresholds);
    });

    it('foreign-keys-without-index: the index created concurrently serves the key', async () => {
      await admin.query(`
        CREATE TABLE parents (id int PRIMARY KEY);
        CREATE TABLE children (id int PRIMARY KEY, parent_id int NOT NULL REFERENCES parents (id));
        INSERT INTO parents SELECT generate_series(1, 1000);
        INSERT INTO children SELECT g, 1 + g % 1000 FROM generate_series(1, 20000) g;
        ANALYZE;`);
      const finding = await reported(foreignKeysWithoutIndex, 'public.children (parent_id)');
      await apply(admin, finding.remediation?.sql);
      await cleared(foreignKeysWithoutIndex, 'public.children (parent_id)');
    });

    it('invalid-constraints and tables-without-primary-key: the constraint validated, the unique index promoted', async () => {
      await admin.query(`
        CREATE TABLE notes (id int PRIMARY KEY, body text);
        INSERT INTO notes SELECT g, 'n' || g FROM generate_series(1, 100) g;
        ALTER TABLE notes ADD CONSTRAINT notes_body_short CHECK (length(body) < 100) NOT VALID;
        -- a UNIQUE constraint (its index cannot be promoted), a bare unique index, and no key at all beside a column named id
        CREATE TABLE tags (name text NOT NULL, CONSTRAINT tags_name_key UNIQUE (name));
        CREATE TABLE codes (code text NOT NULL);
        CREATE UNIQUE INDEX codes_code_idx ON codes (code);
        CREATE TABLE events (id int, payload text);
        INSERT INTO events SELECT 1, 'same id' FROM generate_series(1, 10);`);
      const constraint = await reported(invalidConstraints, 'public.notes notes_body_short');
      await apply(admin, constraint.remediation?.sql);
      await cleared(invalidConstraints, 'public.notes notes_body_short');
      for (const table of ['public.tags', 'public.codes', 'public.events']) {
        const key = await reported(tablesWithoutPrimaryKey, table);
        await apply(admin, key.remediation?.sql);
        await cleared(tablesWithoutPrimaryKey, table);
      }
      assert.equal((await runOne(h, tablesWithoutPrimaryKey)).status, 'ok');
    });

    it('table-bloat and index-bloat: the rewrite offered gives the space back', async () => {
      await admin.query(`
        CREATE TABLE sparse (id int PRIMARY KEY, val int NOT NULL) WITH (autovacuum_enabled = off);
        INSERT INTO sparse SELECT g, g FROM generate_series(1, 100000) g;
        CREATE INDEX sparse_val_idx ON sparse (val);
        DELETE FROM sparse WHERE id % 10 <> 0;`);
      await admin.query('VACUUM sparse');
      await admin.query('ANALYZE sparse');
      const thresholds = { bloatMinBytes: 0 };
      const table = await reported(tableBloat, 'public.sparse', thresholds);
      await apply(admin, table.remediation?.sql);
      await cleared(tableBloat, 'public.sparse', thresholds);
      // VACUUM FULL rebuilt the indexes as well; bloat them again for the index check.
      await admin.query('INSERT INTO sparse SELECT g, g FROM generate_series(100001, 200000) g; DELETE FROM sparse WHERE id > 100000 AND id % 10 <> 0;');
      await admin.query('VACUUM sparse');
      await admin.query('ANALYZE sparse');
      const index = await reported(indexBloat, 'public.sparse_val_idx', thresholds);
      await apply(admin, index.remediation?.sql);
      await cleared(indexBloat, 'public.sparse_val_idx', thresholds);
    });

    it('missing-indexes: the index named from the busiest statement makes the planner use it', async () => {
      await admin.query(`
        CREATE EXTENSION IF NOT EXISTS pg_stat_statements;
        CREATE TABLE orders (id int PRIMARY KEY, customer_ref text, total numeric);
        INSERT INTO orders SELECT g, 'c' || (g % 5000), g FROM generate_series(1, 50000) g;
        ANALYZE orders;`);
      const busy = await superuserOn(server as TestServer, db);
      try {
        // No parallel workers: this case counts plain scans (the unit tests cover worker counting).
        await busy.query('SET max_parallel_workers_per_gather = 0');
        for (let i = 0; i < 15; i++) await busy.query('SELECT * FROM orders WHERE customer_ref = $1', [`c${i}`]);
      } finally {
        await busy.end();
      }
      const finding = await reported(missingIndexes, 'public.orders');
      assert.equal(finding.remediation?.sql, 'CREATE INDEX CONCURRENTLY ON public.orders (customer_ref);');
      const before = await admin.query<{ 'QUERY PLAN': string }>("EXPLAIN SELECT * FROM orders WHERE customer_ref = 'c1'");
      await apply(admin, finding.remediation?.sql);
      const after = await admin.query<{ 'QUERY PLAN': string }>("EXPLAIN SELECT * FROM orders WHERE customer_ref = 'c1'");
      const plan = (r: typeof after) => r.rows.map((x) => x['QUERY PLAN']).join('\n');
      assert.match(plan(before), /Seq Scan on orders/);
      assert.match(plan(after), /Index Scan|Bitmap Index Scan/);
      // The counters are cumulative: reset, the table is no longer reported for the same workload.
      await admin.query("SELECT pg_stat_reset_single_table_counters('orders'::regclass)");
      const again = await superuserOn(server as TestServer, db);
      try {
        for (let i = 0; i < 15; i++) await again.query('SELECT * FROM orders WHERE customer_ref = $1', [`c${i}`]);
      } finally {
        await again.end();
      }
      await cleared(missingIndexes, 'public.orders');
    });

    it('configuration-review: a setting changed as offered, and reloaded, is no longer reported', async () => {
      await withSystemSetting('random_page_cost', '4', async () => {
        const finding = await reported(configurationReview, 'random_page_cost');
        await apply(admin, finding.remediation?.sql);
        await cleared(configurationReview, 'random_page_cost');
      });
    });

    // Each setting the review offers a statement for, set to the value it reports, then fixed as offered.
    for (const [name, bad] of [['work_mem', '256MB'], ['maintenance_work_mem', '16MB'], ['autovacuum', 'off'], ['track_counts', 'off'], ['track_io_timing', 'off'], ['log_min_duration_statement', '-1'], ['jit', 'on']] as const) {
      it(`configuration-review: ${name} = ${bad} is changed as offered and no longer reported`, async () => {
        await withSystemSetting(name, bad, async () => {
          const finding = await reported(configurationReview, name);
          assert.doesNotMatch(finding.remediation?.sql ?? '', /</, 'no placeholder to fill in');
          await apply(admin, finding.remediation?.sql);
          await cleared(configurationReview, name);
        });
      });
    }

    it('configuration-review: effective_cache_size below shared_buffers is raised as offered', async () => {
      await withSystemSetting('effective_cache_size', '64MB', async () => {
        const finding = await reported(configurationReview, 'effective_cache_size');
        assert.match(finding.message, /smaller than shared_buffers/);
        await apply(admin, finding.remediation?.sql);
        await cleared(configurationReview, 'effective_cache_size');
      });
    });

    it('pg-stat-statements: the extension created as offered records statements', async () => {
      await admin.query('DROP EXTENSION IF EXISTS pg_stat_statements');
      const finding = await reported(pgStatStatements, 'pg_stat_statements');
      await apply(admin, finding.remediation?.sql);
      const result = await cleared(pgStatStatements, 'pg_stat_statements');
      assert.match(result.summary, /is recording/);
    });
  });
}

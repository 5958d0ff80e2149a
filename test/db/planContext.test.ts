/**
 * The catalog facts read after an EXPLAIN for the plan's tips: table
 * statistics and the foreign keys pointing at the plan's tables; and, end to
 * end, the stale-statistics and fk-trigger tips firing on a real plan with
 * them (and not without them), read standalone and inside the EXPLAIN's own
 * transaction.
 */
import assert from 'node:assert/strict';
import type { Client } from 'pg';
import { analysePlan, enrichPlan, parseExplain } from '../../src/core/plan';
import { firstLine } from '../../src/db/redact';
import { PLAN_CONTEXT_SQL, planTables, readPlanContext } from '../../src/db/planContext';
import type { Database } from '../../src/db/types';
import { adminClient, openDatabase, until, type CapturingLog } from './helpers';
import { testServer } from './server';

const DB = 'pgi_plan_context';

const STALE_DELETE = "DELETE FROM accounts WHERE id <= 200 AND name LIKE '%!'";

describe('db: plan context', () => {
  let db: Database;
  let log: CapturingLog;
  let admin: Client;

  before(async () => {
    await testServer().createDatabase(DB);
    admin = await adminClient(DB);
    await admin.query(`
      CREATE SCHEMA other;
      -- Autovacuum kept off: the statistics must stay stale while the tests read them.
      CREATE TABLE accounts (id int PRIMARY KEY, name text NOT NULL) WITH (autovacuum_enabled = off);
      CREATE TABLE other.accounts (id int PRIMARY KEY);
      -- No index on account_id: each deleted account scans the whole table for its entries.
      CREATE TABLE entries (id int PRIMARY KEY, account_id int NOT NULL REFERENCES accounts ON DELETE CASCADE, amount int NOT NULL);
      -- A composite key whose columns come in another order than the table's.
      CREATE TABLE pairs (a int, b int, PRIMARY KEY (a, b));
      CREATE TABLE pair_refs (x int, y int, z int, FOREIGN KEY (z, x) REFERENCES pairs (a, b));
      -- Two levels of partitions: a plan names the leaves, the reader and the index advice need the root.
      CREATE TABLE readings (taken_on date NOT NULL, sensor int NOT NULL) PARTITION BY RANGE (taken_on);
      CREATE TABLE readings_2025 PARTITION OF readings FOR VALUES FROM ('2025-01-01') TO ('2026-01-01') PARTITION BY RANGE (taken_on);
      CREATE TABLE readings_2025_h1 PARTITION OF readings_2025 FOR VALUES FROM ('2025-01-01') TO ('2025-07-01');
      CREATE TABLE readings_2025_h2 PARTITION OF readings_2025 FOR VALUES FROM ('2025-07-01') TO ('2026-01-01');
      CREATE TABLE readings_2026 PARTITION OF readings FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
      INSERT INTO accounts SELECT g, 'account ' || g FROM generate_series(1, 2000) g;
      INSERT INTO entries SELECT g, 1 + g % 2000, g FROM generate_series(1, 100000) g;
      ANALYZE accounts;
      ANALYZE entries;
      -- Then most of the accounts change: their statistics are stale.
      UPDATE accounts SET name = name || '!' WHERE id <= 1500;
    `);
    // Publish this session's counters now rather than within the next second.
    await admin.query('SELECT pg_stat_force_next_flush()');
    await admin.query('SELECT 1');
    await until('the updates in pg_stat_user_tables', async () => {
      const r = await admin.query<{ n: string }>("SELECT n_mod_since_analyze AS n FROM pg_stat_user_tables WHERE relname = 'accounts' AND schemaname = 'public'");
      return Number(r.rows[0]?.n ?? 0) >= 1500;
    });
    ({ db, log } = openDatabase(DB));
  });

  after(async () => {
    await db?.close();
    await admin?.end();
  });

  it('reads the statistics of the named tables, in the named schema only', async () => {
    const context = await readPlanContext(db, [{ schema: 'public', name: 'accounts' }, { name: 'entries' }]);
    const stats = [...(context.tableStats ?? [])].sort((a, b) => a.table.localeCompare(b.table));
    assert.deepEqual(stats.map((s) => `${s.schema}.${s.table}`), ['public.accounts', 'public.entries']);
    const accounts = stats[0]!;
    assert.equal(accounts.liveTuples, 2000);
    assert.ok(accounts.modsSinceAnalyze >= 1500, String(accounts.modsSinceAnalyze));
    assert.ok(accounts.lastAnalyze !== null && !Number.isNaN(Date.parse(accounts.lastAnalyze)));
    assert.ok(context.now && !Number.isNaN(Date.parse(context.now)));
  });

  it('reads the foreign keys that point at the named tables', async () => {
    const context = await readPlanContext(db, [{ name: 'accounts' }]);
    assert.deepEqual(context.foreignKeys, [{
      constraintName: 'entries_account_id_fkey',
      schema: 'public',
      table: 'entries',
      columns: ['account_id'],
      referencedSchema: 'public',
      referencedTable: 'accounts',
      indexed: false,
    }]);
    assert.deepEqual((await readPlanContext(db, [{ name: 'entries' }])).foreignKeys, []);
    const pairs = await readPlanContext(db, [{ name: 'pairs' }]);
    assert.deepEqual(pairs.foreignKeys?.map((k) => [k.table, k.columns, k.indexed]), [['pair_refs', ['z', 'x'], false]]);
    // An index whose first keys are the referencing columns, in any order, serves the trigger's lookup; one led by another column does not.
    await admin.query('CREATE INDEX pair_refs_y_x_z_idx ON pair_refs (y, x, z)');
    assert.equal((await readPlanContext(db, [{ name: 'pairs' }])).foreignKeys?.[0]?.indexed, false);
    await admin.query('CREATE INDEX pair_refs_x_z_idx ON pair_refs (x, z, y)');
    assert.equal((await readPlanContext(db, [{ name: 'pairs' }])).foreignKeys?.[0]?.indexed, true);
  });

  it('reads the partitioned table at the root of each partition the plan names', async () => {
    const context = await readPlanContext(db, [{ name: 'readings_2025_h1' }, { name: 'readings_2026' }, { name: 'accounts' }]);
    const rows = [...(context.partitions ?? [])].sort((a, b) => a.table.localeCompare(b.table));
    assert.deepEqual(rows, [
      { schema: 'public', table: 'readings_2025_h1', rootSchema: 'public', rootTable: 'readings', leafPartitions: 3 },
      { schema: 'public', table: 'readings_2026', rootSchema: 'public', rootTable: 'readings', leafPartitions: 3 },
    ]);
  });

  it('needs no query for a plan without tables', async () => {
    const context = await readPlanContext(db, []);
    assert.equal(context.tableStats, undefined);
    assert.ok(context.now);
  });

  it('lets the stale-statistics and fk-trigger tips fire on a real plan', async () => {
    // Names ending in '!' came after the last ANALYZE: the estimate misses them by as many rows as changed.
    const r = await db.explain(STALE_DELETE, [], { analyze: true, buffers: true }, { confirmWrite: () => Promise.resolve(true) });
    assert.equal(r.rolledBack, true);
    const enriched = enrichPlan(parseExplain(r.plan));
    const tables = [
      ...enriched.nodes.flatMap((n) => (n.relation ? [{ schema: n.relation.schema, name: n.relation.name }] : [])),
      ...enriched.totals.triggers.flatMap((t) => (t.relation ? [{ name: t.relation }] : [])),
    ];
    const context = await readPlanContext(db, tables);
    const ids = analysePlan(r.plan, context).tips.map((t) => t.id);
    assert.ok(ids.includes('stale-statistics'), ids.join());
    assert.ok(ids.includes('fk-trigger'), ids.join());
    const fk = analysePlan(r.plan, context).tips.find((t) => t.id === 'fk-trigger');
    assert.deepEqual(fk?.indexCandidate, { schema: 'public', table: 'entries', columns: ['account_id'] });
    const without = analysePlan(r.plan).tips.map((t) => t.id);
    assert.ok(!without.includes('stale-statistics'), without.join());
  });

  it('collects the plan\'s tables, with their schema when VERBOSE names it, and those its triggers name', async () => {
    const r = await db.explain('DELETE FROM accounts WHERE id <= 10', [], { analyze: true, verbose: true }, { confirmWrite: () => Promise.resolve(true) });
    const names = planTables(r.plan).map((t) => `${t.schema ?? '(any schema)'}.${t.name}`);
    // The delete and its scan name public.accounts; the foreign key's trigger names only the table.
    assert.deepEqual([...new Set(names)].sort(), ['(any schema).accounts', 'public.accounts']);
  });

  it('is read inside a rolled-back write\'s transaction, before the ROLLBACK, and shows the table as it stands', async () => {
    const standalone = await readPlanContext(db, [{ schema: 'public', name: 'accounts' }]);
    const before = standalone.tableStats?.[0]?.modsSinceAnalyze;
    const r = await db.explain(STALE_DELETE, [], { analyze: true, buffers: true }, { confirmWrite: () => Promise.resolve(true), withContext: true });
    assert.equal(r.rolledBack, true);
    const sent = log.statements.slice(-4).map((s) => s.firstLine);
    assert.match(sent[0]!, /^BEGIN READ WRITE/);
    assert.equal(sent[1], r.explainSql);
    assert.equal(sent[2], firstLine(PLAN_CONTEXT_SQL));
    assert.equal(sent[3], 'ROLLBACK');
    const context = r.context;
    assert.ok(context);
    const accounts = context.tableStats?.find((t) => t.schema === 'public' && t.table === 'accounts');
    // The 200 deletes (and the cascade's) change neither count: a rolled-back write is no modification.
    assert.equal(accounts?.modsSinceAnalyze, before);
    assert.equal(accounts?.liveTuples, 2000);
    const ids = analysePlan(r.plan, context).tips.map((t) => t.id);
    assert.ok(ids.includes('stale-statistics'), ids.join());
    assert.ok(ids.includes('fk-trigger'), ids.join());
    // No transaction of ours is left open.
    const open = await admin.query<{ n: string }>("SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = 'pg-insight' AND state LIKE 'idle in transaction%'");
    assert.equal(open.rows[0]?.n, '0');
  });

  it('a failed context read keeps the plan and warns; the transaction still ends', async () => {
    // Without the privilege on pg_constraint (per database, so only this test's) the context read fails for real.
    await admin.query("DO $$ BEGIN CREATE ROLE pgi_ctx_reader LOGIN PASSWORD 'reader'; EXCEPTION WHEN duplicate_object THEN NULL; END $$");
    await admin.query(`GRANT SELECT ON accounts TO pgi_ctx_reader; REVOKE SELECT ON pg_catalog.pg_constraint FROM PUBLIC`);
    try {
      const { db: reader, log: readerLog } = openDatabase(DB, { profile: { user: 'pgi_ctx_reader' }, password: 'reader' });
      try {
        // Without pg_constraint the catalog cannot say what the statement executes either, so ANALYZE asks first.
        const r = await reader.explain('SELECT * FROM accounts WHERE id = 3', [], { analyze: true }, { withContext: true, confirmWrite: () => Promise.resolve(true) });
        assert.ok(Array.isArray(r.plan));
        assert.equal(r.context, undefined);
        assert.ok(readerLog.lines.some((l) => /^warn Could not read table statistics for the plan's tips: /.test(l)), readerLog.lines.join('\n'));
        assert.equal(readerLog.statements.at(-1)?.firstLine, 'ROLLBACK');
      } finally {
        await reader.close();
      }
    } finally {
      await admin.query('GRANT SELECT ON pg_catalog.pg_constraint TO PUBLIC');
    }
  });
});

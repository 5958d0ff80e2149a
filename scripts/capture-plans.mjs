#!/usr/bin/env node
// Regenerates the plan fixtures under test/fixtures/plans/ from a real
// PostgreSQL: an embedded PostgreSQL 18 for most scenarios and, for the JIT
// scenario, Debian's PostgreSQL 15 (the embedded build ships without LLVM).
//
//   node esbuild.mjs && node scripts/capture-plans.mjs [--only name,name]
//
// Each scenario seeds what it needs, then runs its statement inside a
// transaction that is rolled back, with its settings applied by SET LOCAL:
// once to warm the cache, once with FORMAT JSON and once with FORMAT TEXT.
// Three files are written per scenario:
//   <name>.json       the FORMAT JSON output exactly as the server returned it
//   <name>.txt        the FORMAT TEXT output of a second run (same options)
//   <name>.meta.json  the statement, settings, server version and, where a
//                     rule needs it, the context read from the catalog
// Autovacuum is off so that statistics and visibility only change when a
// scenario says so.
import { createRequire } from 'node:module';
import { writeFileSync, mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { startEmbeddedPostgres, startDebianPostgres15 } = require(join(root, 'out/test/support/postgres.js'));
const { Client } = require('pg');

const outDir = join(root, 'test/fixtures/plans');
const ANALYZE_OPTIONS = 'ANALYZE, BUFFERS, VERBOSE, SETTINGS, WAL';
const COSTS_OPTIONS = 'VERBOSE, SETTINGS';
/** Keeps the server's JSON text as it was sent (pg would parse the json column into objects). */
const RAW_TEXT = { getTypeParser: () => (value) => value };

/** Shared tables, created once per server. */
const SEED = `
CREATE TABLE users (id int PRIMARY KEY, email text NOT NULL, name text NOT NULL, country text NOT NULL, created_at timestamptz NOT NULL, active boolean NOT NULL);
INSERT INTO users SELECT g, 'user' || g || '@example.com', 'User ' || md5(g::text), (ARRAY['fr','de','us','jp','br'])[1 + g % 5], timestamptz '2025-01-01' - g * interval '1 minute', g % 10 <> 0 FROM generate_series(1, 200000) g;
CREATE TABLE orders (id int PRIMARY KEY, user_id int NOT NULL REFERENCES users (id), status text NOT NULL, amount numeric(10,2) NOT NULL, created_at timestamptz NOT NULL);
INSERT INTO orders SELECT g, 1 + (g::bigint * 7919) % 200000, (ARRAY['paid','paid','paid','shipped','shipped','pending','refunded'])[1 + g % 7], (g % 1000) / 10.0, timestamptz '2025-01-01' - (g % 50000) * interval '10 minutes' FROM generate_series(1, 300000) g;
CREATE INDEX orders_status_idx ON orders (status);
CREATE INDEX orders_created_at_idx ON orders (created_at);
VACUUM ANALYZE users;
VACUUM ANALYZE orders;
`;

/** A smaller seed for the PostgreSQL 15 server, which only runs the JIT scenario. */
const SEED_15 = `
CREATE TABLE orders (id int PRIMARY KEY, user_id int NOT NULL, status text NOT NULL, amount numeric(10,2) NOT NULL);
INSERT INTO orders SELECT g, 1 + g % 1000, (ARRAY['paid','shipped','pending'])[1 + g % 3], (g % 1000) / 10.0 FROM generate_series(1, 20000) g;
VACUUM ANALYZE orders;
`;

const scenarios = [
  {
    name: 'healthy-pk-lookup',
    description: 'A primary key lookup on an analysed, vacuumed table: no tip applies.',
    sql: 'SELECT id, email FROM users WHERE id = 42',
  },
  {
    name: 'healthy-join',
    description: 'A short nested loop over primary key lookups: no tip applies.',
    sql: 'SELECT o.id, o.amount, u.email FROM orders o JOIN users u ON u.id = o.user_id WHERE o.id BETWEEN 1 AND 20',
  },
  {
    name: 'no-analyze-join',
    description: 'EXPLAIN without ANALYZE: costs only.',
    analyze: false,
    sql: "SELECT u.country, count(*) FROM orders o JOIN users u ON u.id = o.user_id WHERE o.status = 'paid' GROUP BY u.country",
  },
  {
    name: 'timing-off',
    description: 'EXPLAIN ANALYZE with TIMING OFF: actual rows and loops without times.',
    options: 'ANALYZE, TIMING OFF, BUFFERS, VERBOSE, SETTINGS',
    sql: "SELECT id, name FROM users WHERE email = 'user4242@example.com'",
  },
  {
    name: 'disk-sort',
    description: 'A sort of 200,000 rows with work_mem = 64kB spills to disk (external merge).',
    settings: { work_mem: '64kB' },
    sql: 'SELECT id, name FROM users ORDER BY name',
  },
  {
    name: 'hash-batches',
    description: 'A hash join whose hash table does not fit in work_mem = 256kB: Batches > 1.',
    settings: { work_mem: '256kB', max_parallel_workers_per_gather: '0' },
    sql: 'SELECT u.country, count(*) FROM orders o JOIN users u ON u.id = o.user_id GROUP BY u.country',
  },
  {
    name: 'hashagg-spill',
    description: 'A hash aggregate over 200,000 groups with work_mem = 256kB spills to disk.',
    settings: { work_mem: '256kB', enable_sort: 'off', max_parallel_workers_per_gather: '0' },
    sql: 'SELECT user_id, count(*) FROM orders GROUP BY user_id',
  },
  {
    name: 'seq-scan-filter',
    description: 'A lookup by an unindexed column: the scan reads every row to keep one.',
    sql: "SELECT id, name FROM users WHERE email = 'user4242@example.com'",
  },
  {
    name: 'inefficient-index-scan',
    description: 'A primary key range scan whose filter on the unindexed user_id throws almost every row away.',
    settings: { max_parallel_workers_per_gather: '0' },
    sql: 'SELECT id, amount FROM orders WHERE id BETWEEN 100000 AND 160000 AND user_id = 4242',
  },
  {
    name: 'correlated-columns-misestimate',
    description: 'Three perfectly correlated columns: the planner multiplies their selectivities and underestimates.',
    setup: `
      CREATE TABLE addresses (id int PRIMARY KEY, city text NOT NULL, zip text NOT NULL, region text NOT NULL, street text NOT NULL);
      INSERT INTO addresses SELECT g, 'city' || g % 100, 'zip' || g % 100, 'region' || g % 100, 'street ' || g FROM generate_series(1, 100000) g;
      VACUUM ANALYZE addresses;`,
    sql: "SELECT count(*) FROM addresses WHERE city = 'city1' AND zip = 'zip1' AND region = 'region1'",
  },
  {
    name: 'nested-loop-misestimate',
    description: 'Correlated columns make the planner expect 12 sites where there are 5,000: it picks a nested loop that probes deliveries 5,000 times.',
    setup: `
      CREATE TABLE sites (id int PRIMARY KEY, city text NOT NULL, zip text NOT NULL, region text NOT NULL, street text NOT NULL);
      INSERT INTO sites SELECT g, 'city' || g % 20, 'zip' || g % 20, 'region' || g % 20, 'street ' || g FROM generate_series(1, 100000) g;
      CREATE TABLE deliveries (id int PRIMARY KEY, site_id int NOT NULL, note text NOT NULL);
      INSERT INTO deliveries SELECT g, 1 + (g * 37) % 100000, 'note ' || g FROM generate_series(1, 20000) g;
      CREATE INDEX deliveries_site_id_idx ON deliveries (site_id);
      VACUUM ANALYZE sites;
      VACUUM ANALYZE deliveries;`,
    settings: { max_parallel_workers_per_gather: '0' },
    sql: "SELECT s.street, d.note FROM sites s JOIN deliveries d ON d.site_id = s.id WHERE s.city = 'city1' AND s.zip = 'zip1' AND s.region = 'region1'",
  },
  {
    name: 'stale-statistics',
    description: 'events was analysed with 1,000 "old" rows, then 100,000 "new" rows arrived without ANALYZE.',
    setup: `
      CREATE TABLE events (id int PRIMARY KEY, kind text NOT NULL, payload text NOT NULL);
      INSERT INTO events SELECT g, 'old', 'payload ' || g FROM generate_series(1, 1000) g;
      ANALYZE events;
      INSERT INTO events SELECT g, 'new', 'payload ' || g FROM generate_series(1001, 101000) g;
      CREATE INDEX events_kind_idx ON events (kind);`,
    sql: "SELECT e.id, e.payload FROM events e WHERE e.kind = 'new' ORDER BY e.id",
    context: 'tableStats',
  },
  {
    name: 'fk-cascade-trigger',
    description: 'Deleting parents cascades to children, whose parent_id has no index: each cascade scans children.',
    setup: `
      CREATE TABLE parents (id int PRIMARY KEY, label text NOT NULL);
      INSERT INTO parents SELECT g, 'parent ' || g FROM generate_series(1, 2000) g;
      CREATE TABLE children (id int PRIMARY KEY, parent_id int NOT NULL REFERENCES parents (id) ON DELETE CASCADE, label text NOT NULL);
      INSERT INTO children SELECT g, 1 + g % 2000, 'child ' || g FROM generate_series(1, 200000) g;
      VACUUM ANALYZE parents;
      VACUUM ANALYZE children;`,
    sql: 'DELETE FROM parents WHERE id <= 40',
    context: 'foreignKeys',
  },
  {
    name: 'large-offset',
    description: 'OFFSET 100000: the first 100,000 rows are produced and thrown away.',
    sql: 'SELECT id, email FROM users ORDER BY id OFFSET 100000 LIMIT 20',
  },
  {
    name: 'lossy-bitmap',
    description: 'A bitmap heap scan over a quarter of the table with work_mem = 64kB: the bitmap goes lossy.',
    settings: { work_mem: '64kB', enable_seqscan: 'off', enable_indexscan: 'off', max_parallel_workers_per_gather: '0' },
    sql: "SELECT count(*) FROM orders WHERE status = 'shipped'",
  },
  {
    name: 'heap-fetches',
    description: 'An index-only scan after updates cleared the visibility map (no VACUUM since).',
    setup: `
      CREATE TABLE visits (id int PRIMARY KEY, user_id int NOT NULL, seen_at timestamptz NOT NULL);
      INSERT INTO visits SELECT g, g % 50000, timestamptz '2025-01-01' + g * interval '1 second' FROM generate_series(1, 200000) g;
      CREATE INDEX visits_user_id_idx ON visits (user_id);
      VACUUM ANALYZE visits;
      UPDATE visits SET seen_at = seen_at + interval '1 second' WHERE id % 3 = 0;`,
    settings: { max_parallel_workers_per_gather: '0' },
    sql: 'SELECT user_id FROM visits WHERE user_id BETWEEN 1000 AND 20000',
  },
  {
    name: 'read-efficiency',
    description: 'A table that lost 99% of its rows to DELETE without VACUUM: the scan reads mostly dead space.',
    setup: `
      CREATE TABLE bloated (id int PRIMARY KEY, payload text NOT NULL);
      INSERT INTO bloated SELECT g, repeat(md5(g::text), 3) FROM generate_series(1, 300000) g;
      VACUUM ANALYZE bloated;
      DELETE FROM bloated WHERE id % 100 <> 0;`,
    settings: { max_parallel_workers_per_gather: '0' },
    sql: "SELECT count(*) FROM bloated WHERE payload <> ''",
  },
  {
    name: 'workers-not-launched',
    description: 'Two workers planned, none launched: max_parallel_workers = 0.',
    settings: { max_parallel_workers: '0', max_parallel_workers_per_gather: '2', parallel_setup_cost: '0', parallel_tuple_cost: '0', min_parallel_table_scan_size: '0' },
    sql: 'SELECT count(*) FROM orders WHERE amount > 50',
  },
  {
    name: 'parallel-scan',
    description: 'A parallel aggregate with its workers launched.',
    settings: { max_parallel_workers_per_gather: '2', parallel_setup_cost: '0', parallel_tuple_cost: '0', min_parallel_table_scan_size: '0' },
    sql: 'SELECT status, count(*), sum(amount) FROM orders GROUP BY status',
  },
  {
    name: 'parallel-no-leader',
    description: 'A parallel scan with parallel_leader_participation = off: only the workers run the scan.',
    settings: { parallel_leader_participation: 'off', max_parallel_workers_per_gather: '2', parallel_setup_cost: '0', parallel_tuple_cost: '0', min_parallel_table_scan_size: '0' },
    sql: 'SELECT count(*) FROM orders WHERE amount > 50',
  },
  {
    name: 'modifying-cte',
    description: 'A data-modifying CTE nobody reads: it runs to completion after the main query (rolled back).',
    settings: { max_parallel_workers_per_gather: '0' },
    sql: 'WITH gone AS (DELETE FROM orders WHERE id <= 2000 RETURNING id) SELECT count(*) FROM users WHERE id <= 10',
  },
  {
    name: 'cte-scans',
    description: 'A materialised CTE read by two CTE scans: its time is counted in the CTE and again in the scans.',
    settings: { max_parallel_workers_per_gather: '0' },
    sql: 'WITH totals AS MATERIALIZED (SELECT user_id, sum(amount) AS total FROM orders WHERE id <= 20000 GROUP BY user_id) SELECT count(*) FROM totals a JOIN totals b ON b.user_id = a.user_id + 1',
  },
  {
    name: 'initplan',
    description: 'An uncorrelated scalar subquery runs once as an InitPlan.',
    settings: { max_parallel_workers_per_gather: '0' },
    sql: 'SELECT id FROM orders WHERE id <= 20000 AND amount > (SELECT avg(amount) FROM orders WHERE id <= 20000)',
  },
  {
    name: 'subplan',
    description: 'A correlated scalar subquery runs once per outer row as a SubPlan.',
    settings: { max_parallel_workers_per_gather: '0' },
    sql: 'SELECT u.id, (SELECT count(*) FROM orders o WHERE o.user_id = u.id) AS n FROM users u WHERE u.id <= 5',
  },
  {
    name: 'initplan-in-join',
    description: 'An InitPlan attached to the join but evaluated by the scan below it, whose filter references it.',
    setup: `
      CREATE TABLE customers (id int PRIMARY KEY, name text NOT NULL);
      INSERT INTO customers SELECT g, 'customer ' || g FROM generate_series(1, 1000) g;
      VACUUM ANALYZE customers;`,
    settings: { max_parallel_workers_per_gather: '0' },
    sql: 'SELECT c.name, o.amount FROM orders o JOIN customers c ON c.id = o.user_id WHERE o.amount > (SELECT avg(amount) * 1.9 FROM orders)',
  },
  {
    name: 'initplan-in-join-pg15',
    description: 'The same InitPlan on PostgreSQL 15, which names it "InitPlan 1 (returns $0)" and references it as $0.',
    server: 15,
    setup: `
      CREATE TABLE customers (id int PRIMARY KEY, name text NOT NULL);
      INSERT INTO customers SELECT g, 'customer ' || g FROM generate_series(1, 1000) g;
      VACUUM ANALYZE customers;`,
    settings: { max_parallel_workers_per_gather: '0' },
    sql: 'SELECT c.name, o.amount FROM orders o JOIN customers c ON c.id = o.user_id WHERE o.amount > (SELECT avg(amount) * 1.9 FROM orders)',
  },
  {
    name: 'never-executed',
    description: 'The outer side of a nested loop returns no row, so the inner side never runs.',
    sql: 'SELECT o.id, u.email FROM orders o JOIN users u ON u.id = o.user_id WHERE o.id = -1',
  },
  {
    name: 'hostile-identifiers',
    description: 'Identifiers and literals containing markup must stay plain text.',
    setup: `
      CREATE TABLE "<script>alert(1)</script>" (id int PRIMARY KEY, "<img src=x onerror=alert(2)>" text NOT NULL);
      INSERT INTO "<script>alert(1)</script>" SELECT g, '<b>' || g || '</b>' FROM generate_series(1, 1000) g;
      VACUUM ANALYZE "<script>alert(1)</script>";`,
    sql: `SELECT * FROM "<script>alert(1)</script>" AS "x</td>" WHERE "<img src=x onerror=alert(2)>" <> '<script>alert(3)</script>'`,
  },
  {
    name: 'insert-wal',
    description: 'An INSERT ... SELECT (rolled back) with WAL statistics.',
    setup: 'CREATE TABLE users_archive (LIKE users INCLUDING ALL);',
    sql: 'INSERT INTO users_archive SELECT * FROM users WHERE id <= 5000',
  },
  {
    name: 'jit-share',
    description: 'JIT forced on a small query (jit_above_cost = 0): compilation dominates. Captured on PostgreSQL 15: the embedded 18 build has no LLVM.',
    server: 15,
    settings: { jit: 'on', jit_above_cost: '0', jit_inline_above_cost: '0', jit_optimize_above_cost: '0', max_parallel_workers_per_gather: '0' },
    sql: "SELECT status, sum(amount), count(*) FROM orders WHERE user_id < 100 GROUP BY status",
  },
  {
    name: 'initplan-under-gather',
    description: 'An InitPlan attached to a Gather: the leader runs it before it starts the workers, so its time is inside the Gather, not in the nodes that reference it.',
    settings: { max_parallel_workers_per_gather: '2', parallel_setup_cost: '0', parallel_tuple_cost: '0', min_parallel_table_scan_size: '0' },
    sql: 'SELECT id, amount FROM orders WHERE amount > (SELECT avg(amount) * 1.99 FROM orders WHERE id <= 100000)',
  },
  {
    name: 'initplan-under-gather-pg15',
    description: 'The same InitPlan under a Gather on PostgreSQL 15 ("InitPlan 1 (returns $0)", referenced as $0).',
    server: 15,
    settings: { max_parallel_workers_per_gather: '2', parallel_setup_cost: '0', parallel_tuple_cost: '0', min_parallel_table_scan_size: '0' },
    sql: 'SELECT id, amount FROM orders WHERE amount > (SELECT avg(amount) * 1.99 FROM orders WHERE id <= 10000)',
  },
  {
    name: 'initplan-above-gather',
    description: 'An InitPlan attached above a Gather and referenced by the parallel scan below it: the Gather evaluates it before launching its workers, so its time is in the Gather, not in the scan.',
    settings: { max_parallel_workers_per_gather: '2', parallel_setup_cost: '0', parallel_tuple_cost: '0', min_parallel_table_scan_size: '0' },
    sql: 'SELECT count(*), sum(amount) FROM orders WHERE amount > (SELECT avg(amount) * 1.5 FROM orders WHERE id <= 100000)',
  },
  {
    name: 'initplan-above-gather-pg15',
    description: 'The same InitPlan above a Gather on PostgreSQL 15.',
    server: 15,
    settings: { max_parallel_workers_per_gather: '2', parallel_setup_cost: '0', parallel_tuple_cost: '0', min_parallel_table_scan_size: '0' },
    sql: 'SELECT count(*), sum(amount) FROM orders WHERE amount > (SELECT avg(amount) * 1.5 FROM orders WHERE id <= 10000)',
  },
  {
    name: 'memoize',
    description: 'A nested loop over 60,000 rows probing 100 tags through a Memoize: per-loop times round to 0.000 ms.',
    setup: `
      CREATE TABLE tags (id int PRIMARY KEY, name text NOT NULL);
      INSERT INTO tags SELECT g, 'tag ' || g FROM generate_series(1, 100) g;
      CREATE TABLE taggings (id int PRIMARY KEY, tag_id int NOT NULL);
      INSERT INTO taggings SELECT g, 1 + g % 100 FROM generate_series(1, 60000) g;
      VACUUM ANALYZE tags;
      VACUUM ANALYZE taggings;`,
    settings: { enable_hashjoin: 'off', enable_mergejoin: 'off', max_parallel_workers_per_gather: '0' },
    sql: 'SELECT count(t.name) FROM taggings g JOIN tags t ON t.id = g.tag_id',
  },
  {
    name: 'partition-pruning-runtime',
    description: 'A join into a table partitioned by month: partitions are pruned at run time, per outer row, so most partition scans never run.',
    setup: `
      CREATE TABLE measurements (id int NOT NULL, taken_on date NOT NULL, value numeric NOT NULL) PARTITION BY RANGE (taken_on);
      DO $$ BEGIN FOR m IN 0..11 LOOP EXECUTE format('CREATE TABLE measurements_m%s PARTITION OF measurements FOR VALUES FROM (%L) TO (%L)', m, date '2025-01-01' + make_interval(months => m), date '2025-01-01' + make_interval(months => m + 1)); END LOOP; END $$;
      INSERT INTO measurements SELECT g, date '2025-01-01' + (g % 365), g % 100 FROM generate_series(1, 120000) g;
      CREATE INDEX measurements_taken_on_idx ON measurements (taken_on);
      CREATE TABLE reporting_days (day date PRIMARY KEY);
      INSERT INTO reporting_days VALUES ('2025-03-05'), ('2025-03-06');
      VACUUM ANALYZE measurements;
      VACUUM ANALYZE reporting_days;`,
    settings: { max_parallel_workers_per_gather: '0', enable_hashjoin: 'off', enable_mergejoin: 'off' },
    sql: 'SELECT d.day, sum(m.value) FROM reporting_days d JOIN measurements m ON m.taken_on = d.day GROUP BY d.day',
    context: 'partitions',
  },
  {
    name: 'partitioned-seq-scans',
    description: 'A filter on an unindexed column of a table partitioned by month: every partition is scanned sequentially under one Append.',
    setup: `
      CREATE TABLE readings (id int NOT NULL, taken_on date NOT NULL, sensor int NOT NULL, value numeric NOT NULL) PARTITION BY RANGE (taken_on);
      DO $$ BEGIN FOR m IN 0..11 LOOP EXECUTE format('CREATE TABLE readings_m%s PARTITION OF readings FOR VALUES FROM (%L) TO (%L)', m, date '2025-01-01' + make_interval(months => m), date '2025-01-01' + make_interval(months => m + 1)); END LOOP; END $$;
      INSERT INTO readings SELECT g, date '2025-01-01' + (g % 365), g % 5000, g % 100 FROM generate_series(1, 600000) g;
      VACUUM ANALYZE readings;`,
    settings: { max_parallel_workers_per_gather: '0' },
    sql: 'SELECT id, value FROM readings WHERE sensor = 4242',
    context: 'partitions',
  },
  {
    name: 'before-trigger',
    description: 'An UPDATE whose BEFORE ROW trigger does slow work: the trigger runs inside the ModifyTable node, and EXPLAIN reports its time separately.',
    setup: `
      CREATE TABLE accounts (id int PRIMARY KEY, balance numeric NOT NULL, touched int NOT NULL DEFAULT 0);
      INSERT INTO accounts SELECT g, 100, 0 FROM generate_series(1, 2000) g;
      CREATE FUNCTION accounts_slow_audit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM count(*) FROM generate_series(1, 20000); NEW.touched := OLD.touched + 1; RETURN NEW; END $$;
      CREATE TRIGGER accounts_slow_audit BEFORE UPDATE ON accounts FOR EACH ROW EXECUTE FUNCTION accounts_slow_audit();
      VACUUM ANALYZE accounts;`,
    settings: { max_parallel_workers_per_gather: '0' },
    sql: 'UPDATE accounts SET balance = balance + 1 WHERE id <= 100',
    // The rolled-back UPDATE leaves dead row versions that the next run would clean up (and count as dirtied).
    beforeEachRun: 'VACUUM accounts',
  },
  {
    name: 'after-trigger',
    description: 'An UPDATE whose AFTER ROW trigger does slow work: the trigger runs after the plan has finished, outside every node.',
    setup: `
      CREATE TABLE ledgers (id int PRIMARY KEY, balance numeric NOT NULL);
      INSERT INTO ledgers SELECT g, 100 FROM generate_series(1, 2000) g;
      CREATE FUNCTION ledgers_slow_audit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM count(*) FROM generate_series(1, 20000); RETURN NULL; END $$;
      CREATE TRIGGER ledgers_slow_audit AFTER UPDATE ON ledgers FOR EACH ROW EXECUTE FUNCTION ledgers_slow_audit();
      VACUUM ANALYZE ledgers;`,
    settings: { max_parallel_workers_per_gather: '0' },
    sql: 'UPDATE ledgers SET balance = balance + 1 WHERE id <= 100',
    beforeEachRun: 'VACUUM ledgers',
  },
  {
    name: 'limit-costs',
    description: 'EXPLAIN without ANALYZE of a LIMIT over a large scan: the Limit costs a fraction of its child.',
    analyze: false,
    settings: { max_parallel_workers_per_gather: '0' },
    sql: "SELECT id, email FROM users WHERE country = 'jp' ORDER BY created_at LIMIT 10",
  },
  {
    name: 'limit-costs-scan',
    description: 'EXPLAIN without ANALYZE of LIMIT 1 over a filtered sequential scan: the Limit costs a tiny fraction of the scan.',
    analyze: false,
    settings: { max_parallel_workers_per_gather: '0' },
    sql: "SELECT id FROM users WHERE name LIKE 'User a%' LIMIT 1",
  },
];

function parseArgs() {
  const i = process.argv.indexOf('--only');
  return i > 0 ? new Set(process.argv[i + 1].split(',')) : null;
}

/** Runs a seed script statement by statement: VACUUM refuses to run in the implicit transaction of a multi-statement query. */
async function runScript(client, script) {
  for (const statement of script.split(/;\s*(?:\n|$)/).map((s) => s.trim()).filter(Boolean)) await client.query(statement);
}

async function withTransaction(client, settings, fn) {
  await client.query('BEGIN');
  try {
    for (const [k, v] of Object.entries(settings ?? {})) await client.query(`SET LOCAL ${k} = '${v}'`);
    return await fn();
  } finally {
    await client.query('ROLLBACK');
  }
}

function optionsOf(scenario) {
  return scenario.options ?? (scenario.analyze === false ? COSTS_OPTIONS : ANALYZE_OPTIONS);
}

async function explain(client, scenario, format) {
  const options = optionsOf(scenario);
  if (scenario.beforeEachRun) {
    await client.query(scenario.beforeEachRun);
    // Plan once more so that the captured run's planning finds the catalog caches warm again.
    await withTransaction(client, scenario.settings, () => client.query(`EXPLAIN ${scenario.sql}`));
  }
  const r = await withTransaction(client, scenario.settings, () => client.query({ text: `EXPLAIN (${options}, FORMAT ${format}) ${scenario.sql}`, types: RAW_TEXT }));
  return r.rows.map((row) => row['QUERY PLAN']).join('\n');
}

/** The statistics the stale-statistics rule reads, as the db layer will read them. */
async function tableStats(client) {
  await client.query('SELECT pg_stat_force_next_flush()');
  await client.query('SELECT pg_stat_clear_snapshot()');
  const r = await client.query(`
    SELECT schemaname AS schema, relname AS table, n_live_tup::float8 AS "liveTuples",
           n_mod_since_analyze::float8 AS "modsSinceAnalyze",
           to_char(last_analyze AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS "lastAnalyze",
           to_char(last_autoanalyze AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS "lastAutoanalyze"
      FROM pg_stat_user_tables ORDER BY 1, 2`);
  const now = await client.query(`SELECT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS now`);
  return { now: now.rows[0].now, tableStats: r.rows };
}

/** The foreign keys the fk-trigger rule reads to name the referencing columns. */
async function foreignKeys(client) {
  const r = await client.query(`
    SELECT c.conname AS "constraintName", n.nspname AS schema, t.relname AS table,
           array(SELECT a.attname FROM unnest(c.conkey) WITH ORDINALITY k(attnum, i)
                   JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum ORDER BY k.i)::text[] AS columns,
           rn.nspname AS "referencedSchema", rt.relname AS "referencedTable"
      FROM pg_constraint c
      JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace
      JOIN pg_class rt ON rt.oid = c.confrelid JOIN pg_namespace rn ON rn.oid = rt.relnamespace
     WHERE c.contype = 'f' ORDER BY 1`);
  return { foreignKeys: r.rows };
}

/** The partitioned table at the root of each partition, as the db layer reads it for the plan context. */
async function partitions(client) {
  const r = await client.query(`
    SELECT n.nspname AS schema, c.relname AS table, rn.nspname AS "rootSchema", r.relname AS "rootTable",
           (SELECT count(*) FROM pg_partition_tree(r.oid) t WHERE t.isleaf)::int AS "leafPartitions"
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      JOIN pg_class r ON r.oid = pg_partition_root(c.oid) JOIN pg_namespace rn ON rn.oid = r.relnamespace
     WHERE c.relispartition AND c.relkind = 'r' ORDER BY 2`);
  return { partitions: r.rows };
}

const CONTEXTS = { tableStats, foreignKeys, partitions };

async function capture(client, version, scenario) {
  if (scenario.setup) await runScript(client, scenario.setup);
  await explain(client, scenario, 'JSON'); // warm the cache so that both captured runs see the same buffers
  const json = await explain(client, scenario, 'JSON');
  const text = await explain(client, scenario, 'TEXT');
  const context = scenario.context ? await CONTEXTS[scenario.context](client) : undefined;
  writeFileSync(join(outDir, `${scenario.name}.json`), json + '\n');
  writeFileSync(join(outDir, `${scenario.name}.txt`), text + '\n');
  const meta = { description: scenario.description, server: version, sql: scenario.sql, options: optionsOf(scenario), settings: scenario.settings ?? {}, ...(context ? { context } : {}) };
  writeFileSync(join(outDir, `${scenario.name}.meta.json`), JSON.stringify(meta, null, 2) + '\n');
  console.log(`captured ${scenario.name}`);
}

async function runOn(server, seed, list) {
  const url = await server.createDatabase('plans');
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const version = (await client.query('SHOW server_version')).rows[0].server_version;
    await runScript(client, seed);
    for (const scenario of list) await capture(client, version, scenario);
  } finally {
    await client.end();
  }
}

const only = parseArgs();
const wanted = scenarios.filter((s) => !only || only.has(s.name));
mkdirSync(outDir, { recursive: true });

const on18 = wanted.filter((s) => (s.server ?? 18) === 18);
const on15 = wanted.filter((s) => s.server === 15);
if (on18.length > 0) {
  const server = await startEmbeddedPostgres({ settings: { autovacuum: 'off' } });
  try {
    await runOn(server, SEED, on18);
  } finally {
    await server.stop();
  }
}
if (on15.length > 0) {
  const server = await startDebianPostgres15({ settings: { autovacuum: 'off' } });
  if (!server) {
    console.log(`PostgreSQL 15 is not installed: kept the existing ${on15.map((s) => s.name).join(', ')} fixture(s)`);
  } else {
    try {
      await runOn(server, SEED_15, on15);
    } finally {
      await server.stop();
    }
  }
}

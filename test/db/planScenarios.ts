/**
 * Seeded situations that make each plan tip fire on a real PostgreSQL, and
 * two healthy statements that must produce none. The SQL follows the
 * fixture scenarios of scripts/capture-plans.mjs, scaled down so that the
 * whole set seeds and runs in seconds: each table is only as large as its
 * tip needs to pass the rule's thresholds and the ranking's cut-off
 * (max(1 ms, 2% of the execution time), critical tips always kept).
 *
 * Every table is created with autovacuum off: statistics and visibility
 * must change only when a scenario says so, or a background ANALYZE or
 * VACUUM would make the stale-statistics, heap-fetches and read-efficiency
 * scenarios flaky.
 */
import type { Client } from 'pg';

export interface PlanScenario {
  /** The tip expected to fire, or null for a healthy plan (no tip at all). */
  readonly tip: string | null;
  readonly name: string;
  /** What the data and settings do, in a sentence (used as the test title). */
  readonly description: string;
  /** The statement explained with ANALYZE and BUFFERS through the runner. */
  readonly sql: string;
  /** Session settings for the explain, on top of DEFAULT_SETTINGS. */
  readonly settings?: Readonly<Record<string, string>>;
  /** The label of the node the tip is about (tips on the statement have none). */
  readonly node?: RegExp;
  /** The statement writes: ANALYZE runs it in a transaction that is rolled back. */
  readonly writes?: boolean;
  /** The tip needs the table statistics and foreign keys read after the explain. */
  readonly needsContext?: boolean;
  /** Needs a server built with LLVM (pg_jit_available()). */
  readonly needsJit?: boolean;
}

/**
 * Parallel plans are kept out unless a scenario asks for them: a Parallel
 * Seq Scan under a Gather is a different node from the Seq Scan the rules
 * look at, and whether the planner goes parallel depends on table sizes.
 */
export const DEFAULT_SETTINGS: Readonly<Record<string, string>> = { max_parallel_workers_per_gather: '0' };

const NO_AUTOVACUUM = 'WITH (autovacuum_enabled = off)';

/**
 * The tables, each seeded once per server. Statements are separated by a
 * semicolon at the end of a line: VACUUM refuses to run inside the implicit
 * transaction of a multi-statement query.
 */
export const SEED = `
CREATE TABLE users (id int PRIMARY KEY, email text NOT NULL, name text NOT NULL, country text NOT NULL) ${NO_AUTOVACUUM};
INSERT INTO users SELECT g, 'user' || g || '@example.com', 'User ' || md5(g::text), (ARRAY['fr','de','us','jp','br'])[1 + g % 5] FROM generate_series(1, 50000) g;
CREATE TABLE orders (id int PRIMARY KEY, user_id int NOT NULL, status text NOT NULL, amount numeric(10,2) NOT NULL) ${NO_AUTOVACUUM};
INSERT INTO orders SELECT g, 1 + (g::bigint * 7919) % 50000, (ARRAY['paid','paid','paid','shipped','shipped','pending','refunded'])[1 + g % 7], (g % 1000) / 10.0 FROM generate_series(1, 100000) g;
VACUUM ANALYZE users;
VACUUM ANALYZE orders;

-- Four columns that always agree: the planner multiplies four selectivities of 1/20.
CREATE TABLE addresses (id int PRIMARY KEY, city text NOT NULL, zip text NOT NULL, region text NOT NULL, country text NOT NULL) ${NO_AUTOVACUUM};
INSERT INTO addresses SELECT g, 'city' || g % 20, 'zip' || g % 20, 'region' || g % 20, 'country' || g % 20 FROM generate_series(1, 20000) g;
VACUUM ANALYZE addresses;

-- The same correlation on the outer side of a join to an indexed table.
CREATE TABLE sites (id int PRIMARY KEY, city text NOT NULL, zip text NOT NULL, region text NOT NULL, country text NOT NULL) ${NO_AUTOVACUUM};
INSERT INTO sites SELECT g, 'city' || g % 20, 'zip' || g % 20, 'region' || g % 20, 'country' || g % 20 FROM generate_series(1, 40000) g;
CREATE TABLE deliveries (id int PRIMARY KEY, site_id int NOT NULL, note text NOT NULL) ${NO_AUTOVACUUM};
INSERT INTO deliveries SELECT g, 1 + (g * 37) % 40000, 'note ' || g FROM generate_series(1, 40000) g;
CREATE INDEX deliveries_site_id_idx ON deliveries (site_id);
VACUUM ANALYZE sites;
VACUUM ANALYZE deliveries;

-- Analysed with 1,000 rows, then 20,000 more arrive (the statistics flush and ANALYZE-free wait happen in the test).
CREATE TABLE events (id int PRIMARY KEY, kind text NOT NULL, payload text NOT NULL) ${NO_AUTOVACUUM};
INSERT INTO events SELECT g, 'old', 'payload ' || g FROM generate_series(1, 1000) g;
ANALYZE events;
INSERT INTO events SELECT g, 'new', 'payload ' || g FROM generate_series(1001, 21000) g;
CREATE INDEX events_kind_idx ON events (kind);

-- A cascading foreign key whose referencing column has no index.
CREATE TABLE parents (id int PRIMARY KEY, label text NOT NULL) ${NO_AUTOVACUUM};
INSERT INTO parents SELECT g, 'parent ' || g FROM generate_series(1, 500) g;
CREATE TABLE children (id int PRIMARY KEY, parent_id int NOT NULL REFERENCES parents (id) ON DELETE CASCADE, label text NOT NULL) ${NO_AUTOVACUUM};
INSERT INTO children SELECT g, 1 + g % 500, 'child ' || g FROM generate_series(1, 50000) g;
VACUUM ANALYZE parents;
VACUUM ANALYZE children;

-- A low fill factor spreads 60,000 rows over about 2,000 pages, more than a 64kB bitmap holds one entry each for.
CREATE TABLE readings (id int PRIMARY KEY, kind int NOT NULL, note text NOT NULL) WITH (autovacuum_enabled = off, fillfactor = 10);
INSERT INTO readings SELECT g, g % 4, 'reading ' || g FROM generate_series(1, 60000) g;
CREATE INDEX readings_kind_idx ON readings (kind);
VACUUM ANALYZE readings;

-- Updates after the last VACUUM clear the visibility map of most pages.
CREATE TABLE visits (id int PRIMARY KEY, user_id int NOT NULL, seen_at timestamptz NOT NULL) ${NO_AUTOVACUUM};
INSERT INTO visits SELECT g, g % 20000, timestamptz '2025-01-01' + g * interval '1 second' FROM generate_series(1, 60000) g;
CREATE INDEX visits_user_id_idx ON visits (user_id);
VACUUM ANALYZE visits;
UPDATE visits SET seen_at = seen_at + interval '1 second' WHERE id % 3 = 0;

-- 199 rows in 200 deleted and never vacuumed: a scan reads mostly dead space.
CREATE TABLE bloated (id int PRIMARY KEY, payload text NOT NULL) ${NO_AUTOVACUUM};
INSERT INTO bloated SELECT g, repeat(md5(g::text), 3) FROM generate_series(1, 100000) g;
VACUUM ANALYZE bloated;
DELETE FROM bloated WHERE id % 200 <> 0;
`;

/** The table whose changes since ANALYZE the stale-statistics scenario needs published. */
export const STALE_TABLE = { name: 'events', changes: 20000 } as const;

export const SCENARIOS: readonly PlanScenario[] = [
  {
    tip: null,
    name: 'healthy-pk-lookup',
    description: 'a primary key lookup on an analysed, vacuumed table',
    sql: 'SELECT id, email FROM users WHERE id = 42',
  },
  {
    tip: null,
    name: 'healthy-join',
    description: 'a join of 20 orders to their users through the primary keys',
    sql: 'SELECT o.id, o.amount, u.email FROM orders o JOIN users u ON u.id = o.user_id WHERE o.id BETWEEN 1 AND 20',
  },
  {
    tip: 'disk-spill',
    name: 'disk-sort',
    description: 'a sort of 50,000 rows with work_mem = 64kB goes to disk',
    settings: { work_mem: '64kB' },
    sql: 'SELECT id, name FROM users ORDER BY name',
    node: /^Sort/,
  },
  {
    tip: 'disk-spill',
    name: 'hash-batches',
    description: 'a hash join whose hash of 50,000 users does not fit in work_mem = 256kB runs in batches',
    settings: { work_mem: '256kB' },
    sql: 'SELECT u.country, count(*) FROM orders o JOIN users u ON u.id = o.user_id GROUP BY u.country',
    node: /^Hash$/,
  },
  {
    tip: 'disk-spill',
    name: 'hashagg-spill',
    description: 'a hash aggregate over 50,000 groups with work_mem = 256kB spills',
    settings: { work_mem: '256kB', enable_sort: 'off' },
    sql: 'SELECT user_id, count(*) FROM orders GROUP BY user_id',
    node: /Aggregate/,
  },
  {
    tip: 'seq-scan-filter',
    name: 'seq-scan-filter',
    description: 'a lookup by an unindexed column reads 50,000 rows to keep one',
    sql: "SELECT id, name FROM users WHERE email = 'user4242@example.com'",
    node: /^Seq Scan on users/,
  },
  {
    tip: 'inefficient-index-scan',
    name: 'inefficient-index-scan',
    description: 'a primary key range of 20,000 orders filtered on the unindexed user_id keeps almost none',
    sql: 'SELECT id, amount FROM orders WHERE id BETWEEN 20000 AND 40000 AND user_id = 4242',
    node: /^(Index Scan using orders_pkey|Bitmap Heap Scan on orders)/,
  },
  {
    tip: 'row-misestimate',
    name: 'correlated-columns-misestimate',
    // A count(*) of the scan alone would be the same plan with a right estimate (no tip); a nested loop on
    // it is nested-loop-misestimate's. Here a sort and a hash aggregate are chosen for one row.
    description: 'four correlated columns: the planner expects 1 row and gets 1,000, and sorts and groups them on that estimate',
    sql: "SELECT a.id % 500 AS bucket, count(*) FROM addresses a CROSS JOIN generate_series(1, 40) g WHERE a.city = 'city1' AND a.zip = 'zip1' AND a.region = 'region1' AND a.country = 'country1' GROUP BY 1 ORDER BY 1",
    node: /^Seq Scan on addresses/,
  },
  {
    tip: 'nested-loop-misestimate',
    name: 'nested-loop-misestimate',
    description: 'the same correlation makes the planner drive a nested loop with 2,000 sites it expected to be 1',
    sql: "SELECT s.id, d.note FROM sites s JOIN deliveries d ON d.site_id = s.id WHERE s.city = 'city1' AND s.zip = 'zip1' AND s.region = 'region1' AND s.country = 'country1'",
    node: /^Nested Loop/,
  },
  {
    tip: 'stale-statistics',
    name: 'stale-statistics',
    description: '20,000 rows arrived in a table analysed when it held 1,000 (read from pg_stat_user_tables)',
    sql: "SELECT e.id, e.payload FROM events e WHERE e.kind = 'new' ORDER BY e.id",
    needsContext: true,
    node: /events/,
  },
  {
    tip: 'fk-trigger',
    name: 'fk-cascade-trigger',
    description: 'deleting 20 parents cascades to children through an unindexed parent_id (rolled back)',
    sql: 'DELETE FROM parents WHERE id <= 20',
    writes: true,
    needsContext: true,
  },
  {
    tip: 'lossy-bitmap',
    name: 'lossy-bitmap',
    description: 'a bitmap over a quarter of 60,000 rows on 2,000 pages with work_mem = 64kB goes lossy',
    settings: { work_mem: '64kB', enable_seqscan: 'off', enable_indexscan: 'off' },
    sql: 'SELECT count(*) FROM readings WHERE kind = 1',
    node: /^Bitmap Heap Scan on readings/,
  },
  {
    tip: 'heap-fetches',
    name: 'heap-fetches',
    description: 'an index-only scan after updates that no VACUUM followed visits the table',
    settings: { enable_seqscan: 'off', enable_bitmapscan: 'off' },
    sql: 'SELECT user_id FROM visits WHERE user_id BETWEEN 1000 AND 15000',
    node: /^Index Only Scan using visits_user_id_idx/,
  },
  {
    tip: 'read-efficiency',
    name: 'read-efficiency',
    description: 'a scan of a table that lost 199 rows in 200 to DELETE without VACUUM',
    sql: "SELECT count(*) FROM bloated WHERE payload <> ''",
    node: /^Seq Scan on bloated/,
  },
  {
    tip: 'large-offset',
    name: 'large-offset',
    description: 'OFFSET 40000 produces 40,000 rows to throw them away',
    sql: 'SELECT id, email FROM users ORDER BY id OFFSET 40000 LIMIT 20',
    node: /^Limit/,
  },
  {
    tip: 'workers-not-launched',
    name: 'workers-not-launched',
    description: 'two workers planned, none launched: max_parallel_workers = 0',
    settings: { max_parallel_workers: '0', max_parallel_workers_per_gather: '2', parallel_setup_cost: '0', parallel_tuple_cost: '0', min_parallel_table_scan_size: '0' },
    sql: 'SELECT count(*) FROM orders WHERE amount > 50',
    node: /^Gather/,
  },
  {
    tip: 'jit-share',
    name: 'jit-share',
    description: 'JIT forced on a small aggregate (jit_above_cost = 0): compiling takes most of the time',
    settings: { jit: 'on', jit_above_cost: '0', jit_inline_above_cost: '0', jit_optimize_above_cost: '0' },
    sql: 'SELECT status, sum(amount), count(*) FROM orders WHERE user_id < 100 GROUP BY status',
    needsJit: true,
  },
  {
    tip: 'jit-share',
    name: 'jit-share-costly',
    // The thresholds at their defaults: the plan is costed above them (a high cpu_tuple_cost stands in for a
    // large table) yet runs in milliseconds, so the tip offers to turn JIT off rather than to restore thresholds.
    description: 'JIT at its default thresholds on a plan costed above them that runs in milliseconds',
    settings: { jit: 'on', cpu_tuple_cost: '20' },
    sql: 'SELECT status, sum(amount), count(*) FROM orders WHERE user_id < 100 GROUP BY status',
    needsJit: true,
  },
  {
    tip: 'slow-node',
    name: 'slow-node',
    description: 'a digest of every row of a table: the work holds most of the time and nothing else is wrong with it',
    sql: 'SELECT count(*), max(md5(name || email)) FROM users',
    node: /^(Seq Scan on users|Aggregate)/,
  },
];

/** Runs a script statement by statement (see SEED) on PostgreSQL 15 or later. */
export async function runScript(client: Client, script: string): Promise<void> {
  const statements = script
    .split(/;\s*(?:\n|$)/)
    .map((s) => s.replace(/^\s*--.*$/gm, '').trim())
    .filter(Boolean);
  for (const statement of statements) {
    // Counters of the rows just written are published when the session goes
    // idle, up to a second late since PostgreSQL 15; published after a
    // VACUUM or ANALYZE they would be added on top of the rows it counted.
    if (/^(VACUUM|ANALYZE)\b/i.test(statement)) await client.query('SELECT pg_stat_force_next_flush()');
    await client.query(statement);
  }
}

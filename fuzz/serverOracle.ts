/**
 * The classifier's oracle on a real server: statements generated from the
 * hostile schema of the safety probes go through `Database.explain` (half
 * where PostgreSQL resolves them, half read by name), first
 * plain (which must change nothing, whatever the statement), then with
 * ANALYZE and no way to confirm, so only statements judged 'read' run. A
 * 'read' that the server then reports as writing (an error of the READ ONLY
 * transaction) or that changes anything (rows of `trace`, sequences,
 * advisory locks, large objects, statistics resets, the other session) is
 * an escape.
 */
import { Client } from 'pg';
import { createDatabase } from '../src/db';
import { DbError, type Database } from '../src/db/types';
import { startEmbeddedPostgres, type TestServer } from '../test/support/postgres';
import { DBLINK_SQL, HOSTILE_SQL } from '../test/db/safety/hostile';
import { pick, prng, type Rand } from './mutate';

const relations = ['items', 'items', 'v_calm', 'v_calm', 'v_evil', 'v_nested', 'v_kill2', 'v_kill', 'v_nested_kill', 'v_reset', 'v_lock', 'secret', 'orders', 'ident', 'trace', 'parent', 'child', 'parted'];
const expressions = [
  '1', 'id', 'lower(name)', 'lower(5)', 'json_evil()', 'array_bump()', 'atomic_bump()', 'calm(1)', 'atomic_calm(2)', 'stable_bump()', '1 === 2',
  '1 ~~~ 2', '5::checked_int', '5::bump_int', '1::castt', "nextval('counter')", 'pg_advisory_lock(9)', 'random()', 'now()', 'pg_sleep(0)',
  'deep_bump()', 'dyn()', 'dyn_hidden()', 'dyn_named()', 'lock_it()', 'killer()', 'count(*)', 'evil_sum(1)', 'bump_sum(1)', 'imm_bump(1)',
  '(SELECT max(1) FROM v_evil)', 'EXISTS (SELECT 1 FROM secret)', 'pg_terminate_backend(0)', "set_config('x.y', '1', false)", 'lo_create(0)',
  "pg_notify('c', 'x')", 'pg_stat_reset()', "remote_delete()", 'gen_random_uuid()', "has_table_privilege('items', 'SELECT')", "'\\' AS a, '; DELETE FROM items; --'",
  'upper(lower(calm(2)::text))', 'pg_advisory_xact_lock(3)::text', "pg_relation_size('items')", 'coalesce(null, json_evil())', 'ARRAY[1 === 1]',
];
const tables = ['items', 'trace', 'orders', 'ident', 'with_trigger', 'trig_bump', 'with_default', 'idx_t', 'gen', 'chk', 'ruled', 'ruled_bump', 'parted', 'dom_default', 'trig_dblink'];

/** Side-effect-free expressions, so that generated statements often run as reads and the oracle has reads to check. */
const benign = [
  '1', 'id', 'lower(name)', 'calm(id)', 'atomic_calm(2)', 'now()', 'random()', 'upper(name)', "coalesce(name, 'x')", 'count(*) OVER ()',
  "pg_relation_size('items')", 'gen_random_uuid()', "'a; DELETE FROM items'", 'ARRAY[1, 2] @> ARRAY[1]', '(SELECT max(id) FROM v_calm)',
];

export function generateStatement(rand: Rand): string {
  const e = () => (rand() < 0.6 ? pick(rand, benign) : pick(rand, expressions));
  const rel = () => pick(rand, relations);
  switch (Math.floor(rand() * 10)) {
    case 0:
      return `WITH c AS (SELECT ${e()} AS x FROM ${rel()} LIMIT 2) SELECT * FROM c`;
    case 1:
      return `SELECT * FROM (SELECT ${e()} AS x FROM ${rel()} LIMIT 2) s WHERE s.x IS NOT NULL`;
    case 2:
      return `INSERT INTO ${pick(rand, tables)} DEFAULT VALUES`;
    case 3:
      return `UPDATE items SET name = (${e()})::text WHERE id = -1`;
    case 4:
      return `VALUES (${e()})`;
    case 5:
      return `SELECT ${e()} FROM ${rel()} LIMIT 1 FOR UPDATE`;
    case 6:
      return `SELECT ${e()} UNION ALL SELECT ${e()}`;
    case 7:
      return `WITH d AS (DELETE FROM ${pick(rand, tables)} WHERE false RETURNING 1) SELECT ${e()}`;
    default:
      return `SELECT ${e()}, ${e()} FROM ${rel()} ${rand() < 0.5 ? `WHERE ${e()} IS NOT NULL` : ''} LIMIT 3`;
  }
}

export interface OracleResult {
  readonly statements: number;
  readonly read: number;
  readonly write: number;
  readonly refused: number;
  readonly failed: number;
  readonly escapes: Array<{ sql: string; what: string }>;
}

async function world(admin: Client): Promise<string> {
  const { rows } = await admin.query<{ w: string }>(`SELECT concat_ws(' | ',
      (SELECT string_agg(sequencename || '=' || coalesce(last_value::text, '-'), ',' ORDER BY 1) FROM pg_sequences),
      (SELECT count(*) FROM trace), (SELECT count(*) FROM items), (SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'),
      (SELECT count(*) FROM pg_largeobject_metadata), (SELECT count(*) FROM pg_stat_activity WHERE application_name = 'pgi-victim'),
      (SELECT stats_reset::text FROM pg_stat_statements_info), (SELECT coalesce(stats_reset::text, '-') FROM pg_stat_database WHERE datname = current_database())) AS w`);
  return rows[0]?.w ?? '';
}

interface Target {
  readonly label: string;
  readonly admin: Client;
  victim: Client;
  readonly db: Database;
  readonly connect: (name?: string) => Promise<Client>;
}

/**
 * Half the statements go to a database PostgreSQL resolves them in (the
 * exact reading), half to one whose event trigger stops that reading, so
 * they are read by name.
 */
export async function runServerOracle(count: number, seed: number, log: (line: string) => void): Promise<OracleResult> {
  const server: TestServer = await startEmbeddedPostgres();
  const result: Tally = { statements: 0, read: 0, write: 0, refused: 0, failed: 0, escapes: [] };
  const targets: Target[] = [];
  try {
    for (const [database, byName] of [['pgi_fuzz', false], ['pgi_fuzz_by_name', true]] as const) {
      await server.createDatabase(database);
      const connect = async (name?: string) => {
        const c = new Client({ host: server.host, port: server.port, user: server.user, password: server.password, database, ...(name ? { application_name: name } : {}) });
        c.on('error', () => undefined);
        await c.connect();
        return c;
      };
      const admin = await connect();
      await admin.query(HOSTILE_SQL);
      await admin.query(DBLINK_SQL).catch(() => undefined);
      if (byName) {
        await admin.query(`CREATE FUNCTION evt_bump() RETURNS event_trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM nextval('counter'); END $$;
          CREATE EVENT TRIGGER evt_bump ON ddl_command_start EXECUTE FUNCTION evt_bump()`);
      }
      const silent = { statement: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
      const profile = { id: database, name: database, source: 'user-settings' as const, host: server.host, port: server.port, database, user: server.user, sslmode: 'disable' as const };
      const db = createDatabase({ profile, password: server.password }, { statementTimeoutMs: 5000, lockTimeoutMs: 2000, connectTimeoutMs: 5000, poolMax: 2 }, silent);
      targets.push({ label: byName ? 'by name' : 'exact', admin, victim: await connect('pgi-victim'), db, connect });
    }
    const rand = prng(seed);
    for (let i = 0; i < count; i++) {
      const target = targets[i % targets.length];
      if (!target) break;
      await checkOne(target, generateStatement(rand), result);
      if ((i + 1) % 500 === 0) log(`  server oracle: ${i + 1} of ${count} statements`);
    }
  } finally {
    for (const t of targets) {
      await t.db.close();
      await t.victim.end().catch(() => undefined);
      await t.admin.query('DROP EVENT TRIGGER IF EXISTS evt_bump').catch(() => undefined);
      await t.admin.end().catch(() => undefined);
    }
    await server.stop();
  }
  return result;
}

type Tally = { -readonly [K in keyof Omit<OracleResult, 'escapes'>]: number } & { escapes: Array<{ sql: string; what: string }> };

async function checkOne(target: Target, sql: string, counts: Tally): Promise<void> {
  const { admin, db } = target;
  const result = counts;
  const escape = (what: string) => result.escapes.push({ sql, what: `${target.label}: ${what}` });
  const before = await world(admin);
  counts.statements++;
  // Plain EXPLAIN only plans; whatever it is given, it must change nothing.
  try {
    await db.explain(sql, [], { analyze: false });
  } catch {
    // refused or failed: checked by the picture below
  }
  const planned = await world(admin);
  if (planned !== before) escape(`plain EXPLAIN changed: ${before} -> ${planned}`);
  try {
    const r = await db.explain(sql, [], { analyze: true });
    if (r.safety.verdict === 'read') counts.read++;
    const after = await world(admin);
    if (after !== planned) escape(`ran as ${r.safety.verdict} and changed: ${planned} -> ${after}`);
  } catch (e) {
    const failure = e instanceof DbError ? e : undefined;
    if (failure?.kind === 'refused') {
      if (/no confirmation/.test(failure.message)) counts.write++;
      else counts.refused++;
    } else if (failure?.kind === 'read-only') {
      escape(`judged read, and the server reported a write: ${failure.message}`);
    } else {
      counts.failed++;
    }
    const after = await world(admin);
    if (after !== planned) escape(`did not run as planned and still changed: ${planned} -> ${after}`);
  }
  if (!(await victimAlive(admin))) {
    // Already counted by the changed picture; a new victim keeps the next statements checked.
    await target.victim.end().catch(() => undefined);
    target.victim = await target.connect('pgi-victim');
  }
}

async function victimAlive(admin: Client): Promise<boolean> {
  const { rows } = await admin.query<{ n: string }>("SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = 'pgi-victim'");
  return rows[0]?.n === '1';
}

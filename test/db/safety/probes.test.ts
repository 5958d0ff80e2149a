/**
 * The safety probes: every statement of hostile.ts explained with ANALYZE
 * on a hostile database, with its verdict asserted (read without a question,
 * write after a question and rolled back, refused before it runs) and, after
 * each, proof that nothing changed: rows, sequences, catalogs, locks, large
 * objects, statistics resets, the other session still alive, and every
 * pooled session of PG Insight clean (no prepared statements, cursors,
 * LISTEN, advisory locks, temporary schema, session settings or dblink
 * connections).
 *
 * The suite runs on the db tier's server (PostgreSQL 18), on a database of
 * it with standard_conforming_strings = off, and on Debian's PostgreSQL 15
 * where it is installed.
 */
import assert from 'node:assert/strict';
import type { Client } from 'pg';
import type { Database, StatementSafety } from '../../../src/db/types';
import { startDebianPostgres15, type TestServer } from '../../support/postgres';
import { CapturingLog, defaultLimits, rejection } from '../helpers';
import { snapshot } from '../snapshot';
import { testServer } from '../server';
import { clientOn, openOn } from './support';
import { DBLINK_SQL, HOSTILE_SQL, PROBES, type Probe } from './hostile';

interface Target {
  readonly label: string;
  readonly database: string;
  start(): Promise<TestServer | null>;
  stop(server: TestServer): Promise<void>;
  readonly scsOff?: boolean;
}

const targets: Target[] = [
  { label: `the test server`, database: 'pgi_safety', start: () => Promise.resolve(testServer()), stop: () => Promise.resolve() },
  {
    label: 'standard_conforming_strings = off',
    database: 'pgi_safety_scs_off',
    start: () => Promise.resolve(testServer()),
    stop: () => Promise.resolve(),
    scsOff: true,
  },
  {
    label: "Debian's PostgreSQL 15 (pending when it is not installed)",
    database: 'pgi_safety',
    start: () => startDebianPostgres15(),
    stop: (s) => s.stop(),
  },
];

/** What a statement could change that a row snapshot does not show. */
async function world(admin: Client): Promise<Record<string, unknown>> {
  const { rows } = await admin.query<Record<string, unknown>>(`
    SELECT (SELECT string_agg(schemaname || '.' || sequencename || '=' || coalesce(last_value::text, 'unset'), ', ' ORDER BY 1) FROM pg_sequences) AS sequences,
           (SELECT count(*) FROM pg_locks WHERE locktype = 'advisory') AS advisory_locks,
           (SELECT count(*) FROM pg_largeobject_metadata) AS large_objects,
           (SELECT count(*) FROM pg_stat_activity WHERE application_name = 'pgi-victim') AS victims,
           (SELECT count(*) FROM pg_proc) AS functions,
           (SELECT count(*) FROM pg_class) AS relations,
           (SELECT count(*) FROM pg_namespace) AS schemas,
           (SELECT count(*) FROM pg_prepared_xacts) AS prepared_transactions,
           (SELECT count(*) FROM pg_stat_activity WHERE application_name = 'pg-insight' AND state LIKE 'idle in transaction%') AS idle_in_transaction,
           (SELECT stats_reset::text FROM pg_stat_statements_info) AS statements_reset,
           (SELECT coalesce(stats_reset::text, 'never') FROM pg_stat_database WHERE datname = current_database()) AS database_stats_reset`);
  return rows[0] ?? {};
}

/** The state of every pooled session of PG Insight: held at once, so each idle client is read. */
async function pooledSessions(db: Database, dblink: boolean): Promise<Record<string, unknown>[]> {
  const read = () =>
    db.read('session state', async (tx) => {
      const { rows } = await tx.query<Record<string, unknown>>(`
        SELECT (SELECT count(*) FROM pg_prepared_statements) AS prepared,
               (SELECT count(*) FROM pg_cursors WHERE name <> '') AS cursors,
               (SELECT count(*) FROM pg_listening_channels()) AS listening,
               (SELECT count(*) FROM pg_locks WHERE pid = pg_backend_pid() AND locktype = 'advisory') AS advisory,
               pg_my_temp_schema()::int8 AS temp_schema,
               (SELECT string_agg(name, ',' ORDER BY name) FROM pg_settings WHERE source = 'session') AS session_settings,
               current_setting('work_mem') AS work_mem
               ${dblink ? ', coalesce(array_length(dblink_get_connections(), 1), 0) AS dblink_connections' : ''},
               pg_sleep(0.05) IS NULL AS held`);
      return rows[0] ?? {};
    });
  return Promise.all(Array.from({ length: defaultLimits.poolMax }, read));
}

/** What every transaction of the runner sets LOCAL (transaction_read_only by BEGIN READ ONLY). */
const RUNNER_SETTINGS = 'lock_timeout,standard_conforming_strings,statement_timeout,transaction_read_only';

function said(safety: StatementSafety | undefined): string {
  return [safety?.reason ?? '', ...(safety?.findings ?? [])].join(' | ');
}

for (const target of targets) {
  describe(`db: safety probes on ${target.label}`, function () {
    let server: TestServer | null = null;
    let admin: Client;
    let victim: Client;
    let db: Database;
    let prod: Database;
    let log: CapturingLog;
    let dblink = false;

    before(async function () {
      this.timeout(120_000);
      server = await target.start();
      if (!server) this.skip();
      await server.createDatabase(target.database);
      admin = await clientOn(server, target.database);
      await admin.query(HOSTILE_SQL);
      try {
        await admin.query(DBLINK_SQL);
        dblink = true;
      } catch {
        dblink = false;
      }
      // Set for the database, so every new session of PG Insight starts with it.
      if (target.scsOff) await admin.query(`ALTER DATABASE ${target.database} SET standard_conforming_strings = off`);
      victim = await clientOn(server, target.database, 'pgi-victim');
      ({ db, log } = openOn(server, target.database));
      prod = openOn(server, target.database, true).db;
    });

    after(async function () {
      this.timeout(60_000);
      await db?.close();
      await prod?.close();
      await victim?.end().catch(() => undefined);
      await admin?.end();
      if (server) await target.stop(server);
    });

    if (target.scsOff) {it('the sessions PG Insight opens read literals as its parser does', async () => {
      const fresh = await clientOn(server!, target.database);
      try {
        assert.equal((await fresh.query<{ standard_conforming_strings: string }>('SHOW standard_conforming_strings')).rows[0]?.standard_conforming_strings, 'off', 'the database setting is in force');
      } finally {
        await fresh.end();
      }
      const inside = await db.read('setting', async (tx) => (await tx.query<{ standard_conforming_strings: string }>('SHOW standard_conforming_strings')).rows[0]?.standard_conforming_strings);
      assert.equal(inside, 'on');
    });}

    for (const probe of PROBES) {
      it(`${probe.verdict}: ${probe.sql}`, async function () {
        if (probe.dblink && !dblink) this.skip();
        const before = { rows: await snapshot(admin), world: await world(admin) };
        await check(probe);
        const after = await world(admin);
        if (probe.kept) {
          // The one effect the question named: the sequence gave one value. Everything else is as it was.
          assert.notEqual(after.sequences, before.world.sequences, 'the sequence the question named gave a value');
          assert.deepEqual({ ...after, sequences: undefined }, { ...before.world, sequences: undefined }, 'nothing else outside the rows changed');
        } else {
          assert.deepEqual(after, before.world, 'nothing outside the rows changed');
        }
        assert.deepEqual(await snapshot(admin), before.rows, 'no row or catalog entry changed');
        for (const session of await pooledSessions(db, dblink)) {
          assert.deepEqual(
            { ...session, work_mem: undefined },
            // The settings are the runner's own SET LOCALs of this read; any other name would have leaked from a probe.
            { prepared: '0', cursors: '0', listening: '0', advisory: '0', temp_schema: '0', session_settings: RUNNER_SETTINGS, work_mem: undefined, ...(dblink ? { dblink_connections: 0 } : {}), held: false },
            'the pooled session is clean',
          );
          assert.equal(session.work_mem, (await admin.query<{ work_mem: string }>('SHOW work_mem')).rows[0]?.work_mem, 'no setting of the probe stayed');
        }
      });
    }

    async function check(probe: Probe): Promise<void> {
      const params = probe.params ?? [];
      if (probe.verdict === 'read') {
        // No confirmation hook: a statement judged writing would be refused here.
        const r = await db.explain(probe.sql, params, { analyze: true });
        assert.equal(r.safety.verdict, 'read', said(r.safety));
        assert.equal(r.rolledBack, false);
        return;
      }
      if (probe.verdict === 'refuse') {
        const e = await rejection(() => db.explain(probe.sql, params, { analyze: true }, { confirmWrite: () => Promise.resolve(true) }));
        assert.equal(e.kind, 'refused', e.message);
        if (probe.names) assert.match(e.message, probe.names);
        const onProd = await rejection(() => prod.explain(probe.sql, params, { analyze: true }, { confirmWrite: () => Promise.resolve(true) }));
        assert.equal(onProd.kind, 'refused', onProd.message);
        return;
      }
      let asked: StatementSafety | undefined;
      const confirmWrite = (s: StatementSafety) => {
        asked = s;
        return Promise.resolve(probe.decline !== true);
      };
      if (probe.decline) {
        const e = await rejection(() => db.explain(probe.sql, params, { analyze: true }, { confirmWrite }));
        assert.equal(e.kind, 'cancelled', e.message);
      } else {
        const r = await db.explain(probe.sql, params, { analyze: true }, { confirmWrite });
        assert.equal(r.safety.verdict, 'write', said(r.safety));
        assert.equal(r.rolledBack, true);
      }
      assert.ok(asked, 'the user was asked');
      if (probe.names) assert.match(said(asked), probe.names);
      if (probe.kept) assert.match((asked?.kept ?? []).join(' | '), probe.kept);
      let prodAsked = false;
      const onProd = await rejection(() => prod.explain(probe.sql, params, { analyze: true }, { confirmWrite: () => { prodAsked = true; return Promise.resolve(true); } }));
      assert.equal(onProd.kind, 'refused', onProd.message);
      assert.match(onProd.message, /production/);
      assert.equal(prodAsked, false, 'a production connection does not even ask');
    }

    // The planner folds IMMUTABLE calls with constant arguments and evaluates STABLE ones for estimates.
    const planned: ReadonlyArray<readonly [string, RegExp]> = [
      ['SELECT imm_bump(1)', /nextval.*from the body of public\.imm_bump\(integer\)/],
      ['SELECT * FROM items WHERE id = stable_bump()', /nextval.*from the body of public\.stable_bump\(\)/],
      ['SELECT * FROM items WHERE id = deep_bump()', /nextval.*array_bump.*deep_bump/],
    ];
    for (const [sql, names] of planned) {
      it(`plain EXPLAIN refuses what the planner would run: ${sql}`, async () => {
        const before = { rows: await snapshot(admin), world: await world(admin) };
        const e = await rejection(() => db.explain(sql, [], { analyze: false }));
        assert.equal(e.kind, 'refused', e.message);
        assert.match(e.message, /planner/);
        assert.match(e.message, names);
        assert.deepEqual(await world(admin), before.world);
        assert.deepEqual(await snapshot(admin), before.rows);
      });
    }

    it('plain EXPLAIN of what only execution would run is allowed and runs nothing', async () => {
      const before = await world(admin);
      for (const sql of ["SELECT nextval('counter')", 'SELECT array_bump()', 'SELECT * FROM v_kill2', 'INSERT INTO trig_bump VALUES (1)']) {
        const r = await db.explain(sql, [], { analyze: false });
        assert.ok(Array.isArray(r.plan), sql);
      }
      assert.deepEqual(await world(admin), before);
    });

    it('a writing run closes its connection; a read keeps it', async () => {
      const opened = () => log.lines.filter((l) => /^info Connected to /.test(l)).length;
      await db.explain('SELECT 1', [], { analyze: true });
      const afterRead = opened();
      await db.explain('SELECT 1', [], { analyze: true });
      assert.equal(opened(), afterRead, 'the read reused its pooled connection');
      await db.explain('DELETE FROM items WHERE id = 9', [], { analyze: true }, { confirmWrite: () => Promise.resolve(true) });
      await Promise.all([db.explain('SELECT 2', [], { analyze: true }), db.explain('SELECT 3', [], { analyze: true }), db.explain('SELECT 4', [], { analyze: true })]);
      assert.ok(opened() > afterRead, 'a new connection replaced the one the write used');
    });

    it('EXPLAIN GENERIC_PLAN (simple protocol) of a text that the server would split without the pinned setting runs one statement', async function () {
      // GENERIC_PLAN came with PostgreSQL 16; on 15 the option is left out and the statement goes by the extended protocol.
      if ((server?.major ?? 0) < 16) this.skip();
      const before = await snapshot(admin);
      const sql = "SELECT * FROM items WHERE id = $1 AND name <> '\\' AND '; DELETE FROM items; --' <> ''";
      const r = await db.explain(sql, [], { analyze: false, genericPlan: true });
      assert.ok(Array.isArray(r.plan));
      assert.deepEqual(await snapshot(admin), before);
    });

    it('a literal built by doubling quotes stays one literal, by either protocol, inside a rolled-back trial', async () => {
      const value = "x\\'; COMMIT; DROP TABLE items; --";
      const literal = `'${value.replace(/'/g, "''")}'`;
      const before = await snapshot(admin);
      const extended = await db.trial('literal', async (tx) => (await tx.query<{ v: string }>(`SELECT ${literal} AS v`)).rows[0]?.v, { write: true });
      const simple = await db.trial('literal', async (tx) => (await tx.querySimple<{ v: string }>(`SELECT ${literal} AS v`)).rows[0]?.v, { write: true });
      assert.equal(extended, value);
      assert.equal(simple, value);
      assert.deepEqual(await snapshot(admin), before);
    });

    it('a text holding two statements never runs the second, whatever the protocol asked', async () => {
      const before = await snapshot(admin);
      const e = await rejection(() => db.trial('two', (tx) => tx.query('SELECT 1; DELETE FROM items'), { write: true }));
      assert.match(e.message, /multiple commands|cannot insert multiple/i);
      assert.deepEqual(await snapshot(admin), before);
    });
  });
}

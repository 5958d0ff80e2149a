/**
 * When PostgreSQL cannot be asked to resolve the statement (an event
 * trigger that must not run, a standby), what it executes is read by the
 * names it uses. That reading is wider than PostgreSQL's resolution, so a
 * statement may be asked about where the exact reading would not ask; it
 * must never be narrower: every statement refused by the exact reading is
 * refused, every writing one still writes or is refused, and after each
 * probe nothing changed.
 */
import assert from 'node:assert/strict';
import type { Client } from 'pg';
import type { Database } from '../../../src/db/types';
import { startDebianPostgres15, startDebianStandby15, type TestServer } from '../../support/postgres';
import { type CapturingLog, rejection, until } from '../helpers';
import { snapshot } from '../snapshot';
import { testServer } from '../server';
import { clientOn, openOn } from './support';
import { DBLINK_SQL, HOSTILE_SQL, PROBES } from './hostile';

async function sequences(admin: Client): Promise<string> {
  const { rows } = await admin.query<{ s: string }>("SELECT string_agg(sequencename || '=' || coalesce(last_value::text, '-'), ',' ORDER BY 1) AS s FROM pg_sequences");
  return rows[0]?.s ?? '';
}

describe('db: safety probes read by name, when an event trigger must not run on the probe', function () {
  this.timeout(120_000);
  const database = 'pgi_safety_by_name';
  let admin: Client;
  let db: Database;
  let log: CapturingLog;
  let dblink = false;

  before(async () => {
    const server = testServer();
    await server.createDatabase(database);
    admin = await clientOn(server, database);
    await admin.query(HOSTILE_SQL);
    dblink = await admin.query(DBLINK_SQL).then(() => true, () => false);
    // Fires on every CREATE FUNCTION, the probe's too, and takes a sequence value: the probe must not be made.
    await admin.query(`CREATE FUNCTION evt_bump() RETURNS event_trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM nextval('counter'); END $$;
      CREATE EVENT TRIGGER evt_bump ON ddl_command_start EXECUTE FUNCTION evt_bump()`);
    ({ db, log } = openOn(server, database));
  });

  after(async () => {
    await db?.close();
    await admin?.query('DROP EVENT TRIGGER IF EXISTS evt_bump').catch(() => undefined);
    await admin?.end();
  });

  for (const probe of PROBES) {
    it(`${probe.verdict} or stricter: ${probe.sql}`, async function () {
      if (probe.dblink && !dblink) this.skip();
      const before = { rows: await snapshot(admin), sequences: await sequences(admin) };
      const params = probe.params ?? [];
      let verdict: string;
      try {
        // Declined: a writing statement stops at the question, so what is compared is the verdict alone.
        const r = await db.explain(probe.sql, params, { analyze: true }, { confirmWrite: () => Promise.resolve(false) });
        verdict = r.safety.verdict;
      } catch (e) {
        const kind = (e as { kind?: string }).kind;
        verdict = kind === 'refused' ? 'refuse' : kind === 'cancelled' ? 'write' : `failed: ${(e as Error).message}`;
      }
      const order = ['read', 'write', 'refuse'];
      assert.ok(order.indexOf(verdict) >= order.indexOf(probe.verdict), `${verdict} is narrower than the exact reading's ${probe.verdict}`);
      assert.equal(await sequences(admin), before.sequences, 'no sequence moved (the event trigger did not run)');
      assert.deepEqual(await snapshot(admin), before.rows);
    });
  }

  it('an INSERT read by name names the identity sequence it takes values from; an UPDATE does not', async () => {
    const kept = async (sql: string) => {
      let said: readonly string[] = [];
      await db.explain(sql, [], { analyze: true }, { confirmWrite: (s) => { said = s.kept ?? []; return Promise.resolve(false); } }).catch(() => undefined);
      return said.join(' | ');
    };
    assert.match(await kept("INSERT INTO ident (v) VALUES ('x')"), /identity sequence public\.ident_id_seq/);
    assert.doesNotMatch(await kept("UPDATE ident SET v = 'y'"), /sequence/);
  });

  it('says in the log that the statement was read by name, and why', () => {
    assert.ok(log.lines.some((l) => /read by name \(event trigger evt_bump would run/.test(l)), log.text());
  });
});

describe("db: EXPLAIN ANALYZE on a standby (Debian's PostgreSQL 15; pending when it is not installed)", function () {
  this.timeout(120_000);
  const database = 'pgi_safety_standby';
  let primary: TestServer | null = null;
  let standby: TestServer | null = null;
  let onPrimary: Client | undefined;
  let prod: Database | undefined;

  before(async function () {
    primary = await startDebianPostgres15();
    if (!primary) this.skip();
    await primary.createDatabase(database);
    onPrimary = await clientOn(primary, database);
    await onPrimary.query(HOSTILE_SQL);
    standby = await startDebianStandby15(primary);
    if (!standby) throw new Error('the standby could not start although the primary did');
    const s = standby;
    await until('the standby to have the hostile schema', async () => {
      const c = await clientOn(s, database).catch(() => undefined);
      if (!c) return false;
      try {
        return (await c.query("SELECT to_regclass('v_kill2') IS NOT NULL AS ok")).rows[0]?.ok === true;
      } finally {
        await c.end();
      }
    }, 30_000, 200);
    prod = openOn(standby, database, true).db;
  });

  after(async function () {
    this.timeout(60_000);
    await prod?.close();
    await onPrimary?.end().catch(() => undefined);
    await standby?.stop();
    await primary?.stop();
  });

  it('a read runs on a production standby, without a question', async () => {
    const r = await prod!.explain('SELECT count(*) FROM items WHERE id < 10', [], { analyze: true });
    assert.equal(r.safety.verdict, 'read');
    assert.ok(Array.isArray(r.plan));
  });

  it('a view that terminates backends is refused there, and a VOLATILE user function is not run on production', async () => {
    const kill = await rejection(() => prod!.explain('SELECT * FROM v_kill2', [], { analyze: true }));
    assert.equal(kill.kind, 'refused');
    assert.match(kill.message, /pg_terminate_backend.*through view public\.v_kill2/);
    const volatile = await rejection(() => prod!.explain('SELECT * FROM v_evil', [], { analyze: true }, { confirmWrite: () => Promise.resolve(true) }));
    assert.equal(volatile.kind, 'refused');
    assert.match(volatile.message, /production/);
  });
});

/**
 * The diagnosis of pg_stat_statements on real servers: created or not in
 * the database, loaded at start or not (a server started without
 * shared_preload_libraries), and readable or not for a role without
 * pg_read_all_stats — each with its exact message and fix.
 */
import assert from 'node:assert/strict';
import { windowStats } from '../../../src/core/stats/deltas';
import { diagnoseStatements, readSnapshot, resetStatements } from '../../../src/db/stats';
import { DbError, type Database } from '../../../src/db/types';
import { startEmbeddedPostgres, type TestServer } from '../../support/postgres';
import { rejection } from '../helpers';
import { asSuperuser, clientOn, createRole, dropRole, onEachServer, openOn, type Login } from './support';

const runs = (fix: readonly { run?: string }[]) => fix.map((s) => s.run).filter((r): r is string => r !== undefined);

onEachServer('db: pg_stat_statements diagnosis', (server) => {
  const DB = 'pgi_stats_availability';
  const BARE = 'pgi_stats_no_extension';
  const READER = 'pgi_stats_reader';
  let reader: Login;
  const opened: Database[] = [];
  const open = (database: string, login?: Login) => {
    const db = openOn(server(), database, login);
    opened.push(db);
    return db;
  };

  before(async () => {
    await server().createDatabase(DB);
    await server().createDatabase(BARE);
    await asSuperuser(server(), BARE, 'DROP EXTENSION IF EXISTS pg_stat_statements');
    reader = await createRole(server(), READER);
    // Statements of the superuser that the reader may not see.
    const admin = await clientOn(server(), DB);
    try {
      await admin.query('CREATE TABLE secrets (id int)');
      await admin.query('SELECT count(*) FROM secrets');
    } finally {
      await admin.end();
    }
  });
  after(async () => {
    for (const db of opened) await db.close();
    // Nothing to undo when the suite was skipped (no PostgreSQL 15) before it began.
    if (reader) await dropRole(server(), READER);
  });

  it('a database without CREATE EXTENSION: says so, with the one statement that fixes it', async () => {
    const { availability, source } = await diagnoseStatements(open(BARE));
    assert.equal(source, null);
    assert.equal(availability.status, 'not-installed');
    assert.equal(availability.usable, false);
    assert.equal(availability.title, `pg_stat_statements is not created in database "${BARE}"`);
    assert.match(availability.message, new RegExp(`^The server has pg_stat_statements 1\\.\\d+, but CREATE EXTENSION was not run in database "${BARE}"\\.$`));
    assert.deepEqual(runs(availability.fix), ['CREATE EXTENSION pg_stat_statements;'], 'the superuser sees the library is preloaded');
  });

  it('a role without pg_read_all_stats: limited, counts the hidden statements, names the GRANT', async () => {
    const db = open(DB, reader);
    const { availability, source } = await diagnoseStatements(db);
    assert.equal(availability.status, 'limited');
    assert.equal(availability.usable, true);
    assert.ok(availability.facts.hiddenEntries > 0);
    assert.match(availability.message, new RegExp(`^Role "${READER}" sees the text of its own statements only\\. ${availability.facts.hiddenEntries} of ${availability.facts.totalEntries} statements belong to other roles and show as <insufficient privilege>\\.`));
    assert.deepEqual(runs(availability.fix), [`GRANT pg_read_all_stats TO ${READER};`]);
    assert.equal(availability.facts.preloadLibraries, null, 'the setting is hidden from this role');
    assert.equal(availability.facts.canReset, false);

    // The reader still works: other roles' entries arrive merged per role, as "<insufficient privilege>".
    assert.ok(source);
    const snap = await readSnapshot(db, source, 'all');
    const hidden = snap.rows.filter((r) => r.hidden);
    assert.ok(hidden.length > 0);
    for (const r of hidden) {
      assert.equal(r.query, '<insufficient privilege>');
      assert.equal(r.queryid, null);
    }
    assert.equal(new Set(hidden.map((r) => r.key)).size, hidden.length);
    assert.ok(hidden.some((r) => r.user === server().user && r.entries > 1));
    const mine = windowStats([snap], 'reset')!.rows.filter((r) => r.user === READER);
    assert.ok(mine.length > 0 && mine.every((r) => !r.hidden), 'its own statements are readable');
  });

  it('resetting without the privilege: refused with the GRANT that allows it', async () => {
    const db = open(DB, reader);
    const { source } = await diagnoseStatements(db);
    assert.ok(source);
    const e = await rejection(() => resetStatements(db, source, READER));
    assert.ok(e instanceof DbError);
    assert.equal(e.kind, 'privilege');
    const args = server().major >= 17 ? 'oid, oid, bigint, boolean' : 'oid, oid, bigint';
    assert.equal(e.message, `Role "${READER}" may not reset pg_stat_statements: that needs a superuser or the EXECUTE privilege on the reset function. A superuser can grant it with: GRANT EXECUTE ON FUNCTION public.pg_stat_statements_reset(${args}) TO ${READER};`);
  });

  it('with pg_read_all_stats granted, everything is readable', async () => {
    await asSuperuser(server(), 'postgres', `GRANT pg_read_all_stats TO ${READER}`);
    try {
      const db = open(DB, reader);
      const { availability, source } = await diagnoseStatements(db);
      assert.equal(availability.status, 'ready', availability.message);
      assert.ok(source);
      const snap = await readSnapshot(db, source, 'all');
      assert.equal(snap.rows.some((r) => r.hidden), false);
      assert.ok(snap.rows.some((r) => r.query === 'SELECT count(*) FROM secrets'));
    } finally {
      await asSuperuser(server(), 'postgres', `REVOKE pg_read_all_stats FROM ${READER}`);
    }
  });
});

describe('db: pg_stat_statements diagnosis on a server started without shared_preload_libraries (embedded PostgreSQL 18)', () => {
  let server: TestServer;
  let db: Database;
  let bare: Database;

  before(async function () {
    this.timeout(120_000);
    server = await startEmbeddedPostgres({ settings: { shared_preload_libraries: '' } });
    // CREATE EXTENSION works without the library loaded; reading the view does not.
    await server.createDatabase('pgi_stats_unloaded');
    await server.createDatabase('pgi_stats_unloaded_bare');
    await asSuperuser(server, 'pgi_stats_unloaded_bare', 'DROP EXTENSION IF EXISTS pg_stat_statements');
    db = openOn(server, 'pgi_stats_unloaded');
    bare = openOn(server, 'pgi_stats_unloaded_bare');
  });
  after(async function () {
    this.timeout(60_000);
    await db?.close();
    await bare?.close();
    await server?.stop();
  });

  it('created but not loaded: names shared_preload_libraries and the restart', async () => {
    const { availability, source } = await diagnoseStatements(db);
    assert.equal(source, null);
    assert.equal(availability.status, 'not-preloaded');
    assert.equal(availability.facts.loaded, false);
    assert.match(availability.message, /^pg_stat_statements 1\.12 is created in database "pgi_stats_unloaded", but the server did not load its library at start: it must be listed in shared_preload_libraries, and the server restarted\.$/);
    assert.deepEqual(runs(availability.fix), ["ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements';"]);
    assert.match(availability.fix[1]?.say ?? '', /^Restart the PostgreSQL server/);
  });

  it('neither created nor loaded: both steps, in order', async () => {
    const { availability } = await diagnoseStatements(bare);
    assert.equal(availability.status, 'not-installed');
    assert.match(availability.message, /It is not in shared_preload_libraries either, which needs a server restart\.$/);
    assert.deepEqual(runs(availability.fix), ["ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements';", 'CREATE EXTENSION pg_stat_statements;']);
  });
});

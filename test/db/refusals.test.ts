/**
 * Statements the runner refuses never reach the server: nothing is sent (the
 * statement log stays empty) and the database is unchanged.
 */
import assert from 'node:assert/strict';
import type { Client } from 'pg';
import type { Database } from '../../src/db/types';
import { adminClient, openDatabase, rejection, type CapturingLog } from './helpers';
import { snapshot } from './snapshot';
import { testServer } from './server';

const DB = 'pgi_refusals';
const confirmAll = { confirmWrite: () => Promise.resolve(true) };

describe('db: refused statements never run', () => {
  let db: Database;
  let log: CapturingLog;
  let admin: Client;

  before(async () => {
    await testServer().createDatabase(DB);
    admin = await adminClient(DB);
    await admin.query(`
      CREATE TABLE items (id int PRIMARY KEY, name text);
      INSERT INTO items VALUES (1, 'a'), (2, 'b');
      CREATE SEQUENCE counter;
      CREATE TABLE copied (line text);
    `);
    ({ db, log } = openDatabase(DB));
  });
  after(async () => {
    await db?.close();
    await admin?.end();
  });

  async function sequenceValue(): Promise<string> {
    const r = await admin.query<{ last_value: string; is_called: boolean }>('SELECT last_value, is_called FROM counter');
    return `${r.rows[0]?.last_value}/${String(r.rows[0]?.is_called)}`;
  }

  const refused: ReadonlyArray<readonly [string, RegExp]> = [
    ['VACUUM items', /no plan|VACUUM/],
    ['VACUUM FULL items', /no plan|VACUUM/],
    ['CREATE INDEX CONCURRENTLY items_name ON items (name)', /no plan|CONCURRENTLY/],
    ["SELECT nextval('counter')", /sequence/],
    ["INSERT INTO items VALUES (nextval('counter'), 'c')", /sequence/],
    ["SELECT setval('counter', 100)", /sequence/],
    ["COPY items TO PROGRAM 'cat > /tmp/pg-insight-copy-test'", /no plan|PROGRAM/],
    ["COPY copied FROM PROGRAM 'echo x'", /no plan|PROGRAM/],
    ["ALTER SYSTEM SET work_mem = '123MB'", /no plan|configuration/],
    ['SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid <> pg_backend_pid()', /another server process/],
    ["SELECT pg_notify('chan', 'x')", /notification/],
    ['SELECT pg_reload_conf()', /whole server/],
    ['BEGIN', /no plan|Transaction/],
    ['CHECKPOINT', /no plan|CHECKPOINT/],
    ['EXPLAIN SELECT 1', /already an EXPLAIN|no plan/],
  ];

  for (const [sql, reason] of refused) {
    it(`refuses ${sql}`, async () => {
      const before = await snapshot(admin);
      const sequence = await sequenceValue();
      const sent = log.statements.length;
      const e = await rejection(() => db.explain(sql, [], { analyze: true }, confirmAll));
      assert.equal(e.kind, 'refused', e.message);
      assert.match(e.message, reason);
      assert.equal(log.statements.length, sent, 'no statement was sent');
      assert.deepEqual(await snapshot(admin), before);
      assert.equal(await sequenceValue(), sequence, 'the sequence did not advance');
    });
  }

  it('the settings ALTER SYSTEM would change stay as they were', async () => {
    const r = await admin.query<{ n: string }>("SELECT count(*) AS n FROM pg_file_settings WHERE name = 'work_mem' AND setting = '123MB'");
    assert.equal(r.rows[0]?.n, '0');
  });

  it('plain EXPLAIN (no ANALYZE) of a statement refused for ANALYZE is allowed and does not run it', async () => {
    const sequence = await sequenceValue();
    const result = await db.explain("SELECT nextval('counter')", [], { analyze: false });
    assert.equal(result.safety.verdict, 'refuse');
    assert.ok(Array.isArray(result.plan));
    assert.equal(await sequenceValue(), sequence);
  });

  it('multi-statement text is refused and its second statement never runs', async () => {
    for (const sql of ["SELECT 1; INSERT INTO items VALUES (3, 'c')", "SELECT 1;\nDELETE FROM items", "SELECT ';'; UPDATE items SET name = 'x'"]) {
      const before = await snapshot(admin);
      const sent = log.statements.length;
      for (const analyze of [true, false]) {
        const e = await rejection(() => db.explain(sql, [], { analyze }, confirmAll));
        assert.equal(e.kind, 'refused');
        assert.match(e.message, /2 statements/);
      }
      assert.equal(log.statements.length, sent, 'nothing was sent');
      assert.deepEqual(await snapshot(admin), before);
    }
  });

  it('one statement with a semicolon inside a string is not mistaken for two', async () => {
    const result = await db.explain("SELECT 'a; DELETE FROM items' AS s", [], { analyze: true });
    assert.equal(result.safety.verdict, 'read');
  });

  it('a production connection never runs ANALYZE of a writing statement', async () => {
    const { db: prod, log: prodLog } = openDatabase(DB, { profile: { production: true, name: 'prod' } });
    try {
      const before = await snapshot(admin);
      let asked = false;
      const e = await rejection(() => prod.explain('DELETE FROM items', [], { analyze: true }, { confirmWrite: () => { asked = true; return Promise.resolve(true); } }));
      assert.equal(e.kind, 'refused');
      assert.match(e.message, /production/);
      assert.equal(asked, false, 'the user was not even asked');
      assert.equal(prodLog.statements.length, 0);
      assert.deepEqual(await snapshot(admin), before);
      // Reads and plain EXPLAIN still work there.
      assert.equal((await prod.explain('SELECT * FROM items', [], { analyze: true })).safety.verdict, 'read');
      assert.equal((await prod.explain('DELETE FROM items', [], { analyze: false })).rolledBack, false);
      assert.deepEqual(await snapshot(admin), before);
    } finally {
      await prod.close();
    }
  });

  it('a read-only connection never runs ANALYZE of a writing statement', async () => {
    const { db: ro } = openDatabase(DB, { profile: { readOnly: true } });
    try {
      const e = await rejection(() => ro.explain("UPDATE items SET name = 'z'", [], { analyze: true }, confirmAll));
      assert.equal(e.kind, 'refused');
      assert.match(e.message, /read-only/);
    } finally {
      await ro.close();
    }
  });

  it('a write that is not confirmed does not run', async () => {
    const before = await snapshot(admin);
    const sent = log.statements.length;
    const e = await rejection(() => db.explain('DELETE FROM items', [], { analyze: true }, { confirmWrite: () => Promise.resolve(false) }));
    assert.equal(e.kind, 'cancelled');
    assert.match(e.message, /not confirmed/);
    // Only the catalog was read (to say in the question what the statement executes); the statement never ran.
    const sentNow = log.statements.slice(sent).map((s) => s.firstLine);
    assert.ok(!sentNow.some((line) => /^EXPLAIN|^DELETE/.test(line)), sentNow.join('\n'));
    assert.deepEqual(await snapshot(admin), before);
  });

  it('a write without a way to confirm is refused', async () => {
    const e = await rejection(() => db.explain('DELETE FROM items', [], { analyze: true }));
    assert.equal(e.kind, 'refused');
    assert.match(e.message, /confirmation/);
  });

  it('a user function that borrows the name of a known side-effect-free one is judged by what it is', async () => {
    // pg_trgm's similarity() is known to be free of side effects; this one writes.
    await admin.query(`CREATE FUNCTION similarity(a text, b text) RETURNS real LANGUAGE plpgsql AS $$
      BEGIN INSERT INTO items VALUES (99, a); RETURN 1; END $$`);
    const before = await snapshot(admin);
    let asked = '';
    const e = await rejection(() =>
      db.explain("SELECT similarity('x', 'y')", [], { analyze: true }, { confirmWrite: (s) => { asked = (s.findings ?? []).join('; '); return Promise.resolve(false); } }),
    );
    assert.equal(e.kind, 'cancelled', e.message);
    assert.match(asked, /public\.similarity\(a text, b text\), a VOLATILE user function/);
    assert.deepEqual(await snapshot(admin), before);
  });

  it('reads run in READ ONLY transactions', async () => {
    const ro = await db.read('probe', async (t) => (await t.query<{ ro: string }>("SELECT current_setting('transaction_read_only') AS ro")).rows[0]?.ro);
    assert.equal(ro, 'on');
    assert.equal((await rejection(() => db.read('sneaky write', (t) => t.query("INSERT INTO items VALUES (42, 'x')")))).kind, 'read-only');
  });
});

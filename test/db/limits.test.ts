/**
 * Timeouts and cancellation: the server stops the statement, the call
 * rejects with the right kind, and the pool stays usable.
 */
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import type { Client } from 'pg';
import type { Database } from '../../src/db/types';
import { adminClient, openDatabase, rejection, until, type CapturingLog } from './helpers';
import { testServer } from './server';

const DB = 'pgi_limits';

describe('db: timeouts and cancellation', () => {
  let db: Database;
  let log: CapturingLog;
  let admin: Client;

  before(async () => {
    await testServer().createDatabase(DB);
    admin = await adminClient(DB);
    await admin.query("CREATE TABLE items (id int PRIMARY KEY); INSERT INTO items VALUES (1)");
    ({ db, log } = openDatabase(DB, { limits: { statementTimeoutMs: 400, lockTimeoutMs: 300 } }));
  });
  after(async () => {
    await db?.close();
    await admin?.end();
  });

  /** Statements of ours that the server is running now. */
  async function running(fragment: string): Promise<number> {
    const r = await admin.query<{ n: string }>(
      "SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = 'pg-insight' AND state = 'active' AND position($1 in query) > 0",
      [fragment],
    );
    return Number(r.rows[0]?.n);
  }

  it('sets statement_timeout and lock_timeout with SET LOCAL in every transaction', async () => {
    const inside = await db.read('settings', async (tx) => (await tx.query<{ s: string; l: string }>("SELECT current_setting('statement_timeout') AS s, current_setting('lock_timeout') AS l")).rows[0]);
    assert.deepEqual(inside, { s: '400ms', l: '300ms' });
    const overridden = await db.read('settings', async (tx) => (await tx.query<{ s: string }>("SELECT current_setting('statement_timeout') AS s")).rows[0]?.s, { statementTimeoutMs: 1500 });
    assert.equal(overridden, '1500ms');
    assert.ok(log.statements.some((s) => /^BEGIN READ ONLY; SET LOCAL statement_timeout = 400; SET LOCAL lock_timeout = 300/.test(s.firstLine)));
  });

  it('a statement running past statement_timeout fails as statement-timeout', async () => {
    const started = performance.now();
    const e = await rejection(() => db.explain('SELECT pg_sleep(5)', [], { analyze: true }));
    assert.equal(e.kind, 'statement-timeout', e.message);
    assert.equal(e.code, '57014');
    assert.match(e.message, /400 ms/);
    assert.ok(performance.now() - started < 3000);
    // The pool is still usable.
    assert.equal(await db.read('after', async (tx) => (await tx.query<{ x: number }>('SELECT 1 AS x')).rows[0]?.x), 1);
  });

  it('a statement waiting for a lock past lock_timeout fails as lock-timeout', async () => {
    const holder = await adminClient(DB);
    try {
      await holder.query('BEGIN; LOCK TABLE items IN ACCESS EXCLUSIVE MODE');
      const e = await rejection(() => db.explain('SELECT * FROM items', [], { analyze: true }));
      assert.equal(e.kind, 'lock-timeout', e.message);
      assert.equal(e.code, '55P03');
      await holder.query('ROLLBACK');
    } finally {
      await holder.end();
    }
  });

  for (const [what, start] of [
    ['EXPLAIN ANALYZE', (d: Database, signal: AbortSignal) => d.explain('SELECT pg_sleep(20)', [], { analyze: true }, { signal, statementTimeoutMs: 60_000 })],
    ['a catalog read', (d: Database, signal: AbortSignal) => d.read('slow read', (tx) => tx.query('SELECT pg_sleep(20)'), { signal, statementTimeoutMs: 60_000 })],
  ] as const) {
    it(`cancelling ${what} stops the server-side query within 1 s`, async () => {
      const controller = new AbortController();
      const call = start(db, controller.signal);
      const settled = call.then(() => undefined, (e: unknown) => e as { kind?: string });
      await until('the statement is running on the server', async () => (await running('pg_sleep(20)')) === 1);
      const aborted = performance.now();
      controller.abort();
      const e = await settled;
      const rejectedAfter = performance.now() - aborted;
      assert.equal(e?.kind, 'cancelled');
      assert.ok(rejectedAfter < 1000, `rejected after ${rejectedAfter.toFixed(0)} ms`);
      await until('the server-side query is gone', async () => (await running('pg_sleep(20)')) === 0, Math.max(50, 1000 - (performance.now() - aborted)));
      const goneAfter = performance.now() - aborted;
      assert.ok(goneAfter < 1000, `gone after ${goneAfter.toFixed(0)} ms`);
      // The next call works (the cancelled client was discarded, not reused).
      assert.equal(await db.read('after cancel', async (tx) => (await tx.query<{ x: number }>('SELECT 2 AS x')).rows[0]?.x), 2);
    });
  }

  it('an already aborted signal sends nothing', async () => {
    const sent = log.statements.length;
    const e = await rejection(() => db.read('never', (tx) => tx.query('SELECT 1'), { signal: AbortSignal.abort() }));
    assert.equal(e.kind, 'cancelled');
    assert.equal(log.statements.length, sent);
  });

  it('a cancelled write is rolled back', async () => {
    const controller = new AbortController();
    const call = db
      .explain("WITH d AS (DELETE FROM items RETURNING *) SELECT pg_sleep(20), count(*) FROM d", [], { analyze: true }, { signal: controller.signal, confirmWrite: () => Promise.resolve(true), statementTimeoutMs: 60_000 })
      .then(() => undefined, (e: unknown) => e as { kind?: string });
    await until('the write is running', async () => (await running('pg_sleep(20)')) === 1);
    controller.abort();
    assert.equal((await call)?.kind, 'cancelled');
    await until('the server-side query is gone', async () => (await running('pg_sleep(20)')) === 0, 1000);
    const rows = await admin.query<{ n: string }>('SELECT count(*) AS n FROM items');
    assert.equal(rows.rows[0]?.n, '1');
  });
});

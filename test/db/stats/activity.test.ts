/**
 * The live activity tab against real servers: a session blocked on a row
 * lock shows with the session holding it, cancel and terminate act on the
 * server, and a role without the privilege is refused with a message that
 * names the rule and the GRANT.
 */
import assert from 'node:assert/strict';
import type { Client } from 'pg';
import type { Session } from '../../../src/core/stats/activity';
import { readActivity, signalSession } from '../../../src/db/stats';
import { DbError, type Database } from '../../../src/db/types';
import { rejection, until } from '../helpers';
import { asSuperuser, clientOn, createRole, dropRole, onEachServer, openOn, type Login } from './support';

const DB = 'pgi_stats_activity';
const PLAIN = 'pgi_stats_plain';
const OTHER = 'pgi_stats_other';

async function pidOf(c: Client): Promise<number> {
  return (await c.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
}

/** Starts an UPDATE of row 1 that will wait for its lock; resolves to the error it ends with, or null. */
function blockedUpdate(c: Client): Promise<(Error & { code?: string }) | null> {
  return c.query('UPDATE locks SET v = v + 10 WHERE id = 1').then(
    () => null,
    (e: unknown) => e as Error & { code?: string },
  );
}

function sessionOf(sessions: readonly Session[], pid: number): Session {
  const s = sessions.find((x) => x.pid === pid);
  assert.ok(s, `session ${pid} is not listed: ${JSON.stringify(sessions.map((x) => [x.pid, x.kinds]))}`);
  return s;
}

onEachServer('db: live activity', (server) => {
  let db: Database;
  let plainDb: Database;
  let plain: Login;
  let other: Login;
  const clients: Client[] = [];
  const connect = async (login?: Login, name = 'stats-test-app') => {
    const c = await clientOn(server(), DB, login, name);
    clients.push(c);
    return c;
  };
  const gone = async (pid: number) => !(await db.read('test: is the session gone', async (tx) => (await tx.query('SELECT 1 FROM pg_stat_activity WHERE pid = $1', [pid])).rows.length > 0));

  before(async () => {
    await server().createDatabase(DB);
    plain = await createRole(server(), PLAIN);
    other = await createRole(server(), OTHER);
    await asSuperuser(server(), DB, `CREATE TABLE locks (id int PRIMARY KEY, v int NOT NULL); INSERT INTO locks VALUES (1, 0); GRANT SELECT, UPDATE ON locks TO ${OTHER}`);
    db = openOn(server(), DB);
    plainDb = openOn(server(), DB, plain);
  });
  after(async () => {
    for (const c of clients) await c.end().catch(() => undefined);
    // Nothing to undo when the suite was skipped (no PostgreSQL 15) before it began.
    if (!db) return;
    await db.close();
    await plainDb?.close();
    await asSuperuser(server(), DB, `DROP TABLE IF EXISTS locks`);
    await dropRole(server(), PLAIN);
    await dropRole(server(), OTHER);
  });

  describe('a session blocked on a row lock', () => {
    let holder: Client;
    let waiter: Client;
    let holderPid: number;
    let waiterPid: number;
    let waiting: ReturnType<typeof blockedUpdate>;

    before(async () => {
      holder = await connect(undefined, 'stats-holder');
      waiter = await connect(undefined, 'stats-waiter');
      holderPid = await pidOf(holder);
      waiterPid = await pidOf(waiter);
      await holder.query('BEGIN');
      await holder.query('UPDATE locks SET v = v + 1 WHERE id = 1');
      waiting = blockedUpdate(waiter);
      await until('the waiter waits for the holder', async () => (await readActivity(db)).some((s) => s.pid === waiterPid && s.blockedBy.includes(holderPid)), 10_000);
    });

    it('shows the waiter with its blocker, and the blocker idle in its transaction', async () => {
      const sessions = await readActivity(db, { longRunningMs: 60_000 });
      const w = sessionOf(sessions, waiterPid);
      assert.deepEqual(w.kinds, ['waiting']);
      assert.deepEqual(w.blockedBy, [holderPid]);
      assert.equal(w.waitEventType, 'Lock');
      assert.equal(w.application, 'stats-waiter');
      assert.equal(w.query, 'UPDATE locks SET v = v + 10 WHERE id = 1');
      assert.equal(w.canSignal, true);
      const h = sessionOf(sessions, holderPid);
      assert.deepEqual(h.kinds, ['blocking', 'idle-in-transaction']);
      assert.deepEqual(h.blocking, [waiterPid]);
      assert.ok(h.transactionMs !== null && h.transactionMs >= 0);
      assert.ok(sessions.indexOf(h) < sessions.indexOf(w), 'the blocker comes first');
    });

    it('with a low threshold the waiting statement is also long running', async () => {
      await until('the wait passes 50 ms', async () => sessionOf(await readActivity(db, { longRunningMs: 50 }), waiterPid).kinds.includes('long-running'), 5_000);
    });

    it('cancel stops the waiting statement and leaves its session connected', async () => {
      const r = await signalSession(db, 'cancel', waiterPid);
      assert.equal(r.message, `Asked session ${waiterPid} of role "${server().user}" to cancel its statement.`);
      const e = await waiting;
      assert.equal(e?.code, '57014', 'the UPDATE was cancelled');
      assert.equal((await waiter.query<{ one: number }>('SELECT 1 AS one')).rows[0]?.one, 1);
      assert.equal((await readActivity(db)).some((s) => s.pid === waiterPid), false);
    });

    it('terminate ends the holding session and releases its lock', async () => {
      const r = await signalSession(db, 'terminate', holderPid);
      assert.equal(r.message, `Asked session ${holderPid} of role "${server().user}" to end.`);
      await until('the holder is gone', () => gone(holderPid), 10_000);
      await waiter.query("SET lock_timeout = '5s'");
      assert.equal((await waiter.query('UPDATE locks SET v = v + 10 WHERE id = 1')).rowCount, 1, 'the row lock was released');
    });

    it('a session that is gone: says so', async () => {
      const e = await rejection(() => signalSession(db, 'cancel', holderPid));
      assert.ok(e instanceof DbError);
      assert.equal(e.message, `Session ${holderPid} could not be cancelled: it is no longer running.`);
    });
  });

  describe('a role without the privilege to signal', () => {
    let superSession: Client;
    let otherSession: Client;
    let superPid: number;
    let otherPid: number;
    let waiting: ReturnType<typeof blockedUpdate>;
    let waiterPid: number;

    before(async () => {
      superSession = await connect(undefined, 'stats-super');
      superPid = await pidOf(superSession);
      await superSession.query('BEGIN');
      await superSession.query('SELECT 1');
      otherSession = await connect(other, 'stats-other');
      otherPid = await pidOf(otherSession);
      await otherSession.query('BEGIN');
      await otherSession.query('UPDATE locks SET v = v + 1 WHERE id = 1');
      const waiter = await connect(undefined, 'stats-super-waiter');
      waiterPid = await pidOf(waiter);
      waiting = blockedUpdate(waiter);
      await until('the superuser waits for the other role', async () => (await readActivity(db)).some((s) => s.pid === waiterPid && s.blockedBy.includes(otherPid)), 10_000);
    });

    it('sees other roles\' blocking and waiting sessions as hidden, without the buttons', async () => {
      const sessions = await readActivity(plainDb);
      const o = sessionOf(sessions, otherPid);
      assert.deepEqual(o.kinds, ['blocking']);
      assert.equal(o.hidden, true);
      assert.equal(o.user, OTHER);
      assert.equal(o.canSignal, false);
      const w = sessionOf(sessions, waiterPid);
      assert.deepEqual(w.kinds, ['waiting']);
      assert.equal(w.canSignal, false);
    });

    it('cancelling or terminating a superuser\'s session is refused with the rule', async () => {
      for (const action of ['cancel', 'terminate'] as const) {
        const e = await rejection(() => signalSession(plainDb, action, superPid));
        assert.ok(e instanceof DbError);
        assert.equal(e.kind, 'privilege');
        const verb = action === 'cancel' ? 'cancel the statement of' : 'terminate';
        assert.equal(e.message, `Role "${PLAIN}" may not ${verb} session ${superPid} of role "${server().user}": it belongs to a superuser, and only superusers may signal superusers' sessions.`);
      }
      assert.equal((await superSession.query<{ one: number }>('SELECT 1 AS one')).rows[0]?.one, 1, 'the session is untouched');
    });

    it('cancelling or terminating another role\'s session is refused with the GRANT that allows it', async () => {
      for (const action of ['cancel', 'terminate'] as const) {
        const e = await rejection(() => signalSession(plainDb, action, otherPid));
        assert.ok(e instanceof DbError);
        assert.equal(e.kind, 'privilege');
        const verb = action === 'cancel' ? 'cancel the statement of' : 'terminate';
        assert.equal(e.message, `Role "${PLAIN}" may not ${verb} session ${otherPid} of role "${OTHER}": that needs the privileges of role "${OTHER}" or of pg_signal_backend. A superuser can grant it with: GRANT pg_signal_backend TO ${PLAIN};`);
      }
      assert.equal(await gone(otherPid), false);
    });

    it('with pg_signal_backend, the other role\'s session can be ended, and the buttons show', async () => {
      await asSuperuser(server(), 'postgres', `GRANT pg_signal_backend TO ${PLAIN}`);
      try {
        assert.equal(sessionOf(await readActivity(plainDb), otherPid).canSignal, true);
        assert.equal(sessionOf(await readActivity(plainDb), waiterPid).canSignal, false, 'a superuser\'s session stays out of reach');
        await signalSession(plainDb, 'terminate', otherPid);
        await until('the other role\'s session is gone', () => gone(otherPid), 10_000);
        assert.equal(await waiting, null, 'the waiting UPDATE went through once the lock was released');
      } finally {
        await asSuperuser(server(), 'postgres', `REVOKE pg_signal_backend FROM ${PLAIN}`);
      }
    });
  });
});

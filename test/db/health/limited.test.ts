/**
 * What a role with CONNECT and nothing else (no superuser, no
 * pg_read_all_stats, no pg_stat_scan_tables) is told, against what the
 * superuser is told about the same server at the same moment: real sessions
 * of another role idle in a transaction, blocked behind it, and running a
 * long statement; statements of another role in pg_stat_statements;
 * pgstattuple it may not run; a table and a sequence it may not read. A
 * check that could not see must say 'limited' with the grant, never 'ok'.
 */
import assert from 'node:assert/strict';
import type { Client } from 'pg';
import { blockedQueries } from '../../../src/core/health/checks/blocked-queries';
import { idleInTransaction } from '../../../src/core/health/checks/idle-in-transaction';
import { longRunningQueries } from '../../../src/core/health/checks/long-running-queries';
import { pgStatStatements } from '../../../src/core/health/checks/pg-stat-statements';
import { sequenceOverflow } from '../../../src/core/health/checks/sequence-overflow';
import { tableBloat } from '../../../src/core/health/checks/table-bloat';
import { ALL_CHECKS, DEFAULT_THRESHOLDS, neededPrivileges, runChecks } from '../../../src/core/health';
import type { CheckResult, HealthCheck, HealthThresholds } from '../../../src/core/health';
import { client, flushStats, freshDatabase, openHealthDb, until, type HealthDb } from './support';

const DB = 'health_limited';
const reader = { user: 'health_limited_reader', password: 'health-limited-secret' };
/** Low enough that the sessions below cross them within a second or two. */
const QUICK: Partial<HealthThresholds> = {
  idleInTransactionWarningSeconds: 0,
  longRunningWarningSeconds: 0.2,
  blockedWarningSeconds: 0,
  blockedCriticalSeconds: 1,
};

async function results(h: HealthDb, checks: readonly HealthCheck[], thresholds: Partial<HealthThresholds> = {}): Promise<Map<string, CheckResult>> {
  const report = await runChecks(checks, h.runner, { thresholds: { ...DEFAULT_THRESHOLDS, ...thresholds } });
  return new Map(report.results.map((r) => [r.id, r]));
}

function statusesOf(byId: Map<string, CheckResult>): Record<string, string> {
  return Object.fromEntries([...byId].map(([id, r]) => [id, r.status]));
}

describe('health checks: a role that cannot see everything is told so (db)', function () {
  this.timeout(60_000);
  let admin: Client;
  let superuser: HealthDb;
  let limited: HealthDb;
  const sessions: Client[] = [];

  async function session(applicationName: string): Promise<{ c: Client; pid: number }> {
    const c = await client(DB);
    c.on('error', () => undefined);
    sessions.push(c);
    await c.query(`SET application_name = '${applicationName}'`);
    const r = await c.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    return { c, pid: Number(r.rows[0]?.pid) };
  }

  before(async () => {
    admin = (await freshDatabase(DB)).admin;
    await admin.query(`DROP ROLE IF EXISTS ${reader.user}`);
    // CONNECT comes from PUBLIC; the role is given nothing else.
    await admin.query(`CREATE ROLE ${reader.user} LOGIN PASSWORD '${reader.password}'`);
    await admin.query(`
      CREATE TABLE accounts (id int PRIMARY KEY, balance int) WITH (autovacuum_enabled = off);
      INSERT INTO accounts SELECT g, 100 FROM generate_series(1, 1000) g;
      CREATE SEQUENCE invoice_numbers;
      SELECT nextval('invoice_numbers');
      ANALYZE accounts;
      CREATE EXTENSION IF NOT EXISTS pgstattuple;`);
    await flushStats(admin);
    const privileges = await admin.query<{ superuser: boolean; stats: boolean; scan: boolean }>(
      `SELECT rolsuper AS superuser, pg_has_role(rolname, 'pg_read_all_stats', 'USAGE') AS stats, pg_has_role(rolname, 'pg_stat_scan_tables', 'USAGE') AS scan
       FROM pg_roles WHERE rolname = $1`,
      [reader.user],
    );
    assert.deepEqual(privileges.rows[0], { superuser: false, stats: false, scan: false });
    superuser = await openHealthDb(DB);
    limited = await openHealthDb(DB, reader);
  });

  after(async () => {
    for (const c of sessions) await c.end().catch(() => undefined);
    await limited?.close();
    await superuser?.close();
    await admin?.end();
    const cleanup = await client('postgres');
    await cleanup.query(`DROP ROLE IF EXISTS ${reader.user}`);
    await cleanup.end();
  });

  it("another role idle in a transaction, blocking a statement, and a long statement: the superuser's Warning, Warning, Critical are Limited, Limited, Critical", async () => {
    const holder = await session('limited-holder');
    await holder.c.query('BEGIN');
    await holder.c.query('UPDATE accounts SET balance = balance - 1 WHERE id = 1');
    const waiter = await session('limited-waiter');
    const blocked = waiter.c.query('UPDATE accounts SET balance = balance + 1 WHERE id = 1').catch((e: Error) => e);
    const sleeper = await session('limited-sleeper');
    const sleeping = sleeper.c.query('SELECT pg_sleep(60)').catch((e: Error) => e);
    const checks = [idleInTransaction, longRunningQueries, blockedQueries];
    try {
      const seen = await until('the superuser to see all three', async () => {
        const byId = await results(superuser, checks, QUICK);
        const s = statusesOf(byId);
        return s['idle-in-transaction'] === 'warning' && s['long-running-queries'] === 'warning' && s['blocked-queries'] === 'critical' ? byId : undefined;
      }, 15_000, 200);
      assert.ok(seen.get('idle-in-transaction')?.findings.some((f) => f.object === `pid ${holder.pid}`));
      assert.ok(seen.get('long-running-queries')?.findings.some((f) => f.object === `pid ${sleeper.pid}`));

      const byId = await results(limited, checks, QUICK);
      assert.deepEqual(statusesOf(byId), { 'idle-in-transaction': 'limited', 'long-running-queries': 'limited', 'blocked-queries': 'critical' });
      for (const id of ['idle-in-transaction', 'long-running-queries']) {
        const r = byId.get(id);
        assert.deepEqual(neededPrivileges(r?.limitations ?? []), ['pg_read_all_stats'], id);
        assert.deepEqual(r?.findings, [], `${id} sees none of the other role's sessions`);
        // The holder, the waiter and the sleeper each have a transaction open.
        assert.match(r?.summary ?? '', /; 3 sessions of other roles with an open transaction could not be seen into\.$/, id);
        assert.match(r?.limitations[0]?.fix ?? '', /^GRANT pg_read_all_stats TO <role>;/);
      }
      // pg_locks shows every wait to every role: the verdict is the superuser's, the statements are hidden.
      const wait = byId.get('blocked-queries')?.findings.find((f) => f.object === `pid ${waiter.pid}`);
      assert.equal(wait?.severity, 'critical');
      assert.match(wait?.message ?? '', new RegExp(`^Session ${waiter.pid} has waited \\d+ s for a transactionid lock: statement hidden\\. Blocked by session ${holder.pid} \\(details hidden\\)\\.$`));
      assert.deepEqual(neededPrivileges(byId.get('blocked-queries')?.limitations ?? []), ['pg_read_all_stats']);
    } finally {
      await holder.c.query('ROLLBACK');
      await blocked;
      await admin.query('SELECT pg_cancel_backend($1)', [sleeper.pid]);
      await sleeping;
    }
  });

  it('other roles\' sessions outside a transaction cannot be idle in one or running: the verdict is a plain OK', async () => {
    // Sessions of the superuser role, idle between transactions, still hidden from the reader.
    await session('limited-idle');
    await session('limited-idle');
    const hidden = await limited.db.read('hidden sessions', async (tx) =>
      (await tx.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_stat_activity WHERE backend_type IS NULL AND datname = current_database()")).rows[0]?.n ?? 0);
    assert.ok(hidden >= 2, `hidden sessions: ${hidden}`);
    // Polled: an autovacuum worker passing through this database has a transaction open while it works.
    const calm = await until('the activity checks to settle', async () => {
      const byId = await results(limited, [idleInTransaction, longRunningQueries, blockedQueries], QUICK);
      return Object.values(statusesOf(byId)).every((s) => s === 'ok') ? byId : undefined;
    }, 15_000, 200);
    assert.equal(calm.get('idle-in-transaction')?.summary, 'No session is idle in a transaction.');
    assert.deepEqual(calm.get('idle-in-transaction')?.limitations, []);
  });

  it('statements of another role without their text, pgstattuple it may not run, a table and a sequence it may not read', async () => {
    // Statements of the superuser role, recorded by pg_stat_statements in this database.
    for (let i = 0; i < 12; i++) await admin.query('SELECT count(*) FROM accounts WHERE balance > $1', [i]);
    const checks = [pgStatStatements, tableBloat, sequenceOverflow];
    const mine = await results(superuser, checks);
    const theirs = await results(limited, checks);
    for (const id of ['pg-stat-statements', 'table-bloat', 'sequence-overflow']) {
      assert.equal(mine.get(id)?.status, 'ok', `${id} as the superuser: ${mine.get(id)?.summary}`);
      assert.equal(theirs.get(id)?.status, 'limited', `${id} as the reader: ${theirs.get(id)?.summary}`);
    }
    assert.deepEqual(neededPrivileges(theirs.get('pg-stat-statements')?.limitations ?? []), ['pg_read_all_stats']);
    assert.match(theirs.get('pg-stat-statements')?.limitations.map((l) => l.reason).join('\n') ?? '', /statements of other roles are shown without text/);
    assert.deepEqual(neededPrivileges(theirs.get('table-bloat')?.limitations ?? []), ['pg_stat_scan_tables', 'SELECT on the tables']);
    assert.match(theirs.get('table-bloat')?.limitations.map((l) => l.reason).join('\n') ?? '', /^1 table could not be estimated because the statistics of their columns are hidden from this role/m);
    assert.deepEqual(neededPrivileges(theirs.get('sequence-overflow')?.limitations ?? []), ['SELECT or USAGE on the sequences']);

    // Granting what each names lifts it.
    await admin.query(`GRANT SELECT ON accounts TO ${reader.user}; GRANT SELECT ON SEQUENCE invoice_numbers TO ${reader.user}; GRANT pg_read_all_stats, pg_stat_scan_tables TO ${reader.user}`);
    try {
      const granted = await results(limited, checks);
      assert.deepEqual(statusesOf(granted), { 'pg-stat-statements': 'ok', 'table-bloat': 'ok', 'sequence-overflow': 'ok' });
    } finally {
      await admin.query(`REVOKE SELECT ON accounts FROM ${reader.user}; REVOKE SELECT ON SEQUENCE invoice_numbers FROM ${reader.user}; REVOKE pg_read_all_stats, pg_stat_scan_tables FROM ${reader.user}`);
    }
  });

  it('in the whole report, no check the privileges cut short says OK', async () => {
    const holder = await session('limited-report');
    await holder.c.query('BEGIN');
    await holder.c.query('SELECT 1 FROM accounts WHERE id = 2 FOR UPDATE');
    try {
      const report = await runChecks(ALL_CHECKS, limited.runner);
      const bad = report.results.filter((r) => r.status === 'ok' && neededPrivileges(r.limitations).length > 0);
      assert.deepEqual(bad.map((r) => r.id), []);
      const statuses = Object.fromEntries(report.results.map((r) => [r.id, r.status]));
      for (const id of ['idle-in-transaction', 'long-running-queries', 'pg-stat-statements', 'table-bloat', 'sequence-overflow']) assert.equal(statuses[id], 'limited', id);
      assert.equal(report.results.filter((r) => r.status === 'error').length, 0);
    } finally {
      await holder.c.query('ROLLBACK');
    }
  });
});

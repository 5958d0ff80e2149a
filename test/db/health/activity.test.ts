/**
 * Activity checks against real sessions: one idle in a transaction while
 * holding a row lock, one blocked by it, one running a long statement, and
 * connections counted by application.
 */
import assert from 'node:assert/strict';
import type { Client } from 'pg';
import { blockedQueries } from '../../../src/core/health/checks/blocked-queries';
import { connections } from '../../../src/core/health/checks/connections';
import { idleInTransaction } from '../../../src/core/health/checks/idle-in-transaction';
import { longRunningQueries } from '../../../src/core/health/checks/long-running-queries';
import { client, freshDatabase, openHealthDb, runOne, until, untilFinding, type HealthDb } from './support';

describe('health checks: activity (db)', function () {
  this.timeout(60_000);
  let admin: Client;
  let h: HealthDb;
  const sessions: Client[] = [];

  async function session(applicationName: string): Promise<{ c: Client; pid: number }> {
    const c = await client('health_activity');
    sessions.push(c);
    await c.query(`SET application_name = '${applicationName}'`);
    const r = await c.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    return { c, pid: Number(r.rows[0]?.pid) };
  }

  before(async () => {
    admin = (await freshDatabase('health_activity')).admin;
    await admin.query('CREATE TABLE accounts (id int PRIMARY KEY, balance int); INSERT INTO accounts SELECT g, 100 FROM generate_series(1, 10) g;');
    h = await openHealthDb('health_activity');
  });

  after(async () => {
    for (const c of sessions) await c.end().catch(() => undefined);
    await h?.close();
    await admin?.end();
  });

  it('reports a session idle in a transaction and the statement it blocks, naming the blocker', async () => {
    const holder = await session('health-holder');
    await holder.c.query('BEGIN');
    await holder.c.query('UPDATE accounts SET balance = balance - 1 WHERE id = 1');
    const waiter = await session('health-waiter');
    const blocked = waiter.c.query('UPDATE accounts SET balance = balance + 1 WHERE id = 1');
    try {
      const idle = await untilFinding(h, idleInTransaction, `pid ${holder.pid}`, { idleInTransactionWarningSeconds: 0 });
      assert.equal(idle.finding.severity, 'warning');
      assert.match(idle.finding.message, /health-holder/);
      assert.match(idle.result.summary, /1 session is idle in a transaction/);
      assert.equal(idle.finding.remediation?.sql?.split('\n')[0], `SELECT pg_terminate_backend(${holder.pid});`);

      const wait = await untilFinding(h, blockedQueries, `pid ${waiter.pid}`, { blockedWarningSeconds: 0 });
      assert.equal(wait.finding.severity, 'warning');
      assert.match(wait.finding.message, new RegExp(`Blocked by session ${holder.pid} \\(postgres, idle in transaction`));
      assert.equal(wait.finding.remediation?.sql, `SELECT pg_terminate_backend(${holder.pid});`);

      // Under the default thresholds a wait of a few seconds is information, not yet a warning.
      const calm = await runOne(h, idleInTransaction);
      assert.equal(calm.status, 'ok');
      assert.equal(calm.details[0]?.rows.length, 1);
    } finally {
      await holder.c.query('ROLLBACK');
      await blocked;
    }
    const after = await until('the wait to clear', async () => {
      const r = await runOne(h, blockedQueries, { blockedWarningSeconds: 0 });
      return r.findings.length === 0 ? r : undefined;
    });
    assert.equal(after.summary, 'No statement is waiting for a lock.');
  });

  it('reports a long-running statement', async () => {
    const sleeper = await session('health-sleeper');
    const sleeping = sleeper.c.query('SELECT pg_sleep(30)').catch((e: Error) => e);
    try {
      const { finding } = await untilFinding(h, longRunningQueries, `pid ${sleeper.pid}`, { longRunningWarningSeconds: 0.2 });
      assert.equal(finding.severity, 'warning');
      assert.match(finding.message, /pg_sleep\(\$1\)|pg_sleep\(30\)/);
      assert.equal(finding.remediation?.sql, `SELECT pg_cancel_backend(${sleeper.pid});  -- or pg_terminate_backend(${sleeper.pid})`);
    } finally {
      await admin.query('SELECT pg_cancel_backend($1)', [sleeper.pid]);
    }
    const outcome = await sleeping;
    assert.ok(outcome instanceof Error);
    assert.match(outcome.message, /cancel/);
  });

  it('counts connections by state and application, against max_connections', async () => {
    await session('health-counted');
    const result = await runOne(h, connections);
    assert.equal(result.status, 'ok');
    const byApplication = result.details.find((d) => d.title === 'By application');
    assert.ok(byApplication?.rows.some((r) => r[0] === 'health-counted' && r[1] === 1), JSON.stringify(byApplication));
    assert.ok(result.details.find((d) => d.title === 'By state')?.rows.some((r) => r[0] === 'idle'));
    assert.match(result.summary, /of \d+ connections in use/);

    const crowded = await runOne(h, connections, { connectionsWarningPercent: 0 });
    assert.equal(crowded.status, 'warning');
    assert.equal(crowded.findings[0]?.object, 'max_connections');
  });
});

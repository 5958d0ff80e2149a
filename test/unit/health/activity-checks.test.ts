import assert from 'node:assert/strict';
import { blockedQueries } from '../../../src/core/health/checks/blocked-queries';
import { connections } from '../../../src/core/health/checks/connections';
import { idleInTransaction } from '../../../src/core/health/checks/idle-in-transaction';
import { longRunningQueries } from '../../../src/core/health/checks/long-running-queries';
import { resultStatus } from '../../../src/core/health/outcome';
import { ctx, finding, severities, thresholds } from './support';

const t = thresholds();

describe('connections.evaluate', () => {
  const totals = (used: number, extra: Record<string, unknown> = {}) => [{ client_backends: used, hidden: 0, numbackends: used + 3, max_connections: 100, superuser_reserved: 3, ...extra }];

  it('is ok at exactly the warning share, warns above it and is critical above the critical share', () => {
    assert.equal(connections.evaluate({ totals: totals(80), sessions: [] }, t, ctx()).status, 'ok');
    assert.equal(connections.evaluate({ totals: totals(81), sessions: [] }, t, ctx()).status, 'warning');
    const critical = connections.evaluate({ totals: totals(96), sessions: [{ state: 'idle', sessions: 90 }] }, t, ctx());
    assert.equal(critical.status, 'critical');
    assert.match(finding(critical, 'max_connections').message, /96 of 100 connections are in use \(96 %\); 3 are reserved for superusers\. 90 sessions are idle\./);
  });

  it('breaks sessions down by state, application and database', () => {
    const sessions = [
      { state: 'idle', application_name: 'web', database: 'app', role: 'web', sessions: '5' },
      { state: 'active', application_name: 'web', database: 'app', role: 'web', sessions: '2' },
      { state: 'idle', application_name: '', database: 'app', role: 'admin', sessions: '1' },
    ];
    const outcome = connections.evaluate({ totals: totals(8), sessions }, t, ctx());
    const table = (title: string) => outcome.details?.find((d) => d.title === title)?.rows;
    assert.deepEqual(table('By state'), [['idle', 6], ['active', 2]]);
    assert.deepEqual(table('By application'), [['web', 7], ['(none)', 1]]);
    assert.deepEqual(table('By database and role'), [['app / web', 7], ['app / admin', 1]]);
  });

  it('counts from pg_stat_database when other roles\' sessions are hidden, and says so', () => {
    const outcome = connections.evaluate({ totals: totals(1, { hidden: 7, numbackends: 85 }), sessions: [] }, t, ctx());
    assert.equal(outcome.status, 'warning');
    assert.match(outcome.summary, /^85 of 100/);
    assert.match(outcome.limitations?.[0]?.reason ?? '', /7 processes belong to other roles/);
    assert.match(outcome.limitations?.[0]?.fix ?? '', /pg_read_all_stats/);
  });
});

describe('idle-in-transaction.evaluate', () => {
  const session = (pid: number, idle: number) => ({ pid, role: 'app', application_name: 'api', state: 'idle in transaction', idle_seconds: idle, transaction_seconds: idle + 1, last_query: 'UPDATE  accounts\n SET x = 1' });

  it('judges each session by how long it has been idle, strictly above each threshold', () => {
    const outcome = idleInTransaction.evaluate({ sessions: [session(3, 601), session(2, 61), session(1, 60)], hidden: [] }, t, ctx());
    assert.deepEqual(severities(outcome), { 'pid 3': 'critical', 'pid 2': 'warning' });
    assert.equal(outcome.summary, '3 sessions are idle in a transaction; the oldest for 10 min 1 s.');
    assert.match(finding(outcome, 'pid 2').message, /Last statement: UPDATE accounts SET x = 1$/);
    assert.equal(outcome.details?.[0]?.rows.length, 3);
  });

  it('is ok with no session, also when other roles\' hidden sessions have no transaction open', () => {
    for (const hidden of [[], [{ hidden: '0', hidden_in_transaction: '0' }], [{ hidden: '4', hidden_in_transaction: '0' }]]) {
      const outcome = idleInTransaction.evaluate({ sessions: [], hidden }, t, ctx());
      assert.equal(outcome.status, 'ok');
      assert.equal(outcome.summary, 'No session is idle in a transaction.');
      assert.deepEqual(outcome.limitations, []);
    }
  });

  it('names the grant when hidden sessions have a transaction open, which makes the result limited', () => {
    const outcome = idleInTransaction.evaluate({ sessions: [], hidden: [{ hidden: '5', hidden_in_transaction: '2' }] }, t, ctx());
    assert.equal(outcome.summary, 'No session this role can see is idle in a transaction; 2 sessions of other roles with an open transaction could not be seen into.');
    assert.deepEqual(outcome.limitations?.map((l) => l.needs), ['pg_read_all_stats']);
    assert.match(outcome.limitations?.[0]?.reason ?? '', /^2 sessions of other roles have a transaction open in this database, and their state and statement are hidden from this role, so idle transactions among them cannot be seen\.$/);
    assert.equal(outcome.limitations?.[0]?.fix, 'GRANT pg_read_all_stats TO <role>;  -- or pg_monitor');
    assert.equal(resultStatus(outcome.status, outcome.limitations ?? []), 'limited');
    // A finding of its own still shows: the visible part is judged as usual.
    const seen = idleInTransaction.evaluate({ sessions: [session(3, 601)], hidden: [{ hidden: '1', hidden_in_transaction: '1' }] }, t, ctx());
    assert.equal(resultStatus(seen.status, seen.limitations ?? []), 'critical');
    assert.match(seen.summary, /^1 session is idle in a transaction; the oldest for 10 min 1 s; 1 session of another role with an open transaction could not be seen into\.$/);
  });
});

describe('long-running-queries.evaluate', () => {
  const statement = (pid: number, seconds: number, backendType = 'client backend') => ({ pid, role: 'app', application_name: 'api', backend_type: backendType, seconds, query: 'SELECT * FROM big', wait_event_type: null, wait_event: null });

  it('warns above 60 s and is critical above 600 s', () => {
    const outcome = longRunningQueries.evaluate({ statements: [statement(1, 601), statement(2, 61), statement(3, 60)], hidden: [] }, t, ctx());
    assert.deepEqual(severities(outcome), { 'pid 1': 'critical', 'pid 2': 'warning' });
    assert.equal(outcome.summary, '2 statements have been running for more than 1 min; the longest for 10 min 1 s.');
  });

  it('lists a long autovacuum as information only', () => {
    const outcome = longRunningQueries.evaluate({ statements: [statement(9, 5000, 'autovacuum worker')], hidden: [] }, t, ctx());
    assert.equal(outcome.status, 'info');
    assert.match(finding(outcome, 'pid 9').message, /^Autovacuum has been working for 1 h 23 min/);
    assert.equal(outcome.summary, 'No statement has been running for more than 1 min.');
  });

  it('is limited when hidden sessions have a transaction open, whatever autovacuum does', () => {
    const outcome = longRunningQueries.evaluate({ statements: [statement(9, 5000, 'autovacuum worker')], hidden: [{ hidden: '3', hidden_in_transaction: '1' }] }, t, ctx());
    assert.equal(outcome.status, 'info');
    assert.equal(resultStatus(outcome.status, outcome.limitations ?? []), 'limited');
    assert.equal(outcome.summary, 'No statement this role can see has been running for more than 1 min; 1 session of another role with an open transaction could not be seen into.');
    assert.match(outcome.limitations?.[0]?.reason ?? '', /long-running statements among them cannot be seen/);
  });

  it('names what a long statement waits on', () => {
    const waiting = { ...statement(4, 70), wait_event_type: 'IO', wait_event: 'DataFileRead' };
    assert.match(finding(longRunningQueries.evaluate({ statements: [waiting], hidden: [] }, t, ctx()), 'pid 4').message, /waiting on IO: DataFileRead/);
  });
});

describe('blocked-queries.evaluate', () => {
  const wait = (blocked: number, seconds: number | null, blocker: number, state: string | null = 'idle in transaction', blockedHidden = false) => ({
    blocked_pid: blocked, blocked_hidden: blockedHidden, blocked_query: blockedHidden ? '<insufficient privilege>' : 'UPDATE accounts SET balance = 0', lock_type: 'transactionid', waiting_seconds: seconds,
    blocker_pid: blocker, blocker_hidden: state === null, blocker_role: 'app', blocker_state: state, blocker_transaction_seconds: state ? 300 : null, blocker_query: state ? 'UPDATE accounts SET balance = 1' : '<insufficient privilege>',
  });

  it('groups the blockers of each waiting statement into one finding', () => {
    const outcome = blockedQueries.evaluate({ waits: [wait(10, 11, 20), wait(10, 11, 21, null)] }, t, ctx());
    const f = finding(outcome, 'pid 10');
    assert.equal(f.severity, 'warning');
    assert.match(f.message, /Blocked by session 20 \(app, idle in transaction, transaction open 5 min\): UPDATE accounts SET balance = 1; session 21 \(details hidden\)\.$/);
    assert.equal(f.remediation?.sql, 'SELECT pg_terminate_backend(20);\nSELECT pg_terminate_backend(21);');
    assert.equal(outcome.summary, '1 statement is waiting for locks held by other sessions.');
  });

  it('is info for a short wait and critical for a long one', () => {
    assert.equal(blockedQueries.evaluate({ waits: [wait(1, 10, 2)] }, t, ctx()).status, 'info');
    assert.equal(blockedQueries.evaluate({ waits: [wait(1, 61, 2)] }, t, ctx()).status, 'critical');
    assert.equal(blockedQueries.evaluate({ waits: [] }, t, ctx()).status, 'ok');
  });

  it('judges the waits of hidden sessions by their time and says who could not be seen', () => {
    const outcome = blockedQueries.evaluate({ waits: [wait(7, 700, 8, null, true)] }, t, ctx());
    assert.equal(outcome.status, 'critical');
    assert.equal(finding(outcome, 'pid 7').message, 'Session 7 has waited 11 min 40 s for a transactionid lock: statement hidden. Blocked by session 8 (details hidden).');
    assert.deepEqual(outcome.details?.[0]?.rows, [[7, 700, 'hidden', 8, 'hidden', 'hidden']]);
    assert.equal(outcome.limitations?.[0]?.reason, '2 sessions in these waits belong to other roles; their statements and roles are hidden from this role.');
    assert.equal(outcome.limitations?.[0]?.needs, 'pg_read_all_stats');
    // A short wait among hidden sessions might be the start of the one to act on: limited, not info.
    const short = blockedQueries.evaluate({ waits: [wait(7, 3, 8, null, true)] }, t, ctx());
    assert.equal(resultStatus(short.status, short.limitations ?? []), 'limited');
    // Visible sessions only: nothing hidden, no limitation.
    assert.deepEqual(blockedQueries.evaluate({ waits: [wait(1, 3, 2)] }, t, ctx()).limitations, []);
  });

  it('lists a wait of unknown length (another role before PostgreSQL 14) as information, and is limited', () => {
    const outcome = blockedQueries.evaluate({ waits: [wait(7, null, 8, 'idle in transaction', true)] }, t, ctx({ versionNum: 130000 }));
    assert.equal(finding(outcome, 'pid 7').severity, 'info');
    assert.match(finding(outcome, 'pid 7').message, /^Session 7 has waited for an unknown time for a transactionid lock: statement hidden\. Blocked by session 8 \(app, idle in transaction/);
    assert.equal(outcome.limitations?.[0]?.reason, '1 session in these waits belongs to other roles; its statements and roles are hidden from this role, and so is how long 1 of them has waited.');
    assert.equal(resultStatus(outcome.status, outcome.limitations ?? []), 'limited');
    assert.equal(outcome.details?.[0]?.rows[0]?.[1], null);
  });

  it('reads the waits from pg_locks, which every role sees in full', () => {
    const sql = blockedQueries.sql.waits;
    assert.ok(typeof sql === 'function');
    assert.match(sql(ctx()) ?? '', /FROM pg_locks\s+WHERE NOT granted/);
    assert.doesNotMatch(sql(ctx()) ?? '', /wait_event_type/);
  });

  it('uses pg_locks.waitstart from PostgreSQL 14 and the statement start before', () => {
    const sql = blockedQueries.sql.waits;
    assert.ok(typeof sql === 'function');
    assert.match(sql(ctx({ versionNum: 140000 })) ?? '', /waitstart/);
    assert.doesNotMatch(sql(ctx({ versionNum: 130000 })) ?? '', /waitstart/);
  });
});

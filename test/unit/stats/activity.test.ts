import assert from 'node:assert/strict';
import { classifySessions, sessionRowFrom, type SessionRow } from '../../../src/core/stats/activity';

const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);

function session(over: Partial<SessionRow> & { pid: number }): SessionRow {
  return {
    user: 'app',
    database: 'shop',
    application: 'api',
    client: '10.0.0.5',
    backendType: 'client backend',
    state: 'active',
    waitEventType: null,
    waitEvent: null,
    query: 'SELECT 1',
    queryStart: NOW - 1_000,
    xactStart: NOW - 1_000,
    stateChange: NOW - 1_000,
    now: NOW,
    blockedBy: [],
    canSignal: true,
    ...over,
  };
}

describe('stats/activity', () => {
  it('finds long-running statements, idle transactions, waiters and their blockers; most urgent first', () => {
    const rows = [
      session({ pid: 10, queryStart: NOW - 2_000 }),
      session({ pid: 11, queryStart: NOW - 90_000 }),
      session({ pid: 12, state: 'idle in transaction', stateChange: NOW - 30_000, xactStart: NOW - 45_000 }),
      session({ pid: 13, state: 'active', waitEventType: 'Lock', waitEvent: 'transactionid', blockedBy: [12], queryStart: NOW - 10_000 }),
      session({ pid: 14, state: 'idle' }),
    ];
    const sessions = classifySessions(rows, { longRunningMs: 5_000 });
    assert.deepEqual(
      sessions.map((s) => [s.pid, s.kinds]),
      [
        [12, ['blocking', 'idle-in-transaction']],
        [13, ['waiting', 'long-running']],
        [11, ['long-running']],
      ],
    );
    const blocker = sessions[0]!;
    assert.deepEqual(blocker.blocking, [13]);
    assert.equal(blocker.stateMs, 30_000);
    assert.equal(blocker.transactionMs, 45_000);
  });

  it('the threshold decides what is long running', () => {
    const rows = [session({ pid: 1, queryStart: NOW - 3_000 })];
    assert.equal(classifySessions(rows, { longRunningMs: 5_000 }).length, 0);
    assert.deepEqual(classifySessions(rows, { longRunningMs: 3_000 })[0]?.kinds, ['long-running']);
  });

  it('keeps sessions hidden from this role when they block, and marks them', () => {
    const hidden = session({ pid: 20, user: 'other', state: null, query: '<insufficient privilege>', backendType: null, queryStart: null, stateChange: null, xactStart: null, canSignal: false });
    const sessions = classifySessions([hidden, session({ pid: 21, blockedBy: [20] })]);
    assert.deepEqual(sessions.map((s) => [s.pid, s.hidden, s.kinds]), [[20, true, ['blocking']], [21, false, ['waiting']]]);
  });

  it('marks PG Insight\'s own sessions', () => {
    const [s] = classifySessions([session({ pid: 3, queryStart: NOW - 60_000, query: 'SELECT /* pg-insight */ pg_sleep($1)' })]);
    assert.equal(s?.own, true);
  });

  it("redacts credentials from other sessions' statements and names", () => {
    const r = sessionRowFrom({ pid: 5, user: 'app', application: 'psql postgres://etl:hunter2-x@db/shop', query: "SELECT * FROM dblink('host=db password=hunter2-x', 'SELECT 1') AS t(x int)" });
    assert.equal(r.query, "SELECT * FROM dblink('host=db password=***', 'SELECT 1') AS t(x int)");
    assert.equal(r.application, 'psql postgres://etl:***@db/shop');
  });

  it('reads rows as the driver returns them, and the text form of int[]', () => {
    const r = sessionRowFrom({ pid: 5, user: 'app', state: 'active', blockedBy: '{7,8}', queryStart: new Date(NOW - 500), now: new Date(NOW).toISOString(), canSignal: true });
    assert.deepEqual(r.blockedBy, [7, 8]);
    assert.equal(r.queryStart, NOW - 500);
    assert.equal(r.now, NOW);
    assert.equal(r.database, null);
    assert.deepEqual(sessionRowFrom({ pid: 5, blockedBy: [3] }).blockedBy, [3]);
  });
});

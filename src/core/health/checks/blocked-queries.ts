/**
 * Statements waiting for a lock, each with the sessions that block it
 * (pg_blocking_pids, which also follows lock queues and parallel groups). The
 * usual culprit is a session idle in transaction, or DDL queued behind a long
 * read that in turn blocks everything after it.
 *
 * The waits are read from pg_locks, which every role sees in full, rather than
 * from pg_stat_activity's wait_event, which is hidden for other roles'
 * sessions: a role without pg_read_all_stats still finds every wait and, from
 * PostgreSQL 14 (pg_locks.waitstart), how long it has lasted. What it cannot
 * see is the statements and roles involved, and before 14 how long another
 * role's session has waited.
 */
import { READ_ALL_STATS, shortQuery } from '../activity';
import { formatDuration, plural } from '../format';
import { above, statusOf } from '../outcome';
import { bool, num, num0, text } from '../rows';
import type { CheckContext, Finding, Limitation, MultiQueryCheck, Row, Rows } from '../types';

type BlockedRows = { waits: Rows };

/** pg_locks.waitstart (PostgreSQL 14+) says when the wait began; before that, the statement's start is the best bound. */
function waitsSql(ctx: CheckContext): string {
  const modern = ctx.versionNum >= 140000;
  // waitstart is set a moment after the wait begins; until then the statement's start stands in.
  const waited = modern
    ? 'extract(epoch FROM now() - coalesce(w.waitstart, blocked.query_start))::float8'
    : 'extract(epoch FROM now() - blocked.query_start)::float8';
  return `SELECT w.pid AS blocked_pid,
       blocked.backend_type IS NULL AS blocked_hidden,
       blocked.usename AS blocked_role,
       blocked.application_name AS blocked_application,
       left(blocked.query, 1000) AS blocked_query,
       w.locktype AS lock_type,
       ${waited} AS waiting_seconds,
       blocker.pid AS blocker_pid,
       blocker.backend_type IS NULL AS blocker_hidden,
       blocker.usename AS blocker_role,
       blocker.application_name AS blocker_application,
       blocker.state AS blocker_state,
       extract(epoch FROM now() - blocker.xact_start)::float8 AS blocker_transaction_seconds,
       left(blocker.query, 1000) AS blocker_query
FROM (SELECT DISTINCT ON (pid) pid, locktype${modern ? ', waitstart' : ''}
      FROM pg_locks
      WHERE NOT granted AND pid IS NOT NULL
      ORDER BY pid) w
JOIN pg_stat_activity blocked ON blocked.pid = w.pid
CROSS JOIN LATERAL unnest(pg_blocking_pids(w.pid)) AS b(pid)
LEFT JOIN pg_stat_activity blocker ON blocker.pid = b.pid
WHERE blocked.datname = current_database()
ORDER BY waiting_seconds DESC NULLS LAST, w.pid, blocker.pid`;
}

interface Wait {
  readonly pid: number;
  readonly first: Row;
  readonly blockers: Row[];
}

export const blockedQueries: MultiQueryCheck<BlockedRows> = {
  id: 'blocked-queries',
  title: 'Blocked statements',
  category: 'activity',
  level: 'database',
  minVersion: 100000,
  privileges:
    "Any role sees every lock wait (pg_locks) and, from PostgreSQL 14, how long it has lasted; the statements and roles of other roles' sessions need pg_read_all_stats (or pg_monitor).",
  thresholds: ['blockedWarningSeconds', 'blockedCriticalSeconds'],
  sql: { waits: waitsSql },
  evaluate(rows, t) {
    const waits = new Map<number, Wait>();
    for (const r of rows.waits) {
      const pid = num0(r.blocked_pid);
      const wait = waits.get(pid) ?? { pid, first: r, blockers: [] };
      wait.blockers.push(r);
      waits.set(pid, wait);
    }
    const findings: Finding[] = [];
    const hidden = new Set<number>();
    let unknownWaits = 0;
    for (const w of waits.values()) {
      if (bool(w.first.blocked_hidden)) hidden.add(w.pid);
      for (const b of w.blockers) if (bool(b.blocker_hidden)) hidden.add(num0(b.blocker_pid));
      const seconds = num(w.first.waiting_seconds);
      // A wait of unknown length (another role's session before PostgreSQL 14) is listed, and the result is limited.
      if (seconds === null) unknownWaits++;
      const severity = seconds === null ? 'info' : above(seconds, t.blockedWarningSeconds, t.blockedCriticalSeconds) ?? 'info';
      const blockers = w.blockers.map((b) => describeBlocker(b)).join('; ');
      const blockerPids = w.blockers.map((b) => num0(b.blocker_pid));
      const statement = bool(w.first.blocked_hidden) ? 'statement hidden' : shortQuery(text(w.first.blocked_query));
      findings.push({
        severity,
        object: `pid ${w.pid}`,
        message: `Session ${w.pid} has waited ${seconds === null ? 'for an unknown time' : formatDuration(seconds)} for a ${text(w.first.lock_type)} lock: ${statement}. Blocked by ${blockers}.`,
        remediation: {
          text:
            'Finish or roll back the blocking transaction. If the blocker is idle in transaction, fix the code that leaves it open; ' +
            'for DDL, set lock_timeout so it gives up instead of queueing everyone behind it.',
          sql: blockerPids.map((p) => `SELECT pg_terminate_backend(${p});`).join('\n'),
        },
      });
    }
    return {
      status: statusOf(findings),
      summary:
        waits.size === 0
          ? 'No statement is waiting for a lock.'
          : `${plural(waits.size, 'statement is', 'statements are')} waiting for locks held by other sessions.`,
      findings,
      details: [
        {
          columns: [
            { label: 'Blocked PID', kind: 'number' },
            { label: 'Waiting', kind: 'seconds' },
            { label: 'Blocked statement' },
            { label: 'Blocker PID', kind: 'number' },
            { label: 'Blocker state' },
            { label: 'Blocker statement' },
          ],
          rows: rows.waits.map((r) => {
            const seconds = num(r.waiting_seconds);
            return [
              num0(r.blocked_pid),
              seconds === null ? null : Math.round(seconds),
              bool(r.blocked_hidden) ? 'hidden' : shortQuery(text(r.blocked_query)),
              num0(r.blocker_pid),
              bool(r.blocker_hidden) ? 'hidden' : text(r.blocker_state),
              bool(r.blocker_hidden) ? 'hidden' : shortQuery(text(r.blocker_query)),
            ];
          }),
        },
      ],
      limitations: hiddenWaits(hidden.size, unknownWaits),
    };
  },
};

/**
 * The waits were all found (pg_locks), but who is involved and, before
 * PostgreSQL 14, how long another role's session has waited are hidden: a
 * wait listed as information might be the one to act on.
 */
function hiddenWaits(hidden: number, unknownWaits: number): Limitation[] {
  if (hidden === 0) return [];
  return [
    {
      reason:
        `${plural(hidden, 'session', 'sessions')} in these waits belong${hidden === 1 ? 's' : ''} to other roles; ${hidden === 1 ? 'its' : 'their'} statements and roles are hidden from this role` +
        (unknownWaits > 0 ? `, and so is how long ${plural(unknownWaits, 'of them has', 'of them have')} waited.` : '.'),
      fix: `GRANT ${READ_ALL_STATS} TO <role>;  -- or pg_monitor`,
      needs: READ_ALL_STATS,
    },
  ];
}

function describeBlocker(r: Row): string {
  const pid = num0(r.blocker_pid);
  const state = text(r.blocker_state);
  if (bool(r.blocker_hidden) || !state) return `session ${pid} (details hidden)`;
  const age = r.blocker_transaction_seconds === null ? '' : `, transaction open ${formatDuration(num0(r.blocker_transaction_seconds))}`;
  return `session ${pid} (${text(r.blocker_role)}, ${state}${age}): ${shortQuery(text(r.blocker_query), 80)}`;
}

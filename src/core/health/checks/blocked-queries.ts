/**
 * Statements waiting for a lock, each with the sessions that block it
 * (pg_blocking_pids, which also follows lock queues and parallel groups). The
 * usual culprit is a session idle in transaction, or DDL queued behind a long
 * read that in turn blocks everything after it.
 */
import { hiddenSessions, HIDDEN_SESSIONS_SQL, shortQuery } from '../activity';
import { formatDuration, plural } from '../format';
import { above, statusOf } from '../outcome';
import { num0, text } from '../rows';
import type { CheckContext, Finding, MultiQueryCheck, Row, Rows } from '../types';

type BlockedRows = { waits: Rows; hidden: Rows };

/** pg_locks.waitstart (PostgreSQL 14+) says when the wait began; before that, the statement's start is the best bound. */
function waitsSql(ctx: CheckContext): string {
  const waited =
    ctx.versionNum >= 140000
      ? `extract(epoch FROM now() - coalesce(
           (SELECT min(l.waitstart) FROM pg_locks l WHERE l.pid = blocked.pid AND NOT l.granted),
           blocked.query_start))::float8`
      : 'extract(epoch FROM now() - blocked.query_start)::float8';
  return `SELECT blocked.pid AS blocked_pid,
       blocked.usename AS blocked_role,
       blocked.application_name AS blocked_application,
       left(blocked.query, 1000) AS blocked_query,
       blocked.wait_event_type, blocked.wait_event,
       ${waited} AS waiting_seconds,
       blocker.pid AS blocker_pid,
       blocker.usename AS blocker_role,
       blocker.application_name AS blocker_application,
       blocker.state AS blocker_state,
       extract(epoch FROM now() - blocker.xact_start)::float8 AS blocker_transaction_seconds,
       left(blocker.query, 1000) AS blocker_query
FROM pg_stat_activity blocked
CROSS JOIN LATERAL unnest(pg_blocking_pids(blocked.pid)) AS b(pid)
LEFT JOIN pg_stat_activity blocker ON blocker.pid = b.pid
WHERE blocked.datname = current_database()
  AND blocked.wait_event_type = 'Lock'
ORDER BY waiting_seconds DESC, blocked.pid, blocker.pid`;
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
  privileges: "Any role sees lock waits; the statements of other roles' sessions need pg_read_all_stats (or pg_monitor).",
  thresholds: ['blockedWarningSeconds', 'blockedCriticalSeconds'],
  sql: { waits: waitsSql, hidden: HIDDEN_SESSIONS_SQL },
  evaluate(rows, t) {
    const waits = new Map<number, Wait>();
    for (const r of rows.waits) {
      const pid = num0(r.blocked_pid);
      const wait = waits.get(pid) ?? { pid, first: r, blockers: [] };
      wait.blockers.push(r);
      waits.set(pid, wait);
    }
    const findings: Finding[] = [];
    for (const w of waits.values()) {
      const seconds = num0(w.first.waiting_seconds);
      const severity = above(seconds, t.blockedWarningSeconds, t.blockedCriticalSeconds) ?? 'info';
      const blockers = w.blockers.map((b) => describeBlocker(b)).join('; ');
      const blockerPids = w.blockers.map((b) => num0(b.blocker_pid));
      findings.push({
        severity,
        object: `pid ${w.pid}`,
        message: `Session ${w.pid} has waited ${formatDuration(seconds)} for a ${text(w.first.wait_event)} lock: ${shortQuery(text(w.first.blocked_query))}. Blocked by ${blockers}.`,
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
          rows: rows.waits.map((r) => [
            num0(r.blocked_pid),
            Math.round(num0(r.waiting_seconds)),
            shortQuery(text(r.blocked_query)),
            num0(r.blocker_pid),
            text(r.blocker_state, 'hidden'),
            shortQuery(text(r.blocker_query)),
          ]),
        },
      ],
      limitations: hiddenSessions(rows.hidden, 'blocking sessions'),
    };
  },
};

function describeBlocker(r: Row): string {
  const pid = num0(r.blocker_pid);
  const state = text(r.blocker_state);
  if (!state) return `session ${pid} (details hidden)`;
  const age = r.blocker_transaction_seconds === null ? '' : `, transaction open ${formatDuration(num0(r.blocker_transaction_seconds))}`;
  return `session ${pid} (${text(r.blocker_role)}, ${state}${age}): ${shortQuery(text(r.blocker_query), 80)}`;
}

/**
 * Sessions that opened a transaction and went quiet. They hold their locks and
 * their snapshot, so VACUUM cannot remove rows deleted after they started and
 * other statements may queue behind their locks.
 */
import { hiddenInTransaction, hiddenSessions, HIDDEN_SESSIONS_SQL, hiddenSuffix, shortQuery } from '../activity';
import { formatDuration, plural } from '../format';
import { above, statusOf } from '../outcome';
import { num0, text } from '../rows';
import type { Finding, MultiQueryCheck, Rows } from '../types';

type IdleRows = { sessions: Rows; hidden: Rows };

export const idleInTransaction: MultiQueryCheck<IdleRows> = {
  id: 'idle-in-transaction',
  title: 'Idle in transaction',
  category: 'activity',
  level: 'database',
  minVersion: 100000,
  privileges: "Any role sees its own sessions; other roles' sessions need pg_read_all_stats (or pg_monitor).",
  thresholds: ['idleInTransactionWarningSeconds', 'idleInTransactionCriticalSeconds'],
  sql: {
    sessions: `SELECT pid, usename AS role, application_name, client_addr::text AS client, state,
       extract(epoch FROM now() - state_change)::float8 AS idle_seconds,
       extract(epoch FROM now() - xact_start)::float8 AS transaction_seconds,
       backend_xmin IS NOT NULL AS holds_snapshot,
       left(query, 1000) AS last_query
FROM pg_stat_activity
WHERE state IN ('idle in transaction', 'idle in transaction (aborted)')
  AND datname = current_database()
  AND pid <> pg_backend_pid()
  -- the report's own pooled connections sit briefly idle between its statements
  AND NOT (application_name = current_setting('application_name') AND application_name <> ''
           AND usename = current_user AND now() - state_change < interval '5 seconds')
ORDER BY state_change`,
    hidden: HIDDEN_SESSIONS_SQL,
  },
  evaluate(rows, t) {
    const findings: Finding[] = [];
    for (const r of rows.sessions) {
      const idle = num0(r.idle_seconds);
      const severity = above(idle, t.idleInTransactionWarningSeconds, t.idleInTransactionCriticalSeconds);
      if (!severity) continue;
      const pid = num0(r.pid);
      findings.push({
        severity,
        object: `pid ${pid}`,
        message:
          `Session ${pid} (${text(r.role, 'unknown role')}, ${text(r.application_name) || 'no application name'}) has been ${text(r.state)} for ${formatDuration(idle)}` +
          ` in a transaction open for ${formatDuration(num0(r.transaction_seconds))}. Last statement: ${shortQuery(text(r.last_query))}`,
        remediation: {
          text:
            'Find the code path that leaves the transaction open (a missing commit, a request that waits on something else mid-transaction). ' +
            'idle_in_transaction_session_timeout ends such sessions automatically; ending this one rolls its work back.',
          sql: `SELECT pg_terminate_backend(${pid});\nALTER SYSTEM SET idle_in_transaction_session_timeout = '5min';  -- then SELECT pg_reload_conf();`,
        },
      });
    }
    const count = rows.sessions.length;
    const oldest = count > 0 ? num0(rows.sessions[0]?.idle_seconds) : 0;
    const hidden = hiddenInTransaction(rows.hidden);
    return {
      status: statusOf(findings),
      summary:
        (count === 0
          ? `No session${hidden > 0 ? ' this role can see' : ''} is idle in a transaction`
          : `${plural(count, 'session is', 'sessions are')} idle in a transaction; the oldest for ${formatDuration(oldest)}`) +
        `${hiddenSuffix(hidden)}.`,
      findings,
      details: [
        {
          columns: [
            { label: 'PID', kind: 'number' },
            { label: 'Role' },
            { label: 'Application' },
            { label: 'State' },
            { label: 'Idle', kind: 'seconds' },
            { label: 'Transaction age', kind: 'seconds' },
            { label: 'Last statement' },
          ],
          rows: rows.sessions.map((r) => [
            num0(r.pid),
            text(r.role),
            text(r.application_name),
            text(r.state),
            Math.round(num0(r.idle_seconds)),
            Math.round(num0(r.transaction_seconds)),
            shortQuery(text(r.last_query)),
          ]),
        },
      ],
      limitations: hiddenSessions(hidden, 'idle transactions'),
    };
  },
};

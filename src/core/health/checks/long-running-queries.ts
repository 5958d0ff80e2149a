/**
 * Statements that have been running for a long time in this database. PgHero
 * flags anything over 60 s. Autovacuum workers are listed apart: a long
 * vacuum is normal on a large table and is information, not an alarm.
 */
import { hiddenInTransaction, hiddenSessions, HIDDEN_SESSIONS_SQL, hiddenSuffix, shortQuery } from '../activity';
import { formatDuration, plural } from '../format';
import { above, statusOf } from '../outcome';
import { num0, text } from '../rows';
import type { Finding, MultiQueryCheck, Rows } from '../types';

type LongRows = { statements: Rows; hidden: Rows };

export const longRunningQueries: MultiQueryCheck<LongRows> = {
  id: 'long-running-queries',
  title: 'Long-running statements',
  category: 'activity',
  level: 'database',
  minVersion: 100000,
  privileges: "Any role sees its own sessions; other roles' statements need pg_read_all_stats (or pg_monitor).",
  thresholds: ['longRunningWarningSeconds', 'longRunningCriticalSeconds'],
  sql: {
    // Ordered longest first; only the first 50 are read so a storm stays cheap.
    statements: `SELECT pid, usename AS role, application_name, backend_type, state,
       wait_event_type, wait_event,
       extract(epoch FROM now() - coalesce(query_start, xact_start))::float8 AS seconds,
       left(query, 1000) AS query
FROM pg_stat_activity
WHERE state IN ('active', 'fastpath function call')
  AND datname = current_database()
  AND pid <> pg_backend_pid()
  AND backend_type IN ('client backend', 'autovacuum worker', 'background worker', 'parallel worker')
ORDER BY coalesce(query_start, xact_start)
LIMIT 50`,
    hidden: HIDDEN_SESSIONS_SQL,
  },
  evaluate(rows, t) {
    const findings: Finding[] = [];
    let longest = 0;
    for (const r of rows.statements) {
      const seconds = num0(r.seconds);
      longest = Math.max(longest, seconds);
      const severity = above(seconds, t.longRunningWarningSeconds, t.longRunningCriticalSeconds);
      if (!severity) continue;
      const pid = num0(r.pid);
      const autovacuum = text(r.backend_type) === 'autovacuum worker';
      const waiting = r.wait_event_type ? ` It is waiting on ${text(r.wait_event_type)}: ${text(r.wait_event)}.` : '';
      findings.push({
        severity: autovacuum ? 'info' : severity,
        object: `pid ${pid}`,
        message: autovacuum
          ? `Autovacuum has been working for ${formatDuration(seconds)}: ${shortQuery(text(r.query))}`
          : `Statement running for ${formatDuration(seconds)} (${text(r.role, 'unknown role')}, ${text(r.application_name) || 'no application name'}): ${shortQuery(text(r.query))}.${waiting}`,
        remediation: autovacuum
          ? { text: 'Usually fine. If it is an anti-wraparound vacuum or blocks DDL, let it finish; raising maintenance_work_mem speeds later runs.' }
          : {
              text:
                'Look at its plan (EXPLAIN) for a missing index or a bad estimate. Cancelling asks it to stop; terminating ends the session. ' +
                'statement_timeout bounds such statements for a role or application.',
              sql: `SELECT pg_cancel_backend(${pid});  -- or pg_terminate_backend(${pid})`,
            },
      });
    }
    const flagged = findings.filter((f) => f.severity !== 'info').length;
    const hidden = hiddenInTransaction(rows.hidden);
    return {
      status: statusOf(findings),
      summary:
        (flagged === 0
          ? `No statement${hidden > 0 ? ' this role can see' : ''} has been running for more than ${formatDuration(t.longRunningWarningSeconds)}`
          : `${plural(flagged, 'statement has', 'statements have')} been running for more than ${formatDuration(t.longRunningWarningSeconds)}; the longest for ${formatDuration(longest)}`) +
        `${hiddenSuffix(hidden)}.`,
      findings,
      details: [
        {
          columns: [
            { label: 'PID', kind: 'number' },
            { label: 'Role' },
            { label: 'Application' },
            { label: 'Kind' },
            { label: 'Running', kind: 'seconds' },
            { label: 'Waiting on' },
            { label: 'Statement' },
          ],
          rows: rows.statements.map((r) => [
            num0(r.pid),
            text(r.role),
            text(r.application_name),
            text(r.backend_type),
            Math.round(num0(r.seconds)),
            r.wait_event_type ? `${text(r.wait_event_type)}: ${text(r.wait_event)}` : '',
            shortQuery(text(r.query)),
          ]),
        },
      ],
      limitations: hiddenSessions(hidden, 'long-running statements'),
    };
  },
};

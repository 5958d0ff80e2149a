/**
 * Client connections in use against max_connections, broken down by state,
 * application and database. Running out of connections refuses new clients;
 * many idle ones usually mean a pool sized larger than the server can use.
 */
import { formatPercent, plural } from '../format';
import { above } from '../outcome';
import { num0, text } from '../rows';
import type { CellValue, Finding, Limitation, MultiQueryCheck, Rows } from '../types';

type ConnectionRows = { totals: Rows; sessions: Rows };

export const connections: MultiQueryCheck<ConnectionRows> = {
  id: 'connections',
  title: 'Connections',
  category: 'activity',
  level: 'server',
  minVersion: 100000,
  privileges:
    'Any role sees the total; the state and application of other roles\' sessions need pg_read_all_stats (or pg_monitor).',
  thresholds: ['connectionsWarningPercent', 'connectionsCriticalPercent'],
  sql: {
    // numbackends is visible to every role, while pg_stat_activity hides other
    // roles' backend_type; it also counts autovacuum and parallel workers,
    // so it is only used when sessions are hidden.
    totals: `SELECT count(*) FILTER (WHERE backend_type = 'client backend') AS client_backends,
       count(*) FILTER (WHERE backend_type IS NULL) AS hidden,
       (SELECT sum(numbackends) FROM pg_stat_database WHERE datid <> 0) AS numbackends,
       current_setting('max_connections')::int AS max_connections,
       current_setting('superuser_reserved_connections')::int AS superuser_reserved
FROM pg_stat_activity`,
    sessions: `SELECT state, application_name, datname AS database, usename AS role, count(*) AS sessions
FROM pg_stat_activity
WHERE backend_type = 'client backend'
GROUP BY state, application_name, datname, usename
ORDER BY count(*) DESC`,
  },
  evaluate(rows, t, ctx) {
    const totals = rows.totals[0] ?? {};
    const hidden = num0(totals.hidden);
    const visible = num0(totals.client_backends);
    const used = hidden > 0 ? Math.max(visible, num0(totals.numbackends)) : visible;
    const max = num0(totals.max_connections);
    const reserved = num0(totals.superuser_reserved);
    const percent = max > 0 ? (100 * used) / max : 0;

    const findings: Finding[] = [];
    const severity = above(percent, t.connectionsWarningPercent, t.connectionsCriticalPercent);
    if (severity) {
      const idle = sumWhere(rows.sessions, (r) => r.state === 'idle');
      findings.push({
        severity,
        object: 'max_connections',
        message: `${used} of ${max} connections are in use (${formatPercent(percent)}); ${reserved} are reserved for superusers.` +
          (idle > 0 ? ` ${plural(idle, 'session is', 'sessions are')} idle.` : ''),
        remediation: {
          text:
            'Put a connection pooler (PgBouncer, or the application pool) in front of the server and size pools to what the server can run at once; ' +
            'raise max_connections only with memory to spare (each connection can use work_mem several times).',
          // idle_session_timeout came with PostgreSQL 14: before, only the text's advice applies.
          ...(ctx.versionNum >= 140000 ? { sql: "ALTER SYSTEM SET idle_session_timeout = '10min';  -- ends forgotten idle sessions; then SELECT pg_reload_conf();" } : {}),
        },
      });
    }

    const limitations: Limitation[] = [];
    if (hidden > 0) {
      limitations.push({
        reason: `${plural(hidden, 'process belongs', 'processes belong')} to other roles; their state and application are hidden, so the total comes from pg_stat_database and the breakdowns cover only visible sessions.`,
        fix: 'GRANT pg_read_all_stats TO <role>;  -- or pg_monitor',
      });
    }

    return {
      status: severity ?? 'ok',
      summary: `${used} of ${max} connections in use (${formatPercent(percent)}).`,
      findings,
      details: [
        breakdown('By state', 'State', rows.sessions, (r) => text(r.state, 'unknown')),
        breakdown('By application', 'Application', rows.sessions, (r) => text(r.application_name) || '(none)'),
        breakdown('By database and role', 'Database / role', rows.sessions, (r) => `${text(r.database, '(none)')} / ${text(r.role, '(none)')}`),
      ],
      limitations,
    };
  },
};

function sumWhere(rows: Rows, predicate: (r: Rows[number]) => boolean): number {
  return rows.filter(predicate).reduce((sum, r) => sum + num0(r.sessions), 0);
}

function breakdown(title: string, label: string, rows: Rows, key: (r: Rows[number]) => string) {
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(key(r), (counts.get(key(r)) ?? 0) + num0(r.sessions));
  const sorted: CellValue[][] = [...counts].sort((a, b) => b[1] - a[1]).map(([k, n]) => [k, n]);
  return { title, columns: [{ label }, { label: 'Sessions', kind: 'number' as const }], rows: sorted };
}

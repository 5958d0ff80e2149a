/**
 * Whether pg_stat_statements is there to answer "which statements are slow",
 * and if so, the statements that take the most of the database's time. They
 * are ranked by total time, then mean: a statement run a million times at
 * 2 ms costs more than one report run once at 2 s, and a list ordered by mean
 * would push it out with one-off statements. It needs both CREATE EXTENSION in
 * the database and the library in shared_preload_libraries (a restart). Its
 * columns were renamed in 1.8 (total_time became total_exec_time); the SQL
 * follows the installed version.
 */
import { READ_ALL_STATS, shortQuery } from '../activity';
import { formatCount, formatPercent, plural } from '../format';
import { isOwnStatement } from '../../stats/ownTag';
import { quoteLiteral } from '../ident';
import { statusOf } from '../outcome';
import { first, num0, str, text } from '../rows';
import { topStatementsSql } from '../statements';
import type { Finding, Limitation, MultiQueryCheck, Row, Rows, Severity } from '../types';
import type { HealthThresholds } from '../thresholds';

type StatementsRows = { availability: Rows; top?: Rows };

const PRELOAD_SQL = "ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements';  -- keep any libraries already listed; then restart";

/**
 * The libraries already preloaded, as the setting lists them (an entry may be
 * double-quoted), or null when the setting is hidden from this role.
 */
function preloadedLibraries(preload: string | null): string[] | null {
  if (preload === null) return null;
  return preload
    .split(',')
    .map((l) => l.trim().replace(/^"(.*)"$/, '$1'))
    .filter((l) => l !== '');
}

/**
 * The ALTER SYSTEM that adds the library to those already preloaded. Each
 * library is its own literal: a single 'a, b' would set one library named
 * "a, b", and the server would fail to start.
 */
export function preloadSql(preload: string | null): string {
  const libraries = preloadedLibraries(preload);
  if (libraries === null) return PRELOAD_SQL;
  const all = libraries.includes('pg_stat_statements') ? libraries : [...libraries, 'pg_stat_statements'];
  return `ALTER SYSTEM SET shared_preload_libraries = ${all.map(quoteLiteral).join(', ')};  -- then restart the server`;
}

/** How the message names the setting's current value. */
function preloadValue(preload: string | null): string {
  if (preload === null) return 'shared_preload_libraries is hidden from this role';
  return preload.trim() === '' ? 'shared_preload_libraries is empty' : `shared_preload_libraries is '${preload}'`;
}

export const pgStatStatements: MultiQueryCheck<StatementsRows> = {
  id: 'pg-stat-statements',
  title: 'pg_stat_statements and slowest statements',
  category: 'performance',
  level: 'database',
  minVersion: 90600,
  privileges:
    "Any role may read pg_stat_statements, but other roles' statement texts need pg_read_all_stats; shared_preload_libraries is visible only with pg_read_all_settings.",
  thresholds: ['slowQueryInfoMs', 'slowQueryWarningMs', 'slowQueryCriticalMs', 'slowQueryMinCalls'],
  sql: {
    // The library defines pg_stat_statements.* settings when it is loaded, which
    // any role can see even when shared_preload_libraries itself is hidden.
    availability: `SELECT (SELECT extversion FROM pg_extension WHERE extname = 'pg_stat_statements') AS installed_version,
       (SELECT default_version FROM pg_available_extensions WHERE name = 'pg_stat_statements') AS available_version,
       (SELECT setting FROM pg_settings WHERE name = 'shared_preload_libraries') AS preload,
       (SELECT setting FROM pg_settings WHERE name = 'pg_stat_statements.track') AS track`,
    top: (ctx) => topStatementsSql(ctx, 'total', 50),
  },
  optional: ['top'],
  evaluate(rows, t, ctx) {
    const a = first(rows.availability);
    const installed = str(a.installed_version);
    const available = str(a.available_version);
    const preload = str(a.preload);
    const loaded = str(a.track) !== null || (preload ?? '').split(',').some((l) => l.trim().replace(/"/g, '') === 'pg_stat_statements');
    const findings: Finding[] = [];
    const limitations: Limitation[] = [];

    if (!installed) {
      findings.push({
        severity: 'info',
        object: 'pg_stat_statements',
        message: available
          ? `pg_stat_statements (${available}) is available but not installed in this database${loaded ? '' : ', and not loaded'}: the slow statement views have nothing to show.`
          : 'pg_stat_statements is not available on this server (the contrib package is not installed).',
        remediation: {
          text: loaded ? 'Install the extension in this database.' : 'Load the library at server start, restart, then install the extension in this database.',
          sql: loaded ? 'CREATE EXTENSION pg_stat_statements;' : `${preloadSql(preload)}\nCREATE EXTENSION pg_stat_statements;`,
        },
      });
      return { status: 'info', summary: 'pg_stat_statements is not installed in this database.', findings, limitations };
    }

    const failure = ctx.failures.top;
    if (failure?.code === '55000' || (!loaded && !rows.top)) {
      findings.push({
        severity: 'warning',
        object: 'shared_preload_libraries',
        message: `pg_stat_statements ${installed} is installed but its library is not loaded at server start (${preloadValue(preload)}), so it records nothing.`,
        remediation: { text: 'Add it to shared_preload_libraries, keeping the libraries already there, and restart the server.', sql: preloadSql(preload) },
      });
      return { status: 'warning', summary: 'pg_stat_statements is installed but not loaded.', findings, limitations };
    }
    if (failure) {
      const refused = failure.code === '42501';
      limitations.push({
        reason: `pg_stat_statements could not be read: ${failure.message}`,
        ...(refused ? { fix: 'GRANT SELECT ON pg_stat_statements TO <role>;', needs: 'SELECT on pg_stat_statements' } : {}),
      });
      return { status: 'ok', summary: `pg_stat_statements ${installed} is installed, but this role cannot read it.`, findings, limitations };
    }
    if (preload === null && !ctx.privileges.readAllSettings) {
      // Not a problem by itself: the loaded library was detected through its settings.
      limitations.push({ reason: 'shared_preload_libraries is hidden from this role.', fix: 'GRANT pg_read_all_settings TO <role>;' });
    }

    // PG Insight's own statements are left out by the SQL; this catches texts the pattern there misses.
    const top = (rows.top ?? []).filter((r) => !isOwnStatement(text(r.query)));
    const hidden = top.filter((r) => text(r.query) === '<insufficient privilege>').length;
    if (hidden > 0) {
      // Their timings are judged, but a slow statement nobody can identify is not an answer.
      limitations.push({
        reason: `${plural(hidden, 'statement', 'statements')} of other roles ${hidden === 1 ? 'is' : 'are'} shown without text.`,
        fix: `GRANT ${READ_ALL_STATS} TO <role>;`,
        needs: READ_ALL_STATS,
      });
    }
    const allMs = num0(top[0]?.all_ms);
    const share = (r: Row) => (allMs > 0 ? (100 * num0(r.total_ms)) / allMs : 0);
    const ranked = top
      .filter((r) => num0(r.calls) >= t.slowQueryMinCalls)
      .sort((a, b) => num0(b.total_ms) - num0(a.total_ms) || num0(b.mean_ms) - num0(a.mean_ms))
      .slice(0, 5);
    for (const r of ranked) {
      const severity = slowSeverity(num0(r.mean_ms), t);
      if (!severity) continue;
      findings.push({
        severity,
        object: `queryid ${text(r.queryid)}`,
        message: `${formatMs(num0(r.mean_ms))} on average over ${formatCount(num0(r.calls))} calls (${formatMs(num0(r.total_ms))} in all, ${formatPercent(share(r))} of the database's statement time): ${shortQuery(text(r.query))}`,
        remediation: { text: 'Open the statement in the plan view (EXPLAIN ANALYZE) to see where the time goes.' },
      });
    }
    const heaviest = ranked[0];
    return {
      status: statusOf(findings),
      summary: !heaviest
        ? `pg_stat_statements ${installed} is recording; no statement has ${t.slowQueryMinCalls}+ calls yet.`
        : `pg_stat_statements ${installed} is recording; the statement taking the most time (${formatPercent(share(heaviest))} of it) averages ${formatMs(num0(heaviest.mean_ms))} over ${formatCount(num0(heaviest.calls))} calls.`,
      findings,
      details: [
        {
          title: `Statements by total time (at least ${t.slowQueryMinCalls} calls)`,
          columns: [
            { label: 'Statement' },
            { label: 'Calls', kind: 'number' },
            { label: 'Mean (ms)', kind: 'number' },
            { label: 'Total (ms)', kind: 'number' },
            { label: 'Share of time', kind: 'percent' },
            { label: 'Rows', kind: 'number' },
            { label: 'Cache hit', kind: 'percent' },
          ],
          rows: ranked.map((r) => [shortQuery(text(r.query), 200), num0(r.calls), round(num0(r.mean_ms)), round(num0(r.total_ms)), round(share(r)), num0(r.rows), hitPercent(r)]),
        },
      ],
      limitations,
    };
  },
};

/** 100.8 ms, 2.21 s, 3.4 min: the unit a reader takes in at a glance. */
function formatMs(ms: number): string {
  if (ms < 1000) return `${ms.toFixed(1)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(2)} s`;
  return `${(ms / 60_000).toFixed(1)} min`;
}

function slowSeverity(meanMs: number, t: HealthThresholds): Severity | null {
  if (meanMs > t.slowQueryCriticalMs) return 'critical';
  if (meanMs > t.slowQueryWarningMs) return 'warning';
  if (meanMs > t.slowQueryInfoMs) return 'info';
  return null;
}

function hitPercent(r: Row): number | null {
  const hit = num0(r.shared_blks_hit);
  const read = num0(r.shared_blks_read);
  return hit + read > 0 ? Number(((100 * hit) / (hit + read)).toFixed(1)) : null;
}

function round(n: number): number {
  return Number(n.toFixed(2));
}

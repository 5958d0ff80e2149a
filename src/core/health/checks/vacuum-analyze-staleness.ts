/**
 * Dead rows waiting for VACUUM, tables whose planner statistics are missing
 * or stale, and tables with autovacuum turned off. Dead rows make scans read
 * more pages; missing statistics make the planner guess row counts, which is
 * how a fine query turns into a nested loop over a million rows.
 */
import { formatCount, formatDuration, formatPercent, plural } from '../format';
import { qualified } from '../ident';
import { above, statusOf } from '../outcome';
import { bool, num, num0, str, text } from '../rows';
import type { Finding, Row, SingleQueryCheck } from '../types';

export const vacuumAnalyzeStaleness: SingleQueryCheck = {
  id: 'vacuum-analyze-staleness',
  title: 'Vacuum and analyze',
  category: 'maintenance',
  level: 'table',
  minVersion: 90600,
  privileges: 'Any role.',
  thresholds: ['deadTupleWarningPercent', 'deadTupleCriticalPercent', 'deadTupleMinRows', 'neverAnalyzedMinRows', 'staleAnalyzePercent'],
  sql: `SELECT s.schemaname AS schema, s.relname AS table,
       s.n_live_tup AS live_rows, s.n_dead_tup AS dead_rows, s.n_mod_since_analyze AS modified_since_analyze,
       greatest(s.last_vacuum, s.last_autovacuum)::text AS last_vacuum,
       greatest(s.last_analyze, s.last_autoanalyze)::text AS last_analyze,
       extract(epoch FROM now() - greatest(s.last_vacuum, s.last_autovacuum))::float8 AS vacuum_age_seconds,
       extract(epoch FROM now() - greatest(s.last_analyze, s.last_autoanalyze))::float8 AS analyze_age_seconds,
       s.vacuum_count + s.autovacuum_count AS vacuums,
       s.analyze_count + s.autoanalyze_count AS analyzes,
       coalesce(array_to_string(c.reloptions, ' ') ~* '(^| )autovacuum_enabled=(false|off|no|f|0)( |$)', false) AS autovacuum_disabled,
       current_setting('autovacuum') = 'on' AND current_setting('track_counts') = 'on' AS autovacuum_running,
       current_setting('autovacuum_naptime') AS naptime,
       pg_table_size(s.relid) AS bytes
FROM pg_stat_user_tables s
JOIN pg_class c ON c.oid = s.relid
WHERE c.relkind IN ('r', 'm')
ORDER BY s.n_dead_tup DESC, s.schemaname, s.relname`,
  evaluate(rows, t) {
    const findings: Finding[] = [];
    for (const r of rows) {
      const schema = text(r.schema);
      const table = text(r.table);
      const name = qualified(schema, table);
      const relation = { schema, table };
      const live = num0(r.live_rows);
      const dead = num0(r.dead_rows);
      const disabled = bool(r.autovacuum_disabled);
      const deadPercent = live + dead > 0 ? (100 * dead) / (live + dead) : 0;
      const deadSeverity = dead >= t.deadTupleMinRows ? above(deadPercent, t.deadTupleWarningPercent, t.deadTupleCriticalPercent) : null;
      if (deadSeverity) {
        findings.push({
          severity: deadSeverity,
          object: name,
          relation,
          message: `${name} has ${formatCount(dead)} dead rows (${formatPercent(deadPercent)} of its rows); last vacuum ${since(r, 'vacuum')}.${disabled ? ' Autovacuum is disabled on it.' : ''}`,
          // With autovacuum off for the table, a lower scale factor changes nothing: it is turned back on.
          remediation: disabled
            ? {
                text: 'Vacuum it now and turn autovacuum back on for it, unless a scheduled job vacuums this table (then it is running too rarely).',
                sql: `VACUUM (VERBOSE, ANALYZE) ${name};\nALTER TABLE ${name} RESET (autovacuum_enabled);`,
              }
            : {
                text: 'Vacuum it now; if this recurs, make autovacuum visit it sooner (a lower autovacuum_vacuum_scale_factor for this table) and look for long transactions that keep dead rows alive.',
                sql: `VACUUM (VERBOSE, ANALYZE) ${name};\nALTER TABLE ${name} SET (autovacuum_vacuum_scale_factor = 0.05);`,
              },
        });
      }
      const analyzed = str(r.last_analyze) !== null;
      const modified = num0(r.modified_since_analyze);
      if (!analyzed && Math.max(live, modified) >= t.neverAnalyzedMinRows) {
        // A table just filled is analysed by autovacuum at its next round
        // (every autovacuum_naptime); only when autovacuum cannot reach it
        // is this a problem that stays.
        const autovacuumWill = !disabled && bool(r.autovacuum_running);
        findings.push({
          severity: autovacuumWill ? 'info' : 'warning',
          object: name,
          relation,
          message: `${name} (${formatCount(Math.max(live, modified))} rows) has never been analysed: the planner has no statistics for it and guesses its row counts.${
            autovacuumWill ? ` Autovacuum analyses a new table at its next round (every ${text(r.naptime) || '1min'}); if this stays, autovacuum is falling behind.` : disabled ? ' Autovacuum is disabled on it.' : ' Autovacuum is off on this server.'
          }`,
          remediation: { text: 'Analyse it. Autovacuum would do so once enough rows change, unless it is disabled for this table.', sql: `ANALYZE ${name};` },
        });
      } else if (analyzed && live >= t.neverAnalyzedMinRows && (100 * modified) / live > t.staleAnalyzePercent) {
        findings.push({
          severity: 'warning',
          object: name,
          relation,
          message: `${formatCount(modified)} rows of ${name} changed since it was last analysed ${since(r, 'analyze')} (${formatPercent((100 * modified) / live)} of the table): its statistics are stale.`,
          remediation: { text: 'Analyse it, and lower autovacuum_analyze_scale_factor for tables that change this fast.', sql: `ANALYZE ${name};` },
        });
      }
      if (disabled && !deadSeverity) {
        findings.push({
          severity: 'info',
          object: name,
          relation,
          message: `Autovacuum is disabled on ${name}: nothing vacuums or analyses it unless you do (anti-wraparound vacuums still run).`,
          remediation: { text: 'Turn it back on unless a scheduled job vacuums this table.', sql: `ALTER TABLE ${name} RESET (autovacuum_enabled);` },
        });
      }
    }
    const totalDead = rows.reduce((s, r) => s + num0(r.dead_rows), 0);
    return {
      status: statusOf(findings),
      summary:
        findings.length === 0
          ? `${plural(rows.length, 'table', 'tables')} checked; ${formatCount(totalDead)} dead rows in all, statistics up to date.`
          : `${plural(new Set(findings.map((f) => f.object)).size, 'table needs', 'tables need')} vacuum or analyze attention.`,
      findings,
      details: [
        {
          columns: [
            { label: 'Table' },
            { label: 'Live rows', kind: 'number' },
            { label: 'Dead rows', kind: 'number' },
            { label: 'Modified since analyze', kind: 'number' },
            { label: 'Last vacuum', kind: 'timestamp' },
            { label: 'Last analyze', kind: 'timestamp' },
            { label: 'Autovacuum' },
          ],
          rows: rows.slice(0, 50).map((r) => [
            qualified(text(r.schema), text(r.table)),
            num0(r.live_rows),
            num0(r.dead_rows),
            num0(r.modified_since_analyze),
            str(r.last_vacuum),
            str(r.last_analyze),
            bool(r.autovacuum_disabled) ? 'off' : 'on',
          ]),
        },
      ],
    };
  },
};

function since(r: Row, what: 'vacuum' | 'analyze'): string {
  const age = num(what === 'vacuum' ? r.vacuum_age_seconds : r.analyze_age_seconds);
  return age === null ? 'never' : `${formatDuration(age)} ago`;
}

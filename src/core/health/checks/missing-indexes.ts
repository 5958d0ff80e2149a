/**
 * Tables read mostly by sequential scans although they are large: PgHero's
 * missing_indexes (index use < 95 % on tables of 10,000 rows or more). With
 * pg_stat_statements, the statements that touch each table and take the most
 * time are listed, since one of them usually needs the index.
 */
import { formatCount, formatPercent, plural } from '../format';
import { qualified } from '../ident';
import { statusOf } from '../outcome';
import { isReadingStatement, mentionsTable, topStatementsSql } from '../statements';
import { num0, text } from '../rows';
import { shortQuery } from '../activity';
import type { Finding, Limitation, MultiQueryCheck, Rows } from '../types';

type MissingRows = { tables: Rows; statements?: Rows };

export const missingIndexes: MultiQueryCheck<MissingRows> = {
  id: 'missing-indexes',
  title: 'Missing indexes',
  category: 'performance',
  level: 'table',
  minVersion: 90600,
  privileges: "Any role; with pg_stat_statements, other roles' statement texts need pg_read_all_stats.",
  thresholds: ['missingIndexMinRows', 'missingIndexMaxIndexUsePercent', 'missingIndexMinSeqScans'],
  sql: {
    tables: `SELECT s.schemaname AS schema, s.relname AS table,
       s.seq_scan, s.seq_tup_read, coalesce(s.idx_scan, 0) AS idx_scan,
       s.n_live_tup AS live_rows,
       pg_relation_size(s.relid) AS bytes,
       (SELECT count(*) FROM pg_index x WHERE x.indrelid = s.relid) AS indexes
FROM pg_stat_user_tables s
WHERE s.seq_scan > 0
ORDER BY s.seq_tup_read DESC
LIMIT 100`,
    statements: (ctx) => topStatementsSql(ctx, 'total', 200),
  },
  optional: ['statements'],
  evaluate(rows, t, ctx) {
    const findings: Finding[] = [];
    for (const r of rows.tables) {
      const seq = num0(r.seq_scan);
      const idx = num0(r.idx_scan);
      const live = num0(r.live_rows);
      const indexUse = (100 * idx) / (seq + idx);
      if (live < t.missingIndexMinRows || seq < t.missingIndexMinSeqScans || indexUse >= t.missingIndexMaxIndexUsePercent) continue;
      const schema = text(r.schema);
      const table = text(r.table);
      const avgRows = seq > 0 ? num0(r.seq_tup_read) / seq : 0;
      const related = (rows.statements ?? []).filter((s) => isReadingStatement(text(s.query)) && mentionsTable(text(s.query), schema, table)).slice(0, 3);
      const queries = related.length > 0 ? ` Statements touching it, by total time: ${related.map((s) => `"${shortQuery(text(s.query), 100)}" (${formatCount(num0(s.calls))} calls, ${num0(s.mean_ms).toFixed(1)} ms avg)`).join('; ')}.` : '';
      findings.push({
        severity: 'warning',
        object: qualified(schema, table),
        relation: { schema, table },
        message: `${qualified(schema, table)} (${formatCount(live)} rows) used an index in ${formatPercent(indexUse)} of its scans: ${formatCount(seq)} sequential scans read ${formatCount(avgRows)} rows each on average.${queries}`,
        remediation: {
          text:
            'Find the statements that filter or join this table without an index (run EXPLAIN on them) and index the columns in their WHERE and JOIN clauses. ' +
            'A sequential scan is right for queries that read most of the table.',
        },
      });
    }
    const limitations: Limitation[] = [];
    const failure = ctx.failures.statements;
    if (failure) limitations.push({ reason: `The statements touching each table could not be read from pg_stat_statements: ${failure.message}`, fix: 'See the pg-stat-statements check.' });
    else if (!rows.statements) limitations.push({ reason: 'pg_stat_statements is not installed, so the statements touching each table are not listed.', fix: 'CREATE EXTENSION pg_stat_statements;  -- needs it in shared_preload_libraries' });
    return {
      status: statusOf(findings),
      summary: findings.length === 0 ? 'No large table is read mostly by sequential scans.' : `${plural(findings.length, 'large table is', 'large tables are')} read mostly by sequential scans.`,
      findings,
      details: [
        {
          columns: [
            { label: 'Table' },
            { label: 'Live rows', kind: 'number' },
            { label: 'Sequential scans', kind: 'number' },
            { label: 'Rows per sequential scan', kind: 'number' },
            { label: 'Index scans', kind: 'number' },
            { label: 'Index use', kind: 'percent' },
          ],
          rows: rows.tables.slice(0, 20).map((r) => {
            const seq = num0(r.seq_scan);
            const idx = num0(r.idx_scan);
            return [qualified(text(r.schema), text(r.table)), num0(r.live_rows), seq, Math.round(num0(r.seq_tup_read) / seq), idx, Number(((100 * idx) / (seq + idx)).toFixed(1))];
          }),
        },
      ],
      limitations,
    };
  },
};

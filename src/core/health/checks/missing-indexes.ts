/**
 * Large tables often read by sequential scans: PgHero's missing_indexes
 * (index use < 95 % on tables of 10,000 rows or more).
 *
 * Scans are counted per query, not per process: each parallel worker counts
 * a sequential scan of its own, so a query with two workers adds three to
 * seq_scan. The rows the scans read, in whole tables (seq_tup_read /
 * n_live_tup), count each query once, however many workers shared it; the
 * smaller of the two is taken.
 *
 * With pg_stat_statements, the statements that touch the table and take the
 * most time are read with the SQL grammar: the columns they filter and join
 * the table on name the index to add. A table whose statements all read it
 * whole (counts, exports, aggregates without a filter) is not reported: no
 * index serves a query that wants every row.
 */
import { formatCount, formatPercent, plural } from '../format';
import { qualified, quoteIdent } from '../ident';
import { isOwnStatement } from '../../stats/ownTag';
import { searchColumns } from '../statementColumns';
import { statusOf } from '../outcome';
import { isReadingStatement, mentionsTable, topStatementsSql } from '../statements';
import { num0, text } from '../rows';
import { shortQuery } from '../activity';
import type { Finding, Limitation, MultiQueryCheck, Row, Rows } from '../types';

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
       (SELECT count(*) FROM pg_index x WHERE x.indrelid = s.relid) AS indexes,
       (SELECT array_agg(a.attname::text) FROM pg_index x
        JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = x.indkey[0]
        WHERE x.indrelid = s.relid AND x.indisvalid) AS leading_columns
FROM pg_stat_user_tables s
WHERE s.seq_scan > 0
ORDER BY s.seq_tup_read DESC
LIMIT 100`,
    statements: (ctx) => topStatementsSql(ctx, 'total', 200),
  },
  optional: ['statements'],
  needsSqlParser: true,
  evaluate(rows, t, ctx) {
    const findings: Finding[] = [];
    for (const r of rows.tables) {
      const { seq, live, indexUse } = scans(r);
      if (live < t.missingIndexMinRows || seq < t.missingIndexMinSeqScans || indexUse >= t.missingIndexMaxIndexUsePercent) continue;
      const schema = text(r.schema);
      const table = text(r.table);
      const name = qualified(schema, table);
      const related = (rows.statements ?? [])
        .filter((s) => isReadingStatement(text(s.query)) && !isOwnStatement(text(s.query)) && mentionsTable(text(s.query), schema, table))
        .slice(0, 3)
        .map((s) => ({ s, columns: searchColumns(text(s.query), schema, table) }));
      // Every statement read, and none searches the table: they want all of its rows.
      if (related.length > 0 && related.every((x) => x.columns !== null && x.columns.filters.length === 0 && x.columns.joins.length === 0)) continue;
      const searched = related.find((x) => x.columns && x.columns.filters.length > 0);
      const indexed = new Set(Array.isArray(r.leading_columns) ? r.leading_columns.map(String) : []);
      const keys = searched?.columns?.filters.slice(0, 3) ?? [];
      const proposal = keys.length > 0 && !indexed.has(keys[0] ?? '') ? keys : [];
      const queries =
        related.length > 0
          ? ` Statements reading it, by total time: ${related
              .map(({ s, columns }) => `"${shortQuery(text(s.query), 100)}" (${formatCount(num0(s.calls))} calls, ${num0(s.mean_ms).toFixed(1)} ms avg${columns && columns.filters.length > 0 ? `, filters ${columns.filters.join(', ')}` : ''})`)
              .join('; ')}.`
          : '';
      const reading = indexUse < 50 ? 'mostly by sequential scans' : 'often by sequential scans';
      findings.push({
        severity: 'warning',
        object: name,
        relation: { schema, table },
        message: `${name} (${formatCount(live)} rows) is read ${reading}: an index served ${formatPercent(indexUse)} of its scans, and about ${formatCount(seq)} queries read it sequentially, ${formatCount(num0(r.seq_tup_read) / Math.max(1, seq))} rows each on average.${queries}`,
        remediation:
          proposal.length > 0
            ? {
                text: `Index the columns the busiest statement filters on (${proposal.join(', ')}), then run EXPLAIN on it to see the index used. CONCURRENTLY builds it without blocking writes. A sequential scan is right for queries that read most of the table.`,
                sql: `CREATE INDEX CONCURRENTLY ON ${name} (${proposal.map(quoteIdent).join(', ')});`,
                ...(searched ? { trial: { index: `CREATE INDEX ON ${name} (${proposal.map(quoteIdent).join(', ')})`, statement: text(searched.s.query) } } : {}),
              }
            : {
                text:
                  keys.length > 0
                    ? `An index on ${keys[0] ?? ''} exists but the planner prefers a sequential scan: the filter keeps too many rows for it, or its statistics are stale. Run EXPLAIN on the statement.`
                    : 'Find the statements that filter or join this table without an index (run EXPLAIN on them) and index the columns in their WHERE and JOIN clauses. A sequential scan is right for queries that read most of the table.',
              },
      });
    }
    const limitations: Limitation[] = [];
    const failure = ctx.failures.statements;
    if (failure) limitations.push({ reason: `The statements touching each table could not be read from pg_stat_statements: ${failure.message}`, fix: 'See the pg-stat-statements check.' });
    else if (!rows.statements) limitations.push({ reason: 'pg_stat_statements is not installed, so the statements touching each table are not listed.', fix: 'CREATE EXTENSION pg_stat_statements;  -- needs it in shared_preload_libraries' });
    return {
      status: statusOf(findings),
      summary:
        findings.length === 0
          ? `No large table is read by sequential scans in ${formatPercent(100 - t.missingIndexMaxIndexUsePercent)} or more of its scans.`
          : `${plural(findings.length, 'large table is', 'large tables are')} read by sequential scans in ${formatPercent(100 - t.missingIndexMaxIndexUsePercent)} or more of ${findings.length === 1 ? 'its' : 'their'} scans.`,
      findings,
      details: [
        {
          columns: [
            { label: 'Table' },
            { label: 'Live rows', kind: 'number' },
            { label: 'Sequential scans (per query)', kind: 'number' },
            { label: 'Rows per sequential scan', kind: 'number' },
            { label: 'Index scans', kind: 'number' },
            { label: 'Index use', kind: 'percent' },
          ],
          rows: rows.tables.slice(0, 20).map((r) => {
            const { seq, idx, indexUse } = scans(r);
            return [qualified(text(r.schema), text(r.table)), num0(r.live_rows), seq, Math.round(num0(r.seq_tup_read) / Math.max(1, seq)), idx, Number(indexUse.toFixed(1))];
          }),
        },
      ],
      limitations,
    };
  },
};

/**
 * Sequential scans per query: seq_scan counts one per process (leader and
 * each parallel worker), the rows read in whole tables count each query once.
 */
function scans(r: Row): { seq: number; idx: number; live: number; indexUse: number } {
  const live = num0(r.live_rows);
  const processes = num0(r.seq_scan);
  const wholeReads = live > 0 ? Math.ceil(num0(r.seq_tup_read) / live) : processes;
  const seq = Math.min(processes, wholeReads);
  const idx = num0(r.idx_scan);
  return { seq, idx, live, indexUse: seq + idx > 0 ? (100 * idx) / (seq + idx) : 100 };
}

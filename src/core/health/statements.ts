/**
 * pg_stat_statements support shared by the checks that read it. Its columns
 * were renamed in version 1.8 (PostgreSQL 13): total_time became
 * total_exec_time when planning time got its own columns.
 */
import { extensionAtLeast } from './context';
import type { CheckContext } from './types';

/**
 * The statements of the current database, slowest in total first; null when
 * the extension is absent. PG Insight's own statements (tagged, see
 * core/stats/ownTag) are left out in the SQL, so that they cannot take places
 * under the LIMIT; `all_ms` is the execution time of every statement of the
 * database, counted before the LIMIT, for each statement's share.
 */
export function topStatementsSql(ctx: CheckContext, orderBy: 'total' | 'mean', limit: number): string | null {
  if (!ctx.extensions.has('pg_stat_statements')) return null;
  const modern = extensionAtLeast(ctx, 'pg_stat_statements', '1.8');
  const total = modern ? 'total_exec_time' : 'total_time';
  const mean = modern ? 'mean_exec_time' : 'mean_time';
  const schema = 'pg_stat_statements';
  return `SELECT queryid::text AS queryid, left(query, 2000) AS query, calls,
       ${total} AS total_ms, ${mean} AS mean_ms, rows,
       shared_blks_hit, shared_blks_read, temp_blks_written,
       sum(${total}) OVER () AS all_ms
FROM ${schema}
WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
  AND calls > 0
  AND query !~ ${OWN_TAG_PATTERN}
ORDER BY ${orderBy === 'total' ? total : mean} DESC
LIMIT ${Math.max(1, Math.floor(limit))}`;
}

/**
 * The tag after the statement's first word or among its leading comments, as
 * a POSIX regular expression literal (the SQL twin of `isOwnStatement`).
 */
const OWN_TAG_PATTERN = String.raw`'^\s*(/\*.*?\*/\s*)*([A-Za-z_]+\s*)?/\*\s*pg-insight\s*\*/'`;

/**
 * Whether normalised statement text refers to a table: the name as a whole
 * word, bare or schema-qualified, quoted or not. A heuristic, good enough to
 * point at the statements worth a look.
 */
export function mentionsTable(query: string, schema: string, table: string): boolean {
  const word = (name: string) => `"?${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"?`;
  const pattern = new RegExp(`(^|[^\\w$."])(${word(schema)}\\.)?${word(table)}($|[^\\w$"])`, 'i');
  return pattern.test(query);
}

/**
 * Statements that read a table through a WHERE clause or a join: SELECT,
 * UPDATE, DELETE and WITH. Inserts and utility statements (CREATE INDEX,
 * ANALYZE, COPY) scan tables too, but no index would help them.
 */
export function isReadingStatement(query: string): boolean {
  const start = query.replace(/^(\s|--[^\n]*\n|\/\*[\s\S]*?\*\/)*/, '');
  return /^(select|with|update|delete)\b/i.test(start);
}

/**
 * Column types and statistics for sampling parameter values: per column, its
 * type from pg_attribute and, from pg_stats, the most common value and the
 * histogram bounds, as text (the form a parameter is bound in). One query in
 * a read-only transaction, filtered by the tables' and columns' names.
 *
 * pg_stats holds `anyarray` columns; `::text::text[]` turns them into their
 * elements' text forms whatever the column's type. Its values are sorted
 * by frequency, so the first is the most common. A partitioned table only
 * has statistics over its partitions (inherited = true): the table's own
 * row is preferred when both exist.
 */
import type { ColumnRequest, ColumnStatistics } from '../core/sql/parameterSamples';
import type { Database, RunOptions } from './types';

export const COLUMN_SAMPLES_SQL = `SELECT DISTINCT ON (c.oid, a.attnum)
       n.nspname AS schema, c.relname AS "table", a.attname AS "column",
       pg_catalog.format_type(a.atttypid, a.atttypmod) AS type,
       pg_catalog.pg_table_is_visible(c.oid) AS visible,
       s.attname IS NOT NULL AS analysed,
       (s.most_common_vals::text::text[])[1] AS most_common,
       s.histogram_bounds::text::text[] AS histogram
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
LEFT JOIN pg_catalog.pg_stats s ON s.schemaname = n.nspname AND s.tablename = c.relname AND s.attname = a.attname
WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') AND c.relname = ANY($1::text[]) AND a.attname = ANY($2::text[])
ORDER BY c.oid, a.attnum, s.inherited NULLS LAST`;

interface SampleRow extends Record<string, unknown> {
  schema: string;
  table: string;
  column: string;
  type: string;
  visible: boolean;
  analysed: boolean;
  most_common: string | null;
  histogram: string[] | null;
}

/**
 * Statistics of the requested columns. A table named without a schema is
 * the one the search path finds, as PostgreSQL would resolve it.
 */
export async function readColumnStatistics(db: Database, requests: readonly ColumnRequest[], options?: RunOptions): Promise<ColumnStatistics[]> {
  const tables = [...new Set(requests.flatMap((r) => r.tables.map((t) => t.name)))];
  const columns = [...new Set(requests.map((r) => r.column))];
  if (tables.length === 0 || columns.length === 0) return [];
  const rows = await db.read('column statistics', (tx) => tx.query<SampleRow>(COLUMN_SAMPLES_SQL, [tables, columns]), options);
  return rows.rows
    .filter((r) => requests.some((q) => q.column === r.column && q.tables.some((t) => t.name === r.table && (t.schema === undefined ? r.visible : t.schema === r.schema))))
    .map((r) => ({ schema: r.schema, table: r.table, column: r.column, type: r.type, mostCommon: r.most_common, histogram: r.histogram, analysed: r.analysed }));
}

/**
 * The catalog facts some plan tips need, read right after an EXPLAIN for
 * the tables its plan touches: table statistics (live rows, changes since
 * the last ANALYZE, when it ran) for stale-statistics, and the foreign keys
 * that point at those tables for fk-trigger. One read-only transaction,
 * two queries filtered by the tables' names.
 */
import type { ForeignKey, PlanContext, TableStats } from '../core/plan';
import type { Database, RunOptions } from './types';

export interface PlanTable {
  readonly schema?: string;
  readonly name: string;
}

export const TABLE_STATS_SQL = `SELECT schemaname AS schema, relname AS "table",
       n_live_tup::float8 AS live, n_mod_since_analyze::float8 AS mods,
       last_analyze, last_autoanalyze
FROM pg_catalog.pg_stat_user_tables
WHERE relname = ANY($1::text[])`;

export const FOREIGN_KEYS_SQL = `SELECT k.conname AS name, n.nspname AS schema, c.relname AS "table",
       ARRAY(SELECT a.attname::text FROM unnest(k.conkey) WITH ORDINALITY AS u(attnum, ord)
             JOIN pg_catalog.pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.attnum ORDER BY u.ord) AS columns,
       rn.nspname AS ref_schema, rc.relname AS ref_table
FROM pg_catalog.pg_constraint k
JOIN pg_catalog.pg_class c ON c.oid = k.conrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
JOIN pg_catalog.pg_class rc ON rc.oid = k.confrelid
JOIN pg_catalog.pg_namespace rn ON rn.oid = rc.relnamespace
WHERE k.contype = 'f' AND rc.relname = ANY($1::text[])`;

interface StatsRow extends Record<string, unknown> {
  schema: string;
  table: string;
  live: number;
  mods: number;
  last_analyze: Date | null;
  last_autoanalyze: Date | null;
}

interface ForeignKeyRow extends Record<string, unknown> {
  name: string;
  schema: string;
  table: string;
  columns: string[];
  ref_schema: string;
  ref_table: string;
}

const iso = (d: Date | string | null): string | null => (d === null ? null : d instanceof Date ? d.toISOString() : new Date(d).toISOString());

/** Rows for tables of the same name in other schemas are dropped when the plan names the schema. */
function wanted(tables: readonly PlanTable[], schema: string, name: string): boolean {
  return tables.some((t) => t.name === name && (t.schema === undefined || t.schema === schema));
}

export async function readPlanContext(db: Database, tables: readonly PlanTable[], options?: RunOptions): Promise<PlanContext> {
  const now = new Date().toISOString();
  const names = [...new Set(tables.map((t) => t.name))];
  if (names.length === 0) return { now };
  return db.read('plan context', async (tx) => {
    const stats = await tx.query<StatsRow>(TABLE_STATS_SQL, [names]);
    const keys = await tx.query<ForeignKeyRow>(FOREIGN_KEYS_SQL, [names]);
    const tableStats: TableStats[] = stats.rows
      .filter((r) => wanted(tables, r.schema, r.table))
      .map((r) => ({ schema: r.schema, table: r.table, liveTuples: Number(r.live), modsSinceAnalyze: Number(r.mods), lastAnalyze: iso(r.last_analyze), lastAutoanalyze: iso(r.last_autoanalyze) }));
    const foreignKeys: ForeignKey[] = keys.rows
      .filter((r) => wanted(tables, r.ref_schema, r.ref_table))
      .map((r) => ({ constraintName: r.name, schema: r.schema, table: r.table, columns: r.columns, referencedSchema: r.ref_schema, referencedTable: r.ref_table }));
    return { tableStats, foreignKeys, now };
  }, options);
}

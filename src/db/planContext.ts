/**
 * The catalog facts some plan tips need for the tables a plan touches:
 * table statistics (live rows, changes since the last ANALYZE, when it ran)
 * for stale-statistics, the foreign keys that point at those tables for
 * fk-trigger, and the partitioned table each partition belongs to (its
 * scans are one table to the reader and to the index advice). All come back
 * from one statement, as three JSON arrays, so the
 * read costs a single round trip. The Explain command reads them inside the
 * EXPLAIN's own transaction (`withContext`); `readPlanContext` is the same
 * read in a READ ONLY transaction of its own, for callers that have only a
 * plan.
 */
import { parseExplain, type ForeignKey, type PartitionOf, type PlanContext, type TableStats } from '../core/plan';
import type { Database, RunOptions, Tx } from './types';

export interface PlanTable {
  readonly schema?: string;
  readonly name: string;
}

/**
 * One statement, two JSON arrays. It is written for the planner as much as
 * for the reader: the statistics come from the functions behind
 * pg_stat_user_tables called for the named tables only (the view joins
 * pg_index and groups), and names are looked up by scalar subqueries rather
 * than joins, which halves the planning that dominated the read's time. The
 * tables are those pg_stat_user_tables lists (no system or TOAST tables).
 * Timestamps travel as epoch milliseconds: JSON's text form of a
 * timestamptz follows the session's TimeZone, a number does not.
 */
export const PLAN_CONTEXT_SQL = `SELECT /* plan context: statistics, foreign keys and partitions of the plan's tables */
  (SELECT coalesce(json_agg(s), '[]'::json) FROM (
    SELECT (SELECT n.nspname FROM pg_catalog.pg_namespace n WHERE n.oid = c.relnamespace) AS schema, c.relname AS "table",
           pg_catalog.pg_stat_get_live_tuples(c.oid)::float8 AS live,
           pg_catalog.pg_stat_get_mod_since_analyze(c.oid)::float8 AS mods,
           (extract(epoch FROM pg_catalog.pg_stat_get_last_analyze_time(c.oid)) * 1000)::float8 AS last_analyze,
           (extract(epoch FROM pg_catalog.pg_stat_get_last_autoanalyze_time(c.oid)) * 1000)::float8 AS last_autoanalyze
    FROM pg_catalog.pg_class c
    WHERE c.relname = ANY($1::text[]) AND c.relkind IN ('r', 'm', 'p')
      AND c.relnamespace <> ALL (ARRAY['pg_catalog'::regnamespace, 'information_schema'::regnamespace])) s) AS stats,
  (SELECT coalesce(json_agg(f), '[]'::json) FROM (
    SELECT k.conname AS name,
           (SELECT n.nspname FROM pg_catalog.pg_namespace n WHERE n.oid = (SELECT c.relnamespace FROM pg_catalog.pg_class c WHERE c.oid = k.conrelid)) AS schema,
           (SELECT c.relname FROM pg_catalog.pg_class c WHERE c.oid = k.conrelid) AS "table",
           ARRAY(SELECT a.attname::text FROM pg_catalog.pg_attribute a WHERE a.attrelid = k.conrelid AND a.attnum = ANY (k.conkey)
                 ORDER BY pg_catalog.array_position(k.conkey, a.attnum)) AS columns,
           (SELECT n.nspname FROM pg_catalog.pg_namespace n WHERE n.oid = (SELECT c.relnamespace FROM pg_catalog.pg_class c WHERE c.oid = k.confrelid)) AS ref_schema,
           (SELECT c.relname FROM pg_catalog.pg_class c WHERE c.oid = k.confrelid) AS ref_table,
           EXISTS (SELECT 1 FROM pg_catalog.pg_index i
                    WHERE i.indrelid = k.conrelid AND i.indisvalid AND i.indpred IS NULL
                      AND (SELECT array_agg(x ORDER BY x) FROM unnest((i.indkey::int2[])[0:pg_catalog.array_length(k.conkey, 1) - 1]) x)
                        = (SELECT array_agg(x ORDER BY x) FROM unnest(k.conkey) x)) AS indexed
    FROM pg_catalog.pg_constraint k
    WHERE k.contype = 'f' AND k.confrelid = ANY (ARRAY(SELECT c.oid FROM pg_catalog.pg_class c WHERE c.relname = ANY($1::text[])))) f) AS keys,
  (SELECT coalesce(json_agg(p), '[]'::json) FROM (
    SELECT (SELECT n.nspname FROM pg_catalog.pg_namespace n WHERE n.oid = c.relnamespace) AS schema, c.relname AS "table",
           (SELECT n.nspname FROM pg_catalog.pg_namespace n WHERE n.oid = r.relnamespace) AS root_schema, r.relname AS root_table,
           (SELECT count(*) FROM pg_catalog.pg_partition_tree(r.oid) t WHERE t.isleaf)::int AS leaves
    FROM pg_catalog.pg_class c
    JOIN pg_catalog.pg_class r ON r.oid = pg_catalog.pg_partition_root(c.oid)
    WHERE c.relname = ANY($1::text[]) AND c.relispartition) p) AS partitions`;

interface StatsRow {
  schema: string;
  table: string;
  live: number;
  mods: number;
  last_analyze: number | null;
  last_autoanalyze: number | null;
}

interface ForeignKeyRow {
  name: string;
  schema: string;
  table: string;
  columns: string[];
  ref_schema: string;
  ref_table: string;
  indexed: boolean;
}

interface PartitionRow {
  schema: string;
  table: string;
  root_schema: string;
  root_table: string;
  leaves: number;
}

interface ContextRow extends Record<string, unknown> {
  stats: StatsRow[] | null;
  keys: ForeignKeyRow[] | null;
  partitions: PartitionRow[] | null;
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(Number(ms)).toISOString());

/** Rows for tables of the same name in other schemas are dropped when the plan names the schema. */
function wanted(tables: readonly PlanTable[], schema: string, name: string): boolean {
  return tables.some((t) => t.name === name && (t.schema === undefined || t.schema === schema));
}

/** The tables a plan reads or writes, and those its triggers name (a foreign key's check fires on the referencing table). */
export function planTables(plan: unknown): PlanTable[] {
  // Names only: the parsed tree is enough (the plan is analysed once, for the view, after the context is read).
  const raw = parseExplain(plan);
  const tables: PlanTable[] = [];
  const stack = [raw.Plan];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node['Relation Name'] !== undefined) tables.push({ schema: node.Schema, name: node['Relation Name'] });
    stack.push(...(node.Plans ?? []));
  }
  for (const t of raw.Triggers ?? []) if (t.Relation) tables.push({ name: t.Relation });
  return tables;
}

/** The read itself, on a transaction someone else opened and will end. A plan without tables needs no query. */
export async function readPlanContextIn(tx: Tx, tables: readonly PlanTable[]): Promise<PlanContext> {
  const now = new Date().toISOString();
  const names = [...new Set(tables.map((t) => t.name))];
  if (names.length === 0) return { now };
  const { rows } = await tx.query<ContextRow>(PLAN_CONTEXT_SQL, [names]);
  const tableStats: TableStats[] = (rows[0]?.stats ?? [])
    .filter((r) => wanted(tables, r.schema, r.table))
    .map((r) => ({ schema: r.schema, table: r.table, liveTuples: Number(r.live), modsSinceAnalyze: Number(r.mods), lastAnalyze: iso(r.last_analyze), lastAutoanalyze: iso(r.last_autoanalyze) }));
  const foreignKeys: ForeignKey[] = (rows[0]?.keys ?? [])
    .filter((r) => wanted(tables, r.ref_schema, r.ref_table))
    .map((r) => ({ constraintName: r.name, schema: r.schema, table: r.table, columns: r.columns, referencedSchema: r.ref_schema, referencedTable: r.ref_table, indexed: r.indexed === true }));
  const partitions: PartitionOf[] = (rows[0]?.partitions ?? [])
    .filter((r) => wanted(tables, r.schema, r.table))
    .map((r) => ({ schema: r.schema, table: r.table, rootSchema: r.root_schema, rootTable: r.root_table, leafPartitions: Number(r.leaves) }));
  return { tableStats, foreignKeys, partitions, now };
}

/** The same read in a READ ONLY transaction of its own. */
export async function readPlanContext(db: Database, tables: readonly PlanTable[], options?: RunOptions): Promise<PlanContext> {
  if (tables.length === 0) return { now: new Date().toISOString() };
  return db.read('plan context', (tx) => readPlanContextIn(tx, tables), options);
}

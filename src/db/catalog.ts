/**
 * Reads the schema model of the user's own schemas from the live catalog:
 * tables with their row estimates, columns (with planner statistics where
 * the role may see them), indexes as `pg_get_indexdef` prints them, and
 * constraints including foreign keys. Four plain queries in one read-only
 * transaction, so the picture is consistent.
 */
import { userSchema } from '../core/health/catalog';
import { schemaFromCatalog, type CatalogRows } from '../core/schema/catalog';
import type { SchemaModel } from '../core/schema/model';
import { loadSqlParser } from '../core/sql/parser';
import type { Database, RunOptions } from './types';

/**
 * Tables, views that hold rows (materialized) and foreign tables; a
 * partitioned table counts its partitions' rows and lists its partition
 * tree (an index on it is built partition by partition).
 */
export const TABLES_SQL = `SELECT c.oid::bigint AS oid, n.nspname AS schema, c.relname AS name,
       CASE WHEN c.relkind = 'p' THEN
              (SELECT sum(greatest(p.reltuples, 0))::float8 FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhrelid WHERE i.inhparent = c.oid)
            ELSE c.reltuples::float8 END AS reltuples,
       pg_total_relation_size(c.oid) AS size_bytes,
       CASE WHEN c.relkind = 'p' THEN
              (SELECT coalesce(json_agg(json_build_object('schema', pn.nspname, 'name', pc.relname, 'parentSchema', qn.nspname, 'parentName', qc.relname, 'leaf', t.isleaf) ORDER BY t.level, pc.relname), '[]'::json)
                 FROM pg_partition_tree(c.oid) t
                 JOIN pg_class pc ON pc.oid = t.relid JOIN pg_namespace pn ON pn.oid = pc.relnamespace
                 JOIN pg_class qc ON qc.oid = t.parentrelid JOIN pg_namespace qn ON qn.oid = qc.relnamespace
                WHERE t.level > 0 AND pc.relkind IN ('r', 'p'))
       END AS partitions
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p', 'm', 'f')
  AND ${userSchema('n')}
ORDER BY n.nspname, c.relname`;

export const COLUMNS_SQL = `SELECT a.attrelid::bigint AS table_oid, a.attname AS name,
       format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS not_null,
       s.null_frac, s.n_distinct,
       s.most_common_vals::text::text[] AS common_values,
       s.most_common_freqs::float8[] AS common_freqs
FROM pg_attribute a
JOIN pg_class c ON c.oid = a.attrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_stats s ON s.schemaname = n.nspname AND s.tablename = c.relname AND s.attname = a.attname AND NOT s.inherited
WHERE a.attnum > 0 AND NOT a.attisdropped
  AND c.relkind IN ('r', 'p', 'm', 'f')
  AND ${userSchema('n')}
ORDER BY a.attrelid, a.attnum`;

/** An index the planner may use is valid and ready; a failed concurrent build leaves one that is neither. */
export const INDEXES_SQL = `SELECT x.indrelid::bigint AS table_oid, i.relname AS name,
       pg_get_indexdef(x.indexrelid) AS definition,
       pg_get_expr(x.indpred, x.indrelid) AS predicate,
       x.indisvalid AND x.indisready AS valid, x.indisprimary AS primary, x.indisunique AS unique,
       am.amname AS method
FROM pg_index x
JOIN pg_class i ON i.oid = x.indexrelid
JOIN pg_am am ON am.oid = i.relam
JOIN pg_class c ON c.oid = x.indrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE ${userSchema('n')}
ORDER BY x.indrelid, i.relname`;

export const CONSTRAINTS_SQL = `SELECT k.conrelid::bigint AS table_oid, k.conname AS name, k.contype::text AS type,
       ARRAY(SELECT a.attname::text FROM unnest(k.conkey) WITH ORDINALITY AS u(attnum, ord)
             JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.attnum ORDER BY u.ord) AS columns,
       rn.nspname AS ref_schema, rc.relname AS ref_table,
       ARRAY(SELECT a.attname::text FROM unnest(k.confkey) WITH ORDINALITY AS u(attnum, ord)
             JOIN pg_attribute a ON a.attrelid = k.confrelid AND a.attnum = u.attnum ORDER BY u.ord) AS ref_columns,
       k.confdeltype::text AS on_delete, k.convalidated AS validated
FROM pg_constraint k
JOIN pg_class c ON c.oid = k.conrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_class rc ON rc.oid = k.confrelid
LEFT JOIN pg_namespace rn ON rn.oid = rc.relnamespace
WHERE k.contype IN ('p', 'u', 'f', 'c', 'x')
  AND ${userSchema('n')}
ORDER BY k.conrelid, k.conname`;

/** Reads the schema model; the SQL parser is loaded on the way (index definitions are parsed). */
export async function readSchema(db: Database, options?: RunOptions): Promise<SchemaModel> {
  const [rows] = await Promise.all([
    db.read(
      'schema catalog',
      async (tx): Promise<CatalogRows> => ({
        tables: (await tx.query(TABLES_SQL)).rows,
        columns: (await tx.query(COLUMNS_SQL)).rows,
        indexes: (await tx.query(INDEXES_SQL)).rows,
        constraints: (await tx.query(CONSTRAINTS_SQL)).rows,
      }),
      options,
    ),
    loadSqlParser(),
  ]);
  return schemaFromCatalog(rows);
}

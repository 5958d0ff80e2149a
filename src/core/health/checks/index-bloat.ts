/**
 * Space in btree indexes beyond what their entries need, left by updates and
 * deletes (page splits, half-empty pages). The estimate is the well-known
 * btree query (ioguix/pgsql-bloat-estimation, credited to jberkus and mbanck;
 * PgHero's unlisted index bloat page uses it), rewritten with CTEs. With
 * pgstattuple installed and allowed, the largest indexes up to 1 GB are
 * measured with pgstatindex instead.
 */
import { EXACT_MAX_BYTES, EXACT_MAX_RELATIONS, estimatedRelations, exactAvailability, fromRow, judgeBloat, mergeBloat } from '../bloat';
import { qualified } from '../ident';
import { userSchema } from '../catalog';
import type { Limitation, MultiQueryCheck, Rows } from '../types';

type IndexBloatRows = { estimate: Rows; exact?: Rows };

const FILLFACTOR = `coalesce(substring(array_to_string(i.reloptions, ' ') FROM 'fillfactor=([0-9]+)')::int, 90)`;

export const indexBloat: MultiQueryCheck<IndexBloatRows> = {
  id: 'index-bloat',
  title: 'Index bloat',
  category: 'indexes',
  level: 'table',
  minVersion: 90600,
  privileges:
    'The estimate needs statistics the role can read (pg_stats shows only columns it may SELECT); measuring with pgstattuple needs pg_stat_scan_tables.',
  thresholds: ['bloatWarningPercent', 'bloatCriticalPercent', 'bloatMinBytes'],
  sql: {
    // Expression columns have their statistics under the index's own name.
    estimate: `WITH index_columns AS (
  SELECT x.indexrelid, n.nspname AS schema, t.relname AS table, i.relname AS index,
         i.reltuples, i.relpages, ${FILLFACTOR} AS fillfactor,
         CASE WHEN k.attnum = 0 THEN i.relname ELSE t.relname END AS stats_relation,
         coalesce(ta.attname, ia.attname) AS attname,
         coalesce(ta.atttypid, ia.atttypid) AS atttypid,
         -- pg_stats' own filter, on the relation that holds the column's statistics
         CASE WHEN k.attnum = 0 THEN NOT has_column_privilege(x.indexrelid, k.pos::int2, 'SELECT')
              ELSE NOT has_column_privilege(x.indrelid, k.attnum, 'SELECT') OR (t.relrowsecurity AND row_security_active(t.oid))
         END AS stats_hidden
  FROM pg_index x
  JOIN pg_class i ON i.oid = x.indexrelid
  JOIN pg_class t ON t.oid = x.indrelid
  JOIN pg_namespace n ON n.oid = t.relnamespace
  JOIN pg_am am ON am.oid = i.relam AND am.amname = 'btree'
  CROSS JOIN LATERAL unnest(string_to_array(x.indkey::text, ' ')::int2[]) WITH ORDINALITY AS k(attnum, pos)
  LEFT JOIN pg_attribute ta ON k.attnum <> 0 AND ta.attrelid = x.indrelid AND ta.attnum = k.attnum
  LEFT JOIN pg_attribute ia ON k.attnum = 0 AND ia.attrelid = x.indexrelid AND ia.attnum = k.pos
  WHERE i.relpages > 0
    AND ${userSchema('n')}
), widths AS (
  SELECT c.indexrelid, c.schema, c.table, c.index, c.reltuples, c.relpages, c.fillfactor,
         current_setting('block_size')::numeric AS bs,
         CASE WHEN version() ~ 'mingw32|64-bit|x86_64|ppc64|ia64|amd64' THEN 8 ELSE 4 END AS maxalign,
         24 AS page_hdr, 16 AS page_opaque,
         -- index tuple header, plus a null bitmap when some column has nulls
         CASE WHEN max(coalesce(s.null_frac, 0)) = 0 THEN 8 ELSE 8 + ((32 + 8 - 1) / 8) END AS tuple_hdr,
         sum((1 - coalesce(s.null_frac, 0)) * coalesce(s.avg_width, 1024)) AS data_width,
         bool_or(c.atttypid = 'pg_catalog.name'::regtype) OR count(*) <> count(s.attname) OR c.reltuples < 0 AS is_na,
         bool_or(c.stats_hidden) AS stats_hidden
  FROM index_columns c
  -- LIMIT keeps the lookup a per-column index probe (see table-bloat).
  LEFT JOIN LATERAL (
    SELECT st.attname, st.null_frac, st.avg_width
    FROM pg_stats st
    WHERE st.schemaname = c.schema AND st.tablename = c.stats_relation
      AND st.attname = c.attname AND NOT st.inherited
    LIMIT 1) s ON true
  GROUP BY c.indexrelid, c.schema, c.table, c.index, c.reltuples, c.relpages, c.fillfactor
), tuples AS (
  SELECT *,
         (tuple_hdr + maxalign - CASE WHEN tuple_hdr % maxalign = 0 THEN maxalign ELSE tuple_hdr % maxalign END
          + data_width + maxalign
          - CASE WHEN data_width = 0 THEN 0 WHEN data_width::int % maxalign = 0 THEN maxalign ELSE data_width::int % maxalign END
         )::numeric AS tuple_width
  FROM widths
), estimates AS (
  SELECT *,
         coalesce(1 + ceil(greatest(reltuples, 0) / floor((bs - page_opaque - page_hdr) * fillfactor / (100 * (4 + tuple_width)::float))), 0) AS expected_pages
  FROM tuples
)
SELECT schema, "table", index,
       bs * relpages AS bytes,
       CASE WHEN relpages > expected_pages THEN bs * (relpages - expected_pages) ELSE 0 END AS wasted_bytes,
       CASE WHEN relpages > expected_pages THEN 100 * (relpages - expected_pages) / relpages::float ELSE 0 END AS wasted_percent,
       is_na,
       count(*) FILTER (WHERE is_na) OVER () AS not_estimated,
       count(*) FILTER (WHERE is_na AND stats_hidden) OVER () AS not_readable
FROM estimates
ORDER BY is_na, 5 DESC
LIMIT 50`,
    // avg_leaf_density is measured against the index's fillfactor: leaves
    // filled to the fillfactor waste nothing. Empty indexes have no density (NaN).
    exact: (ctx) =>
      ctx.extensions.has('pgstattuple') && ctx.privileges.statScanTables
        ? `SELECT c.schema, c.table, c.index, s.index_size AS bytes,
       s.index_size * greatest(0, 1 - s.avg_leaf_density / c.fillfactor) AS wasted_bytes,
       100 * greatest(0, 1 - s.avg_leaf_density / c.fillfactor) AS wasted_percent
FROM (
  SELECT i.oid, n.nspname AS schema, t.relname AS table, i.relname AS index, ${FILLFACTOR} AS fillfactor
  FROM pg_index x
  JOIN pg_class i ON i.oid = x.indexrelid
  JOIN pg_class t ON t.oid = x.indrelid
  JOIN pg_namespace n ON n.oid = t.relnamespace
  JOIN pg_am am ON am.oid = i.relam AND am.amname = 'btree'
  WHERE x.indisvalid
    AND ${userSchema('n')}
    AND pg_relation_size(i.oid) BETWEEN 1 AND ${EXACT_MAX_BYTES}
  ORDER BY pg_relation_size(i.oid) DESC
  LIMIT ${EXACT_MAX_RELATIONS}
) c
CROSS JOIN LATERAL pgstatindex(c.oid::regclass) s
WHERE s.avg_leaf_density <> 'NaN'`
        : null,
  },
  optional: ['exact'],
  evaluate(rows, t, ctx) {
    const { relations, notEstimated, notReadable } = estimatedRelations(rows.estimate, true);
    const limitations: Limitation[] = [];
    const exact = exactAvailability(ctx, ctx.failures.exact !== undefined);
    if (exact.limitation) limitations.push(exact.limitation);
    const measured = exact.usable ? (rows.exact ?? []).map((r) => fromRow(r, true, 'pgstattuple')) : [];
    return judgeBloat(
      mergeBloat(relations, measured),
      t,
      {
        noun: 'index',
        name: (r) => qualified(r.schema, r.index ?? ''),
        remediation: (r) => ({
          text: 'Rebuild the index. REINDEX CONCURRENTLY (PostgreSQL 12+) does it without blocking writes; it needs room for a second copy while it runs.',
          sql: `REINDEX INDEX CONCURRENTLY ${qualified(r.schema, r.index ?? '')};`,
        }),
      },
      limitations,
      notEstimated,
      notReadable,
    );
  },
};

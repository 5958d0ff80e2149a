/**
 * Space in tables taken by dead rows and free space that VACUUM has not been
 * able to give back. The estimate compares a table's pages with the pages its
 * rows should need, from pg_stats average widths (the well-known
 * ioguix/pgsql-bloat-estimation query, BSD licence, rewritten with CTEs).
 * With pgstattuple installed and allowed, the largest tables up to 1 GB are
 * measured instead (pgstattuple_approx, which skips all-visible pages).
 */
import { EXACT_MAX_BYTES, EXACT_MAX_RELATIONS, estimatedRelations, exactAvailability, fromRow, judgeBloat, mergeBloat } from '../bloat';
import { formatCount, formatDuration } from '../format';
import { qualified } from '../ident';
import { num, num0, text } from '../rows';
import { userSchema } from '../catalog';
import type { Limitation, MultiQueryCheck, Rows } from '../types';

type TableBloatRows = { estimate: Rows; exact?: Rows; vacuumed?: Rows };

/** A table vacuumed this recently has had its dead rows turned into free space that its next rows reuse. */
const RECENT_VACUUM_SECONDS = 24 * 3600;

const FILLFACTOR = (rel: string, fallback: number) =>
  `coalesce(substring(array_to_string(${rel}.reloptions, ' ') FROM 'fillfactor=([0-9]+)')::int, ${fallback})`;

export const tableBloat: MultiQueryCheck<TableBloatRows> = {
  id: 'table-bloat',
  title: 'Table bloat',
  category: 'maintenance',
  level: 'table',
  minVersion: 90600,
  privileges:
    'The estimate needs statistics the role can read (pg_stats shows only columns it may SELECT); measuring with pgstattuple needs pg_stat_scan_tables.',
  thresholds: ['bloatWarningPercent', 'bloatCriticalPercent', 'bloatMinBytes'],
  sql: {
    estimate: `WITH columns AS (
  SELECT tbl.oid, ns.nspname AS schema, tbl.relname AS table,
         tbl.reltuples, tbl.relpages AS heap_pages,
         coalesce(toast.relpages, 0) AS toast_pages, coalesce(toast.reltuples, 0) AS toast_tuples,
         ${FILLFACTOR('tbl', 100)} AS fillfactor,
         current_setting('block_size')::numeric AS bs,
         CASE WHEN version() ~ 'mingw32|64-bit|x86_64|ppc64|ia64|amd64' THEN 8 ELSE 4 END AS ma,
         24 AS page_hdr,
         -- tuple header, plus a null bitmap when some column has nulls
         23 + CASE WHEN max(coalesce(s.null_frac, 0)) > 0 THEN (7 + count(*)) / 8 ELSE 0 END AS tpl_hdr_size,
         sum((1 - coalesce(s.null_frac, 0)) * coalesce(s.avg_width, 0)) AS tpl_data_size,
         -- no statistics for some column (never analysed, or not readable), or name columns whose width is misreported
         bool_or(att.atttypid = 'pg_catalog.name'::regtype) OR count(*) <> count(s.attname) OR tbl.reltuples < 0 AS is_na,
         -- pg_stats' own filter: columns the role may not SELECT, and tables under row security, show no statistics
         bool_or(NOT has_column_privilege(tbl.oid, att.attnum, 'SELECT')) OR (tbl.relrowsecurity AND row_security_active(tbl.oid)) AS stats_hidden
  FROM pg_attribute att
  JOIN pg_class tbl ON tbl.oid = att.attrelid
  JOIN pg_namespace ns ON ns.oid = tbl.relnamespace
  -- LIMIT keeps the lookup a per-column index probe: flattened into a join, the
  -- planner misjudges pg_stats' size and compares every pair of columns.
  LEFT JOIN LATERAL (
    SELECT st.attname, st.null_frac, st.avg_width
    FROM pg_stats st
    WHERE st.schemaname = ns.nspname AND st.tablename = tbl.relname
      AND st.attname = att.attname AND NOT st.inherited
    LIMIT 1) s ON true
  LEFT JOIN pg_class toast ON toast.oid = tbl.reltoastrelid
  WHERE att.attnum > 0 AND NOT att.attisdropped
    AND tbl.relkind IN ('r', 'm')
    AND ${userSchema('ns')}
  GROUP BY tbl.oid, ns.nspname, tbl.relname, tbl.reltuples, tbl.relpages, toast.relpages, toast.reltuples, tbl.reloptions, tbl.relrowsecurity
), tuples AS (
  SELECT *,
         4 + tpl_hdr_size + tpl_data_size + 2 * ma
           - CASE WHEN tpl_hdr_size % ma = 0 THEN ma ELSE tpl_hdr_size % ma END
           - CASE WHEN ceil(tpl_data_size)::int % ma = 0 THEN ma ELSE ceil(tpl_data_size)::int % ma END AS tpl_size
  FROM columns
), estimates AS (
  SELECT *,
         heap_pages + toast_pages AS pages,
         ceil(greatest(reltuples, 0) / ((bs - page_hdr) * fillfactor / (tpl_size * 100))) + ceil(toast_tuples / 4) AS expected_pages
  FROM tuples
)
SELECT schema, "table",
       bs * pages AS bytes,
       CASE WHEN pages > expected_pages THEN bs * (pages - expected_pages) ELSE 0 END AS wasted_bytes,
       CASE WHEN pages > expected_pages THEN 100 * (pages - expected_pages) / pages ELSE 0 END AS wasted_percent,
       is_na,
       count(*) FILTER (WHERE is_na) OVER () AS not_estimated,
       count(*) FILTER (WHERE is_na AND stats_hidden) OVER () AS not_readable
FROM estimates
WHERE pages > 0
ORDER BY is_na, 4 DESC
LIMIT 50`,
    exact: (ctx) =>
      ctx.extensions.has('pgstattuple') && ctx.privileges.statScanTables
        ? `SELECT c.schema, c.table, a.table_len AS bytes,
       greatest(0, a.dead_tuple_len + a.approx_free_space - a.table_len * (100 - c.fillfactor) / 100.0) AS wasted_bytes,
       100 * greatest(0, a.dead_tuple_len + a.approx_free_space - a.table_len * (100 - c.fillfactor) / 100.0)
           / nullif(a.table_len, 0) AS wasted_percent
FROM (
  SELECT t.oid, n.nspname AS schema, t.relname AS table, ${FILLFACTOR('t', 100)} AS fillfactor
  FROM pg_class t
  JOIN pg_namespace n ON n.oid = t.relnamespace
  WHERE t.relkind IN ('r', 'm')
    AND ${userSchema('n')}
    AND pg_relation_size(t.oid) BETWEEN 1 AND ${EXACT_MAX_BYTES}
  ORDER BY pg_relation_size(t.oid) DESC
  LIMIT ${EXACT_MAX_RELATIONS}
) c
CROSS JOIN LATERAL pgstattuple_approx(c.oid::regclass) a`
        : null,
    // When each table was last vacuumed: just after a VACUUM, the space is
    // free for new rows, so bloat is a size to give back, not growing waste.
    vacuumed: `SELECT schemaname AS schema, relname AS table,
       extract(epoch FROM now() - greatest(last_vacuum, last_autovacuum))::float8 AS vacuum_age_seconds,
       n_dead_tup AS dead_rows
FROM pg_stat_user_tables`,
  },
  optional: ['exact', 'vacuumed'],
  evaluate(rows, t, ctx) {
    const { relations, notEstimated, notReadable } = estimatedRelations(rows.estimate, false);
    const vacuumed = new Map((rows.vacuumed ?? []).map((v) => [`${text(v.schema)}.${text(v.table)}`, { ageSeconds: num(v.vacuum_age_seconds), deadRows: num0(v.dead_rows) }]));
    const limitations: Limitation[] = [];
    const exact = exactAvailability(ctx, ctx.failures.exact !== undefined);
    if (exact.limitation) limitations.push(exact.limitation);
    const measured = exact.usable ? (rows.exact ?? []).map((r) => fromRow(r, false, 'pgstattuple')) : [];
    return judgeBloat(
      mergeBloat(relations, measured),
      t,
      {
        noun: 'table',
        name: (r) => qualified(r.schema, r.table),
        // VACUUM does not shrink a table, so only a rewrite clears this finding:
        // the SQL is the rewrite, and the text says what it locks.
        remediation: (r) => ({
          text:
            'Rewrite the table to give the space back. VACUUM FULL holds an ACCESS EXCLUSIVE lock for the whole rewrite (reads and writes wait) and needs room for a full copy; ' +
            'the pg_repack extension does the same online. Plain VACUUM only makes the space reusable by new rows. Then find why vacuum fell behind (long transactions, autovacuum settings).',
          sql: `VACUUM (FULL, ANALYZE) ${qualified(r.schema, r.table)};  -- rewrites the table under an ACCESS EXCLUSIVE lock`,
        }),
        context: (r) => {
          const v = vacuumed.get(`${r.schema}.${r.table}`);
          if (!v || v.ageSeconds === null || v.ageSeconds > RECENT_VACUUM_SECONDS) return undefined;
          return {
            note: `It was vacuumed ${formatDuration(v.ageSeconds)} ago${v.deadRows > 0 ? ` (${formatCount(v.deadRows)} dead rows since)` : ''}: the space is free for new rows, and stays part of the table until it is rewritten.`,
            cap: 'warning',
          };
        },
      },
      limitations,
      notEstimated,
      notReadable,
    );
  },
};

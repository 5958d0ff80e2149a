/**
 * The statements read, written for the columns the server's
 * pg_stat_statements actually has. Column names changed between extension
 * versions, and the version follows the extension (ALTER EXTENSION ...
 * UPDATE), not the server, so the SQL is built from the view's real column
 * list rather than from server_version_num:
 *
 *   1.8  (PostgreSQL 13): total_time split into total_exec_time and
 *        total_plan_time (+ plans, min/max/mean/stddev of both); wal_records,
 *        wal_fpi, wal_bytes.
 *   1.9  (14): toplevel; the pg_stat_statements_info view (dealloc, stats_reset).
 *   1.10 (15, also 16): temp_blk_read_time, temp_blk_write_time; jit_*.
 *   1.11 (17): blk_read_time / blk_write_time renamed shared_blk_read_time /
 *        shared_blk_write_time; local_blk_*_time; jit_deform_*; stats_since,
 *        minmax_stats_since.
 *   1.12 (18): wal_buffers_full, parallel_workers_to_launch / _launched.
 *
 * Each output column is named after the normalised field of
 * src/core/stats/types.ts; a field the view lacks is selected as NULL.
 */
import { tagStatement } from '../../core/stats/ownTag';
import { quoteIdent } from '../../core/health/ident';
import type { CounterName, GaugeName, StatsScope } from '../../core/stats/types';

/** Where and in what shape pg_stat_statements is readable on a server. */
export interface StatementsSource {
  /** The schema the extension was created in. */
  readonly schema: string;
  readonly extensionVersion: string;
  /** The view's columns. */
  readonly columns: ReadonlySet<string>;
  /** pg_stat_statements_info exists (1.9+). */
  readonly hasInfo: boolean;
}

type Source = readonly string[] | { readonly sum: readonly string[] };

/** Candidate columns per field, newest name first; `sum` adds up whichever exist. */
const FIELD_SOURCES: Readonly<Record<CounterName | GaugeName, Source>> = {
  calls: ['calls'],
  totalExecMs: ['total_exec_time', 'total_time'],
  plans: ['plans'],
  totalPlanMs: ['total_plan_time'],
  rows: ['rows'],
  sharedBlksHit: ['shared_blks_hit'],
  sharedBlksRead: ['shared_blks_read'],
  sharedBlksDirtied: ['shared_blks_dirtied'],
  sharedBlksWritten: ['shared_blks_written'],
  localBlksHit: ['local_blks_hit'],
  localBlksRead: ['local_blks_read'],
  tempBlksRead: ['temp_blks_read'],
  tempBlksWritten: ['temp_blks_written'],
  sharedBlkReadMs: ['shared_blk_read_time', 'blk_read_time'],
  sharedBlkWriteMs: ['shared_blk_write_time', 'blk_write_time'],
  tempBlkReadMs: ['temp_blk_read_time'],
  tempBlkWriteMs: ['temp_blk_write_time'],
  walRecords: ['wal_records'],
  walFpi: ['wal_fpi'],
  walBytes: ['wal_bytes'],
  jitFunctions: ['jit_functions'],
  jitMs: { sum: ['jit_generation_time', 'jit_inlining_time', 'jit_optimization_time', 'jit_emission_time', 'jit_deform_time'] },
  minExecMs: ['min_exec_time', 'min_time'],
  maxExecMs: ['max_exec_time', 'max_time'],
  meanExecMs: ['mean_exec_time', 'mean_time'],
  stddevExecMs: ['stddev_exec_time', 'stddev_time'],
};

/** Without these the view is not one this reader understands. */
const REQUIRED = ['userid', 'dbid', 'queryid', 'query', 'calls'];

/** The view's name, schema-qualified. */
export function viewName(source: StatementsSource, view: 'pg_stat_statements' | 'pg_stat_statements_info'): string {
  return `${quoteIdent(source.schema)}.${view}`;
}

/** Columns this reader needs and the view lacks (empty when it can read it). */
export function missingColumns(columns: ReadonlySet<string>): string[] {
  const missing = REQUIRED.filter((c) => !columns.has(c));
  if (!columns.has('total_exec_time') && !columns.has('total_time')) missing.push('total_exec_time');
  return missing;
}

/** The expression for one field, or a typed NULL when the view has none of its columns. */
export function fieldExpression(field: CounterName | GaugeName, columns: ReadonlySet<string>): string {
  const source = FIELD_SOURCES[field];
  if ('sum' in source) {
    const present = source.sum.filter((c) => columns.has(c));
    return present.length === 0 ? 'NULL::float8' : `(${present.map((c) => `s.${c}`).join(' + ')})::float8`;
  }
  const column = source.find((c) => columns.has(c));
  return column === undefined ? 'NULL::float8' : `s.${column}::float8`;
}

/** Every statement of the connected database (scope 'database') or of all databases. */
export function statementsSql(source: StatementsSource, scope: StatsScope): string {
  const has = (c: string) => source.columns.has(c);
  const fields = (Object.keys(FIELD_SOURCES) as (CounterName | GaugeName)[]).map((f) => `${fieldExpression(f, source.columns)} AS "${f}"`);
  const select = [
    's.queryid::text AS queryid',
    's.dbid::int8 AS dbid',
    's.userid::int8 AS userid',
    has('toplevel') ? 's.toplevel' : 'NULL::bool AS toplevel',
    'd.datname AS database',
    'r.rolname AS "user"',
    's.query',
    ...fields,
    has('stats_since') ? 's.stats_since AS "statsSince"' : 'NULL::timestamptz AS "statsSince"',
  ];
  const where = scope === 'database' ? '\nWHERE s.dbid = (SELECT oid FROM pg_catalog.pg_database WHERE datname = pg_catalog.current_database())' : '';
  return tagStatement(`SELECT ${select.join(',\n       ')}
FROM ${viewName(source, 'pg_stat_statements')} s
LEFT JOIN pg_catalog.pg_database d ON d.oid = s.dbid
LEFT JOIN pg_catalog.pg_roles r ON r.oid = s.userid${where}`);
}

/**
 * The moment of the read on the server's clock, the connected database, and
 * pg_stat_statements_info where it exists (14+).
 */
export function snapshotHeadSql(source: StatementsSource): string {
  const info = source.hasInfo
    ? `i.stats_reset AS "statsReset",
       i.dealloc::float8 AS dealloc
FROM ${viewName(source, 'pg_stat_statements_info')} i`
    : `NULL::timestamptz AS "statsReset",
       NULL::float8 AS dealloc`;
  return tagStatement(`SELECT pg_catalog.clock_timestamp() AS "takenAt",
       (SELECT oid FROM pg_catalog.pg_database WHERE datname = pg_catalog.current_database())::int8 AS dbid,
       ${info}`);
}

/**
 * Builders for the stats unit tests: statement rows and snapshots with only
 * the figures a test cares about, and the pg_stat_statements column lists of
 * PostgreSQL 13 to 18 (extension versions 1.8 to 1.12, copied from the
 * extension's upgrade scripts; the db tier checks 15 and 18 against real
 * servers).
 */
import { statementKey } from '../../../src/core/stats/key';
import { COUNTERS, GAUGES, type Counters, type Gauges, type Snapshot, type StatementRow } from '../../../src/core/stats/types';

export const T0 = Date.UTC(2026, 0, 15, 12, 0, 0);
export const MIN = 60_000;

export interface RowSpec {
  readonly id: string | null;
  readonly calls: number;
  readonly totalMs: number;
  readonly query?: string;
  readonly dbid?: number;
  readonly userid?: number;
  readonly toplevel?: boolean;
  readonly counters?: Partial<Record<keyof Counters, number | null>>;
  readonly gauges?: Partial<Record<keyof Gauges, number | null>>;
  readonly statsSince?: number | null;
  readonly entries?: number;
}

export function row(spec: RowSpec): StatementRow {
  const parts = { queryid: spec.id, dbid: spec.dbid ?? 5, userid: spec.userid ?? 10, toplevel: spec.toplevel ?? true };
  const counters = Object.fromEntries(COUNTERS.map((c) => [c, 0])) as Record<keyof Counters, number | null>;
  Object.assign(counters, { calls: spec.calls, totalExecMs: spec.totalMs, rows: spec.calls }, spec.counters ?? {});
  const gauges = Object.fromEntries(GAUGES.map((g) => [g, null])) as Record<keyof Gauges, number | null>;
  Object.assign(gauges, { meanExecMs: spec.calls > 0 ? spec.totalMs / spec.calls : null }, spec.gauges ?? {});
  return {
    key: statementKey(parts),
    ...parts,
    database: 'shop',
    user: 'app',
    query: spec.query ?? `SELECT * FROM t${spec.id ?? 'hidden'} WHERE id = $1`,
    hidden: spec.id === null,
    entries: spec.entries ?? 1,
    counters,
    gauges,
    statsSince: spec.statsSince ?? null,
  };
}

export function snap(takenAt: number, rows: readonly StatementRow[], over: Partial<Snapshot> = {}): Snapshot {
  return { takenAt, scope: 'database', dbid: 5, statsReset: T0 - 60 * MIN, dealloc: 0, rows, ...over };
}

const V18 = [
  'userid', 'dbid', 'toplevel', 'queryid', 'query', 'plans', 'total_plan_time', 'min_plan_time', 'max_plan_time', 'mean_plan_time',
  'stddev_plan_time', 'calls', 'total_exec_time', 'min_exec_time', 'max_exec_time', 'mean_exec_time', 'stddev_exec_time', 'rows',
  'shared_blks_hit', 'shared_blks_read', 'shared_blks_dirtied', 'shared_blks_written', 'local_blks_hit', 'local_blks_read',
  'local_blks_dirtied', 'local_blks_written', 'temp_blks_read', 'temp_blks_written', 'shared_blk_read_time', 'shared_blk_write_time',
  'local_blk_read_time', 'local_blk_write_time', 'temp_blk_read_time', 'temp_blk_write_time', 'wal_records', 'wal_fpi', 'wal_bytes',
  'wal_buffers_full', 'jit_functions', 'jit_generation_time', 'jit_inlining_count', 'jit_inlining_time', 'jit_optimization_count',
  'jit_optimization_time', 'jit_emission_count', 'jit_emission_time', 'jit_deform_count', 'jit_deform_time', 'parallel_workers_to_launch',
  'parallel_workers_launched', 'stats_since', 'minmax_stats_since',
];
const without = (list: string[], ...drop: string[]) => list.filter((c) => !drop.includes(c));
const V17 = without(V18, 'wal_buffers_full', 'parallel_workers_to_launch', 'parallel_workers_launched');
const V15 = [
  ...without(V17, 'shared_blk_read_time', 'shared_blk_write_time', 'local_blk_read_time', 'local_blk_write_time', 'jit_deform_count', 'jit_deform_time', 'stats_since', 'minmax_stats_since').flatMap((c) =>
    c === 'temp_blk_read_time' ? ['blk_read_time', 'blk_write_time', c] : [c],
  ),
];
const V14 = without(V15, 'temp_blk_read_time', 'temp_blk_write_time', 'jit_functions', 'jit_generation_time', 'jit_inlining_count', 'jit_inlining_time', 'jit_optimization_count', 'jit_optimization_time', 'jit_emission_count', 'jit_emission_time');
const V13 = without(V14, 'toplevel');

/** The view's columns, in order, of the extension version each PostgreSQL major ships. */
export const COLUMNS_BY_MAJOR: Readonly<Record<number, { extension: string; columns: readonly string[] }>> = {
  13: { extension: '1.8', columns: V13 },
  14: { extension: '1.9', columns: V14 },
  15: { extension: '1.10', columns: V15 },
  16: { extension: '1.10', columns: V15 },
  17: { extension: '1.11', columns: V17 },
  18: { extension: '1.12', columns: V18 },
};

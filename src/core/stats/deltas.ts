/**
 * Per-statement figures over a window: what each entry did between the
 * window's base snapshot and the newest one, and the ratios the slow query
 * list shows. Times here are execution times; planning is reported apart
 * because it is only tracked with pg_stat_statements.track_planning (off by
 * default), so execution time is the measure comparable across servers.
 *
 * An entry is followed by its key. One missing from the base is new in the
 * window and all its counts belong to it; one whose counters went down was
 * reset on its own or evicted and re-created, and counts from zero again
 * ("restarted"); one missing from the newest snapshot has vanished and is
 * only listed by key.
 */
import { isOwnStatement } from './ownTag';
import { bandOf, DEFAULT_SLOW_THRESHOLDS, type Band, type SlowThresholds } from './thresholds';
import { COUNTERS, type CounterName, type Counters, type Snapshot, type StatementRow } from './types';
import { chooseWindow, resetBetween, type StatsWindow, type WindowChoice } from './windows';

export type DeltaStatus = 'steady' | 'new' | 'restarted';

export interface QueryStat {
  readonly key: string;
  readonly queryid: string | null;
  readonly dbid: number;
  readonly userid: number;
  readonly toplevel: boolean;
  readonly database: string | null;
  readonly user: string | null;
  readonly query: string;
  readonly hidden: boolean;
  readonly entries: number;
  /** One of PG Insight's own statements (see ownTag.ts). */
  readonly own: boolean;
  readonly status: DeltaStatus;
  // Over the window:
  readonly calls: number;
  readonly totalMs: number;
  readonly meanMs: number | null;
  readonly callsPerMin: number | null;
  readonly msPerMin: number | null;
  /** Share of the execution time of all statements in the window, 0–100. */
  readonly pctOfTotal: number | null;
  readonly rows: number | null;
  readonly rowsPerCall: number | null;
  /** Shared buffer hits / (hits + reads), 0–1; null without block access. */
  readonly hitRatio: number | null;
  readonly tempBlksWritten: number | null;
  readonly walBytes: number | null;
  /** Mean planning time per plan; null when planning is not tracked. */
  readonly planMeanMs: number | null;
  readonly band: Band;
  // Over the entry's life (these cannot be subtracted):
  readonly lifetimeCalls: number;
  readonly lifetimeMeanMs: number | null;
  readonly minMs: number | null;
  readonly maxMs: number | null;
  readonly stddevMs: number | null;
}

export interface WindowStats extends Omit<WindowChoice, 'latest' | 'base'> {
  readonly statsReset: number | null;
  readonly dealloc: number | null;
  /** Execution time of all statements in the window, ms. */
  readonly totalMs: number;
  readonly rows: readonly QueryStat[];
  /** Keys in the base snapshot that are gone from the newest (evicted or reset). */
  readonly vanished: readonly string[];
}

export interface DeltaOptions {
  readonly thresholds?: SlowThresholds;
}

/** The figures of every statement over `window`; null before the first snapshot. */
export function windowStats(snapshots: readonly Snapshot[], window: StatsWindow, options: DeltaOptions = {}): WindowStats | null {
  const choice = chooseWindow(snapshots, window);
  if (!choice) return null;
  const { latest, base, ...rest } = choice;
  const before = new Map((base?.rows ?? []).map((r) => [r.key, r]));
  const deltas = latest.rows.map((row) => ({ row, ...intervalDelta(base ? (before.get(row.key) ?? null) : null, row, base !== null) }));
  const totalMs = deltas.reduce((sum, d) => sum + (d.delta.totalExecMs ?? 0), 0);
  const minutes = choice.spanMs !== null && choice.spanMs > 0 ? choice.spanMs / 60_000 : null;
  const thresholds = options.thresholds ?? DEFAULT_SLOW_THRESHOLDS;
  const rows = deltas.map(({ row, delta, status }) => queryStat(row, delta, status, totalMs, minutes, thresholds));
  const current = new Set(latest.rows.map((r) => r.key));
  const vanished = base ? base.rows.filter((r) => !current.has(r.key)).map((r) => r.key) : [];
  return { ...rest, statsReset: latest.statsReset, dealloc: latest.dealloc, totalMs, rows, vanished };
}

/**
 * What one entry did between `previous` and `current`. `hadBase` false means
 * there is nothing to subtract (counting since the reset); a missing
 * previous row with a base means the entry is new.
 */
export function intervalDelta(previous: StatementRow | null, current: StatementRow, hadBase: boolean): { delta: Counters; status: DeltaStatus } {
  if (!hadBase) return { delta: current.counters, status: 'steady' };
  if (!previous) return { delta: current.counters, status: 'new' };
  if (restarted(previous, current)) return { delta: current.counters, status: 'restarted' };
  const delta = {} as Record<CounterName, number | null>;
  for (const c of COUNTERS) {
    const a = previous.counters[c];
    const b = current.counters[c];
    delta[c] = a === null || b === null ? null : Math.max(0, b - a);
  }
  return { delta, status: 'steady' };
}

/** The entry counts from zero again since `previous`: reset alone, or evicted and re-created. */
function restarted(previous: StatementRow, current: StatementRow): boolean {
  if ((current.counters.calls ?? 0) < (previous.counters.calls ?? 0)) return true;
  if ((current.counters.totalExecMs ?? 0) < (previous.counters.totalExecMs ?? 0)) return true;
  if (current.statsSince !== null && previous.statsSince !== null && current.statsSince !== previous.statsSince) return true;
  // Merged hidden entries: one of them went away, so the sums no longer compare.
  return current.entries < previous.entries;
}

/** Interval deltas between two snapshots, as the sparkline needs them. */
export function snapshotDelta(previous: Snapshot, current: Snapshot): Map<string, { delta: Counters; status: DeltaStatus }> {
  const reset = resetBetween(previous, current);
  const before = new Map(previous.rows.map((r) => [r.key, r]));
  const out = new Map<string, { delta: Counters; status: DeltaStatus }>();
  for (const row of current.rows) {
    out.set(row.key, reset ? { delta: row.counters, status: 'restarted' } : intervalDelta(before.get(row.key) ?? null, row, true));
  }
  return out;
}

function queryStat(row: StatementRow, d: Counters, status: DeltaStatus, totalMs: number, minutes: number | null, t: SlowThresholds): QueryStat {
  const calls = d.calls ?? 0;
  const total = d.totalExecMs ?? 0;
  const meanMs = calls > 0 ? total / calls : null;
  const hit = d.sharedBlksHit;
  const read = d.sharedBlksRead;
  const blocks = hit !== null && read !== null ? hit + read : 0;
  const plans = d.plans ?? 0;
  const lifetimeCalls = row.counters.calls ?? 0;
  return {
    key: row.key,
    queryid: row.queryid,
    dbid: row.dbid,
    userid: row.userid,
    toplevel: row.toplevel,
    database: row.database,
    user: row.user,
    query: row.query,
    hidden: row.hidden,
    entries: row.entries,
    own: isOwnStatement(row.query),
    status,
    calls,
    totalMs: total,
    meanMs,
    callsPerMin: minutes === null ? null : calls / minutes,
    msPerMin: minutes === null ? null : total / minutes,
    pctOfTotal: totalMs > 0 ? (100 * total) / totalMs : null,
    rows: d.rows,
    rowsPerCall: calls > 0 && d.rows !== null ? d.rows / calls : null,
    hitRatio: blocks > 0 && hit !== null ? hit / blocks : null,
    tempBlksWritten: d.tempBlksWritten,
    walBytes: d.walBytes,
    planMeanMs: plans > 0 && d.totalPlanMs !== null ? d.totalPlanMs / plans : null,
    band: bandOf(meanMs, t),
    lifetimeCalls,
    lifetimeMeanMs: row.gauges.meanExecMs ?? (lifetimeCalls > 0 && row.counters.totalExecMs !== null ? row.counters.totalExecMs / lifetimeCalls : null),
    minMs: row.gauges.minExecMs,
    maxMs: row.gauges.maxExecMs,
    stddevMs: row.gauges.stddevExecMs,
  };
}

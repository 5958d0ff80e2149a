/**
 * The sparkline of each statement: its mean execution time in each interval
 * between consecutive snapshots, so a statement that got slower shows a
 * rising line even while its lifetime mean hardly moves. A gap (null) is an
 * interval in which the statement did not run or did not exist.
 */
import { snapshotDelta } from './deltas';
import type { Snapshot } from './types';

export interface MeanSeries {
  /** End of each interval (the later snapshot's time), epoch ms. */
  readonly times: readonly number[];
  /** Per statement key, one point per interval. */
  readonly series: ReadonlyMap<string, readonly (number | null)[]>;
}

export interface SeriesOptions {
  /** Most points per line (the newest are kept). Default 30. */
  readonly maxPoints?: number;
  /** Only these statements (default: those in the newest snapshot). */
  readonly keys?: Iterable<string>;
}

export function meanSeries(snapshots: readonly Snapshot[], options: SeriesOptions = {}): MeanSeries {
  const maxPoints = Math.max(1, options.maxPoints ?? 30);
  const used = snapshots.slice(-(maxPoints + 1));
  const keys = [...(options.keys ?? (used[used.length - 1]?.rows.map((r) => r.key) ?? []))];
  const series = new Map<string, (number | null)[]>(keys.map((k) => [k, []]));
  const times: number[] = [];
  for (let i = 1; i < used.length; i++) {
    const previous = used[i - 1];
    const current = used[i];
    if (!previous || !current) continue;
    times.push(current.takenAt);
    const deltas = snapshotDelta(previous, current);
    for (const [key, points] of series) {
      const d = deltas.get(key)?.delta;
      const calls = d?.calls ?? 0;
      points.push(d && calls > 0 && d.totalExecMs !== null ? d.totalExecMs / calls : null);
    }
  }
  return { times, series };
}

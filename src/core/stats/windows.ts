/**
 * Which two moments a window compares. pg_stat_statements only counts up
 * from the last reset, so "the last 5 minutes" is the newest snapshot minus
 * one taken about 5 minutes earlier; "since reset" is the newest snapshot
 * alone. When history is short, or the statistics were reset inside the
 * window, the window shrinks and says so rather than inventing numbers.
 */
import type { Snapshot } from './types';

export type StatsWindow = 'last' | '5m' | '1h' | 'reset';

export const WINDOWS: readonly StatsWindow[] = ['last', '5m', '1h', 'reset'];

const MINUTE = 60_000;

/** Asked length of the timed windows, ms. */
export const WINDOW_MS: Readonly<Record<'5m' | '1h', number>> = { '5m': 5 * MINUTE, '1h': 60 * MINUTE };

export interface WindowChoice {
  readonly window: StatsWindow;
  readonly latest: Snapshot;
  /** The snapshot subtracted; null when counting from the statistics reset. */
  readonly base: Snapshot | null;
  /** Start of the window, epoch ms; null when unknown (no reset time before PostgreSQL 14). */
  readonly fromMs: number | null;
  readonly toMs: number;
  readonly spanMs: number | null;
  /** The window is shorter than asked: not enough history yet, or a reset inside it. */
  readonly shorterThanAsked: boolean;
  /** The statistics were reset after the base snapshot, so the window starts at the reset. */
  readonly resetInWindow: boolean;
}

/** The comparison for `window` over `snapshots` (oldest first); null without any snapshot. */
export function chooseWindow(snapshots: readonly Snapshot[], window: StatsWindow): WindowChoice | null {
  const latest = snapshots[snapshots.length - 1];
  if (!latest) return null;
  const older = snapshots.slice(0, -1);
  let base: Snapshot | null = null;
  let shorter = false;
  if (window === 'last') {
    base = older[older.length - 1] ?? null;
    shorter = base === null;
  } else if (window !== 'reset') {
    const target = latest.takenAt - WINDOW_MS[window];
    base = newestAtOrBefore(older, target) ?? older[0] ?? null;
    shorter = base === null || base.takenAt > target;
  }
  let resetInWindow = false;
  if (base && resetBetween(base, latest)) {
    base = null;
    resetInWindow = true;
    shorter = true;
  }
  const fromMs = base ? base.takenAt : latest.statsReset;
  return {
    window,
    latest,
    base,
    fromMs,
    toMs: latest.takenAt,
    spanMs: fromMs === null ? null : Math.max(0, latest.takenAt - fromMs),
    shorterThanAsked: shorter,
    resetInWindow,
  };
}

/** True when all statistics were reset after `earlier` was taken (known from 14 on). */
export function resetBetween(earlier: Snapshot, later: Snapshot): boolean {
  return later.statsReset !== null && later.statsReset > earlier.takenAt;
}

function newestAtOrBefore(list: readonly Snapshot[], target: number): Snapshot | undefined {
  for (let i = list.length - 1; i >= 0; i--) {
    const s = list[i];
    if (s && s.takenAt <= target) return s;
  }
  return undefined;
}

/** "last 5 min", with a note when the window is shorter than asked. */
export function describeWindow(c: WindowChoice): string {
  const asked = c.window === 'last' ? 'since the last refresh' : c.window === 'reset' ? 'since the statistics were reset' : `last ${c.window === '5m' ? '5 min' : 'hour'}`;
  if (c.window === 'reset' || !c.shorterThanAsked) return asked;
  if (c.resetInWindow) return `${asked} (statistics were reset ${span(c.spanMs)} ago, counting from then)`;
  if (c.base === null) return `${asked} (no earlier snapshot yet: counting since the statistics were reset)`;
  return `${asked} (only ${span(c.spanMs)} of history so far)`;
}

function span(ms: number | null): string {
  if (ms === null) return 'an unknown time';
  if (ms < 90_000) return `${Math.round(ms / 1000)} s`;
  if (ms < 90 * MINUTE) return `${Math.round(ms / MINUTE)} min`;
  return `${(ms / (60 * MINUTE)).toFixed(1)} h`;
}

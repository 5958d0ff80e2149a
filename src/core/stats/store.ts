/**
 * The snapshots behind "now, not lifetime": a bounded, time-ordered list of
 * reads of pg_stat_statements for one scope. It never touches the user's
 * database; the panel keeps it in memory and in workspace storage
 * (storeJson.ts).
 *
 * Windows of 5 minutes and 1 hour need old snapshots, but not every one of
 * them: recent snapshots are all kept, older ones are thinned to one per
 * step, and the oldest are dropped. With the defaults and a refresh every
 * minute that is at most about 30 snapshots, and rows that did not change
 * since the previous snapshot are shared, not copied.
 */
import type { Snapshot, StatementRow } from './types';
import { COUNTERS } from './types';

export interface StoreLimits {
  /** Every snapshot younger than this (relative to the newest) is kept, ms. */
  readonly denseMs: number;
  /** Older snapshots are thinned to the oldest one in each step of this length, ms. */
  readonly stepMs: number;
  /** Snapshots older than this are dropped (the newest two always stay), ms. */
  readonly maxAgeMs: number;
  /** A hard cap on the number of snapshots. */
  readonly maxSnapshots: number;
}

const MINUTE = 60_000;

export const DEFAULT_STORE_LIMITS: StoreLimits = { denseMs: 10 * MINUTE, stepMs: 5 * MINUTE, maxAgeMs: 90 * MINUTE, maxSnapshots: 60 };

/** What `add` did with a snapshot. */
export type AddOutcome = 'added' | 'replaced' | 'restarted';

export class SnapshotStore {
  private list: Snapshot[] = [];

  constructor(readonly limits: StoreLimits = DEFAULT_STORE_LIMITS) {}

  /** Oldest first. */
  get snapshots(): readonly Snapshot[] {
    return this.list;
  }

  get latest(): Snapshot | undefined {
    return this.list[this.list.length - 1];
  }

  /**
   * Adds the newest snapshot. A snapshot of another scope or database, or
   * one older than the newest kept (the server's clock went back, or this is
   * another server), starts a new history: subtracting across them would
   * give nonsense. One taken at the same instant replaces the newest.
   */
  add(snapshot: Snapshot): AddOutcome {
    const last = this.latest;
    if (last && (last.scope !== snapshot.scope || last.dbid !== snapshot.dbid || snapshot.takenAt < last.takenAt)) {
      this.list = [snapshot];
      return 'restarted';
    }
    const shared = last ? shareUnchanged(last, snapshot) : snapshot;
    if (last && snapshot.takenAt === last.takenAt) {
      this.list[this.list.length - 1] = shared;
      return 'replaced';
    }
    this.list.push(shared);
    this.list = thin(this.list, this.limits);
    return 'added';
  }

  clear(): void {
    this.list = [];
  }

  /** Replaces the content with snapshots restored from storage (already ordered and checked). */
  load(snapshots: readonly Snapshot[]): void {
    this.list = [];
    for (const s of snapshots) this.add(s);
  }
}

/**
 * The list after thinning: the newest two and everything within `denseMs`
 * stay; older snapshots keep the oldest one per `stepMs` bucket (so the
 * choice does not change as time passes) up to `maxAgeMs`; then the cap.
 */
export function thin(list: readonly Snapshot[], limits: StoreLimits): Snapshot[] {
  const newest = list[list.length - 1]?.takenAt;
  if (newest === undefined) return [];
  const kept: Snapshot[] = [];
  let lastBucket: number | undefined;
  list.forEach((s, i) => {
    const age = newest - s.takenAt;
    if (i >= list.length - 2 || age <= limits.denseMs) {
      kept.push(s);
      return;
    }
    if (age > limits.maxAgeMs) return;
    const bucket = Math.floor(s.takenAt / Math.max(1, limits.stepMs));
    if (bucket === lastBucket) return;
    lastBucket = bucket;
    kept.push(s);
  });
  const cap = Math.max(2, limits.maxSnapshots);
  return kept.length > cap ? kept.slice(kept.length - cap) : kept;
}

/** The snapshot with each row that did not change since `previous` replaced by the earlier object. */
function shareUnchanged(previous: Snapshot, next: Snapshot): Snapshot {
  const before = new Map(previous.rows.map((r) => [r.key, r]));
  let shared = 0;
  const rows = next.rows.map((r) => {
    const old = before.get(r.key);
    if (old && sameRow(old, r)) {
      shared++;
      return old;
    }
    return r;
  });
  return shared === 0 ? next : { ...next, rows };
}

function sameRow(a: StatementRow, b: StatementRow): boolean {
  if (a.query !== b.query || a.entries !== b.entries || a.statsSince !== b.statsSince) return false;
  if (a.database !== b.database || a.user !== b.user) return false;
  for (const c of COUNTERS) if (a.counters[c] !== b.counters[c]) return false;
  return a.gauges.minExecMs === b.gauges.minExecMs && a.gauges.maxExecMs === b.gauges.maxExecMs && a.gauges.stddevExecMs === b.gauges.stddevExecMs && a.gauges.meanExecMs === b.gauges.meanExecMs;
}

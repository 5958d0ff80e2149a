/**
 * The slow queries panel's data: one snapshot history per connection and
 * scope, kept in memory and in workspace storage (never in the user's
 * database), and the view the page renders from it. Reading the server is
 * left to src/db/stats; this module only decides what to keep and what to
 * send.
 */
import type * as vscode from 'vscode';
import { describeWindow, chooseWindow, historyFromJson, historyToJson, meanSeries, normaliseThresholds, SnapshotStore, windowStats } from '../core/stats';
import type { Snapshot, SlowThresholds, StatsScope, StatsWindow, WindowStats } from '../core/stats';
import type { StatementsView, UnavailableView } from '../shared/slowQueriesProtocol';

const STORAGE_PREFIX = 'pgInsight.slowQueries.history';

/** The settings the panel reads, under pgInsight.slowQueries.* and pgInsight.activity.*. */
export interface SlowQueriesSettings {
  readonly thresholds: SlowThresholds;
  readonly refreshSeconds: number;
  readonly allDatabases: boolean;
  readonly longRunningMs: number;
}

export function readSettings(section: (name: string) => vscode.WorkspaceConfiguration): SlowQueriesSettings {
  const sq = section('pgInsight.slowQueries');
  const activity = section('pgInsight.activity');
  const seconds = sq.get<unknown>('refreshSeconds');
  const longRunning = activity.get<unknown>('longRunningSeconds');
  return {
    thresholds: normaliseThresholds({ warningMs: sq.get('warningMs'), criticalMs: sq.get('criticalMs'), emergencyMs: sq.get('emergencyMs') }),
    // 0 turns auto-refresh off; anything shorter than 5 s would mostly measure the panel itself.
    refreshSeconds: typeof seconds === 'number' && Number.isFinite(seconds) ? (seconds <= 0 ? 0 : Math.max(5, seconds)) : 60,
    allDatabases: sq.get<boolean>('allDatabases') === true,
    longRunningMs: typeof longRunning === 'number' && Number.isFinite(longRunning) && longRunning >= 0 ? longRunning * 1000 : 5_000,
  };
}

/** Histories per connection profile and scope, restored lazily from workspace storage. */
export class SnapshotHistories {
  private readonly stores = new Map<string, SnapshotStore>();
  private readonly listeners = new Set<() => void>();

  constructor(private readonly storage: vscode.Memento) {}

  /** Called after a snapshot was added or the histories cleared (the statement CodeLens follows). */
  onDidChange(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  private changed(): void {
    for (const l of this.listeners) l();
  }

  store(profileId: string, scope: StatsScope): SnapshotStore {
    const key = storageKey(profileId, scope);
    let store = this.stores.get(key);
    if (!store) {
      store = historyFromJson(this.storage.get<unknown>(key)).store;
      this.stores.set(key, store);
    }
    return store;
  }

  /** Adds a snapshot and writes the history back to workspace storage. */
  async add(profileId: string, snapshot: Snapshot): Promise<SnapshotStore> {
    const store = this.store(profileId, snapshot.scope);
    store.add(snapshot);
    await this.storage.update(storageKey(profileId, snapshot.scope), historyToJson(store.snapshots) ?? undefined);
    this.changed();
    return store;
  }

  /** After a reset of the statistics the old history no longer subtracts from the new counts. */
  async clear(profileId: string): Promise<void> {
    for (const scope of ['database', 'all'] as const) {
      this.store(profileId, scope).clear();
      await this.storage.update(storageKey(profileId, scope), undefined);
    }
    this.changed();
  }
}

function storageKey(profileId: string, scope: StatsScope): string {
  return `${STORAGE_PREFIX}:${scope}:${profileId}`;
}

export interface ViewContext {
  readonly window: StatsWindow;
  readonly settings: SlowQueriesSettings;
  readonly allDatabases: boolean;
  readonly database: string;
  readonly canExplain: boolean;
  readonly canFindInCode: boolean;
  readonly notice: UnavailableView | null;
}

/** The figures of the window; null before the first snapshot. */
export function statsOf(store: SnapshotStore, window: StatsWindow, thresholds: SlowThresholds): WindowStats | null {
  return windowStats(store.snapshots, window, { thresholds });
}

/** The page's view of a history; null before the first snapshot. */
export function statementsView(store: SnapshotStore, c: ViewContext): StatementsView | null {
  const stats = statsOf(store, c.window, c.settings.thresholds);
  const choice = chooseWindow(store.snapshots, c.window);
  if (!stats || !choice) return null;
  const series = meanSeries(store.snapshots, { maxPoints: 30 });
  const sparks: Record<string, readonly (number | null)[]> = {};
  for (const [key, points] of series.series) if (points.some((p) => p !== null)) sparks[key] = points;
  return {
    rows: stats.rows,
    sparks,
    window: c.window,
    windowLabel: describeWindow(choice),
    takenAt: choice.toMs,
    statsReset: stats.statsReset,
    dealloc: stats.dealloc,
    snapshotCount: store.snapshots.length,
    allDatabases: c.allDatabases,
    database: c.database,
    thresholds: c.settings.thresholds,
    canExplain: c.canExplain,
    canFindInCode: c.canFindInCode,
    notice: c.notice,
    refreshSeconds: c.settings.refreshSeconds,
  };
}

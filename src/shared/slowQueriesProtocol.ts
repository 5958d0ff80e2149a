/**
 * The messages between the extension host and the slow queries webview,
 * typed on both sides. The host reads the database and computes the
 * window's figures; the page sorts, filters and lays out the rows itself
 * (5,000 of them must stay fast, so no round trip per click) and sends back
 * only what the user asked for.
 *
 * Every string in here that came from the database (statement texts, role
 * and database names, application names) is shown by the page as text,
 * never as markup.
 *
 * Adding a message: add it to the union, to `MESSAGE_FIELDS` (what the host
 * checks before trusting it), and handle it in src/panels/slowQueriesPanel.ts
 * or webview/slow-queries/main.ts.
 */
import type { FixStep } from '../core/stats/availability';
import type { Session } from '../core/stats/activity';
import type { QueryStat } from '../core/stats/deltas';
import { SORT_COLUMNS, type SortColumn } from '../core/stats/table';
import type { SlowThresholds } from '../core/stats/thresholds';
import type { StatsWindow } from '../core/stats/windows';

export type SlowQueriesTab = 'statements' | 'activity';

/** How the page was left; kept with setState so that a reload restores it. */
export interface SlowQueriesUi {
  readonly tab: SlowQueriesTab;
  readonly window: StatsWindow;
  readonly sort: SortColumn;
  readonly descending: boolean;
  readonly text: string;
  readonly minMeanMs: number | null;
  readonly minCalls: number | null;
  readonly allDatabases: boolean;
}

export const DEFAULT_SLOW_QUERIES_UI: SlowQueriesUi = {
  tab: 'statements',
  window: 'reset',
  sort: 'totalMs',
  descending: true,
  text: '',
  minMeanMs: null,
  minCalls: null,
  allDatabases: false,
};

/** Why the statements cannot be shown, and what fixes it (from the availability diagnosis). */
export interface UnavailableView {
  readonly title: string;
  readonly message: string;
  readonly fix: readonly FixStep[];
}

/** The statements over the chosen window. */
export interface StatementsView {
  readonly rows: readonly QueryStat[];
  /** Mean time per interval between consecutive snapshots, per statement key. */
  readonly sparks: Readonly<Record<string, readonly (number | null)[]>>;
  readonly window: StatsWindow;
  /** "last 5 min (only 2 min of history so far)" */
  readonly windowLabel: string;
  /** Time of the newest snapshot (server clock), epoch ms. */
  readonly takenAt: number;
  readonly statsReset: number | null;
  readonly dealloc: number | null;
  readonly snapshotCount: number;
  readonly allDatabases: boolean;
  readonly database: string;
  readonly thresholds: SlowThresholds;
  /** Row actions that are available in this VS Code (the others are hidden). */
  readonly canExplain: boolean;
  readonly canFindInCode: boolean;
  /** Set when the statements are readable but with a limit (other roles' texts hidden). */
  readonly notice: UnavailableView | null;
  readonly refreshSeconds: number;
}

export interface ActivityView {
  readonly sessions: readonly Session[];
  readonly longRunningMs: number;
  readonly takenAt: number;
}

export type SlowQueriesHostMessage =
  | { readonly type: 'statements'; readonly view: StatementsView }
  | { readonly type: 'unavailable'; readonly view: UnavailableView }
  /** No connection, or the read failed: one sentence, and whether picking a connection would help. */
  | { readonly type: 'problem'; readonly message: string; readonly canSelectConnection: boolean }
  | { readonly type: 'activity'; readonly view: ActivityView }
  | { readonly type: 'activityProblem'; readonly message: string }
  | { readonly type: 'busy'; readonly busy: boolean }
  /** Show this statement's row and details (opened from the statement CodeLens in the code). */
  | { readonly type: 'focus'; readonly key: string };

export type SlowQueriesWebviewMessage =
  | { readonly type: 'ready'; readonly ui: SlowQueriesUi }
  | { readonly type: 'refresh' }
  | { readonly type: 'window'; readonly window: StatsWindow }
  | { readonly type: 'scope'; readonly allDatabases: boolean }
  | { readonly type: 'reset' }
  /** Export the rows shown, in the order shown (statement keys). */
  | { readonly type: 'export'; readonly format: 'csv' | 'json'; readonly keys: readonly string[] }
  | { readonly type: 'copy'; readonly key: string }
  | { readonly type: 'explain'; readonly key: string }
  | { readonly type: 'findInCode'; readonly key: string }
  | { readonly type: 'activity' }
  | { readonly type: 'signal'; readonly action: 'cancel' | 'terminate'; readonly pid: number }
  | { readonly type: 'selectConnection' }
  | { readonly type: 'copyText'; readonly text: string };

type Check = (v: Record<string, unknown>) => boolean;
const str = (f: string): Check => (v) => typeof v[f] === 'string';
const WINDOW_NAMES = new Set(['last', '5m', '1h', 'reset']);

const MESSAGE_FIELDS: Readonly<Record<SlowQueriesWebviewMessage['type'], Check>> = {
  ready: (v) => typeof v.ui === 'object' && v.ui !== null,
  refresh: () => true,
  window: (v) => typeof v.window === 'string' && WINDOW_NAMES.has(v.window),
  scope: (v) => typeof v.allDatabases === 'boolean',
  reset: () => true,
  export: (v) => (v.format === 'csv' || v.format === 'json') && Array.isArray(v.keys) && v.keys.every((k) => typeof k === 'string'),
  copy: str('key'),
  explain: str('key'),
  findInCode: str('key'),
  activity: () => true,
  signal: (v) => (v.action === 'cancel' || v.action === 'terminate') && typeof v.pid === 'number' && Number.isInteger(v.pid),
  selectConnection: () => true,
  copyText: str('text'),
};

/** A message from the page, checked: anything malformed is dropped. */
export function isSlowQueriesMessage(value: unknown): value is SlowQueriesWebviewMessage {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  if (typeof v.type !== 'string' || !Object.prototype.hasOwnProperty.call(MESSAGE_FIELDS, v.type)) return false;
  return MESSAGE_FIELDS[v.type as SlowQueriesWebviewMessage['type']](v);
}

/** The page's state as restored by the serializer, made safe: unknown or missing fields take their defaults. */
export function slowQueriesUiOf(state: unknown): SlowQueriesUi {
  const s = (typeof state === 'object' && state !== null ? (state as { ui?: unknown }).ui : undefined) as Partial<Record<keyof SlowQueriesUi, unknown>> | undefined;
  if (!s || typeof s !== 'object') return DEFAULT_SLOW_QUERIES_UI;
  const d = DEFAULT_SLOW_QUERIES_UI;
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : null);
  return {
    tab: s.tab === 'activity' ? 'activity' : 'statements',
    window: typeof s.window === 'string' && WINDOW_NAMES.has(s.window) ? (s.window as StatsWindow) : d.window,
    sort: typeof s.sort === 'string' && (SORT_COLUMNS as readonly string[]).includes(s.sort) ? (s.sort as SortColumn) : d.sort,
    descending: typeof s.descending === 'boolean' ? s.descending : d.descending,
    text: typeof s.text === 'string' ? s.text : '',
    minMeanMs: num(s.minMeanMs),
    minCalls: num(s.minCalls),
    allDatabases: s.allDatabases === true,
  };
}

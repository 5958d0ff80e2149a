/**
 * The messages between the extension host and the plan webview, typed on
 * both sides. The host sends finished view models (every figure already
 * formatted, every name plain text); the webview lays them out and sends
 * back only what the user asked for (copy, open docs, compare, re-run).
 *
 * Adding a message: add it to the union below, handle it in
 * src/panels/planPanel.ts (webview → host) or webview/plan/main.ts
 * (host → webview); `isWebviewMessage` rejects anything else.
 */
import type { PlanViewModel } from '../core/plan';
import type { ViewDetail } from '../core/plan/details';

/** What a panel shows; kept in the webview's state so that the view restores after a reload. */
export type PanelRef =
  | { readonly kind: 'plan'; readonly recordId: string }
  | { readonly kind: 'compare'; readonly beforeId: string; readonly afterId: string };

/** One plan from the history, ready to render. */
export interface PlanPayload {
  readonly kind: 'plan';
  readonly ref: PanelRef;
  /** "EXPLAIN ANALYZE" or "EXPLAIN". */
  readonly title: string;
  /** The statement as explained, `$n` placeholders included. */
  readonly statement: string;
  /** Connection, server, when, options, parameters, round trip. */
  readonly meta: readonly ViewDetail[];
  /** Sentences worth reading before the figures ("ran inside a transaction that was rolled back"). */
  readonly notes: readonly string[];
  readonly view: PlanViewModel;
  /** The plan as psql prints it. */
  readonly text: string;
  /** The FORMAT JSON output, indented. */
  readonly json: string;
  /** Plans of the same statement in the history, this one included. */
  readonly historyCount: number;
}

/** Either side of a comparison. */
export interface CompareSide {
  readonly recordId: string;
  /** "EXPLAIN ANALYZE · 14:03:12" */
  readonly title: string;
  readonly statement: string;
  readonly total: string;
  readonly meta: readonly ViewDetail[];
}

export type CompareChange = 'same' | 'changed' | 'added' | 'removed';

/** One matched (or added, or removed) node of a comparison. */
export interface CompareRow {
  readonly depth: number;
  readonly change: CompareChange;
  readonly label: string;
  /** The first plan's label when the operation changed. */
  readonly beforeLabel?: string;
  /** Own time (or cost), formatted; absent on the side where the node does not exist. */
  readonly before?: string;
  readonly after?: string;
  /** "+1.20 ms", "−30.1 ms", "" when unchanged. */
  readonly delta: string;
  /** -1 better, 0 same, 1 worse. */
  readonly trend: -1 | 0 | 1;
  readonly rowsBefore?: string;
  readonly rowsAfter?: string;
  /** Own measure over the larger of the two totals, 0..1, for bars. */
  readonly beforeBar: number;
  readonly afterBar: number;
}

export interface ComparePayload {
  readonly kind: 'compare';
  readonly ref: PanelRef;
  readonly metric: 'time' | 'cost';
  readonly before: CompareSide;
  readonly after: CompareSide;
  readonly sameStatement: boolean;
  /** "Execution time 120 ms → 3.1 ms (38.7× faster)", then what changed. */
  readonly summary: readonly string[];
  /** -1 the second is better, 0 same, 1 worse. */
  readonly trend: -1 | 0 | 1;
  readonly rows: readonly CompareRow[];
}

/** A restored panel whose plan is no longer in the history. */
export interface MissingPayload {
  readonly kind: 'missing';
  readonly ref: PanelRef;
  readonly message: string;
}

export type PanelPayload = PlanPayload | ComparePayload | MissingPayload;

export type HostMessage = { readonly type: 'show'; readonly payload: PanelPayload };

export type WebviewMessage =
  /** The script is listening; the host answers with `show`. */
  | { readonly type: 'ready' }
  | { readonly type: 'copy'; readonly text: string; readonly what: string }
  /** A tip's "Learn more": a path such as docs/tips/row-misestimate.md. */
  | { readonly type: 'openDocs'; readonly path: string }
  /** Pick another plan from the history and compare it with this one. */
  | { readonly type: 'compare'; readonly recordId: string }
  /** Pick another plan of the same statement from the history. */
  | { readonly type: 'history'; readonly recordId: string }
  /** Explain the same statement again with the same options and values. */
  | { readonly type: 'rerun'; readonly recordId: string }
  /** Open one plan of a comparison on its own. */
  | { readonly type: 'openPlan'; readonly recordId: string };

const STRING_FIELDS: Record<WebviewMessage['type'], readonly string[]> = {
  ready: [],
  copy: ['text', 'what'],
  openDocs: ['path'],
  compare: ['recordId'],
  history: ['recordId'],
  rerun: ['recordId'],
  openPlan: ['recordId'],
};

/** Messages come from a page that renders database text: check their shape before acting. */
export function isWebviewMessage(value: unknown): value is WebviewMessage {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  if (typeof v.type !== 'string' || !Object.prototype.hasOwnProperty.call(STRING_FIELDS, v.type)) return false;
  return STRING_FIELDS[v.type as WebviewMessage['type']].every((f) => typeof v[f] === 'string');
}

/** The state the webview keeps with `setState`; the serializer reads `ref` after a reload. */
export interface WebviewState {
  readonly ref?: PanelRef;
  readonly ui?: unknown;
}

export function panelRefOf(state: unknown): PanelRef | undefined {
  if (typeof state !== 'object' || state === null) return undefined;
  const ref = (state as WebviewState).ref as Record<string, unknown> | undefined;
  if (!ref || typeof ref !== 'object') return undefined;
  if (ref.kind === 'plan' && typeof ref.recordId === 'string') return { kind: 'plan', recordId: ref.recordId };
  if (ref.kind === 'compare' && typeof ref.beforeId === 'string' && typeof ref.afterId === 'string') {
    return { kind: 'compare', beforeId: ref.beforeId, afterId: ref.afterId };
  }
  return undefined;
}

// Index advice: candidate indexes verified against the planner, sent after the
// plan (verification takes a moment) as a message of its own.

/** One verified candidate that helps, every figure formatted. */
export interface IndexAdviceItem {
  readonly name: string;
  /** `orders`, `sales.items` */
  readonly table: string;
  /** What the index serves ("the filter on note"). */
  readonly reason: string;
  /** `CREATE INDEX CONCURRENTLY …;` */
  readonly ddl: string;
  /** "HypoPG" or "built and rolled back" */
  readonly method: string;
  readonly costBefore: string;
  readonly costAfter: string;
  /** "-99.2 %"; for statistics, how far the estimate is off before and after ("385× → 1× off"). */
  readonly costChange: string;
  /** The pill's tooltip when it says something else than the cost's change. */
  readonly costChangeTitle?: string;
  /** Measured times, where EXPLAIN ANALYZE ran with the trial index. */
  readonly timeBefore?: string;
  readonly timeAfter?: string;
  /** An extension the index needs first (`pg_trgm`). */
  readonly extension?: string;
  /** Created on the database from this view. */
  readonly created?: boolean;
  /** 'statistics': extended statistics (or ANALYZE) that fix a row estimate; offered for migrations, not created from the view. */
  readonly kind?: 'index' | 'statistics';
  /** For statistics: the scan's estimated rows before and after, and the actual rows. */
  readonly rowsBefore?: string;
  readonly rowsAfter?: string;
  readonly rowsActual?: string;
}

export interface IndexAdviceView {
  readonly recordId: string;
  /** working: being verified; confirm: found, waiting for the user to allow trial builds; done; unavailable. */
  readonly state: 'working' | 'confirm' | 'done' | 'unavailable';
  /** How the candidates were verified, or why they were not, in a sentence or two. */
  readonly summary: string;
  readonly items: readonly IndexAdviceItem[];
  /** Candidates left out after verification, with the reason. */
  readonly rejected: readonly { readonly name: string; readonly ddl: string; readonly why: string }[];
  /** "Create on this database now" is offered (not on production or read-only connections). */
  readonly canCreate: boolean;
}

export type IndexAdviceMessage = { readonly type: 'indexAdvice'; readonly advice: IndexAdviceView };

export type IndexAdviceRequest =
  /** Verify the candidates by building them in a transaction that is rolled back (after confirmation). */
  | { readonly type: 'indexAdvice.verify'; readonly recordId: string }
  /** Put the candidate's DDL in a new migration file. */
  | { readonly type: 'indexAdvice.migration'; readonly recordId: string; readonly name: string }
  /** Create the index on the connected database now, then explain again and compare. */
  | { readonly type: 'indexAdvice.create'; readonly recordId: string; readonly name: string };

const ADVICE_FIELDS: Record<IndexAdviceRequest['type'], readonly string[]> = {
  'indexAdvice.verify': ['recordId'],
  'indexAdvice.migration': ['recordId', 'name'],
  'indexAdvice.create': ['recordId', 'name'],
};

export function isIndexAdviceRequest(value: unknown): value is IndexAdviceRequest {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  if (typeof v.type !== 'string' || !Object.prototype.hasOwnProperty.call(ADVICE_FIELDS, v.type)) return false;
  return ADVICE_FIELDS[v.type as IndexAdviceRequest['type']].every((f) => typeof v[f] === 'string');
}

export function isIndexAdviceMessage(value: unknown): value is IndexAdviceMessage {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<IndexAdviceMessage>;
  return v.type === 'indexAdvice' && typeof v.advice === 'object' && v.advice !== null && typeof v.advice.recordId === 'string';
}

/**
 * The messages between the extension host and the health report webview.
 * The host sends the report document (every name plain data, set as text by
 * the page); the page sends back what the user asked for. The document also
 * lives in the page's state, so the serializer can show the same report
 * after a window reload without querying the server again.
 */
import type { ReportDocument } from '../core/health/report';

export type ExportFormat = 'markdown' | 'json';

export interface HealthShowMessage {
  readonly type: 'show';
  readonly document: ReportDocument;
  /** The "Scope to this workspace" toggle. */
  readonly scoped: boolean;
  /** A sentence about the scope (how the tables were found), or why it could not apply. */
  readonly scopeNote?: string;
  /** What the page keeps for a reload: the unscoped report and the toggle. */
  readonly state: HealthWebviewState;
}

export type HealthHostMessage = HealthShowMessage;

export type HealthWebviewMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'copy'; readonly text: string; readonly what: string }
  | { readonly type: 'copySummary' }
  | { readonly type: 'export'; readonly format: ExportFormat }
  | { readonly type: 'scope'; readonly scoped: boolean }
  | { readonly type: 'rerun' }
  | { readonly type: 'openDocs'; readonly checkId: string };

/** What the page keeps across reloads: the unscoped report and the toggle. */
export interface HealthWebviewState {
  readonly document: ReportDocument;
  readonly scoped: boolean;
}

const TYPES = new Set(['ready', 'copy', 'copySummary', 'export', 'scope', 'rerun', 'openDocs']);

/** Validates a message from the page: anything malformed is ignored by the host. */
export function isHealthWebviewMessage(m: unknown): m is HealthWebviewMessage {
  if (!m || typeof m !== 'object') return false;
  const o = m as Record<string, unknown>;
  if (typeof o.type !== 'string' || !TYPES.has(o.type)) return false;
  switch (o.type) {
    case 'copy':
      return typeof o.text === 'string' && typeof o.what === 'string';
    case 'export':
      return o.format === 'markdown' || o.format === 'json';
    case 'scope':
      return typeof o.scoped === 'boolean';
    case 'openDocs':
      return typeof o.checkId === 'string' && /^[a-z0-9-]+$/.test(o.checkId);
    default:
      return true;
  }
}

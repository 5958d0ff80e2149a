/**
 * A health report as a document: plain data (no Map, no Date) that the
 * webview shows, its state keeps across reloads, and the exports and the CLI
 * print. The engine's HealthReport carries live objects; this is what leaves
 * the process.
 */
import { versionLabel } from './context';
import { neededPrivileges, resultStatus, statusOf } from './outcome';
import type { HealthReport } from './run';
import { summarize, type ReportSummary } from './summary';
import type { CheckResult, CheckStatus, Finding, RelationRef, Severity } from './types';

export const REPORT_FORMAT = 'pg-insight-health-report';
/** 2: the 'limited' status (and its count in the summary), limitations' `needs`. */
export const REPORT_FORMAT_VERSION = 2;

export interface ReportTarget {
  /** The connection's name as the user knows it (profile name, or the URL without password). */
  readonly connection: string;
  /** Null when the first statement failed and nothing about the server is known. */
  readonly database: string | null;
  /** "18.1", "15.4". */
  readonly serverVersion: string | null;
  readonly inRecovery: boolean | null;
}

/** When the report is limited to the tables a workspace refers to. */
export interface ReportScope {
  /** Tables found in the workspace, `schema.table` or bare `table` when the code names no schema. */
  readonly tables: readonly string[];
  /** Table-level findings left out because their table is not among them. */
  readonly hiddenFindings: number;
}

export interface ReportDocument {
  readonly format: typeof REPORT_FORMAT;
  readonly formatVersion: typeof REPORT_FORMAT_VERSION;
  /** ISO 8601. */
  readonly generatedAt: string;
  readonly durationMs: number;
  readonly target: ReportTarget;
  readonly summary: ReportSummary;
  readonly results: readonly CheckResult[];
  readonly scope?: ReportScope;
}

export function reportDocument(report: HealthReport, connection: string, generatedAt: Date = new Date()): ReportDocument {
  const ctx = report.context;
  // A remediation's trial is for the verification at the edge, not for the reader.
  const results = report.results.map((r) => (r.findings.some((f) => f.remediation?.trial) ? { ...r, findings: r.findings.map(withoutTrial) } : r));
  return {
    format: REPORT_FORMAT,
    formatVersion: REPORT_FORMAT_VERSION,
    generatedAt: generatedAt.toISOString(),
    durationMs: report.durationMs,
    target: {
      connection,
      database: ctx?.database ?? null,
      serverVersion: ctx ? versionLabel(ctx.versionNum) : null,
      inRecovery: ctx?.inRecovery ?? null,
    },
    summary: summarize(results),
    results,
  };
}

function withoutTrial(f: Finding): Finding {
  if (!f.remediation?.trial) return f;
  const { trial: _trial, ...remediation } = f.remediation;
  return { ...f, remediation };
}

/**
 * A document kept by an earlier version (a webview's saved state) in this
 * version's shape: version 1 had no 'limited' status, so its results are as
 * they were and only the summary's counts gain the missing entry.
 */
export function currentDocument(doc: ReportDocument | { readonly formatVersion: number }): ReportDocument {
  const d = doc as ReportDocument;
  if (d.formatVersion === REPORT_FORMAT_VERSION) return d;
  return { ...d, formatVersion: REPORT_FORMAT_VERSION, summary: summarize(d.results) };
}

/** Lower-cased, unquoted name as PostgreSQL folds an unquoted identifier. */
function norm(name: string): string {
  return name.toLowerCase();
}

/** True when `relation` is one of `tables` (a bare name in the list matches any schema). */
export function relationInScope(relation: RelationRef, tables: ReadonlySet<string>): boolean {
  return tables.has(norm(`${relation.schema}.${relation.table}`)) || tables.has(norm(relation.table));
}

/**
 * The document limited to `tables`: findings that name a relation outside
 * the list are dropped and each affected check's status follows its
 * remaining findings. Findings without a relation (settings, sessions, the
 * server) are kept, as are detail tables: they are context, not verdicts.
 */
export function scopeDocument(doc: ReportDocument, tables: readonly string[]): ReportDocument {
  const wanted = new Set(tables.map(norm));
  let hidden = 0;
  const results = doc.results.map((r): CheckResult => {
    if (r.status === 'skipped' || r.status === 'error' || r.findings.length === 0) return r;
    const findings = r.findings.filter((f) => !f.relation || relationInScope(f.relation, wanted));
    if (findings.length === r.findings.length) return r;
    hidden += r.findings.length - findings.length;
    // What the role could not see is not in scope or out of it: a limited check stays limited.
    const status = resultStatus(statusOf(findings), r.limitations);
    const summary = findings.length === 0 ? `Nothing to report for the workspace's tables (${r.findings.length} elsewhere).` : r.summary;
    return { ...r, findings, status, summary };
  });
  return { ...doc, results, summary: summarize(results), scope: { tables: [...tables].sort(), hiddenFindings: hidden } };
}

export type FailOn = Extract<Severity, 'warning' | 'critical'>;

/**
 * True when some check reached `level` (an error counts as a warning, as in
 * the summary). A limited check has reached nothing it could see; the CLI
 * says on standard error that its verdict is partial.
 */
export function thresholdReached(doc: ReportDocument, level: FailOn): boolean {
  const c = doc.summary.counts;
  return level === 'critical' ? c.critical > 0 : c.critical + c.warning + c.error > 0;
}

export const STATUS_LABELS: Readonly<Record<CheckStatus, string>> = {
  critical: 'Critical',
  warning: 'Warning',
  error: 'Error',
  limited: 'Limited',
  info: 'Info',
  ok: 'OK',
  skipped: 'Skipped',
};

/** Display order of the summary counts: what needs attention first. */
export const STATUS_ORDER: readonly CheckStatus[] = ['critical', 'warning', 'error', 'limited', 'info', 'ok', 'skipped'];

/** The limited results and the privileges each lacks, for "limited: needs …" lines. */
export function limitedResults(doc: ReportDocument): { readonly result: CheckResult; readonly needs: readonly string[] }[] {
  return doc.results.filter((r) => r.status === 'limited').map((result) => ({ result, needs: neededPrivileges(result.limitations) }));
}

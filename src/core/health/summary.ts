/**
 * The overview at the top of a report: results counted by status, and the
 * few most important findings first.
 */
import { severityRank } from './outcome';
import type { CheckResult, CheckStatus, Finding } from './types';

export interface ReportSummary {
  readonly counts: Readonly<Record<CheckStatus, number>>;
  /** The worst status of any check ('error' ranks with 'warning', 'limited' between 'info' and 'warning'). */
  readonly worst: CheckStatus;
  readonly topFindings: readonly (Finding & { readonly checkId: string; readonly checkTitle: string })[];
}

export function summarize(results: readonly CheckResult[], topN = 5): ReportSummary {
  const counts: Record<CheckStatus, number> = { ok: 0, info: 0, limited: 0, warning: 0, critical: 0, skipped: 0, error: 0 };
  let worst: CheckStatus = 'ok';
  for (const r of results) {
    counts[r.status]++;
    if (severityRank(r.status) > severityRank(worst)) worst = r.status;
  }
  const all = results.flatMap((r) => r.findings.map((f, i) => ({ f: { ...f, checkId: r.id, checkTitle: r.title }, order: i })));
  const topFindings = all
    .filter(({ f }) => f.severity !== 'info')
    .sort((a, b) => severityRank(b.f.severity) - severityRank(a.f.severity) || a.order - b.order)
    .slice(0, topN)
    .map(({ f }) => f);
  return { counts, worst, topFindings };
}

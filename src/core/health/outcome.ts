/**
 * Small helpers shared by the checks' evaluate functions and the report:
 * ranking severities, deriving a status from findings, and the status a
 * result reports when privileges hid part of what its check judges.
 */
import type { CheckStatus, Finding, Limitation, Severity } from './types';

/** 'limited' ranks above information: not knowing is worth more attention than a remark. */
const RANK: Record<CheckStatus, number> = { ok: 0, skipped: 0, info: 1, limited: 2, warning: 3, error: 3, critical: 4 };

export function severityRank(status: CheckStatus): number {
  return RANK[status];
}

/** The worst severity among the findings, or 'ok' when there are none. */
export function statusOf(findings: readonly Finding[]): 'ok' | Severity {
  let worst: 'ok' | Severity = 'ok';
  for (const f of findings) if (RANK[f.severity] > RANK[worst]) worst = f.severity;
  return worst;
}

/**
 * The status a result reports. A check that found nothing worse than
 * information while a missing privilege hid part of what it judges reports
 * 'limited': OK would claim what it could not see. Findings of a warning or
 * worse keep their status (the limitations are still listed).
 */
export function resultStatus(status: 'ok' | Severity, limitations: readonly Limitation[]): 'ok' | Severity | 'limited' {
  if ((status === 'ok' || status === 'info') && limitations.some((l) => l.needs !== undefined)) return 'limited';
  return status;
}

/** The privileges named by a result's limitations, each once, in order (for "limited: needs …"). */
export function neededPrivileges(limitations: readonly Limitation[]): string[] {
  return [...new Set(limitations.flatMap((l) => (l.needs === undefined ? [] : [l.needs])))];
}

/** Findings ordered worst first, keeping the check's own order within a severity. */
export function worstFirst<T extends { readonly severity: Severity }>(findings: readonly T[]): T[] {
  return findings
    .map((f, i) => ({ f, i }))
    .sort((a, b) => RANK[b.f.severity] - RANK[a.f.severity] || a.i - b.i)
    .map(({ f }) => f);
}

/** The severity reached by `value` against a pair of ascending thresholds, or null below both. */
export function above(value: number, warning: number, critical: number): Severity | null {
  if (value > critical) return 'critical';
  if (value > warning) return 'warning';
  return null;
}

/** The severity reached by `value` against a pair of descending thresholds (lower is worse). */
export function below(value: number, warning: number, critical: number): Severity | null {
  if (value < critical) return 'critical';
  if (value < warning) return 'warning';
  return null;
}

/**
 * Small helpers shared by the checks' evaluate functions: ranking severities
 * and deriving a status from findings.
 */
import type { CheckStatus, Finding, Severity } from './types';

const RANK: Record<CheckStatus, number> = { ok: 0, skipped: 0, info: 1, warning: 2, error: 2, critical: 3 };

export function severityRank(status: CheckStatus): number {
  return RANK[status];
}

/** The worst severity among the findings, or 'ok' when there are none. */
export function statusOf(findings: readonly Finding[]): 'ok' | Severity {
  let worst: 'ok' | Severity = 'ok';
  for (const f of findings) if (RANK[f.severity] > RANK[worst]) worst = f.severity;
  return worst;
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

/**
 * Colour bands of the slow query list, judged on mean execution time over
 * the chosen window (not lifetime, so a statement that got slow this hour
 * shows as slow now).
 */

export interface SlowThresholds {
  readonly warningMs: number;
  readonly criticalMs: number;
  readonly emergencyMs: number;
}

/** The project's seeds: warning at 100 ms, critical at 500 ms, emergency at 1 s. */
export const DEFAULT_SLOW_THRESHOLDS: SlowThresholds = { warningMs: 100, criticalMs: 500, emergencyMs: 1000 };

/** 'none': no calls in the window, so no mean to judge. */
export type Band = 'none' | 'ok' | 'warning' | 'critical' | 'emergency';

export const BANDS: readonly Band[] = ['none', 'ok', 'warning', 'critical', 'emergency'];

/**
 * Thresholds from settings, made usable: a missing, negative or non-numeric
 * value takes its default, and a band never starts below the one before it
 * (a critical threshold set under the warning one is raised to it), so the
 * bands stay ordered whatever the user typed.
 */
export function normaliseThresholds(input: Partial<Record<keyof SlowThresholds, unknown>> = {}): SlowThresholds {
  const value = (v: unknown, fallback: number) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : fallback);
  const warningMs = value(input.warningMs, DEFAULT_SLOW_THRESHOLDS.warningMs);
  const criticalMs = Math.max(warningMs, value(input.criticalMs, DEFAULT_SLOW_THRESHOLDS.criticalMs));
  const emergencyMs = Math.max(criticalMs, value(input.emergencyMs, DEFAULT_SLOW_THRESHOLDS.emergencyMs));
  return { warningMs, criticalMs, emergencyMs };
}

/** The band of a mean time; each threshold is inclusive ("≥ 100 ms" is a warning). */
export function bandOf(meanMs: number | null, t: SlowThresholds = DEFAULT_SLOW_THRESHOLDS): Band {
  if (meanMs === null || !Number.isFinite(meanMs)) return 'none';
  if (meanMs >= t.emergencyMs) return 'emergency';
  if (meanMs >= t.criticalMs) return 'critical';
  if (meanMs >= t.warningMs) return 'warning';
  return 'ok';
}

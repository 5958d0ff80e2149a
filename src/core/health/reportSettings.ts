/**
 * The health report's settings as the extension and the CLI read them:
 * `pgInsight.health.thresholds` (an object of overrides by threshold name)
 * and `pgInsight.health.concurrency`. Anything malformed falls back to the
 * default with a sentence saying so; a typo never turns a check off.
 */
import { DEFAULT_CONCURRENCY } from './run';
import { resolveThresholds, type HealthThresholds } from './thresholds';

export const MAX_CONCURRENCY = 10;

export interface HealthSettings {
  readonly thresholds: HealthThresholds;
  readonly concurrency: number;
  readonly problems: readonly string[];
}

export function healthSettings(raw: { readonly thresholds?: unknown; readonly concurrency?: unknown }): HealthSettings {
  const problems: string[] = [];
  let overrides: Record<string, unknown> = {};
  if (raw.thresholds !== undefined && raw.thresholds !== null) {
    if (typeof raw.thresholds === 'object' && !Array.isArray(raw.thresholds)) overrides = raw.thresholds as Record<string, unknown>;
    else problems.push('Health thresholds must be an object of threshold names and numbers; the defaults are used.');
  }
  const resolved = resolveThresholds(overrides);
  problems.push(...resolved.problems);

  let concurrency = DEFAULT_CONCURRENCY;
  if (raw.concurrency !== undefined && raw.concurrency !== null) {
    const n = raw.concurrency;
    if (typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= MAX_CONCURRENCY) concurrency = n;
    else problems.push(`Health concurrency must be a whole number from 1 to ${MAX_CONCURRENCY}; ${DEFAULT_CONCURRENCY} is used.`);
  }
  return { thresholds: resolved.thresholds, concurrency, problems };
}

/**
 * Fixtures for the health checks' unit tests: an evaluation context and
 * thresholds with overrides, and a helper that finds a finding by object.
 */
import { DEFAULT_THRESHOLDS, type HealthThresholds } from '../../../src/core/health/thresholds';
import type { CheckOutcome, EvaluationContext, Finding, QueryFailure } from '../../../src/core/health/types';

export function ctx(overrides: Partial<Omit<EvaluationContext, 'extensions'>> & { extensions?: Record<string, string>; failures?: Record<string, QueryFailure> } = {}): EvaluationContext {
  const { extensions, ...rest } = overrides;
  return {
    versionNum: 180000,
    database: 'app',
    inRecovery: false,
    privileges: { superuser: true, readAllStats: true, readAllSettings: true, statScanTables: true },
    failures: {},
    ...rest,
    extensions: new Map(Object.entries(extensions ?? {})),
  };
}

export function thresholds(overrides: Partial<HealthThresholds> = {}): HealthThresholds {
  return { ...DEFAULT_THRESHOLDS, ...overrides };
}

export function finding(outcome: CheckOutcome, object: string): Finding {
  const found = outcome.findings.find((f) => f.object === object);
  if (!found) throw new Error(`no finding for ${object}; findings: ${JSON.stringify(outcome.findings.map((f) => f.object))}`);
  return found;
}

export function severities(outcome: CheckOutcome): Record<string, string> {
  return Object.fromEntries(outcome.findings.map((f) => [f.object, f.severity]));
}

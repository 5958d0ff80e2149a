/**
 * The health report's engine: checks, thresholds and the runner. Commands,
 * the webview and the CLI import from here.
 */
export { ALL_CHECKS, checkById } from './registry';
export { runChecks, DEFAULT_CHECK_TIMEOUT_MS, DEFAULT_CONCURRENCY } from './run';
export type { HealthReport, RunChecksOptions } from './run';
export { DEFAULT_THRESHOLDS, THRESHOLD_SPECS, resolveThresholds } from './thresholds';
export type { HealthThresholds, ThresholdName, ThresholdUnit } from './thresholds';
export { neededPrivileges, resultStatus } from './outcome';
export { summarize } from './summary';
export type { ReportSummary } from './summary';
export type * from './types';

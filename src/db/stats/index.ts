/**
 * The slow queries feature's database side: diagnosis of
 * pg_stat_statements, snapshots, reset, and the live activity tab.
 */
export { diagnoseStatements, type StatementsDiagnosis } from './availability';
export { readSnapshot, resetStatements } from './statements';
export { readActivity, signalSession, type ActivityReadOptions, type SignalResult } from './activity';
export type { StatementsSource } from './statementsSql';

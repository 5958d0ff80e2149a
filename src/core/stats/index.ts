/**
 * The slow queries feature's pure side: normalised pg_stat_statements rows,
 * snapshot history, windows and deltas, bands, sparklines, sorting and
 * filtering, export, and the wording of diagnoses and refusals.
 */
export * from './types';
export { statementKey } from './key';
export { INSUFFICIENT_PRIVILEGE, statementRowFrom, statementRowsFrom, statsInfoFrom } from './rows';
export { PG_INSIGHT_TAG, isOwnStatement, tagStatement } from './ownTag';
export { SnapshotStore, DEFAULT_STORE_LIMITS, type StoreLimits, type AddOutcome } from './store';
export { historyToJson, historyFromJson, HISTORY_FORMAT, HISTORY_VERSION, type StoredHistory } from './storeJson';
export { chooseWindow, describeWindow, WINDOWS, WINDOW_MS, type StatsWindow, type WindowChoice } from './windows';
export { windowStats, type QueryStat, type WindowStats, type DeltaStatus } from './deltas';
export { DEFAULT_SLOW_THRESHOLDS, bandOf, normaliseThresholds, BANDS, type Band, type SlowThresholds } from './thresholds';
export { meanSeries, type MeanSeries } from './sparkline';
export { selectRows, SORT_COLUMNS, DEFAULT_ROW_QUERY, type RowQuery, type SortColumn } from './table';
export { toCsv, toJson, csvField, EXPORT_COLUMNS, type ExportColumn } from './export';
export { judgeAvailability, listsLibrary, type Availability, type AvailabilityFacts, type AvailabilityStatus, type FixStep } from './availability';
export { resetRefusedMessage, signalRefusedMessage, resetFunctionSignature, type SignalAction } from './privileges';
export { classifySessions, sessionRowFrom, DEFAULT_LONG_RUNNING_MS, type Session, type SessionKind, type SessionRow } from './activity';

/**
 * CSV and JSON export of the statement list. Statement texts come from the
 * database and may hold anything (quotes, line breaks, markup); they are
 * written as data, quoted per RFC 4180, never interpreted.
 *
 * A spreadsheet, however, runs a cell starting with =, +, -, @ as a formula
 * (CSV injection). By default such text cells get a leading apostrophe,
 * which spreadsheets show as plain text; `guardFormulas: false` writes the
 * text untouched for tools that read CSV as data.
 */
import type { QueryStat, WindowStats } from './deltas';

type Cell = string | number | boolean | null;

export interface ExportColumn {
  readonly header: string;
  readonly value: (r: QueryStat) => Cell;
}

/** Column order of the export; names say the unit. */
export const EXPORT_COLUMNS: readonly ExportColumn[] = [
  { header: 'query', value: (r) => r.query },
  { header: 'queryid', value: (r) => r.queryid },
  { header: 'database', value: (r) => r.database },
  { header: 'user', value: (r) => r.user },
  { header: 'toplevel', value: (r) => r.toplevel },
  { header: 'calls', value: (r) => r.calls },
  { header: 'total_ms', value: (r) => r.totalMs },
  { header: 'mean_ms', value: (r) => r.meanMs },
  { header: 'calls_per_min', value: (r) => r.callsPerMin },
  { header: 'ms_per_min', value: (r) => r.msPerMin },
  { header: 'pct_of_total', value: (r) => r.pctOfTotal },
  { header: 'rows_per_call', value: (r) => r.rowsPerCall },
  { header: 'shared_hit_ratio', value: (r) => r.hitRatio },
  { header: 'temp_blks_written', value: (r) => r.tempBlksWritten },
  { header: 'wal_bytes', value: (r) => r.walBytes },
  { header: 'plan_mean_ms', value: (r) => r.planMeanMs },
  { header: 'band', value: (r) => r.band },
  { header: 'lifetime_calls', value: (r) => r.lifetimeCalls },
  { header: 'lifetime_mean_ms', value: (r) => r.lifetimeMeanMs },
  { header: 'min_ms', value: (r) => r.minMs },
  { header: 'max_ms', value: (r) => r.maxMs },
  { header: 'stddev_ms', value: (r) => r.stddevMs },
];

export interface CsvOptions {
  readonly columns?: readonly ExportColumn[];
  /** Prefix text cells that a spreadsheet would run as a formula (default true). */
  readonly guardFormulas?: boolean;
}

export function toCsv(rows: readonly QueryStat[], options: CsvOptions = {}): string {
  const columns = options.columns ?? EXPORT_COLUMNS;
  const guard = options.guardFormulas ?? true;
  const lines = [columns.map((c) => csvField(c.header, false)).join(',')];
  for (const r of rows) lines.push(columns.map((c) => csvField(c.value(r), guard)).join(','));
  // RFC 4180 ends records with CRLF; line breaks inside quoted fields stay as they were.
  return `${lines.join('\r\n')}\r\n`;
}

/** One CSV field: numbers as they are, text quoted when it must be. */
export function csvField(value: Cell, guardFormulas = true): string {
  if (value === null) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  const text = guardFormulas && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The JSON export: the window it covers and the rows, numbers as numbers. */
export function toJson(stats: Pick<WindowStats, 'window' | 'fromMs' | 'toMs' | 'spanMs' | 'shorterThanAsked' | 'resetInWindow' | 'statsReset'>, rows: readonly QueryStat[]): string {
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  const out = {
    window: stats.window,
    from: iso(stats.fromMs),
    to: iso(stats.toMs),
    spanMs: stats.spanMs,
    shorterThanAsked: stats.shorterThanAsked,
    resetInWindow: stats.resetInWindow,
    statsReset: iso(stats.statsReset),
    rows: rows.map((r) => Object.fromEntries(EXPORT_COLUMNS.map((c) => [c.header, c.value(r)]))),
  };
  return `${JSON.stringify(out, null, 2)}\n`;
}

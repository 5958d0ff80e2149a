/**
 * Sorting and filtering the statement list. The panel holds up to
 * pg_stat_statements.max rows (5,000 by default) and re-sorts on every
 * click, so this stays a single pass to filter and one sort with a cheap
 * comparator; missing values always sort last, whatever the direction.
 */
import type { QueryStat } from './deltas';
import { BANDS } from './thresholds';

export const SORT_COLUMNS = [
  'query',
  'database',
  'user',
  'calls',
  'totalMs',
  'meanMs',
  'minMs',
  'maxMs',
  'stddevMs',
  'callsPerMin',
  'msPerMin',
  'pctOfTotal',
  'rowsPerCall',
  'hitRatio',
  'tempBlksWritten',
  'walBytes',
  'planMeanMs',
  'lifetimeCalls',
  'lifetimeMeanMs',
  'band',
] as const;

export type SortColumn = (typeof SORT_COLUMNS)[number];

export interface RowQuery {
  readonly sort: SortColumn;
  readonly descending: boolean;
  /** Case-insensitive text found in the statement, database or role name. */
  readonly text?: string;
  /** Only statements with at least this mean over the window, ms. */
  readonly minMeanMs?: number;
  /** Only statements called at least this often in the window. */
  readonly minCalls?: number;
  /** Show PG Insight's own statements too (hidden by default). */
  readonly includeOwn?: boolean;
}

/** The slow query list's default: heaviest in total first. */
export const DEFAULT_ROW_QUERY: RowQuery = { sort: 'totalMs', descending: true, minCalls: 1 };

const TEXT_COLUMNS = new Set<SortColumn>(['query', 'database', 'user']);
const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });

export function selectRows(rows: readonly QueryStat[], q: RowQuery): QueryStat[] {
  const needle = q.text?.trim().toLowerCase() ?? '';
  const minMean = q.minMeanMs ?? 0;
  const minCalls = q.minCalls ?? 0;
  const kept = rows.filter((r) => {
    if (!q.includeOwn && r.own) return false;
    if (r.calls < minCalls) return false;
    if (minMean > 0 && (r.meanMs === null || r.meanMs < minMean)) return false;
    if (needle && !matches(r, needle)) return false;
    return true;
  });
  const direction = q.descending ? -1 : 1;
  if (TEXT_COLUMNS.has(q.sort)) {
    const column = q.sort as 'query' | 'database' | 'user';
    return kept.sort((a, b) => compareMissingLast(a[column], b[column], (x, y) => collator.compare(x, y) * direction) || byKey(a, b));
  }
  const value = numericValue(q.sort);
  return kept.sort((a, b) => compareMissingLast(value(a), value(b), (x, y) => (x - y) * direction) || byKey(a, b));
}

/** A stable order among equal values, the same in both directions. */
function byKey(a: QueryStat, b: QueryStat): number {
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

function matches(r: QueryStat, needle: string): boolean {
  return r.query.toLowerCase().includes(needle) || (r.database?.toLowerCase().includes(needle) ?? false) || (r.user?.toLowerCase().includes(needle) ?? false);
}

function numericValue(column: SortColumn): (r: QueryStat) => number | null {
  if (column === 'band') return (r) => BANDS.indexOf(r.band);
  return (r) => r[column as Exclude<SortColumn, 'query' | 'database' | 'user' | 'band'>];
}

function compareMissingLast<T>(a: T | null, b: T | null, compare: (x: T, y: T) => number): number {
  if (a === null) return b === null ? 0 : 1;
  if (b === null) return -1;
  return compare(a, b);
}

/**
 * How many rows a condition keeps, from the planner statistics the live
 * catalog gave (`pg_stats`): the fraction of NULLs, the most common values
 * with their frequencies, and the number of distinct values. Undefined when
 * there are no statistics (offline schemas, never analysed tables), and the
 * callers then fall back to the safe choice.
 */
import type { ColumnInfo } from '../schema/model';
import type { ColumnNeed } from './access';

/** Estimated number of distinct values, or undefined. */
export function distinctValues(column: ColumnInfo | undefined, rows: number | null): number | undefined {
  const d = column?.stats?.distinct;
  if (d === undefined || d === 0) return undefined;
  if (d > 0) return d;
  return rows === null ? undefined : Math.max(1, -d * rows);
}

/** Fraction of rows a comparison with a written constant keeps. */
export function constantSelectivity(need: ColumnNeed, column: ColumnInfo | undefined, rows: number | null): number | undefined {
  const stats = column?.stats;
  const key = need.conjunct?.canonical;
  if (!stats || !key) return undefined;
  if (need.kind === 'null') return key.startsWith('is_null(') ? stats.nullFraction : 1 - stats.nullFraction;
  let value: string | undefined;
  if (need.kind === 'boolean') value = key.startsWith('not(') ? 'f' : 't';
  else if (need.kind === 'equality') value = constantOf(key);
  if (value === undefined) return undefined;
  const at = stats.commonValues.findIndex((v) => v === value || (value === 't' && v === 'true') || (value === 'f' && v === 'false'));
  if (at >= 0) return stats.commonFrequencies[at];
  // Not among the common values: share what the common values leave among the other distinct values.
  const distinct = distinctValues(column, rows);
  const common = stats.commonFrequencies.reduce((a, b) => a + b, 0);
  const others = distinct === undefined ? undefined : distinct - stats.commonValues.length;
  if (others === undefined || others <= 0) return stats.commonValues.length > 0 ? 0 : undefined;
  return Math.max(0, 1 - stats.nullFraction - common) / others;
}

/** Average fraction of rows an equality with a parameter keeps: one distinct value's share. */
export function parameterSelectivity(column: ColumnInfo | undefined, rows: number | null): number | undefined {
  const distinct = distinctValues(column, rows);
  if (distinct === undefined || !column?.stats) return undefined;
  return (1 - column.stats.nullFraction) / distinct;
}

/** The constant of an `col = 'x'` canonical key, as pg_stats prints values (`t`/`f` for booleans). */
function constantOf(canonical: string): string | undefined {
  const m = /,const:([snb]):(.*)\)$/.exec(canonical);
  if (!m) return undefined;
  if (m[1] === 'b') return m[2] === 'true' ? 't' : 'f';
  return m[2];
}

/**
 * Without statistics (a schema read from files), what a column's type alone
 * says: a boolean holds two values and a state column (`enumLike`) a few,
 * one of them usually most rows, so a test on it keeps about half the rows,
 * never worth an index of its own. Undefined for every other column.
 */
export function typeSelectivity(column: ColumnInfo | undefined): number | undefined {
  if (!column || column.stats) return undefined;
  return /^bool(ean)?$/i.test(column.type.trim()) || column.enumLike ? 0.5 : undefined;
}

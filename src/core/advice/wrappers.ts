/**
 * What to do about a column hidden inside an expression. Some wrappings are
 * better rewritten than indexed: arithmetic moves to the value side
 * (`total + 1 = $1` → `total = $1 - 1`), and a day taken from a timestamp
 * (`created_at::date`, `date_trunc('day', created_at)`) becomes a range on
 * the column itself. Others need an expression index (`lower(email)`).
 * An expression index needs an IMMUTABLE expression: casts and date
 * functions on `timestamp with time zone` depend on the TimeZone setting,
 * so PostgreSQL refuses to index them, and only the rewrite remains.
 */
import type { WrappedExpression } from './access';

const DATE_FUNCTIONS = new Set(['date_trunc', 'date', 'extract', 'date_part']);
const DATE_TYPES = /^(date|timestamp|time)\b/;

export type WrapperFix = 'range' | 'arithmetic' | 'expression';

export function wrapperFix(w: Pick<WrappedExpression, 'kind' | 'name'>): WrapperFix {
  if (w.kind === 'arithmetic') return 'arithmetic';
  if (w.kind === 'cast' && DATE_TYPES.test(w.name)) return 'range';
  if (w.kind === 'function' && DATE_FUNCTIONS.has(w.name.toLowerCase())) return 'range';
  return 'expression';
}

/** Whether PostgreSQL would accept an index on this expression of a column of `columnType`. */
export function expressionIndexable(w: Pick<WrappedExpression, 'kind' | 'name'>, columnType: string | undefined): boolean {
  if (wrapperFix(w) !== 'range') return true;
  return !/with time zone/.test(columnType ?? '');
}

/** A range that finds the same rows: a day for a date cast or a day truncation, else the period in general. */
export function rangeExample(w: Pick<WrappedExpression, 'kind' | 'name' | 'text'>, column: string): string {
  const day = (w.kind === 'cast' && w.name === 'date') || /^date_trunc\('day'/.test(w.text);
  return day
    ? `e.g. \`${column} >= $1 AND ${column} < $1 + interval '1 day'\``
    : `from the start of the period to the start of the next: \`${column} >= $1 AND ${column} < $2\``;
}

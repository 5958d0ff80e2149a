/**
 * The index to propose for what a statement asks of a table. Key order
 * follows how a btree is searched: equality columns first (any order finds
 * the same rows), then the range column, then the sort columns — but sort
 * columns only when no range column comes before them, since rows found by
 * a range are no longer in the sort order of the next key. A condition on a
 * written constant (`status = 'pending'`, `deleted_at IS NULL`) becomes the
 * predicate of a partial index when it is selective (or when statistics are
 * missing: a partial index is never larger than the full one). An equality
 * becomes a predicate only on a column known to hold few values (statistics,
 * a boolean, an enum-like column): `payroll_id = 1234` is a sample value on a
 * key column, and an index for that one value serves no other call; a wrapped
 * column becomes an expression key; a pattern with a leading wildcard gets a
 * trigram GIN index instead, which is the only kind that can search it.
 */
import { findColumn, type ColumnInfo, type TableInfo } from '../schema/model';
import { quoteIdent } from '../health/ident';
import type { ColumnNeed, TableAccess, WrappedExpression } from './access';
import { createIndexDdl, indexName, type IndexShape } from './ddl';
import { constantSelectivity, distinctValues } from './selectivity';
import { indexKeyText } from '../schema/expression';
import { wrapperFix } from './wrappers';

export interface IndexProposal extends IndexShape {
  readonly table: TableInfo;
  readonly name: string;
  readonly ddl: string;
  /** An extension the index needs (`CREATE EXTENSION IF NOT EXISTS pg_trgm`). */
  readonly extension?: 'pg_trgm';
  /** The needs the proposal serves, in key order. */
  readonly serves: readonly ColumnNeed[];
}

/** At most this many keys: wider indexes cost more on every write than they save. */
const MAX_KEYS = 4;
/** A constant condition keeping at most this share of rows is worth a partial index. */
export const PARTIAL_SELECTIVITY = 0.2;

export function proposeIndex(access: TableAccess, needs: readonly ColumnNeed[]): IndexProposal | undefined {
  const table = access.table;
  const keys: { text: string; part: string; need: ColumnNeed }[] = [];
  const seen = new Set<string>();
  const add = (need: ColumnNeed) => {
    const e = effective(need);
    const text = keyText(e);
    const id = e.wrapper ? e.wrapper.canonical : e.column;
    if (seen.has(id) || keys.length >= MAX_KEYS) return;
    seen.add(id);
    keys.push({ text, part: e.wrapper ? nameWord(e.wrapper) : e.column, need });
  };
  // Patterns a btree cannot search (leading wildcard, ILIKE) get a trigram index of their own.
  const filters = needs.filter((n) => n.role !== 'order' && !(n.pattern && (n.pattern.leadingWildcard || n.pattern.operator === 'ILIKE')));
  const partial = filters.filter((n) => n.constant && n.conjunct && isPartialCandidate(n, table));
  const keyed = filters.filter((n) => !partial.includes(n));
  // Constant conditions alone: index their columns instead of an index whose predicate is all it knows.
  const usePartial = keyed.length > 0 || needs.some((n) => n.role === 'order');
  const chosen = usePartial ? keyed : filters;
  const isRange = (n: ColumnNeed) => effective(n).kind === 'range' || n.kind === 'pattern';
  const ranges = chosen.filter(isRange);
  chosen.filter((n) => !isRange(n)).forEach(add);
  ranges.slice(0, 1).forEach(add);
  const order = needs.filter((n) => n.role === 'order');
  const firstRange = ranges[0] ? effective(ranges[0]) : undefined;
  if (order.length > 0 && (!firstRange || (order[0]?.column === firstRange.column && !order[0]?.wrapper && !firstRange.wrapper))) {
    for (const o of order) add(o);
  }
  if (keys.length === 0) return undefined;
  const predicate = usePartial && partial.length > 0 ? partial.map((n) => n.conjunct?.text ?? '').join(' AND ') : undefined;
  const shape = { table, method: 'btree' as const, keys: keys.map((k) => k.text), nameParts: keys.map((k) => k.part), ...(predicate ? { predicate } : {}) };
  return finish(shape, keys.map((k) => k.need));
}

/**
 * The need as the index should serve it: a wrapping that is better
 * rewritten (arithmetic, a day taken from a timestamp) indexes the bare
 * column, a day becoming a range on it.
 */
function effective(n: ColumnNeed): ColumnNeed {
  if (!n.wrapper) return n;
  const fix = wrapperFix(n.wrapper);
  if (fix === 'expression') return n;
  const { wrapper: _dropped, ...bare } = n;
  return fix === 'range' && n.role === 'filter' ? { ...bare, kind: 'range' } : bare;
}

/** A trigram GIN index for a pattern with a leading wildcard (`ILIKE '%foo%'`). */
export function trigramProposal(table: TableInfo, need: ColumnNeed): IndexProposal {
  const target = need.wrapper ? indexKeyText(need.wrapper.node) : quoteIdent(need.column);
  const shape = { table, method: 'gin' as const, keys: [`${target} gin_trgm_ops`], nameParts: [need.wrapper ? nameWord(need.wrapper) : need.column, 'trgm'] };
  return { ...finish(shape, [need]), extension: 'pg_trgm' };
}

/** An expression index on exactly what the statement computes. */
export function expressionProposal(table: TableInfo, need: ColumnNeed & { wrapper: WrappedExpression }): IndexProposal {
  const shape = { table, method: 'btree' as const, keys: [indexKeyText(need.wrapper.node)], nameParts: [nameWord(need.wrapper)] };
  return finish(shape, [need]);
}

function finish(shape: IndexShape & { table: TableInfo }, serves: readonly ColumnNeed[]): IndexProposal {
  const name = indexName(shape);
  return { ...shape, name, ddl: createIndexDdl(shape, name), serves };
}

/** A constant on a column with more distinct values than this is a key, never a partial-index predicate. */
export const PREDICATE_MAX_DISTINCT = 1000;

/**
 * Selective (or of unknown selectivity) constant conditions make a partial
 * index; an equality only on a column of few values.
 */
function isPartialCandidate(n: ColumnNeed, table: TableInfo): boolean {
  if (n.wrapper || n.kind === 'range' || n.kind === 'pattern') return false;
  const column = findColumn(table, n.column);
  if (n.kind === 'equality' && !fewValues(column, table.rowEstimate, n)) return false;
  const s = constantSelectivity(n, column, table.rowEstimate);
  return s === undefined || s <= PARTIAL_SELECTIVITY;
}

/**
 * Known from statistics, or from the type when there are none: a number or
 * uuid compared with a constant is an identifier (a sample id pasted into
 * the statement), a text constant is usually a state (`status = 'pending'`).
 */
function fewValues(column: ColumnInfo | undefined, rows: number | null, need: ColumnNeed): boolean {
  if (column?.enumLike || column?.type === 'boolean') return true;
  const distinct = distinctValues(column, rows);
  if (distinct !== undefined) return distinct <= PREDICATE_MAX_DISTINCT;
  // Without the column's type, the constant's own: a number is an identifier.
  if (!column) return !/const:n:/.test(need.conjunct?.canonical ?? '');
  return !IDENTIFIER_TYPE.test(column.type);
}

const IDENTIFIER_TYPE = /^(smallint|integer|bigint|int[248]?|serial[248]?|bigserial|smallserial|numeric|uuid)\b/i;

function keyText(n: ColumnNeed): string {
  const base = n.wrapper ? indexKeyText(n.wrapper.node) : quoteIdent(n.column);
  return n.role === 'order' && n.descending ? `${base} DESC` : base;
}

/** A word for the index name: `lower_email` for `lower(email)`, `created_at_date` for a cast. */
function nameWord(w: WrappedExpression): string {
  const columns = /[a-z_][a-z0-9_]*/gi;
  const words = (w.text.match(columns) ?? []).filter((x) => !/^(text|character|varying)$/i.test(x));
  return words.slice(0, 3).join('_');
}

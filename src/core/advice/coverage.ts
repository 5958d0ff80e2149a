/**
 * Can an existing index serve a need? The planner can use an index to find
 * rows when the index is valid, its partial predicate (if any) is implied by
 * the statement's own AND-ed conditions, and its leading key is the filtered
 * column — or the same expression, for an expression index. A trigram index
 * (pg_trgm) serves LIKE/ILIKE patterns on its column, wherever they start.
 *
 * Deliberately generous: an index that serves any one filter of a table
 * counts as serving the table (the rest is filtered from few rows), because
 * a diagnostic that asks for a second index on a table already reached by
 * one is more often wrong than right.
 */
import type { IndexInfo, IndexKey, TableInfo } from '../schema/model';
import type { ColumnNeed, TableAccess } from './access';

const TRGM = /^(gin|gist)_trgm_ops$/;
const ORDERED = new Set(['btree']);

export function isTrigramKey(key: IndexKey | undefined): boolean {
  return key !== undefined && key.opclass !== undefined && TRGM.test(key.opclass);
}

/** Every conjunct of the index predicate holds for the statement. */
export function predicateHolds(index: IndexInfo, access: TableAccess): boolean {
  return index.predicateConjuncts.every((p) => access.conjuncts.has(p) || impliedNotNull(p, access));
}

/** `x IS NOT NULL` holds when the statement compares `x` with a value (NULL never compares equal or in range). */
function impliedNotNull(conjunct: string, access: TableAccess): boolean {
  const m = /^is_not_null\(col:(.+)\)$/.exec(conjunct);
  if (!m) return false;
  return access.needs.some((n) => n.role !== 'order' && !n.underOr && !n.wrapper && n.column === m[1] && n.kind !== 'null' && n.kind !== 'boolean');
}

export function usable(index: IndexInfo, access: TableAccess): boolean {
  return index.valid && predicateHolds(index, access);
}

/** True when `key` is the need's column (bare) or its expression (wrapped). */
export function keyMatches(key: IndexKey | undefined, need: ColumnNeed): boolean {
  if (!key) return false;
  if (need.wrapper) return key.kind === 'expression' && key.canonical === need.wrapper.canonical;
  return key.kind === 'column' && key.column === need.column;
}

/** The index can find rows for this need through its leading key. */
export function indexServes(index: IndexInfo, need: ColumnNeed, access: TableAccess): boolean {
  if (!usable(index, access)) return false;
  const lead = index.keys[0];
  if (need.kind === 'pattern' && need.pattern) {
    // A trigram index serves any pattern on its column; a btree only a prefix, and only LIKE.
    if (index.keys.some((k) => isTrigramKey(k) && keyMatches(k, need))) return true;
    return ORDERED.has(index.method) && !need.pattern.leadingWildcard && need.pattern.operator === 'LIKE' && keyMatches(lead, need);
  }
  if (!keyMatches(lead, need) || isTrigramKey(lead)) return false;
  switch (index.method) {
    case 'btree':
      return true;
    case 'hash':
      return need.kind === 'equality' || need.role === 'join';
    case 'brin':
      return need.kind === 'range' || need.kind === 'equality';
    default:
      return false;
  }
}

/** The first index that serves the need. */
export function servingIndex(table: TableInfo, need: ColumnNeed, access: TableAccess): IndexInfo | undefined {
  return table.indexes.find((i) => indexServes(i, need, access));
}

/**
 * An index that returns rows already in the ORDER BY order: its keys are the
 * equality columns (any order) followed by the sort columns, all ascending
 * or all reversed.
 */
export function servesOrder(index: IndexInfo, equalities: readonly string[], order: readonly ColumnNeed[], access: TableAccess): boolean {
  if (!ORDERED.has(index.method) || !usable(index, access) || order.length === 0) return false;
  let i = 0;
  const eq = new Set(equalities);
  while (i < index.keys.length && index.keys[i]?.kind === 'column' && eq.has((index.keys[i] as { column: string }).column)) i++;
  let direction: boolean | undefined;
  for (const o of order) {
    const key = index.keys[i++];
    if (!keyMatches(key, o) || !key) return false;
    const reversed = key.descending !== (o.descending ?? false);
    if (direction !== undefined && direction !== reversed) return false;
    direction = reversed;
  }
  return true;
}

/** A plain (column) index of any method leads with `column`: the column counts as indexed. */
export function columnIsIndexed(table: TableInfo, column: string, access: TableAccess): IndexInfo | undefined {
  return table.indexes.find((i) => usable(i, access) && i.keys[0]?.kind === 'column' && i.keys[0].column === column && !isTrigramKey(i.keys[0]));
}

/** Leading columns that cover a foreign key (in any order), as PostgreSQL needs for its checks. */
export function coversColumns(index: IndexInfo, columns: readonly string[]): boolean {
  if (!index.valid || index.predicate !== null || index.keys.length < columns.length) return false;
  const lead = index.keys.slice(0, columns.length);
  return lead.every((k) => k.kind === 'column' && columns.includes(k.column)) && !['gin', 'gist', 'brin'].includes(index.method);
}

/**
 * How one statement (or one ORM call) reaches one table: what it filters,
 * joins and sorts on, resolved against the schema. The index advice and the
 * rules work on this, whether it came from SQL text or from ORM filter keys.
 * Offsets are in whatever text the producer analysed; the rules map them.
 */
import type { FilterKind, PatternInfo } from '../sql/analyze';
import type { RawNode } from '../sql/nodeSpans';
import type { TableInfo } from '../schema/model';

export interface WrappedExpression {
  readonly kind: 'function' | 'cast' | 'arithmetic' | 'coalesce' | 'json';
  /** Function name, target type or operator. */
  readonly name: string;
  readonly node: RawNode;
  /** SQL text of the expression, columns unqualified (`lower(email)`). */
  readonly text: string;
  /** Canonical key, compared with expression index keys. */
  readonly canonical: string;
  readonly start: number;
  readonly end: number;
}

export interface ColumnNeed {
  readonly role: 'filter' | 'join' | 'order';
  readonly kind?: FilterKind;
  readonly column: string;
  readonly start: number;
  readonly end: number;
  /** Under OR or NOT. */
  readonly underOr: boolean;
  /** Compared with a written constant: a candidate partial-index predicate. */
  readonly constant: boolean;
  readonly wrapper?: WrappedExpression;
  readonly pattern?: PatternInfo;
  /** The other side of a join. */
  readonly peer?: { readonly access: number; readonly column: string };
  readonly descending?: boolean;
  /** The predicate as an AND-ed condition of the statement: canonical key and SQL text. */
  readonly conjunct?: { readonly canonical: string; readonly text: string };
}

export interface TableAccess {
  readonly table: TableInfo;
  /** Span of the table reference (or of the ORM call). */
  readonly start: number;
  readonly end: number;
  readonly needs: readonly ColumnNeed[];
  /** Canonical keys of the AND-ed conditions on this table, for partial-index predicates. */
  readonly conjuncts: ReadonlySet<string>;
  /** A LIMIT applies: a sorted index can stop early. */
  readonly limited: boolean;
  /** The optional side of an outer join: its conditions select matches, not the result's rows. */
  readonly optional?: boolean;
  /** Columns the statement returns from this table, when known (a plain select list without `*`). */
  readonly reads?: readonly string[];
}

/** A filter that an index could use to find rows (not under OR, not a pattern nobody can search). */
export function isSearchableFilter(n: ColumnNeed): boolean {
  if (n.role !== 'filter' || n.underOr) return false;
  if (n.kind === 'pattern') return n.pattern !== undefined && n.pattern.constant;
  return true;
}

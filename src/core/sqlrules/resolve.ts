/**
 * Ties a statement's shape to the schema: each table reference to a table
 * the schema knows, each bare column to the innermost table that has it,
 * each wrapped column to its expression's canonical key. Tables the schema
 * does not know (temporary tables, another database's) are left out: the
 * rules say nothing about what they cannot check.
 */
import type { ColumnNeed, TableAccess, WrappedExpression } from '../advice/access';
import { canonical, exprText } from '../schema/expression';
import { findColumn, findTable, type SchemaModel, type TableInfo } from '../schema/model';
import type { ColumnUse, StatementShape } from '../sql/analyze';

export interface ResolvedStatement {
  readonly shape: StatementShape;
  /** One access per table reference the schema knows. */
  readonly accesses: readonly TableAccess[];
  /** The access of the statement's target table (UPDATE/DELETE/MERGE), if known. */
  readonly target?: TableAccess;
}

/**
 * Resolves a shape analysed from text at `base` (offsets in the shape are
 * relative to the analysed statement text).
 */
export function resolveStatement(shape: StatementShape, model: SchemaModel, base = 0): ResolvedStatement {
  const infos: (TableInfo | undefined)[] = shape.tables.map((t) => findTable(model, t.name, t.schema));
  const owner = (use: Pick<ColumnUse, 'tables' | 'column'>): number | undefined => use.tables.find((i) => {
    const info = infos[i];
    return info !== undefined && findColumn(info, use.column) !== undefined;
  });
  const needs = new Map<number, ColumnNeed[]>();
  for (const use of shape.uses) {
    const at = owner(use);
    if (at === undefined) continue;
    const peerAt = use.peer ? owner(use.peer) : undefined;
    if (use.role === 'join' && (use.peer === undefined || peerAt === at)) continue;
    const need: ColumnNeed = {
      role: use.role,
      column: use.column,
      start: base + use.start,
      end: base + use.end,
      underOr: use.underOr,
      constant: use.constant,
      ...(use.kind ? { kind: use.kind } : {}),
      ...(use.pattern ? { pattern: { ...use.pattern, start: base + use.pattern.start, end: base + use.pattern.end } } : {}),
      ...(use.descending !== undefined ? { descending: use.descending } : {}),
      // A join with a CTE or subquery column (no table of the schema) keeps its peer as access -1.
      ...(use.peer ? { peer: { access: peerAt ?? -1, column: use.peer.column } } : {}),
      ...(use.conjunct ? { conjunct: { canonical: canonical(use.conjunct), text: exprText(use.conjunct) } } : {}),
      ...wrapperOf(use, base),
    };
    needs.set(at, [...(needs.get(at) ?? []), need]);
  }
  // What the select list reads from each table, when it is known (no `*`, no aggregate).
  const reads = new Map<number, Set<string>>();
  if (shape.outputs) {
    for (const o of shape.outputs) {
      const at = owner(o);
      if (at !== undefined) reads.set(at, (reads.get(at) ?? new Set()).add(o.column));
    }
  }
  // Peers point at table references; renumber them to positions in the access list.
  const order: number[] = [];
  infos.forEach((info, i) => {
    if (info) order.push(i);
  });
  const position = new Map(order.map((ref, i) => [ref, i]));
  const accesses: TableAccess[] = order.map((ref) => {
    const t = shape.tables[ref];
    const list = (needs.get(ref) ?? []).map((n) => (n.peer ? { ...n, peer: { ...n.peer, access: n.peer.access < 0 ? -1 : position.get(n.peer.access) ?? -1 } } : n));
    return {
      table: infos[ref] as TableInfo,
      start: base + (t?.start ?? 0),
      end: base + (t?.end ?? 0),
      needs: list,
      conjuncts: new Set(list.flatMap((n) => (n.conjunct ? [n.conjunct.canonical] : []))),
      limited: t?.limited ?? false,
      ...(t?.optional ? { optional: true } : {}),
      ...(shape.outputs ? { reads: [...(reads.get(ref) ?? [])] } : {}),
    };
  });
  const target = shape.target !== undefined ? position.get(shape.target) : undefined;
  return { shape, accesses, ...(target !== undefined && accesses[target] ? { target: accesses[target] } : {}) };
}

/** The wrapper with its key and text; none for a cast that changes nothing (`email::text` on a text column). */
function wrapperOf(use: ColumnUse, base: number): { wrapper?: WrappedExpression } {
  const w = use.wrapper;
  if (!w) return {};
  const key = canonical(w.node);
  if (key === `col:${use.column}`) return {};
  return { wrapper: { kind: w.kind, name: w.name, node: w.node, text: exprText(w.node), canonical: key, start: base + w.start, end: base + w.end } };
}

/**
 * Maps plan tips back to the statement's text, so that the editor can show
 * them where the problem was written: a filter tip on the WHERE (or ON)
 * predicate on that column, a join tip on the join condition, a sort spill
 * on the ORDER BY item, a large OFFSET on the OFFSET clause, anything else
 * on the table (its FROM item, alias included).
 *
 * Plan nodes name their table by alias ("o", or the table name when it has
 * none); a table named twice is printed "orders_1" the second time, in the
 * order the statement names it. Conditions are read from the deparsed texts
 * the plan prints ("(o.user_id = u.id)"), columns matched to the column
 * references of the parse tree. When nothing matches, a tip has no range:
 * the plan view still shows it, the editor does not guess.
 *
 * The parser must be loaded (`loadSqlParser()`).
 */
import { parseSql } from '../sql/parser';
import { mapStatement, type ColumnUse, type FromItem, type ListItem, type StatementMap } from '../sql/statementMap';
import type { EnrichedPlan, PlanNode } from './enrich';
import type { Tip } from './tips/types';

export type Anchor = 'predicate' | 'join' | 'sort' | 'group' | 'offset' | 'relation';

export interface TipRange {
  readonly tip: Tip;
  /** UTF-16 offsets in the statement text that was explained. */
  readonly start: number;
  readonly end: number;
  /** What the range is: the tip's predicate, join condition, ... or, failing those, its table. */
  readonly anchor: Anchor;
}

/** How many of the ranked tips go to the editor: the plan view has the rest. */
export const EDITOR_TIP_LIMIT = 3;

/** Ranges for the first `limit` tips (in the order given) that map onto the text. */
export function locateTips(sql: string, plan: EnrichedPlan, tips: readonly Tip[], limit = EDITOR_TIP_LIMIT): TipRange[] {
  const parsed = parseSql(sql);
  if (!parsed.ok || parsed.statements.length !== 1) return [];
  const map = mapStatement(sql, parsed.statements[0]!.node);
  const out: TipRange[] = [];
  for (const tip of tips) {
    if (out.length >= limit) break;
    const node = tip.nodeId === null ? undefined : plan.nodes[tip.nodeId];
    const range = node ? locateNode(map, plan, node, tip.id) : undefined;
    if (range) out.push({ tip, ...range });
  }
  return out;
}

type Located = { start: number; end: number; anchor: Anchor };

function locateNode(map: StatementMap, plan: EnrichedPlan, node: PlanNode, tipId: string): Located | undefined {
  const own = itemOfNode(map, node);
  if (own) {
    // Scan tips: the predicate the node filters on; a lossy bitmap is about its recheck.
    const order = tipId === 'lossy-bitmap' ? ['Recheck Cond', 'Filter', 'Index Cond'] : ['Filter', 'Index Cond', 'Recheck Cond'];
    for (const key of order) {
      // Only the node's own columns: in a correlated subquery, `o.user_id = u.id` filters o, not u.
      const refs = conditionRefs(map, condition(node, key), own).filter((r) => r.item === own);
      const found = predicateRange(map, refs, 'predicate');
      if (found) return found;
    }
    return { start: own.start, end: own.end, anchor: 'relation' };
  }
  const joinNode = node.nodeType === 'Hash' && node.parentId !== null ? plan.nodes[node.parentId]! : node;
  if (/Join|Nested Loop/.test(joinNode.nodeType)) {
    const found = predicateRange(map, joinRefs(map, plan, joinNode), 'join');
    if (found) return found;
  }
  if (node.nodeType === 'Limit') {
    const found = tipId === 'large-offset' ? map.offsets[0] : map.limits[0] ?? map.offsets[0];
    if (found) return { start: found.start, end: found.end, anchor: 'offset' };
  }
  const sortKeys = node.raw['Sort Key'];
  if (sortKeys) {
    const found = listRange(map.sortItems, refsOf(map, sortKeys, undefined), 'sort');
    if (found) return found;
  }
  // A sort that feeds a GroupAggregate sorts by the GROUP BY items.
  const groupKeys = node.raw['Group Key'] ?? sortKeys;
  if (groupKeys) {
    const found = listRange(map.groupItems, refsOf(map, groupKeys, undefined), 'group');
    if (found) return found;
  }
  // Nodes above the scans (Gather, Aggregate, Materialize, ...): the table they read.
  for (const id of descendants(plan, node)) {
    const item = itemOfNode(map, plan.nodes[id]!);
    if (item) return { start: item.start, end: item.end, anchor: 'relation' };
  }
  return undefined;
}

function condition(node: PlanNode, key: string): string | undefined {
  const v = (node.raw as Record<string, unknown>)[key];
  return typeof v === 'string' ? v : undefined;
}

/** The FROM item a plan node reads, by the alias the plan prints. */
export function itemOfNode(map: StatementMap, node: PlanNode): FromItem | undefined {
  const alias = node.relation?.alias ?? node.raw.Alias;
  const name = node.relation?.name ?? node.raw['CTE Name'];
  if (alias === undefined && name === undefined) return undefined;
  return itemByPlanName(map, alias ?? name!, name);
}

function itemByPlanName(map: StatementMap, planName: string, relname?: string): FromItem | undefined {
  const named = map.items.filter((i) => i.refName === planName && (relname === undefined || i.relname === relname));
  if (named.length > 0) return named[0];
  // "orders_1": the second FROM item that the statement calls "orders".
  const m = /^(.*)_(\d+)$/.exec(planName);
  if (m) {
    const same = map.items.filter((i) => i.refName === m[1] && (relname === undefined || i.relname === relname));
    if (same.length > 0) return same[Number(m[2])] ?? same[same.length - 1];
  }
  return map.items.find((i) => i.relname === (relname ?? planName));
}

interface PlanRef {
  readonly item?: FromItem;
  readonly column: string;
}

/** Column references of a plan condition, each tied to its FROM item (unqualified: the node's own). */
function conditionRefs(map: StatementMap, text: string | undefined, own: FromItem | undefined): PlanRef[] {
  return text ? refsOf(map, [text], own) : [];
}

function refsOf(map: StatementMap, texts: readonly string[], own: FromItem | undefined): PlanRef[] {
  return texts.flatMap((t) => planColumns(t)).map((c) => ({
    column: c.column,
    item: c.qualifier !== undefined ? itemByPlanName(map, c.qualifier) : own,
  }));
}

/** The join's conditions; for a nested loop also the inner index condition that carries the join. */
function joinRefs(map: StatementMap, plan: EnrichedPlan, join: PlanNode): PlanRef[] {
  const texts = ['Hash Cond', 'Merge Cond', 'Join Filter'].map((k) => condition(join, k)).filter((t): t is string => t !== undefined);
  if (join.nodeType === 'Nested Loop') {
    for (const id of descendants(plan, join)) {
      const n = plan.nodes[id]!;
      for (const key of ['Index Cond', 'Recheck Cond', 'Filter']) {
        const t = condition(n, key);
        if (!t) continue;
        // Only conditions that name two tables join them.
        const refs = conditionRefs(map, t, itemOfNode(map, n));
        if (new Set(refs.map((r) => r.item?.id)).size >= 2) texts.push(t);
      }
    }
  }
  return texts.flatMap((t) => refsOf(map, [t], undefined));
}

/** Whether a column of the statement is the plan's column. */
function same(use: ColumnUse, ref: PlanRef): boolean {
  if (use.column !== ref.column) return false;
  if (!ref.item) return use.items.length <= 1;
  return use.items.some((i) => i.id === ref.item!.id);
}

/**
 * The conjuncts that use the plan's columns, as one range when they sit in
 * the same clause (`city = 'x' AND zip = 'y'`). For a join, conjuncts naming
 * two tables come first; for a filter, conjuncts on one table.
 */
function predicateRange(map: StatementMap, refs: readonly PlanRef[], anchor: 'predicate' | 'join'): Located | undefined {
  if (refs.length === 0) return undefined;
  const scored = map.conjuncts
    .map((c) => {
      const hits = c.columns.filter((u) => refs.some((r) => same(u, r))).length;
      const tables = new Set(c.columns.flatMap((u) => (u.items.length === 1 ? [u.items[0]!.id] : []))).size;
      const shapeFits = anchor === 'join' ? tables >= 2 : tables <= 1;
      return { c, hits, shapeFits };
    })
    .filter((s) => s.hits > 0);
  if (scored.length === 0) return undefined;
  const fitting = scored.some((s) => s.shapeFits) ? scored.filter((s) => s.shapeFits) : scored;
  const best = fitting.reduce((a, b) => (b.hits > a.hits ? b : a));
  const together = fitting.filter((s) => s.c.block === best.c.block && s.c.clause === best.c.clause);
  return { start: Math.min(...together.map((s) => s.c.start)), end: Math.max(...together.map((s) => s.c.end)), anchor };
}

function listRange(list: readonly ListItem[], refs: readonly PlanRef[], anchor: 'sort' | 'group'): Located | undefined {
  if (list.length === 0) return undefined;
  const hits = list.filter((l) => l.columns.some((u) => refs.some((r) => same(u, r))));
  // A key PostgreSQL prints as an expression of an output alias (ORDER BY total) matches no
  // column: when the statement has one such list, it is the one.
  const chosen = hits.length > 0 ? hits : new Set(list.map((l) => l.block)).size === 1 ? list : [];
  if (chosen.length === 0) return undefined;
  return { start: Math.min(...chosen.map((l) => l.start)), end: Math.max(...chosen.map((l) => l.end)), anchor };
}

function descendants(plan: EnrichedPlan, node: PlanNode): number[] {
  const out: number[] = [];
  const stack = [...node.childIds].reverse();
  while (stack.length > 0) {
    const id = stack.pop()!;
    out.push(id);
    stack.push(...[...plan.nodes[id]!.childIds].reverse());
  }
  return out;
}

const KEYWORDS = new Set([
  'and', 'or', 'not', 'null', 'true', 'false', 'is', 'in', 'any', 'all', 'some', 'case', 'when', 'then', 'else', 'end',
  'like', 'ilike', 'between', 'distinct', 'from', 'array', 'row', 'asc', 'desc', 'nulls', 'first', 'last', 'using',
  'initplan', 'subplan', 'col1', 'hashed', 'exists', 'collate',
]);
const NAME = String.raw`(?:"(?:[^"]|"")+"|[A-Za-z_\u0080-\uffff][A-Za-z0-9_$\u0080-\uffff]*)`;
const REF = new RegExp(`(::\\s*)?(${NAME})(?:\\.(${NAME}))?(\\s*\\()?`, 'g');

/**
 * Every column reference in a condition as the plan prints it, both sides of
 * a comparison: `(o.user_id = u.id)` → o.user_id, u.id. String literals,
 * function names and type names are skipped.
 */
export function planColumns(text: string): Array<{ qualifier?: string; column: string }> {
  const bare = text.replace(/'(?:[^']|'')*'/g, "''");
  const out: Array<{ qualifier?: string; column: string }> = [];
  for (const m of bare.matchAll(REF)) {
    if (m[1] || m[4]) continue; // a type after ::, or a function call
    const before = bare[m.index - 1];
    if (before === '.' || (before !== undefined && /[\d$]/.test(before))) continue;
    const first = unquote(m[2]!);
    const second = m[3] !== undefined ? unquote(m[3]) : undefined;
    if (second === undefined && KEYWORDS.has(first.toLowerCase()) && !m[2]!.startsWith('"')) continue;
    out.push(second === undefined ? { column: first } : { qualifier: first, column: second });
  }
  return out;
}

function unquote(name: string): string {
  return name.startsWith('"') ? name.slice(1, -1).replace(/""/g, '"') : name;
}

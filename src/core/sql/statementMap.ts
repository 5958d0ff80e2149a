/**
 * The parts of one parsed statement that other features point at, with
 * UTF-16 spans in the statement's text: the FROM items (tables, CTE
 * references, with their aliases), the predicates (each conjunct of a WHERE,
 * ON or HAVING clause), the ORDER BY and GROUP BY items, and LIMIT/OFFSET.
 * Plan tips use it to find the text a plan node came from; parameter
 * sampling uses it to find the column a `$n` is compared to.
 *
 * Scopes: every SELECT, INSERT, UPDATE and DELETE (subqueries and CTEs
 * included) is a block; a column reference resolves to the FROM items of its
 * block, then of the enclosing blocks, as PostgreSQL resolves correlated
 * references.
 */
import { NodeSpans, stringList, type RawNode } from './nodeSpans';

/**
 * `{ Kind: body }` → `[Kind, body]`. Node kinds start with a capital letter:
 * a field object with one key (`{ ctes: [...] }`) is not a node.
 */
function unwrapNode(value: unknown): [string, RawNode] | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const keys = Object.keys(value);
  if (keys.length !== 1 || !/^[A-Z]/.test(keys[0]!)) return undefined;
  const body = (value as RawNode)[keys[0]!];
  return [keys[0]!, body && typeof body === 'object' && !Array.isArray(body) ? (body as RawNode) : {}];
}

export interface FromItem {
  readonly id: number;
  readonly block: number;
  readonly schema?: string;
  readonly relname: string;
  readonly alias?: string;
  /** The name the statement refers to it by: the alias, else the table name. */
  readonly refName: string;
  /** `schema.name [AS] alias`. */
  readonly start: number;
  readonly end: number;
}

export interface ColumnUse {
  readonly qualifier?: string;
  readonly column: string;
  /** The FROM items it can belong to: one when resolved, several when unqualified in a join. */
  readonly items: readonly FromItem[];
}

export type ClauseKind = 'where' | 'on' | 'having';

export interface Conjunct {
  readonly clause: ClauseKind;
  readonly block: number;
  readonly node: unknown;
  readonly start: number;
  readonly end: number;
  readonly columns: readonly ColumnUse[];
}

/** An ORDER BY or GROUP BY item. */
export interface ListItem {
  readonly block: number;
  readonly start: number;
  readonly end: number;
  readonly columns: readonly ColumnUse[];
}

export interface StatementMap {
  readonly items: readonly FromItem[];
  readonly conjuncts: readonly Conjunct[];
  readonly sortItems: readonly ListItem[];
  readonly groupItems: readonly ListItem[];
  /** `OFFSET n` and `LIMIT n`, keyword included, per block. */
  readonly offsets: readonly ListItem[];
  readonly limits: readonly ListItem[];
  /** Every block's parent (-1 for the top). */
  readonly parents: readonly number[];
  readonly spans: NodeSpans;
  /** Resolves a column reference of `block` (`fields` as the parser gives them). */
  resolve(fields: readonly string[], block: number): ColumnUse | undefined;
}

const BLOCKS = new Set(['SelectStmt', 'InsertStmt', 'UpdateStmt', 'DeleteStmt']);

/** Builds the map of `node`, a statement parsed from `text` (locations relative to `text`). */
export function mapStatement(text: string, node: unknown): StatementMap {
  const spans = new NodeSpans(text);
  const items: FromItem[] = [];
  const parents: number[] = [];
  const pending: Array<{ clause: ClauseKind; block: number; node: unknown }> = [];
  const lists: Array<{ kind: 'sort' | 'group' | 'offset' | 'limit'; block: number; node: unknown }> = [];

  const addRangeVar = (body: RawNode, block: number) => {
    const relname = typeof body.relname === 'string' ? body.relname : '';
    if (!relname || typeof body.location !== 'number') return;
    const alias = (body.alias as RawNode | undefined)?.aliasname;
    const start = spans.offset(body.location);
    // The name is an identifier chain: NodeSpans measures it as it measures a column reference.
    let end = spans.end({ ColumnRef: { location: body.location } });
    if (typeof alias === 'string') end = aliasEnd(text, end, alias) ?? end;
    items.push({
      id: items.length, block, relname, start, end,
      schema: typeof body.schemaname === 'string' ? body.schemaname : undefined,
      alias: typeof alias === 'string' ? alias : undefined,
      refName: typeof alias === 'string' ? alias : relname,
    });
  };

  const visit = (value: unknown, block: number): void => {
    if (Array.isArray(value)) {
      for (const v of value) visit(v, block);
      return;
    }
    const u = unwrapNode(value);
    if (!u) {
      if (value && typeof value === 'object') for (const v of Object.values(value)) visit(v, block);
      return;
    }
    const [kind, body] = u;
    if (kind === 'RangeVar') return addRangeVar(body, block);
    if (BLOCKS.has(kind)) {
      const inner = parents.length;
      parents.push(block);
      // Target relations of INSERT/UPDATE/DELETE come unwrapped.
      if (kind !== 'SelectStmt' && body.relation && typeof body.relation === 'object') addRangeVar(body.relation as RawNode, inner);
      // WITH comes first, so that the statement's own items follow its CTEs' items, in text order.
      visit(body.withClause, inner);
      for (const key of ['fromClause', 'usingClause']) visit(body[key], inner);
      if (body.whereClause) pending.push({ clause: 'where', block: inner, node: body.whereClause });
      if (body.havingClause) pending.push({ clause: 'having', block: inner, node: body.havingClause });
      for (const s of asArray(body.sortClause)) lists.push({ kind: 'sort', block: inner, node: s });
      for (const g of asArray(body.groupClause)) lists.push({ kind: 'group', block: inner, node: g });
      if (body.limitOffset) lists.push({ kind: 'offset', block: inner, node: body.limitOffset });
      if (body.limitCount) lists.push({ kind: 'limit', block: inner, node: body.limitCount });
      for (const [key, v] of Object.entries(body)) {
        if (key === 'relation' || key === 'withClause' || key === 'fromClause' || key === 'usingClause') continue;
        visit(v, inner);
      }
      return;
    }
    if (kind === 'JoinExpr') {
      visit(body.larg, block);
      visit(body.rarg, block);
      if (body.quals) pending.push({ clause: 'on', block, node: body.quals });
      visit(body.quals, block);
      return;
    }
    for (const v of Object.values(body)) visit(v, block);
  };
  visit(node, -1);

  const resolve = (fields: readonly string[], block: number): ColumnUse | undefined => {
    const names = fields.filter((f) => f !== '');
    const column = names[names.length - 1];
    if (!column || column === '*') return undefined;
    const qualifier = names.length >= 2 ? names[names.length - 2] : undefined;
    for (let b = block; b >= 0; b = parents[b] ?? -1) {
      const here = items.filter((i) => i.block === b);
      if (qualifier !== undefined) {
        const match = here.filter((i) => i.refName === qualifier || (i.alias === undefined && i.relname === qualifier));
        if (match.length > 0) return { qualifier, column, items: match.slice(0, 1) };
      } else if (here.length > 0) return { column, items: here };
    }
    return { qualifier, column, items: [] };
  };

  const columnsOf = (n: unknown, block: number): ColumnUse[] => {
    const out: ColumnUse[] = [];
    const walk = (v: unknown) => {
      if (Array.isArray(v)) return v.forEach(walk);
      const u = unwrapNode(v);
      if (!u) {
        if (v && typeof v === 'object') Object.values(v).forEach(walk);
        return;
      }
      if (BLOCKS.has(u[0])) return; // a subquery's columns belong to its own block
      if (u[0] === 'ColumnRef') {
        const use = resolve(stringList(u[1].fields), block);
        if (use) out.push(use);
        return;
      }
      Object.values(u[1]).forEach(walk);
    };
    walk(n);
    return out;
  };

  const conjuncts: Conjunct[] = pending.flatMap((p) =>
    splitAnd(p.node).map((c) => {
      const [start, end] = exprSpan(spans, text, c);
      return { clause: p.clause, block: p.block, node: c, start, end, columns: columnsOf(c, p.block) };
    }),
  );
  const listOf = (kind: 'sort' | 'group' | 'offset' | 'limit'): ListItem[] =>
    lists.filter((l) => l.kind === kind).map((l) => {
      // A SortBy wraps its expression and has no location of its own.
      const sortBy = unwrapNode(l.node);
      const expr = sortBy?.[0] === 'SortBy' ? sortBy[1].node : l.node;
      let [start, end] = exprSpan(spans, text, expr);
      if (sortBy?.[0] === 'SortBy') end = sortDirectionEnd(text, end);
      if (kind === 'offset' || kind === 'limit') start = keywordStart(text, start, kind);
      return { block: l.block, start, end, columns: columnsOf(expr, l.block) };
    });
  conjuncts.sort((a, b) => a.start - b.start);
  return {
    items, conjuncts, parents, spans, resolve,
    sortItems: listOf('sort'), groupItems: listOf('group'), offsets: listOf('offset'), limits: listOf('limit'),
  };
}

function asArray(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

/** The conjuncts of an expression: the arguments of top-level ANDs, recursively. */
export function splitAnd(node: unknown): unknown[] {
  const u = unwrapNode(node);
  if (u && u[0] === 'BoolExpr' && u[1].boolop === 'AND_EXPR' && Array.isArray(u[1].args)) return u[1].args.flatMap(splitAnd);
  return [node];
}

/**
 * Start and end of an expression. NodeSpans measures the common kinds; a
 * subquery or an IN list ends at the parenthesis that balances the ones
 * opened inside the expression, so the end is pushed until they balance.
 */
export function exprSpan(spans: NodeSpans, text: string, node: unknown): [number, number] {
  const start = spans.start(node);
  let end = Math.max(start, deepEnd(spans, node));
  let depth = 0;
  let i = start;
  while (i < text.length && (i < end || depth > 0)) {
    const c = text[i]!;
    if (c === "'" || c === '"') {
      const close = text.indexOf(c, i + 1);
      i = close < 0 ? text.length : close + 1;
      continue;
    }
    if (c === '(') depth++;
    else if (c === ')') {
      if (depth === 0) break; // closes something outside the expression
      depth--;
    }
    i++;
  }
  end = Math.max(end, i);
  return [start, end];
}

/** The furthest end NodeSpans finds for the node or any node inside it. */
function deepEnd(spans: NodeSpans, node: unknown): number {
  let end = spans.end(node);
  const walk = (v: unknown) => {
    if (Array.isArray(v)) return v.forEach(walk);
    const u = unwrapNode(v);
    if (!u) {
      if (v && typeof v === 'object') Object.values(v).forEach(walk);
      return;
    }
    if (typeof u[1].location === 'number' && u[1].location >= 0) end = Math.max(end, spans.end(v));
    Object.values(u[1]).forEach(walk);
  };
  walk(node);
  return end;
}

const IDENT = /^\s+(?:AS\s+)?("(?:[^"]|"")*"|[A-Za-z_\u0080-\uffff][A-Za-z0-9_$\u0080-\uffff]*)/i;

/** The end of `[AS] alias` after a table name, when the alias is there as the parser saw it. */
function aliasEnd(text: string, at: number, alias: string): number | undefined {
  const m = IDENT.exec(text.slice(at, at + 200 + alias.length * 2));
  if (!m) return undefined;
  const word = m[1]!;
  const name = word.startsWith('"') ? word.slice(1, -1).replace(/""/g, '"') : word.toLowerCase();
  return name === alias ? at + m[0].length : undefined;
}

function sortDirectionEnd(text: string, at: number): number {
  const m = /^\s+(?:ASC|DESC)\b(?:\s+NULLS\s+(?:FIRST|LAST)\b)?|^\s+NULLS\s+(?:FIRST|LAST)\b/i.exec(text.slice(at, at + 40));
  return m ? at + m[0].length : at;
}

/** Moves a LIMIT/OFFSET value's start back over its keyword. */
function keywordStart(text: string, at: number, keyword: string): number {
  const m = new RegExp(`${keyword}\\s*(?:\\(\\s*)?$`, 'i').exec(text.slice(Math.max(0, at - 40), at));
  return m ? at - m[0].length : at;
}

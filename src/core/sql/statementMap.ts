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

/** Where a `$n` parameter is used against a column, or as LIMIT/OFFSET. */
export type ParameterUse =
  | { readonly index: number; readonly kind: 'column'; readonly column: ColumnUse; readonly operator: string }
  | { readonly index: number; readonly kind: 'limit' | 'offset' };

export interface StatementMap {
  readonly items: readonly FromItem[];
  readonly conjuncts: readonly Conjunct[];
  readonly sortItems: readonly ListItem[];
  readonly groupItems: readonly ListItem[];
  /** `OFFSET n` and `LIMIT n`, keyword included, per block. */
  readonly offsets: readonly ListItem[];
  readonly limits: readonly ListItem[];
  /** Parameters compared to a column (`col = $1`, `col IN ($2)`, `$3 < col`, `SET col = $4`, `VALUES ($5)`) or used as LIMIT/OFFSET. */
  readonly parameters: readonly ParameterUse[];
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
  const paramColumns: Array<{ index: number; fields: string[]; block: number; operator: string }> = [];
  const paramLimits: ParameterUse[] = [];

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
      const offsetParam = paramNumber(body.limitOffset);
      const limitParam = paramNumber(body.limitCount);
      if (offsetParam !== undefined) paramLimits.push({ index: offsetParam, kind: 'offset' });
      if (limitParam !== undefined) paramLimits.push({ index: limitParam, kind: 'limit' });
      for (const p of targetParameters(kind, body)) paramColumns.push({ ...p, block: inner });
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
    if (kind === 'A_Expr') for (const p of comparedParameters(body)) paramColumns.push({ ...p, block });
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
  const parameters: ParameterUse[] = [
    ...paramColumns.flatMap((p): ParameterUse[] => {
      const column = resolve(p.fields, p.block);
      return column ? [{ index: p.index, kind: 'column', column, operator: p.operator }] : [];
    }),
    ...paramLimits,
  ];
  return {
    items, conjuncts, parents, spans, resolve, parameters,
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

/** The number of a `$n` parameter, also under a cast (`$1::int`). */
function paramNumber(node: unknown): number | undefined {
  const u = unwrapNode(node);
  if (!u) return undefined;
  if (u[0] === 'ParamRef' && typeof u[1].number === 'number') return u[1].number;
  if (u[0] === 'TypeCast') return paramNumber(u[1].arg);
  return undefined;
}

/** The fields of a column reference, also under a cast (`col::text`). */
function columnFields(node: unknown): string[] | undefined {
  const u = unwrapNode(node);
  if (!u) return undefined;
  if (u[0] === 'ColumnRef') return stringList(u[1].fields);
  if (u[0] === 'TypeCast') return columnFields(u[1].arg);
  return undefined;
}

/**
 * Parameters an operator compares to a column: `col op $n`, `$n op col`,
 * `col IN ($1, $2)`, `col BETWEEN $1 AND $2`, `col LIKE $1`. `= ANY($1)`
 * takes an array, which a column's single value is not: it is left out.
 */
function comparedParameters(body: RawNode): Array<{ index: number; fields: string[]; operator: string }> {
  const kind = typeof body.kind === 'string' ? body.kind : '';
  const operator = kind === 'AEXPR_IN' ? 'IN' : kind === 'AEXPR_BETWEEN' || kind === 'AEXPR_NOT_BETWEEN' ? 'BETWEEN' : stringList(body.name).join('');
  if (!['AEXPR_OP', 'AEXPR_IN', 'AEXPR_LIKE', 'AEXPR_ILIKE', 'AEXPR_BETWEEN', 'AEXPR_NOT_BETWEEN', 'AEXPR_DISTINCT', 'AEXPR_NOT_DISTINCT'].includes(kind)) return [];
  const sides: Array<[unknown, unknown]> = [[body.lexpr, body.rexpr], [body.rexpr, body.lexpr]];
  for (const [columnSide, valueSide] of sides) {
    const fields = columnFields(columnSide);
    if (!fields) continue;
    const values = unwrapNode(valueSide)?.[0] === 'List' ? asArray((unwrapNode(valueSide)![1]).items) : [valueSide];
    return values.flatMap((v) => {
      const index = paramNumber(v);
      return index === undefined ? [] : [{ index, fields, operator }];
    });
  }
  return [];
}

/** `INSERT INTO t (a, b) VALUES ($1, $2)` and `UPDATE t SET a = $1`: parameters stored into a column. */
function targetParameters(kind: string, body: RawNode): Array<{ index: number; fields: string[]; operator: string }> {
  const out: Array<{ index: number; fields: string[]; operator: string }> = [];
  if (kind === 'UpdateStmt') {
    for (const t of asArray(body.targetList)) {
      const target = unwrapNode(t)?.[1];
      const index = paramNumber(target?.val);
      if (target && typeof target.name === 'string' && index !== undefined) out.push({ index, fields: [target.name], operator: '=' });
    }
  }
  if (kind === 'InsertStmt') {
    const columns = asArray(body.cols).map((c) => unwrapNode(c)?.[1].name);
    const select = unwrapNode(body.selectStmt)?.[1];
    for (const row of asArray(select?.valuesLists)) {
      asArray(unwrapNode(row)?.[1].items).forEach((v, i) => {
        const index = paramNumber(v);
        const name = columns[i];
        if (index !== undefined && typeof name === 'string') out.push({ index, fields: [name], operator: '=' });
      });
    }
  }
  return out;
}

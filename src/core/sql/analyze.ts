/**
 * What a statement asks of each table it reads: the columns compared with
 * values (equality, ranges, patterns, NULL tests), the columns two tables are
 * joined on, and the sort columns, each with the UTF-16 span of the column
 * reference. A column wrapped in a function, a cast or arithmetic keeps the
 * wrapping expression, and LIKE/ILIKE patterns say whether they start with a
 * wildcard, so the rules can tell which indexes could serve the statement.
 *
 * It reads the raw parse tree only (no schema): aliases and CTE names are
 * resolved per SELECT scope, and a bare column name lists every table it
 * could belong to, innermost scope first, for the caller to settle with the
 * schema.
 */
import { NodeSpans, str, stringList, unwrapNode, type RawNode } from './nodeSpans';
import type { StatementNode } from './parser';

export type { RawNode } from './nodeSpans';

export interface TableReference {
  readonly schema?: string;
  readonly name: string;
  readonly alias?: string;
  /** UTF-16 span of the table name as written. */
  readonly start: number;
  readonly end: number;
  /** Its SELECT has a LIMIT (a top-N query can stop early along a sorted index). */
  readonly limited: boolean;
  /** On the optional side of an outer join (`LEFT JOIN t ON …`): its conditions pick matches, never the rows of the result. */
  readonly optional?: boolean;
}

export type FilterKind = 'equality' | 'range' | 'pattern' | 'null' | 'boolean';

/** A column wrapped in something that hides it from a plain index on the column. */
export interface ColumnWrapper {
  readonly kind: 'function' | 'cast' | 'arithmetic' | 'coalesce' | 'json';
  /** Function name, target type or operator, for messages. */
  readonly name: string;
  /** The whole wrapping expression (raw node), e.g. `lower(email)`. */
  readonly node: RawNode;
  readonly start: number;
  readonly end: number;
}

export interface PatternInfo {
  readonly operator: 'LIKE' | 'ILIKE';
  /** The pattern is written and starts with `%` or `_`: no btree can search it. */
  readonly leadingWildcard: boolean;
  /** The pattern is a written constant (not a parameter). */
  readonly constant: boolean;
  readonly start: number;
  readonly end: number;
}

export interface ColumnUse {
  readonly role: 'filter' | 'join' | 'order';
  /** For filters. */
  readonly kind?: FilterKind;
  readonly column: string;
  /** Indices into `tables` the reference may belong to, best first; empty when it names a CTE or subquery column. */
  readonly tables: readonly number[];
  /** UTF-16 span of the column reference. */
  readonly start: number;
  readonly end: number;
  /** Under OR or NOT: one index alone cannot serve it. */
  readonly underOr: boolean;
  /** Compared with a written constant (`status = 'active'`, `IS NULL`, a bare boolean). */
  readonly constant: boolean;
  readonly wrapper?: ColumnWrapper;
  readonly pattern?: PatternInfo;
  /** The other side of a join condition. */
  readonly peer?: { readonly column: string; readonly tables: readonly number[] };
  readonly descending?: boolean;
  /** The whole predicate when it is a top-level AND-ed condition, for partial-index matching. */
  readonly conjunct?: RawNode;
}

export interface StatementShape {
  readonly command: 'select' | 'insert' | 'update' | 'delete' | 'merge' | 'other';
  readonly tables: readonly TableReference[];
  readonly uses: readonly ColumnUse[];
  /**
   * The columns a plain SELECT returns, each with the tables it may belong
   * to; absent when the select list holds `*`, an aggregate or an expression
   * the analysis does not follow (then any column may be needed).
   */
  readonly outputs?: readonly { readonly column: string; readonly tables: readonly number[] }[];
  /** The table an UPDATE, DELETE or MERGE changes. */
  readonly target?: number;
}

interface ScopeItem {
  readonly alias: string;
  readonly schema?: string;
  /** Index into tables for a base table; undefined for a CTE, subquery or function. */
  readonly table?: number;
}

interface Scope {
  readonly parent?: Scope;
  readonly items: ScopeItem[];
  readonly ctes: ReadonlySet<string>;
  readonly limited: boolean;
}

interface Ctx {
  readonly underOr: boolean;
  readonly top: boolean;
}

const RANGE_OPS = new Set(['<', '>', '<=', '>=']);
const ARITHMETIC = new Set(['+', '-', '*', '/', '%', '||', '^']);
const JSON_FIELD = new Set(['->', '->>', '#>', '#>>']);

/** Analyses one parsed statement; `text` is the text whose byte locations the node carries. */
export function analyzeStatement(node: StatementNode, text: string): StatementShape {
  return new Analyzer(text).run(node);
}

class Analyzer {
  private readonly spans: NodeSpans;
  private readonly tables: TableReference[] = [];
  private readonly uses: ColumnUse[] = [];
  private outputs: Array<{ column: string; tables: readonly number[] }> | undefined;

  constructor(text: string) {
    this.spans = new NodeSpans(text);
  }

  run(statement: StatementNode): StatementShape {
    const u = unwrapNode(statement);
    if (!u) return { command: 'other', tables: [], uses: [] };
    const [kind, body] = u;
    const root: Scope = { items: [], ctes: new Set(), limited: false };
    switch (kind) {
      case 'SelectStmt':
        this.select(body, undefined);
        return this.shape('select');
      case 'InsertStmt': {
        const scope = this.withCtes(body, root);
        if (body.selectStmt) this.select(unwrapNode(body.selectStmt)?.[1] ?? {}, scope);
        return this.shape('insert');
      }
      case 'UpdateStmt':
      case 'DeleteStmt': {
        const scope = { ...this.withCtes(body, root), items: [] as ScopeItem[] };
        const target = this.from(body.relation ? { RangeVar: body.relation } : undefined, scope);
        for (const f of asList(kind === 'UpdateStmt' ? body.fromClause : body.usingClause)) this.from(f, scope);
        this.predicate(body.whereClause, scope, { underOr: false, top: true });
        for (const t of asList(body.targetList)) this.sublinks(t, scope);
        return this.shape(kind === 'UpdateStmt' ? 'update' : 'delete', target);
      }
      case 'MergeStmt': {
        const scope = { ...this.withCtes(body, root), items: [] as ScopeItem[] };
        const target = this.from(body.relation ? { RangeVar: body.relation } : undefined, scope);
        this.from(body.sourceRelation, scope);
        this.predicate(body.joinCondition, scope, { underOr: false, top: true });
        return this.shape('merge', target);
      }
      default:
        return { command: 'other', tables: [], uses: [] };
    }
  }

  private shape(command: StatementShape['command'], target?: number): StatementShape {
    return { command, tables: this.tables, uses: this.uses, ...(target !== undefined ? { target } : {}), ...(this.outputs ? { outputs: this.outputs } : {}) };
  }

  /** A scope knowing the statement's CTE names, after analysing each CTE body. */
  private withCtes(body: RawNode, parent: Scope | undefined): Scope {
    const names = new Set(parent?.ctes ?? []);
    const withClause = body.withClause as RawNode | undefined;
    for (const c of asList(withClause?.ctes)) {
      const cte = unwrapNode(c)?.[1];
      if (!cte) continue;
      names.add(str(cte.ctename));
      const q = unwrapNode(cte.ctequery);
      const inner: Scope = { parent, items: [], ctes: names, limited: false };
      if (q?.[0] === 'SelectStmt') this.select(q[1], inner);
      else if (q) this.nested(q);
    }
    return { parent, items: [], ctes: names, limited: false };
  }

  /** Data-modifying statements inside a CTE (`WITH d AS (DELETE … RETURNING …)`). */
  private nested([kind, body]: [string, RawNode]): void {
    const sub = new Analyzer(this.spans.text).run({ [kind]: body });
    const base = this.tables.length;
    this.tables.push(...sub.tables);
    for (const use of sub.uses) {
      this.uses.push({ ...use, tables: use.tables.map((t) => t + base), ...(use.peer ? { peer: { ...use.peer, tables: use.peer.tables.map((t) => t + base) } } : {}) });
    }
  }

  private select(body: RawNode, parent: Scope | undefined): void {
    const ctes = this.withCtes(body, parent);
    if (body.op && body.op !== 'SETOP_NONE') {
      for (const side of [body.larg, body.rarg]) if (side) this.select(side as RawNode, ctes);
      return;
    }
    const scope: Scope = { parent: ctes.parent, items: [], ctes: ctes.ctes, limited: body.limitCount !== undefined };
    for (const f of asList(body.fromClause)) this.from(f, scope);
    this.predicate(body.whereClause, scope, { underOr: false, top: true });
    for (const s of asList(body.sortClause)) {
      const sort = unwrapNode(s)?.[1];
      if (!sort) continue;
      const side = this.columnSide(sort.node, scope);
      if (side) this.add({ ...side, role: 'order', underOr: false, constant: false, descending: sort.sortby_dir === 'SORTBY_DESC' });
    }
    // Subqueries in the select list and HAVING still read tables.
    for (const t of asList(body.targetList)) this.sublinks(t, scope);
    this.sublinks(body.havingClause, scope);
    if (parent === undefined) this.outputs = this.selectOutputs(body, scope);
  }

  /** The columns the top-level select list reads, or undefined when it cannot be told (`*`, aggregates, GROUP BY, DISTINCT). */
  private selectOutputs(body: RawNode, scope: Scope): Array<{ column: string; tables: readonly number[] }> | undefined {
    if (asList(body.groupClause).length > 0 || body.havingClause !== undefined || body.distinctClause !== undefined) return undefined;
    const out: Array<{ column: string; tables: readonly number[] }> = [];
    for (const t of asList(body.targetList)) {
      const target = unwrapNode(t)?.[1];
      const refs: RawNode[] = [];
      if (!target || !collectRefs(target.val, refs)) return undefined;
      for (const ref of refs) {
        const fields = stringList(ref.fields);
        const column = fields[fields.length - 1] ?? '';
        if (column === '*' || column === '') return undefined;
        out.push({ column, tables: this.resolve(fields.slice(0, -1), scope) });
      }
    }
    return out;
  }

  /** Adds a FROM item to the scope; returns the table index for a base table. */
  private from(item: unknown, scope: Scope): number | undefined {
    const u = unwrapNode(item);
    if (!u) return undefined;
    const [kind, body] = u;
    if (kind === 'RangeVar') {
      const name = str(body.relname);
      const schema = typeof body.schemaname === 'string' ? body.schemaname : undefined;
      const alias = (body.alias as RawNode | undefined)?.aliasname as string | undefined;
      if (schema === undefined && inCtes(scope, name)) {
        scope.items.push({ alias: alias ?? name });
        return undefined;
      }
      const start = this.spans.offset(Number(body.location ?? 0));
      const end = this.spans.end({ ColumnRef: { location: body.location } });
      const index = this.tables.length;
      this.tables.push({ name, start, end, limited: scope.limited, ...(schema !== undefined ? { schema } : {}), ...(alias !== undefined ? { alias } : {}) });
      scope.items.push({ alias: alias ?? name, table: index, ...(alias === undefined && schema !== undefined ? { schema } : {}) });
      return index;
    }
    if (kind === 'JoinExpr') {
      const before = scope.items.length;
      const jointype = body.jointype;
      const leftTables = this.tables.length;
      this.from(body.larg, scope);
      const middle = scope.items.length;
      const rightTables = this.tables.length;
      this.from(body.rarg, scope);
      const optional = (from: number, to: number) => {
        for (let i = from; i < to; i++) {
          const t = this.tables[i];
          if (t) this.tables[i] = { ...t, optional: true };
        }
      };
      if (jointype === 'JOIN_LEFT' || jointype === 'JOIN_FULL') optional(rightTables, this.tables.length);
      if (jointype === 'JOIN_RIGHT' || jointype === 'JOIN_FULL') optional(leftTables, rightTables);
      this.predicate(body.quals, scope, { underOr: false, top: false });
      for (const name of stringList(body.usingClause)) this.usingJoin(name, scope.items.slice(before, middle), scope.items.slice(middle));
      const alias = (body.alias as RawNode | undefined)?.aliasname;
      if (typeof alias === 'string') scope.items.push({ alias });
      return undefined;
    }
    if (kind === 'RangeSubselect') {
      const sub = unwrapNode(body.subquery);
      if (sub?.[0] === 'SelectStmt') this.select(sub[1], scope);
      const alias = (body.alias as RawNode | undefined)?.aliasname;
      if (typeof alias === 'string') scope.items.push({ alias });
      return undefined;
    }
    const alias = (body.alias as RawNode | undefined)?.aliasname;
    if (typeof alias === 'string') scope.items.push({ alias });
    return undefined;
  }

  /** `JOIN b USING (id)`: a join on `id` between the two sides' base tables. */
  private usingJoin(name: string, left: readonly ScopeItem[], right: readonly ScopeItem[]): void {
    const l = left.flatMap((i) => (i.table !== undefined ? [i.table] : []));
    const r = right.flatMap((i) => (i.table !== undefined ? [i.table] : []));
    if (l.length === 0 || r.length === 0) return;
    // USING names no position of its own per side: point at the tables.
    for (const [mine, other] of [[l, r], [r, l]] as const) {
      const t = this.tables[mine[0] ?? 0];
      if (!t) continue;
      this.add({ role: 'join', column: name, tables: mine, start: t.start, end: t.end, underOr: false, constant: false, peer: { column: name, tables: other } });
    }
  }

  private predicate(node: unknown, scope: Scope, ctx: Ctx): void {
    const u = unwrapNode(node);
    if (!u) return;
    const [kind, body] = u;
    switch (kind) {
      case 'BoolExpr': {
        const args = asList(body.args);
        if (body.boolop === 'AND_EXPR') return args.forEach((a) => this.predicate(a, scope, ctx));
        if (body.boolop === 'NOT_EXPR' && args.length === 1 && unwrapNode(args[0])?.[0] === 'ColumnRef') {
          return this.booleanColumn(args[0], node as RawNode, scope, ctx);
        }
        return args.forEach((a) => this.predicate(a, scope, { underOr: true, top: false }));
      }
      case 'A_Expr':
        return this.comparison(body, node as RawNode, scope, ctx);
      case 'NullTest':
      case 'BooleanTest': {
        const side = this.columnSide(body.arg, scope);
        if (side) this.add({ ...side, role: 'filter', kind: kind === 'NullTest' ? 'null' : 'boolean', underOr: ctx.underOr, constant: true, ...conj(ctx, node) });
        return;
      }
      case 'ColumnRef':
        return this.booleanColumn(node, node as RawNode, scope, ctx);
      case 'SubLink': {
        const test = body.testexpr;
        if (test && body.subLinkType === 'ANY_SUBLINK') {
          const side = this.columnSide(test, scope);
          if (side) this.add({ ...side, role: 'filter', kind: 'equality', underOr: ctx.underOr, constant: false });
        }
        return this.sublinks(node, scope);
      }
      default:
        return this.sublinks(node, scope);
    }
  }

  private booleanColumn(ref: unknown, whole: RawNode, scope: Scope, ctx: Ctx): void {
    const side = this.columnSide(ref, scope);
    if (side) this.add({ ...side, role: 'filter', kind: 'boolean', underOr: ctx.underOr, constant: true, ...conj(ctx, whole) });
  }

  private comparison(body: RawNode, whole: RawNode, scope: Scope, ctx: Ctx): void {
    const op = stringList(body.name).join('.');
    const kind = str(body.kind);
    const left = this.columnSide(body.lexpr, scope);
    const right = kind === 'AEXPR_OP' ? this.columnSide(body.rexpr, scope) : undefined;
    const plain = (s: typeof left) => s && !s.wrapper;
    const base = { underOr: ctx.underOr };
    if (kind === 'AEXPR_OP' && op === '=' && plain(left) && plain(right) && left && right) {
      this.add({ ...left, ...base, role: 'join', constant: false, peer: { column: right.column, tables: right.tables } });
      this.add({ ...right, ...base, role: 'join', constant: false, peer: { column: left.column, tables: left.tables } });
      return;
    }
    const filter = (side: NonNullable<typeof left>, valueNode: unknown, filterKind: FilterKind, extra: Partial<ColumnUse> = {}) => {
      if (!isValue(valueNode)) return this.sublinks(valueNode, scope);
      this.add({ ...side, ...base, role: 'filter', kind: filterKind, constant: isConstant(valueNode), ...conj(ctx, whole), ...extra });
      this.sublinks(valueNode, scope);
    };
    if (kind === 'AEXPR_OP' && (op === '=' || RANGE_OPS.has(op))) {
      const k: FilterKind = op === '=' ? 'equality' : 'range';
      if (left) return filter(left, body.rexpr, k);
      if (right) return filter(right, body.lexpr, k);
    } else if (left && ((kind === 'AEXPR_OP_ANY' || kind === 'AEXPR_IN') && op === '=')) {
      return filter(left, body.rexpr, 'equality');
    } else if (left && (kind === 'AEXPR_BETWEEN' || kind === 'AEXPR_BETWEEN_SYM')) {
      return filter(left, body.rexpr, 'range');
    } else if (left && (kind === 'AEXPR_LIKE' || kind === 'AEXPR_ILIKE') && (op === '~~' || op === '~~*')) {
      const lead = leadingConstant(body.rexpr);
      const pattern: PatternInfo = {
        operator: kind === 'AEXPR_LIKE' ? 'LIKE' : 'ILIKE',
        leadingWildcard: lead !== undefined && /^[%_]/.test(lead),
        constant: lead !== undefined,
        start: this.spans.start(body.rexpr),
        end: this.spans.end(body.rexpr),
      };
      return filter(left, body.rexpr, 'pattern', { pattern });
    }
    this.sublinks(body.lexpr, scope);
    this.sublinks(body.rexpr, scope);
  }

  /**
   * The column on one side of a comparison: a bare reference, or one
   * reference wrapped in calls, casts, COALESCE or arithmetic with values.
   */
  private columnSide(node: unknown, scope: Scope): Pick<ColumnUse, 'column' | 'tables' | 'start' | 'end' | 'wrapper'> | undefined {
    const refs: RawNode[] = [];
    if (!collectRefs(node, refs) || refs.length !== 1) return undefined;
    const ref = refs[0] as RawNode;
    const fields = stringList(ref.fields);
    const column = fields[fields.length - 1] ?? '';
    if (column === '*' || column === '') return undefined;
    const tables = this.resolve(fields.slice(0, -1), scope);
    const start = this.spans.offset(Number(ref.location ?? 0));
    const end = this.spans.end({ ColumnRef: ref });
    const u = unwrapNode(node);
    if (!u || u[0] === 'ColumnRef') return { column, tables, start, end };
    const wrapper = this.wrapper(u, node as RawNode);
    return wrapper ? { column, tables, start, end, wrapper } : undefined;
  }

  private wrapper([kind, body]: [string, RawNode], node: RawNode): ColumnWrapper | undefined {
    const span = { node, start: this.spans.start(node), end: this.spans.end(node) };
    if (kind === 'FuncCall') return { kind: 'function', name: stringList(body.funcname).filter((n) => n !== 'pg_catalog').join('.'), ...span };
    if (kind === 'TypeCast') return { kind: 'cast', name: stringList((body.typeName as RawNode | undefined)?.names).filter((n) => n !== 'pg_catalog').join('.'), ...span };
    if (kind === 'CoalesceExpr') return { kind: 'coalesce', name: 'coalesce', ...span };
    if (kind === 'A_Expr' && body.kind === 'AEXPR_OP') {
      const op = stringList(body.name).join('');
      if (ARITHMETIC.has(op)) return { kind: 'arithmetic', name: op, ...span };
      // `data->>'kind'`: a field of a JSON column, served by an expression index on the same path.
      if (JSON_FIELD.has(op)) return { kind: 'json', name: op, ...span };
    }
    return undefined;
  }

  /** Table indices a qualifier (or a bare name when empty) may refer to, innermost scope first. */
  private resolve(qualifier: readonly string[], scope: Scope): number[] {
    const out: number[] = [];
    for (let s: Scope | undefined = scope; s; s = s.parent) {
      if (qualifier.length === 0) {
        for (const item of s.items) if (item.table !== undefined) out.push(item.table);
        continue;
      }
      const name = qualifier[qualifier.length - 1];
      const schema = qualifier.length > 1 ? qualifier[qualifier.length - 2] : undefined;
      const item = s.items.find((i) => i.alias === name && (schema === undefined || i.schema === schema || this.tables[i.table ?? -1]?.schema === schema));
      if (item) return item.table !== undefined ? [item.table] : [];
    }
    return out;
  }

  /** Analyses the subqueries inside an expression, with `scope` as their outer scope. */
  private sublinks(node: unknown, scope: Scope): void {
    const visit = (n: unknown): void => {
      if (Array.isArray(n)) return n.forEach(visit);
      const u = unwrapNode(n);
      if (!u) {
        if (n && typeof n === 'object') Object.values(n).forEach(visit);
        return;
      }
      if (u[0] === 'SubLink') {
        const sub = unwrapNode(u[1].subselect);
        if (sub?.[0] === 'SelectStmt') this.select(sub[1], scope);
        return visit(u[1].testexpr);
      }
      if (u[0] === 'SelectStmt') return this.select(u[1], scope);
      Object.values(u[1]).forEach(visit);
    };
    visit(node);
  }

  private add(use: ColumnUse): void {
    this.uses.push(use);
  }
}

function conj(ctx: Ctx, node: unknown): { conjunct?: RawNode } {
  return ctx.top && !ctx.underOr ? { conjunct: node as RawNode } : {};
}

function inCtes(scope: Scope, name: string): boolean {
  return scope.ctes.has(name);
}

export function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/**
 * Collects the column references of an expression; false when it holds
 * something that is not a simple wrapper of one column (a subquery, CASE,
 * a window or aggregate call).
 */
function collectRefs(node: unknown, refs: RawNode[]): boolean {
  const u = unwrapNode(node);
  if (!u) return false;
  const [kind, body] = u;
  switch (kind) {
    case 'ColumnRef':
      refs.push(body);
      return true;
    case 'A_Const':
    case 'ParamRef':
      return true;
    case 'TypeCast':
      return collectRefs(body.arg, refs);
    case 'FuncCall':
      if (body.over || body.agg_star || body.agg_distinct) return false;
      return asList(body.args).every((a) => collectRefs(a, refs));
    case 'CoalesceExpr':
      return asList(body.args).every((a) => collectRefs(a, refs));
    case 'A_Expr':
      return body.kind === 'AEXPR_OP' && (body.lexpr === undefined || collectRefs(body.lexpr, refs)) && collectRefs(body.rexpr, refs);
    default:
      return false;
  }
}

/** A value side: no column of its own (parameters, constants, `now()`, lists, scalar subqueries). */
function isValue(node: unknown): boolean {
  let columns = false;
  const visit = (n: unknown): void => {
    if (columns) return;
    if (Array.isArray(n)) return n.forEach(visit);
    const u = unwrapNode(n);
    if (!u) {
      if (n && typeof n === 'object') Object.values(n).forEach(visit);
      return;
    }
    if (u[0] === 'ColumnRef') columns = true;
    else if (u[0] !== 'SubLink') Object.values(u[1]).forEach(visit);
  };
  visit(node);
  return !columns;
}

/** Written literals only (casts of them included): the same value on every execution. */
function isConstant(node: unknown): boolean {
  const u = unwrapNode(node);
  if (!u) return false;
  if (u[0] === 'A_Const') return true;
  if (u[0] === 'TypeCast') return isConstant(u[1].arg);
  if (u[0] === 'List') return asList(u[1].items).every(isConstant);
  return false;
}

/** The leftmost written string of a pattern (`'%' || $1` → `%`); undefined for a parameter. */
function leadingConstant(node: unknown): string | undefined {
  const u = unwrapNode(node);
  if (!u) return undefined;
  const [kind, body] = u;
  if (kind === 'A_Const') return typeof (body.sval as RawNode | undefined)?.sval === 'string' ? String((body.sval as RawNode).sval) : undefined;
  if (kind === 'TypeCast') return leadingConstant(body.arg);
  if (kind === 'A_Expr' && stringList(body.name).join('') === '||') return leadingConstant(body.lexpr);
  if (kind === 'FuncCall' && stringList(body.funcname).pop() === 'concat') return leadingConstant(asList(body.args)[0]);
  return undefined;
}

/**
 * Expressions of the raw parse tree as comparable keys and as SQL text.
 *
 * An expression index matches a query only when both compute the same
 * thing, but they are rarely spelled alike: `pg_get_indexdef` prints
 * `lower((email)::text)` for an index created as `lower(email)`, qualifies
 * types with `pg_catalog`, and casts string constants (`'day'::text`). The
 * canonical key drops those differences (and table qualifiers and
 * positions), so equal keys mean the planner would see the same expression.
 */
import { asList } from '../sql/analyze';
import { str, stringList, unwrapNode, type RawNode } from '../sql/nodeSpans';
import { quoteIdent, quoteLiteral } from '../health/ident';

/** Internal type names as users write them. */
const TYPE_ALIASES: Readonly<Record<string, string>> = {
  int4: 'integer', int: 'integer', int8: 'bigint', int2: 'smallint', bool: 'boolean', float8: 'double precision',
  float4: 'real', varchar: 'character varying', bpchar: 'character', timestamptz: 'timestamp with time zone',
  timestamp: 'timestamp without time zone', timetz: 'time with time zone', time: 'time without time zone',
  decimal: 'numeric', serial: 'integer', serial4: 'integer', bigserial: 'bigint', serial8: 'bigint',
  smallserial: 'smallint', serial2: 'smallint',
};
/** Casts to these change nothing an index cares about (the catalog adds them around text columns and literals). */
const TEXT_TYPES = new Set(['text', 'character varying', 'varchar', 'character', 'bpchar', 'name']);

/** A type name without `pg_catalog.` and with internal names spelled out (`int8` → `bigint`). */
export function typeNameText(typeName: RawNode | undefined): string {
  const names = stringList(typeName?.names).filter((n) => n !== 'pg_catalog');
  const base = names.join('.');
  const spelled = TYPE_ALIASES[base] ?? base;
  const mods = asList(typeName?.typmods).map((m) => exprText(m));
  const arrays = asList(typeName?.arrayBounds).map(() => '[]').join('');
  if (mods.length === 0) return spelled + arrays;
  // `timestamp(3) with time zone` carries its precision inside the name.
  const m = /^(timestamp|time)( with(?:out)? time zone)$/.exec(spelled);
  return (m ? `${m[1]}(${mods.join(',')})${m[2]}` : `${spelled}(${mods.join(',')})`) + arrays;
}

/** A comparable key for an expression (column qualifiers, positions and text casts left out). */
export function canonical(node: unknown): string {
  const u = unwrapNode(node);
  if (!u) return Array.isArray(node) ? `(${node.map(canonical).join(',')})` : JSON.stringify(node ?? null);
  const [kind, body] = u;
  switch (kind) {
    case 'ColumnRef':
      return `col:${stringList(body.fields).pop() ?? ''}`;
    case 'A_Const':
      return `const:${constValue(body)}`;
    case 'ParamRef':
      return 'param';
    case 'TypeCast': {
      const type = typeNameText(body.typeName as RawNode | undefined);
      if (TEXT_TYPES.has(type.replace(/\(.*$/, ''))) return canonical(body.arg);
      return `cast(${canonical(body.arg)},${type})`;
    }
    case 'FuncCall':
      return `fn:${stringList(body.funcname).filter((n) => n !== 'pg_catalog').join('.').toLowerCase()}(${asList(body.args).map(canonical).join(',')})`;
    case 'CoalesceExpr':
      return `coalesce(${asList(body.args).map(canonical).join(',')})`;
    case 'A_Expr': {
      const op = stringList(body.name).join('.');
      // `flag = true` is written `flag` in a predicate the catalog prints; `flag = false` as `NOT flag`.
      const bool = op === '=' ? booleanConstant(body.rexpr) : undefined;
      if (bool === true) return canonical(body.lexpr);
      if (bool === false) return `not(${canonical(body.lexpr)})`;
      return `${String(body.kind)}:${op}(${body.lexpr === undefined ? '' : canonical(body.lexpr)},${canonical(body.rexpr)})`;
    }
    case 'BoolExpr': {
      const args = asList(body.args).map(canonical);
      if (body.boolop === 'NOT_EXPR') return `not(${args.join(',')})`;
      return `${body.boolop === 'AND_EXPR' ? 'and' : 'or'}(${args.sort().join(',')})`;
    }
    case 'NullTest':
      return `${String(body.nulltesttype).toLowerCase()}(${canonical(body.arg)})`;
    case 'BooleanTest':
      if (body.booltesttype === 'IS_TRUE') return canonical(body.arg);
      if (body.booltesttype === 'IS_FALSE') return `not(${canonical(body.arg)})`;
      return `${String(body.booltesttype).toLowerCase()}(${canonical(body.arg)})`;
    case 'List':
      return `(${asList(body.items).map(canonical).join(',')})`;
    default: {
      const rest = Object.entries(body)
        .filter(([k]) => k !== 'location')
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => `${k}=${canonical(v)}`);
      return `${kind}{${rest.join(';')}}`;
    }
  }
}

/** The AND-ed parts of a predicate, each as a canonical key. */
export function conjuncts(node: unknown): string[] {
  const u = unwrapNode(node);
  if (!u) return [];
  if (u[0] === 'BoolExpr' && u[1].boolop === 'AND_EXPR') return asList(u[1].args).flatMap(conjuncts);
  return [canonical(node)];
}

/** Column names an expression reads. */
export function columnsOf(node: unknown): string[] {
  const out = new Set<string>();
  const visit = (n: unknown): void => {
    if (Array.isArray(n)) return n.forEach(visit);
    const u = unwrapNode(n);
    if (!u) {
      if (n && typeof n === 'object') Object.values(n).forEach(visit);
      return;
    }
    if (u[0] === 'ColumnRef') {
      const c = stringList(u[1].fields).pop();
      if (c && c !== '*') out.add(c);
      return;
    }
    Object.values(u[1]).forEach(visit);
  };
  visit(node);
  return [...out];
}

/**
 * SQL text for an expression, columns unqualified and quoted when needed,
 * for messages and proposed DDL. Covers what index keys and predicates hold.
 */
export function exprText(node: unknown): string {
  const u = unwrapNode(node);
  if (!u) return '';
  const [kind, body] = u;
  switch (kind) {
    case 'ColumnRef':
      return quoteIdent(stringList(body.fields).pop() ?? '');
    case 'A_Const':
      return constText(body);
    case 'ParamRef':
      return `$${Number(body.number ?? 0)}`;
    case 'TypeCast':
      return `${wrapped(body.arg)}::${typeNameText(body.typeName as RawNode | undefined)}`;
    case 'FuncCall': {
      const name = stringList(body.funcname).filter((n) => n !== 'pg_catalog').join('.');
      const args = asList(body.args);
      // `extract(year FROM at)` is a call in the tree but keeps its own syntax.
      if (name === 'extract' && body.funcformat === 'COERCE_SQL_SYNTAX' && args.length === 2) {
        const field = unwrapNode(args[0])?.[1].sval as RawNode | undefined;
        return `extract(${str(field?.sval)} FROM ${exprText(args[1])})`;
      }
      return `${name}(${args.map(exprText).join(', ')})`;
    }
    case 'CoalesceExpr':
      return `coalesce(${asList(body.args).map(exprText).join(', ')})`;
    case 'A_Expr': {
      const op = stringList(body.name).join('.');
      if (body.kind === 'AEXPR_IN') return `${exprText(body.lexpr)} ${op === '=' ? 'IN' : 'NOT IN'} ${exprText(body.rexpr)}`;
      if (body.kind === 'AEXPR_LIKE' || body.kind === 'AEXPR_ILIKE') {
        const word = `${op.startsWith('!') ? 'NOT ' : ''}${body.kind === 'AEXPR_LIKE' ? 'LIKE' : 'ILIKE'}`;
        return `${exprText(body.lexpr)} ${word} ${exprText(body.rexpr)}`;
      }
      const left = body.lexpr === undefined ? '' : `${wrapped(body.lexpr)} `;
      return `${left}${op} ${wrapped(body.rexpr)}`;
    }
    case 'BoolExpr': {
      const args = asList(body.args).map(wrapped);
      if (body.boolop === 'NOT_EXPR') return `NOT ${args.join('')}`;
      return args.join(body.boolop === 'AND_EXPR' ? ' AND ' : ' OR ');
    }
    case 'NullTest':
      return `${wrapped(body.arg)} ${body.nulltesttype === 'IS_NULL' ? 'IS NULL' : 'IS NOT NULL'}`;
    case 'BooleanTest':
      return `${wrapped(body.arg)} ${String(body.booltesttype).replace(/_/g, ' ')}`;
    case 'List':
      return `(${asList(body.items).map(exprText).join(', ')})`;
    default:
      return kind;
  }
}

/** Text of an operand, parenthesised unless it is atomic. */
function wrapped(node: unknown): string {
  const kind = unwrapNode(node)?.[0];
  const atomic = kind === 'ColumnRef' || kind === 'A_Const' || kind === 'ParamRef' || kind === 'FuncCall' || kind === 'CoalesceExpr';
  return atomic ? exprText(node) : `(${exprText(node)})`;
}

/** An index key as written in CREATE INDEX: a bare column or call, or a parenthesised expression. */
export function indexKeyText(node: unknown): string {
  const kind = unwrapNode(node)?.[0];
  return kind === 'ColumnRef' || kind === 'FuncCall' || kind === 'CoalesceExpr' ? exprText(node) : `(${exprText(node)})`;
}

function constValue(body: RawNode): string {
  if (body.isnull) return 'null';
  if (body.ival !== undefined) return `n:${Number((body.ival as RawNode).ival ?? 0)}`;
  if (body.fval !== undefined) return `n:${Number((body.fval as RawNode).fval ?? 0)}`;
  if (body.boolval !== undefined) return `b:${Boolean((body.boolval as RawNode).boolval)}`;
  if (body.sval !== undefined) return `s:${str((body.sval as RawNode).sval)}`;
  if (body.bsval !== undefined) return `x:${str((body.bsval as RawNode).bsval)}`;
  return 'unknown';
}

function constText(body: RawNode): string {
  if (body.isnull) return 'NULL';
  if (body.ival !== undefined) return String(Number((body.ival as RawNode).ival ?? 0));
  if (body.fval !== undefined) return (str((body.fval as RawNode).fval) || '0');
  if (body.boolval !== undefined) return (body.boolval as RawNode).boolval ? 'true' : 'false';
  if (body.sval !== undefined) return quoteLiteral(str((body.sval as RawNode).sval));
  if (body.bsval !== undefined) return `B'${str((body.bsval as RawNode).bsval).slice(1)}'`;
  return 'NULL';
}

function booleanConstant(node: unknown): boolean | undefined {
  const u = unwrapNode(node);
  if (u?.[0] === 'A_Const' && u[1].boolval !== undefined) return Boolean((u[1].boolval as RawNode).boolval);
  if (u?.[0] === 'TypeCast') return booleanConstant(u[1].arg);
  return undefined;
}

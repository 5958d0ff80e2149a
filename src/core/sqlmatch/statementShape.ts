/**
 * The shape of a simple read, as an ORM would generate it: one table, and
 * a WHERE clause that is only an AND of "column compared with a value".
 * ORM calls whose SQL is not in the code (Prisma `findMany({ where })`,
 * Django `filter(…)`) can be matched against this shape when nothing else
 * is known. Anything else (joins, OR, subqueries, functions on a column)
 * has no shape: guessing there would point at the wrong code.
 */
import { parseStatementNodes } from '../sql/parser';
import { stringList, unwrapNode } from '../sql/nodeSpans';

/** `eq`: `=`, `IN (…)`, `= ANY(…)`; `other`: ranges, patterns, IS NULL and the rest. */
export type FilterClass = 'eq' | 'other';

export interface ReadShape {
  /** Table name as the server sees it (quoted names keep their case), without its schema. */
  readonly table: string;
  /** Filtered columns (lower case) with how each is compared, sorted by column. */
  readonly filters: readonly (readonly [string, FilterClass])[];
}

/** The shape of a pg_stat_statements text, or null when it is not a simple single-table read. */
export function readShapeOf(text: string): ReadShape | null {
  // Most statements are not plain reads of one table; these words rule them out before parsing.
  if (!/^\s*select\b/i.test(text) || /\b(join|union|intersect|except|group\s+by)\b/i.test(text)) return null;
  const nodes = parseStatementNodes(text);
  const stmt = nodes?.length === 1 ? unwrapNode(nodes[0]) : undefined;
  if (stmt?.[0] !== 'SelectStmt') return null;
  const select = stmt[1];
  if (select.withClause || select.groupClause || select.havingClause || select.op !== 'SETOP_NONE') return null;
  const from = Array.isArray(select.fromClause) ? select.fromClause : [];
  const range = from.length === 1 ? unwrapNode(from[0]) : undefined;
  if (range?.[0] !== 'RangeVar') return null;
  const table = typeof range[1].relname === 'string' ? range[1].relname : '';
  if (!table) return null;
  const filters = new Map<string, FilterClass>();
  for (const conjunct of conjuncts(select.whereClause)) {
    const f = filterOf(conjunct);
    if (f === null) return null;
    if (f === 'constant') continue;
    // One column compared twice (`a > $1 AND a < $2`) is still one key of the call.
    const known = filters.get(f[0]);
    filters.set(f[0], known === 'other' || f[1] === 'other' ? 'other' : 'eq');
  }
  return { table, filters: [...filters].sort((a, b) => a[0].localeCompare(b[0])) };
}

function conjuncts(node: unknown): unknown[] {
  if (node === undefined || node === null) return [];
  const u = unwrapNode(node);
  if (u?.[0] === 'BoolExpr' && u[1].boolop === 'AND_EXPR' && Array.isArray(u[1].args)) return u[1].args.flatMap((a) => conjuncts(a));
  return [node];
}

/** `[column, class]`; `'constant'` for a comparison of values only (Prisma's `1=1`); null when not understood. */
function filterOf(node: unknown): readonly [string, FilterClass] | 'constant' | null {
  const u = unwrapNode(node);
  if (!u) return null;
  const [kind, body] = u;
  if (kind === 'NullTest') {
    const column = columnOf(body.arg);
    return column ? [column, 'other'] : null;
  }
  if (kind !== 'A_Expr') return null;
  const left = columnOf(body.lexpr);
  const right = columnOf(body.rexpr);
  const leftValue = isValue(body.lexpr);
  const rightValue = isValue(body.rexpr);
  if (leftValue && rightValue) return 'constant';
  const column = left && rightValue ? left : right && leftValue ? right : undefined;
  if (!column) return null;
  const op = stringList(body.name).join('.');
  const eq = op === '=' && (body.kind === 'AEXPR_OP' || body.kind === 'AEXPR_IN' || body.kind === 'AEXPR_OP_ANY');
  return [column, eq ? 'eq' : 'other'];
}

/** The column's own name, lower-cased (a qualifier names this same table). */
function columnOf(node: unknown): string | undefined {
  const u = unwrapNode(node);
  if (u?.[0] !== 'ColumnRef') return undefined;
  const names = stringList(u[1].fields);
  const last = names[names.length - 1];
  return last && last !== '*' ? last.toLowerCase() : undefined;
}

/** A parameter, a constant, a cast of one, or a list of them (`IN ($1, $2)`). */
function isValue(node: unknown): boolean {
  const u = unwrapNode(node);
  if (!u) return false;
  const [kind, body] = u;
  if (kind === 'ParamRef' || kind === 'A_Const') return true;
  if (kind === 'TypeCast') return isValue(body.arg);
  if (kind === 'List') return Array.isArray(body.items) && body.items.every((i) => isValue(i));
  if (kind === 'A_ArrayExpr') return !Array.isArray(body.elements) || body.elements.every((i) => isValue(i));
  return false;
}

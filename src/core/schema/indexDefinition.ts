/**
 * An index as the schema model holds it, read from a CREATE INDEX parse
 * tree. Migrations give that statement directly; the live catalog gives it
 * through `pg_get_indexdef`, so both sources share this one reader and agree
 * on keys, expressions and partial predicates.
 */
import { parseSql } from '../sql/parser';
import { asList } from '../sql/analyze';
import { str, stringList, unwrapNode, type RawNode } from '../sql/nodeSpans';
import { canonical, columnsOf, conjuncts, exprText } from './expression';
import type { IndexInfo, IndexKey } from './model';

export interface IndexTarget {
  readonly schema?: string;
  readonly table: string;
}

/** The index described by an IndexStmt body, and the table it is on. */
export function indexFromStatement(stmt: RawNode, fallbackName: string): { index: IndexInfo; target: IndexTarget } {
  const relation = (stmt.relation ?? {}) as RawNode;
  const keys: IndexKey[] = asList(stmt.indexParams).flatMap((p) => {
    const elem = unwrapNode(p)?.[1];
    return elem ? [indexKey(elem)] : [];
  });
  const include = asList(stmt.indexIncludingParams).flatMap((p) => {
    const name = unwrapNode(p)?.[1].name;
    return typeof name === 'string' ? [name] : [];
  });
  const where = stmt.whereClause;
  const index: IndexInfo = {
    name: typeof stmt.idxname === 'string' ? stmt.idxname : fallbackName,
    method: typeof stmt.accessMethod === 'string' ? stmt.accessMethod : 'btree',
    keys,
    include,
    unique: stmt.unique === true,
    primary: stmt.primary === true,
    valid: true,
    predicate: where ? exprText(where) : null,
    predicateConjuncts: where ? conjuncts(where) : [],
  };
  const target: IndexTarget = { table: str(relation.relname), ...(typeof relation.schemaname === 'string' ? { schema: relation.schemaname } : {}) };
  return { index, target };
}

function indexKey(elem: RawNode): IndexKey {
  const descending = elem.ordering === 'SORTBY_DESC';
  const opclassName = stringList(elem.opclass).filter((n) => n !== 'pg_catalog').join('.');
  const opclass = opclassName ? { opclass: opclassName } : {};
  if (typeof elem.name === 'string') return { kind: 'column', column: elem.name, descending, ...opclass };
  // `CREATE INDEX … ((col))` is a plain column written with parentheses.
  const expr = elem.expr;
  const u = unwrapNode(expr);
  if (u?.[0] === 'ColumnRef') return { kind: 'column', column: stringList(u[1].fields).pop() ?? '', descending, ...opclass };
  return { kind: 'expression', text: exprText(expr), canonical: canonical(expr), columns: columnsOf(expr), descending, ...opclass };
}

/**
 * Parses a `pg_get_indexdef` text (or any CREATE INDEX statement); undefined
 * when it does not parse. The SQL parser must be loaded.
 */
export function parseIndexDefinition(definition: string, name: string): { index: IndexInfo; target: IndexTarget } | undefined {
  const parsed = parseSql(definition);
  if (!parsed.ok) return undefined;
  const stmt = parsed.statements[0];
  if (!stmt || stmt.type !== 'IndexStmt') return undefined;
  const body = unwrapNode(stmt.node)?.[1];
  return body ? indexFromStatement(body, name) : undefined;
}

/** The name PostgreSQL gives an index created without one: `<table>_<cols>_idx` (or `_key`, `_pkey`), at most 63 bytes. */
export function defaultIndexName(table: string, columns: readonly string[], suffix: 'idx' | 'key' | 'pkey' | 'excl'): string {
  const parts = suffix === 'pkey' ? [table] : [table, ...(columns.length > 0 ? columns : ['expr'])];
  return truncateName(`${parts.join('_')}`, `_${suffix}`);
}

/** Cuts `base` so that `base + suffix` fits PostgreSQL's 63-byte identifier limit. */
export function truncateName(base: string, suffix: string): string {
  const limit = 63 - utf8Length(suffix);
  let out = base;
  while (utf8Length(out) > limit) out = out.slice(0, -1);
  return out + suffix;
}

const encoder = new TextEncoder();

function utf8Length(text: string): number {
  return encoder.encode(text).length;
}

/**
 * `missing-index` (and `non-sargable-predicate`) for ORM calls whose filter
 * keys are written in the code: Prisma `findMany({ where: { email } })`,
 * Django `filter(email__iexact=…)`, Rails `where(email: …)`, or a query
 * builder on a named table (`knex('users').where({ email })`). The model is
 * mapped to its table and each field to its column through the schema, then
 * the same advice as for SQL applies.
 *
 * Code analysis supplies `OrmFilterFact`s: the framework, the model (or
 * table) name, the static filter keys with their source spans, the sort
 * keys, and whether the call fetches a limited number of rows.
 */
import type { ColumnNeed, TableAccess, WrappedExpression } from '../advice/access';
import { canonical, exprText } from '../schema/expression';
import { findColumn, findTable, type SchemaModel, type TableInfo } from '../schema/model';
import type { FilterKind } from '../sql/analyze';
import type { RawNode } from '../sql/nodeSpans';
import { unsuppressed } from './check';
import { toFinding, type SqlFinding, type SqlRuleOptions } from './finding';
import { missingIndex } from './missing-index';
import { nonSargable } from './non-sargable-predicate';
import type { OrmFieldKey, OrmFilter, OrmFramework } from '../code/ormFilters';
import type { Suppression } from '../code/suppression';

/** One definition, where code analysis builds them (src/core/code/ormFilters.ts). */
export type { OrmFieldKey, OrmFramework };
export type OrmFilterFact = OrmFilter;

/** Findings for the ORM calls of one file. */
export function checkOrmFilters(path: string, facts: readonly OrmFilterFact[], schema: SchemaModel, options: SqlRuleOptions & { suppressions?: readonly Suppression[]; lineStarts?: readonly number[] } = {}): SqlFinding[] {
  const out: SqlFinding[] = [];
  for (const fact of facts) {
    const access = accessFor(fact, schema);
    if (!access) continue;
    const advice = [...missingIndex({ accesses: [access] }, schema, options), ...nonSargable([access], options)];
    out.push(...advice.map((a) => toFinding(a, path, (start, end) => ({ start, end: Math.max(end, start + 1) }))));
  }
  const sorted = out.sort((a, b) => a.start - b.start);
  return options.suppressions && options.lineStarts ? unsuppressed(sorted, options.suppressions, options.lineStarts) : sorted;
}

/** The table access an ORM call makes, or undefined when the schema does not know the model. */
export function accessFor(fact: OrmFilterFact, schema: SchemaModel): TableAccess | undefined {
  const resolved = tableFor(fact, schema);
  if (!resolved) return undefined;
  const { table, fields } = resolved;
  const needs: ColumnNeed[] = [];
  for (const key of fact.filters) {
    const { field, lookup } = splitLookup(fact, key);
    const column = columnFor(table, fields, field);
    if (!column) {
      // Django `project__ping_key=…` finds the related rows first, then this table's by `project_id`:
      // an equality on the foreign key column as far as this table's indexes go.
      const via = fact.framework === 'django' && field.includes('__') ? columnFor(table, fields, `${field.split('__')[0] ?? ''}_id`) : undefined;
      if (via) needs.push({ role: 'filter', kind: 'equality', column: via, start: key.start, end: key.end, underOr: false, constant: false });
      continue;
    }
    const need = filterNeed(column, lookup, key);
    if (need) needs.push(need);
  }
  for (const key of fact.orderBy ?? []) {
    const column = columnFor(table, fields, splitLookup(fact, key).field);
    if (column) needs.push({ role: 'order', column, start: key.start, end: key.end, underOr: false, constant: false, descending: key.descending ?? false });
  }
  return { table, start: fact.start, end: fact.end, needs, conjuncts: new Set(), limited: fact.limited ?? false };
}

function tableFor(fact: OrmFilterFact, schema: SchemaModel): { table: TableInfo; fields?: ReadonlyMap<string, string> } | undefined {
  const lower = fact.model.toLowerCase();
  switch (fact.framework) {
    case 'prisma': {
      const entity = schema.entities.find((e) => e.framework === 'prisma' && e.model.toLowerCase() === lower);
      if (entity) {
        const table = findTable(schema, entity.table, entity.schema);
        return table && { table, fields: entity.fields };
      }
      // A live or migrations schema: Prisma names the table after the model.
      const table = schema.tables.find((t) => t.name === fact.model) ?? schema.tables.find((t) => t.name.toLowerCase() === lower);
      return table && { table };
    }
    case 'django': {
      const model = lower;
      if (fact.appLabel) {
        const table = findTable(schema, `${fact.appLabel.toLowerCase()}_${model}`);
        if (table) return { table };
      }
      const candidates = schema.tables.filter((t) => t.name.endsWith(`_${model}`));
      return candidates.length === 1 && candidates[0] ? { table: candidates[0] } : undefined;
    }
    case 'rails': {
      // `Spree::Order`: `spree_orders` where the namespace sets a table prefix (the common case), else `orders`.
      const parts = fact.model.split('::').map(snakeCase);
      const last = pluralize(parts.pop() ?? '');
      const table = findTable(schema, [...parts, last].join('_')) ?? findTable(schema, last);
      return table && { table };
    }
    case 'table': {
      const [name, ...rest] = fact.model.split('.').reverse();
      const table = findTable(schema, name ?? '', rest[0]);
      return table && { table };
    }
  }
}

/** Django `author__name__iexact`: field path and lookup. Only the model's own columns are checked. */
function splitLookup(fact: OrmFilterFact, key: OrmFieldKey): { field: string; lookup: string } {
  if (fact.framework !== 'django' || key.lookup !== undefined) return { field: key.field, lookup: key.lookup ?? 'equals' };
  const parts = key.field.split('__');
  const last = parts[parts.length - 1] ?? '';
  if (parts.length > 1 && DJANGO_LOOKUPS.has(last)) return { field: parts.slice(0, -1).join('__'), lookup: last };
  return { field: key.field, lookup: 'exact' };
}

const DJANGO_LOOKUPS = new Set([
  'exact', 'iexact', 'contains', 'icontains', 'in', 'gt', 'gte', 'lt', 'lte', 'startswith', 'istartswith', 'endswith',
  'iendswith', 'range', 'isnull', 'date', 'year', 'month', 'day', 'week_day', 'regex', 'iregex',
]);

/** The column of a field: the mapped name, the name itself, or Django's `<fk>_id`; `pk` is the primary key. */
function columnFor(table: TableInfo, fields: ReadonlyMap<string, string> | undefined, field: string): string | undefined {
  if (field.includes('__')) {
    // `author__id` reads the foreign key column itself; deeper paths join another table.
    const [head, tail] = field.split('__');
    return tail === 'id' || tail === 'pk' ? columnFor(table, fields, `${head ?? ''}_id`) : undefined;
  }
  if (field === 'pk') return table.constraints.find((c) => c.kind === 'primary')?.columns[0];
  const mapped = fields?.get(field) ?? field;
  if (findColumn(table, mapped)) return mapped;
  if (findColumn(table, `${field}_id`)) return `${field}_id`;
  return undefined;
}

function filterNeed(column: string, lookup: string, key: OrmFieldKey): ColumnNeed | undefined {
  const base = { role: 'filter' as const, column, start: key.start, end: key.end, underOr: false, constant: false };
  const l = lookup.toLowerCase();
  const kind = (k: FilterKind) => ({ ...base, kind: k });
  if (l === 'not' || l === 'regex' || l === 'iregex' || l === 'search') return undefined;
  if (l === 'isnull') return { ...kind('null'), constant: true };
  if (['gt', 'gte', 'lt', 'lte', 'range'].includes(l)) return kind('range');
  const pattern = (leadingWildcard: boolean, operator: 'LIKE' | 'ILIKE') => ({ ...kind('pattern'), pattern: { operator, leadingWildcard, constant: true, start: key.start, end: key.end } });
  const insensitive = key.insensitive === true || l.startsWith('i');
  if (['contains', 'icontains', 'endswith', 'iendswith'].includes(l)) return pattern(true, insensitive ? 'ILIKE' : 'LIKE');
  if (l === 'startswith' || l === 'istartswith') return pattern(false, insensitive ? 'ILIKE' : 'LIKE');
  // Django's iexact compares UPPER(column); Prisma's insensitive equals uses ILIKE.
  if (l === 'iexact') return { ...kind('equality'), wrapper: wrapFunction('upper', column, key) };
  if (key.insensitive && (l === 'equals' || l === 'exact')) return pattern(false, 'ILIKE');
  if (l === 'date') return { ...kind('equality'), wrapper: wrapCast('date', column, key) };
  if (['year', 'month', 'day', 'week_day'].includes(l)) return { ...kind('equality'), wrapper: wrapExtract(l, column, key) };
  return kind('equality');
}

function columnRef(column: string): RawNode {
  return { ColumnRef: { fields: [{ String: { sval: column } }] } };
}

function wrapped(node: RawNode, kind: WrappedExpression['kind'], name: string, key: OrmFieldKey): WrappedExpression {
  return { kind, name, node, text: exprText(node), canonical: canonical(node), start: key.start, end: key.end };
}

function wrapFunction(fn: string, column: string, key: OrmFieldKey): WrappedExpression {
  return wrapped({ FuncCall: { funcname: [{ String: { sval: fn } }], args: [columnRef(column)] } }, 'function', fn, key);
}

function wrapCast(type: string, column: string, key: OrmFieldKey): WrappedExpression {
  return wrapped({ TypeCast: { arg: columnRef(column), typeName: { names: [{ String: { sval: type } }] } } }, 'cast', type, key);
}

function wrapExtract(part: string, column: string, key: OrmFieldKey): WrappedExpression {
  const field = part === 'week_day' ? 'dow' : part;
  return wrapped({ FuncCall: { funcname: [{ String: { sval: 'extract' } }], args: [{ A_Const: { sval: { sval: field } } }, columnRef(column)] } }, 'function', 'extract', key);
}

export function snakeCase(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2').toLowerCase();
}

/** Rails' table name for a model: the plural of its snake_case name (the common English rules). */
export function pluralize(word: string): string {
  const irregular: Readonly<Record<string, string>> = { person: 'people', man: 'men', woman: 'women', child: 'children', mouse: 'mice' };
  const parts = word.split('_');
  const last = parts.pop() ?? '';
  let plural: string;
  if (irregular[last]) plural = irregular[last];
  else if (/[^aeiou]y$/.test(last)) plural = `${last.slice(0, -1)}ies`;
  else if (/(s|x|z|ch|sh)$/.test(last)) plural = `${last}es`;
  else plural = `${last}s`;
  return [...parts, plural].join('_');
}

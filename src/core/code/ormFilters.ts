/**
 * Static filter and sort keys of ORM calls, for the index rules
 * (`src/core/sqlrules/orm.ts` maps model and fields to table and columns):
 * Prisma `where`/`orderBy`/`take`, Django `filter(a=…, b__gte=…)`/`order_by`/
 * slices, ActiveRecord `where(a: …)`/`find_by`/`order`, and query builders on
 * a named table (Knex `knex('users').where({ email })`, Kysely
 * `selectFrom('users').where('email', '=', …)`). Only keys written in the
 * code count; computed keys are skipped.
 */
import type { Chain, ChainLink, SyntaxNode } from './languages/adapter';
import { field, isType, namedKids, typeOf } from './languages/common';

export type OrmFramework = 'prisma' | 'django' | 'rails' | 'table';

export interface OrmFieldKey {
  /** As written: `email`, `authorId`; Django keeps its lookup (`email__iexact`). */
  readonly field: string;
  /** Prisma operator (`in`, `gt`, `contains`…) when the key has one. */
  readonly lookup?: string;
  /** Prisma `mode: 'insensitive'`. */
  readonly insensitive?: boolean;
  readonly descending?: boolean;
  readonly start: number;
  readonly end: number;
}

export interface OrmFilter {
  readonly framework: OrmFramework;
  /** Prisma client property (`user`), Django/Rails model class, or the table name. */
  readonly model: string;
  /** Django app label from the model's import (`shop` for `shop.models`). */
  readonly appLabel?: string;
  readonly start: number;
  readonly end: number;
  readonly filters: readonly OrmFieldKey[];
  readonly orderBy?: readonly OrmFieldKey[];
  /** `take`, `first()`, `[:10]`, `limit`: a top-N query. */
  readonly limited?: boolean;
}

const PRISMA_OPERATORS = new Set(['equals', 'in', 'notIn', 'lt', 'lte', 'gt', 'gte', 'contains', 'startsWith', 'endsWith', 'not', 'search', 'has', 'hasSome', 'hasEvery']);
const PRISMA_SINGLE = new Set(['findUnique', 'findUniqueOrThrow', 'findFirst', 'findFirstOrThrow']);
const DJANGO_FILTERS = new Set(['filter', 'get', 'aget', 'get_or_create', 'aget_or_create', 'update_or_create']);
const DJANGO_LIMITED = new Set(['get', 'aget', 'first', 'afirst', 'last', 'alast', 'latest', 'earliest', 'exists', 'aexists', '[]']);
const RAILS_FILTERS = new Set(['where', 'find_by', 'find_by!', 'find_or_create_by', 'find_or_create_by!', 'find_or_initialize_by', 'rewhere']);
const RAILS_LIMITED = new Set(['find_by', 'find_by!', 'first', 'first!', 'last', 'last!', 'take', 'take!', 'limit', 'exists?', 'sole', 'find_sole_by']);
const TABLE_LIMITED = new Set(['first', 'limit', 'executeTakeFirst', 'executeTakeFirstOrThrow', 'pluck']);

/**
 * The filter fact of a matched ORM call, or null when the library is not one
 * the index rules map or nothing static is filtered or sorted.
 */
export function ormFilterOf(api: string, chain: Chain, span: { start: number; end: number }, appLabelOf: (model: string) => string | undefined): OrmFilter | null {
  let fact: OrmFilter | null = null;
  if (api.startsWith('prisma.model')) fact = prisma(chain, span);
  else if (api === 'django.queryset' || api === 'django.queryset-lazy') fact = django(chain, span, appLabelOf);
  else if (api === 'activerecord.relation' || api === 'activerecord.relation-lazy') fact = rails(chain, span);
  else if (api === 'knex.builder' || api === 'kysely') fact = table(chain, span);
  if (!fact || (fact.filters.length === 0 && (fact.orderBy?.length ?? 0) === 0)) return null;
  return fact;
}

function keyAt(node: SyntaxNode, name: string, extra: Partial<OrmFieldKey> = {}): OrmFieldKey {
  return { field: name, ...extra, start: node.startIndex, end: node.endIndex };
}

function stringValue(node: SyntaxNode | null | undefined): string | null {
  if (!node) return null;
  const t = typeOf(node);
  if (t === 'string') return node.text.replace(/^[a-zA-Z]*(['"])|['"]$/g, '');
  if (t === 'simple_symbol') return node.text.slice(1);
  return null;
}

/** The key name of a JS `pair` (`email:`, `'email':`) or a shorthand property. */
function propertyName(node: SyntaxNode): { name: string; keyNode: SyntaxNode; value: SyntaxNode | null } | null {
  if (isType(node, 'shorthand_property_identifier')) return { name: node.text, keyNode: node, value: null };
  if (!isType(node, 'pair')) return null;
  const key = field(node, 'key');
  if (!key) return null;
  const name = isType(key, 'property_identifier') ? key.text : stringValue(key);
  return name === null ? null : { name, keyNode: key, value: field(node, 'value') };
}

function objectProperties(node: SyntaxNode | null | undefined): { name: string; keyNode: SyntaxNode; value: SyntaxNode | null }[] {
  if (!isType(node, 'object')) return [];
  return namedKids(node).flatMap((c) => propertyName(c) ?? []);
}

function prisma(chain: Chain, span: { start: number; end: number }): OrmFilter | null {
  const at = chain.links.findIndex((l) => l.args !== null && l.args.length <= 1 && /^(find|count|aggregate|groupBy|update|delete|upsert)/.test(l.name));
  const link = chain.links[at];
  const model = chain.links[at - 1];
  if (!link || !model || model.args !== null) return null;
  const props = objectProperties(link.args?.[0]);
  const filters: OrmFieldKey[] = [];
  const collect = (where: SyntaxNode | null) => {
    for (const p of objectProperties(where)) {
      if (p.name === 'AND') {
        const items = isType(p.value, 'array') ? namedKids(p.value) : [p.value];
        for (const item of items) if (item) collect(item);
        continue;
      }
      if (p.name === 'OR' || p.name === 'NOT') continue;
      if (!isType(p.value, 'object')) {
        filters.push(keyAt(p.keyNode, p.name));
        continue;
      }
      const inner = objectProperties(p.value);
      const operator = inner.find((i) => PRISMA_OPERATORS.has(i.name));
      if (!operator) continue; // a relation filter (`author: { is: … }`)
      const insensitive = inner.some((i) => i.name === 'mode' && /insensitive/.test(i.value?.text ?? ''));
      filters.push(keyAt(p.keyNode, p.name, { lookup: operator.name, ...(insensitive ? { insensitive } : {}) }));
    }
  };
  collect(props.find((p) => p.name === 'where')?.value ?? null);
  const order = props.find((p) => p.name === 'orderBy')?.value;
  const orderBy = (isType(order, 'array') ? namedKids(order) : order ? [order] : []).flatMap((o) =>
    objectProperties(o).map((p) => keyAt(p.keyNode, p.name, /desc/.test(p.value?.text ?? '') ? { descending: true } : {})),
  );
  const limited = PRISMA_SINGLE.has(link.name) || props.some((p) => p.name === 'take');
  return { framework: 'prisma', model: model.name, ...span, filters, ...(orderBy.length ? { orderBy } : {}), ...(limited ? { limited } : {}) };
}

function django(chain: Chain, span: { start: number; end: number }, appLabelOf: (model: string) => string | undefined): OrmFilter | null {
  if (chain.baseKind !== 'constant') return null;
  const filters: OrmFieldKey[] = [];
  const orderBy: OrmFieldKey[] = [];
  let limited = false;
  for (const l of chain.links) {
    if (DJANGO_LIMITED.has(l.name)) limited = true;
    if (DJANGO_FILTERS.has(l.name)) {
      for (const a of l.args ?? []) {
        if (!isType(a, 'keyword_argument')) continue;
        const name = field(a, 'name');
        if (name && name.text !== 'defaults') filters.push(keyAt(a, name.text));
      }
    }
    if (l.name === 'order_by') {
      for (const a of l.args ?? []) {
        const s = stringValue(a);
        if (s) orderBy.push(keyAt(a, s.replace(/^-/, ''), s.startsWith('-') ? { descending: true } : {}));
      }
    }
  }
  const appLabel = appLabelOf(chain.base);
  return { framework: 'django', model: chain.base, ...(appLabel ? { appLabel } : {}), ...span, filters, ...(orderBy.length ? { orderBy } : {}), ...(limited ? { limited } : {}) };
}

/** `where(email: e, status: :active)`: the pairs of a Ruby argument list or hash. */
function rubyPairs(args: readonly SyntaxNode[]): { name: string; node: SyntaxNode; value: SyntaxNode | null }[] {
  const out: { name: string; node: SyntaxNode; value: SyntaxNode | null }[] = [];
  for (const a of args) {
    const pairs = isType(a, 'pair') ? [a] : isType(a, 'hash') ? namedKids(a).filter((c) => isType(c, 'pair')) : [];
    for (const p of pairs) {
      const key = field(p, 'key');
      const name = isType(key, 'hash_key_symbol') ? key.text : stringValue(key);
      if (key && name) out.push({ name, node: key, value: field(p, 'value') });
    }
  }
  return out;
}

function rails(chain: Chain, span: { start: number; end: number }): OrmFilter | null {
  if (chain.baseKind !== 'constant') return null;
  const filters: OrmFieldKey[] = [];
  const orderBy: OrmFieldKey[] = [];
  let limited = false;
  for (const l of chain.links) {
    if (RAILS_LIMITED.has(l.name)) limited = true;
    const args = l.args ?? [];
    if (RAILS_FILTERS.has(l.name)) for (const p of rubyPairs(args)) filters.push(keyAt(p.node, p.name));
    if (l.name === 'order' || l.name === 'reorder') {
      for (const a of args) if (isType(a, 'simple_symbol')) orderBy.push(keyAt(a, a.text.slice(1)));
      for (const p of rubyPairs(args)) orderBy.push(keyAt(p.node, p.name, /desc/i.test(p.value?.text ?? '') ? { descending: true } : {}));
    }
  }
  // The namespace stays: `Spree::Order` is stored in `spree_orders` (see sqlrules/orm.ts).
  const model = chain.base.replace(/^::/, '');
  return { framework: 'rails', model, ...span, filters, ...(orderBy.length ? { orderBy } : {}), ...(limited ? { limited } : {}) };
}

function table(chain: Chain, span: { start: number; end: number }): OrmFilter | null {
  const from = chain.links.find((l) => l.args !== null && (l.name === 'selectFrom' || l.name === 'updateTable' || l.name === 'deleteFrom' || (chain.base === '' && l === chain.links[0])));
  const model = stringValue(from?.args?.[0]);
  if (!model || !/^[A-Za-z_][\w.]*$/.test(model)) return null;
  const filters: OrmFieldKey[] = [];
  const orderBy: OrmFieldKey[] = [];
  let limited = false;
  const firstString = (l: ChainLink) => {
    const a = l.args?.[0];
    const s = stringValue(a);
    return a && s && /^[A-Za-z_][\w.]*$/.test(s) ? { node: a, name: s.split('.').pop() ?? s } : null;
  };
  for (const l of chain.links) {
    if (TABLE_LIMITED.has(l.name)) limited = true;
    if (l.name === 'where' || l.name === 'andWhere' || l.name === 'whereIn') {
      const key = firstString(l);
      if (key) filters.push(keyAt(key.node, key.name, l.name === 'whereIn' ? { lookup: 'in' } : stringValue(l.args?.[1]) === 'in' ? { lookup: 'in' } : {}));
      for (const p of objectProperties(l.args?.[0])) filters.push(keyAt(p.keyNode, p.name));
    }
    if (l.name === 'orderBy') {
      const key = firstString(l);
      if (key) orderBy.push(keyAt(key.node, key.name, /desc/i.test(l.args?.[1]?.text ?? '') ? { descending: true } : {}));
    }
  }
  return { framework: 'table', model, ...span, filters, ...(orderBy.length ? { orderBy } : {}), ...(limited ? { limited } : {}) };
}

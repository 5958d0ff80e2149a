/**
 * missing-index for ORM calls with static filter keys, from literal facts
 * (what code analysis is to provide): model/field names mapped to tables and
 * columns through a Prisma schema, Django's `<app>_<model>` naming and
 * Rails' plural table names.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SchemaModel } from '../../../src/core/schema/model';
import { schemaFromPrisma } from '../../../src/core/schema/prisma';
import { loadSqlParser } from '../../../src/core/sql/parser';
import { lineStarts, scanSuppressions } from '../../../src/core/code/suppression';
import { checkOrmFilters, pluralize, snakeCase, type OrmFieldKey, type OrmFilterFact } from '../../../src/core/sqlrules/orm';
import { schemaOf } from './support';

const PRISMA = join(__dirname, '../../../../test/fixtures/migrations/prisma/schema.prisma');

type KeyAt = Omit<OrmFieldKey, 'start' | 'end'> & { at?: string };

/** A fact for `code`, with each key's span found by its text (`at`, else the field name). */
function fact(code: string, f: { framework: OrmFilterFact['framework']; model: string; appLabel?: string; limited?: boolean; filters: KeyAt[]; orderBy?: KeyAt[] }): OrmFilterFact {
  const key = ({ at, ...k }: KeyAt): OrmFieldKey => {
    const text = at ?? k.field;
    const start = code.indexOf(text);
    assert.ok(start >= 0, `${text} in code`);
    return { ...k, start, end: start + text.length };
  };
  return {
    framework: f.framework,
    model: f.model,
    ...(f.appLabel ? { appLabel: f.appLabel } : {}),
    ...(f.limited ? { limited: f.limited } : {}),
    start: 0,
    end: code.length,
    filters: f.filters.map(key),
    ...(f.orderBy ? { orderBy: f.orderBy.map(key) } : {}),
  };
}

function run(code: string, facts: OrmFilterFact[], schema: SchemaModel) {
  return checkOrmFilters('src/app.ts', facts, schema).map((f) => `${f.ruleId} ${f.severity} ${code.slice(f.start, f.end)}: ${String(f.data?.ddl)}`);
}

describe('ORM static filters', () => {
  before(() => loadSqlParser());
  const prisma = () => schemaFromPrisma(readFileSync(PRISMA, 'utf8'));

  it('Prisma: maps the client property and @map-ped fields through the Prisma schema', () => {
    const code = "await prisma.user.findMany({ where: { name: 'Ann', role: 'ADMIN' }, orderBy: { createdAt: 'desc' } })";
    // `role` is a Prisma enum: offline, a state column alone keeps many rows and gets no index.
    assert.deepEqual(run(code, [fact(code, { framework: 'prisma', model: 'user', filters: [{ field: 'role' }] })], prisma()), []);
    const since = "await prisma.user.findMany({ where: { createdAt: { gte: since } } })";
    const f = run(since, [fact(since, { framework: 'prisma', model: 'user', filters: [{ field: 'createdAt', lookup: 'gte' }] })], prisma());
    assert.deepEqual(f, ['missing-index information createdAt: CREATE INDEX CONCURRENTLY users_created_at_idx ON users (created_at);']);
    const served = fact(code, { framework: 'prisma', model: 'user', filters: [{ field: 'name' }, { field: 'role' }], orderBy: [{ field: 'createdAt', descending: true }] });
    assert.deepEqual(run(code, [served], prisma()), [], '@@index([name, createdAt]) leads with name');
  });

  it('Prisma: a foreign key scalar without an index, and one an index leads with', () => {
    const code = 'prisma.post.findMany({ where: { authorId: id } }); prisma.order.findMany({ where: { userId: id } })';
    const facts = [
      fact(code, { framework: 'prisma', model: 'post', filters: [{ field: 'authorId' }] }),
      fact(code, { framework: 'prisma', model: 'order', filters: [{ field: 'userId' }] }),
    ];
    assert.deepEqual(run(code, facts, prisma()), ['missing-index information authorId: CREATE INDEX CONCURRENTLY post_authorid_idx ON "Post" ("authorId");']);
  });

  it('Prisma: contains on a column with a trigram index is served; insensitive equality on an indexed column is not', () => {
    const code = "prisma.post.findMany({ where: { body: { contains: 'pg' } } }); prisma.user.findFirst({ where: { email: { equals: e, mode: 'insensitive' } } })";
    const facts = [
      fact(code, { framework: 'prisma', model: 'post', filters: [{ field: 'body', lookup: 'contains' }] }),
      fact(code, { framework: 'prisma', model: 'user', filters: [{ field: 'email', lookup: 'equals', insensitive: true }] }),
    ];
    const f = run(code, facts, prisma());
    assert.equal(f.length, 1);
    assert.match(f[0]!, /^non-sargable-predicate information email: CREATE INDEX CONCURRENTLY users_email_trgm_idx ON users USING gin \(email gin_trgm_ops\);$/);
  });

  it('Django: app_model tables, <fk>_id columns and lookups, against live row counts', () => {
    const schema = schemaOf(
      `CREATE TABLE shop_author (id serial PRIMARY KEY, name text);
       CREATE TABLE shop_book (id serial PRIMARY KEY, title text, author_id int REFERENCES shop_author (id), published timestamptz);
       CREATE INDEX shop_book_title ON shop_book (title);`,
      { shop_book: 80_000, shop_author: 5_000 },
    );
    const code = "Book.objects.filter(author=a, published__gte=d).order_by('-published')[:10]\nBook.objects.filter(title__iexact=t)\nBook.objects.get(pk=1)\nAuthor.objects.filter(name=n)";
    const facts = [
      fact(code, { framework: 'django', model: 'Book', appLabel: 'shop', filters: [{ field: 'author', at: 'author=a' }, { field: 'published__gte' }], orderBy: [{ field: 'published', descending: true, at: "'-published'" }], limited: true }),
      fact(code, { framework: 'django', model: 'Book', filters: [{ field: 'title__iexact' }] }),
      fact(code, { framework: 'django', model: 'Book', filters: [{ field: 'pk', at: 'pk=1' }] }),
      fact(code, { framework: 'django', model: 'Author', filters: [{ field: 'name', at: 'name=n' }] }),
    ];
    assert.deepEqual(run(code, facts, schema), [
      'missing-index warning author=a: CREATE INDEX CONCURRENTLY shop_book_author_id_published_idx ON shop_book (author_id, published);',
      'non-sargable-predicate warning title__iexact: CREATE INDEX CONCURRENTLY shop_book_upper_title_idx ON shop_book (upper(title));',
    ]);
  });

  it('Rails and query builders: plural table names and named tables', () => {
    const schema = schemaOf('CREATE TABLE line_items (id int PRIMARY KEY, sku text); CREATE TABLE people (id int PRIMARY KEY, email text);', { line_items: 30_000, people: 30_000 });
    const code = "LineItem.where(sku: s)\nPerson.find_by(email: e)\nknex('people').where({ id })";
    const facts = [
      fact(code, { framework: 'rails', model: 'LineItem', filters: [{ field: 'sku' }] }),
      fact(code, { framework: 'rails', model: 'Person', filters: [{ field: 'email' }] }),
      fact(code, { framework: 'table', model: 'people', filters: [{ field: 'id', at: 'id }' }] }),
    ];
    assert.deepEqual(run(code, facts, schema).map((f) => f.split(':')[0]), ['missing-index warning sku', 'missing-index warning email']);
    // Namespaced models (solidus, openfoodnetwork): `Spree::Order` is `spree_orders`, else `orders`.
    const spree = schemaOf('CREATE TABLE spree_orders (id int PRIMARY KEY, email text); CREATE TABLE variants (id int PRIMARY KEY, sku text);', { spree_orders: 50_000, variants: 50_000 });
    const namespaced = 'Spree::Order.where(email: e)\nShop::Variant.find_by(sku: s)';
    const nsFacts = [
      fact(namespaced, { framework: 'rails', model: 'Spree::Order', filters: [{ field: 'email' }] }),
      fact(namespaced, { framework: 'rails', model: 'Shop::Variant', filters: [{ field: 'sku' }] }),
    ];
    assert.deepEqual(run(namespaced, nsFacts, spree).map((f) => f.split(':')[0]), ['missing-index warning email', 'missing-index warning sku']);
    assert.equal(snakeCase('LineItem'), 'line_item');
    assert.equal(snakeCase('HTTPRequest'), 'http_request');
    assert.deepEqual(['category', 'box', 'person', 'order_status'].map(pluralize), ['categories', 'boxes', 'people', 'order_statuses']);
  });

  it('skips unknown models and fields, and honours suppression comments', () => {
    const code = '// pg-insight-ignore missing-index\nprisma.user.findMany({ where: { createdAt } })\nprisma.ghost.findMany({ where: { x } })';
    const facts = [
      fact(code, { framework: 'prisma', model: 'user', filters: [{ field: 'createdAt', at: 'createdAt }' }] }),
      fact(code, { framework: 'prisma', model: 'ghost', filters: [{ field: 'x', at: 'x }' }] }),
      fact(code, { framework: 'prisma', model: 'user', filters: [{ field: 'nickname', at: 'findMany' }] }),
    ];
    const starts = lineStarts(code);
    assert.deepEqual(checkOrmFilters('a.ts', facts, prisma(), { suppressions: scanSuppressions(code, starts), lineStarts: starts }), []);
    assert.equal(checkOrmFilters('a.ts', facts, prisma()).length, 1);
  });
});

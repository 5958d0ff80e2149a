/**
 * Read shapes of pg_stat_statements texts, and the reads ORM calls are
 * predicted to send, with the SQL Prisma, Django and Rails generate as
 * pg_stat_statements normalises it.
 */
import assert from 'node:assert/strict';
import { loadSqlParser } from '../../../src/core/sql/parser';
import type { OrmFilter } from '../../../src/core/code/ormFilters';
import type { EntityMapping } from '../../../src/core/schema/model';
import { matchesPrediction, predictRead, readShapeOf, type CallOfFilter } from '../../../src/core/sqlmatch';

const PRISMA_FIND_UNIQUE = 'SELECT "public"."User"."id", "public"."User"."email" FROM "public"."User" WHERE ("public"."User"."email" = $1 AND $2=$3) LIMIT $4 OFFSET $5';
const PRISMA_FIND_MANY = 'SELECT "public"."Post"."id", "public"."Post"."title" FROM "public"."Post" WHERE ("public"."Post"."authorId" IN ($1 /*, ... */) AND "public"."Post"."published" = $2) OFFSET $3';
const DJANGO_FILTER = 'SELECT "shop_book"."id", "shop_book"."title" FROM "shop_book" WHERE ("shop_book"."author_id" = $1 AND "shop_book"."price" >= $2) ORDER BY "shop_book"."id" ASC LIMIT $3';
const RAILS_FIND_BY = 'SELECT "users".* FROM "users" WHERE "users"."email" = $1 LIMIT $2';

function filter(framework: OrmFilter['framework'], model: string, keys: (string | [string, string])[], extra: Partial<OrmFilter> = {}): OrmFilter {
  return {
    framework, model, start: 0, end: 10, ...extra,
    filters: keys.map((k) => (typeof k === 'string' ? { field: k, start: 0, end: 1 } : { field: k[0], lookup: k[1], start: 0, end: 1 })),
  };
}

const call = (api: string, label: string): CallOfFilter => ({ api, label });

function predicts(statement: string, f: OrmFilter, c: CallOfFilter, entities: readonly EntityMapping[] = []): boolean {
  const shape = readShapeOf(statement);
  const predicted = predictRead(f, c, entities);
  return shape !== null && predicted !== null && matchesPrediction(shape, predicted);
}

describe('sqlmatch/shapes', () => {
  before(() => loadSqlParser());

  it('reads the table and the compared columns, skipping Prisma\'s 1=1', () => {
    assert.deepEqual(readShapeOf(PRISMA_FIND_UNIQUE), { table: 'User', filters: [['email', 'eq']] });
    assert.deepEqual(readShapeOf(PRISMA_FIND_MANY), { table: 'Post', filters: [['authorid', 'eq'], ['published', 'eq']] });
    assert.deepEqual(readShapeOf(DJANGO_FILTER), { table: 'shop_book', filters: [['author_id', 'eq'], ['price', 'other']] });
    assert.deepEqual(readShapeOf('SELECT * FROM t WHERE a = ANY($1) AND b IS NULL AND c LIKE $2'), { table: 't', filters: [['a', 'eq'], ['b', 'other'], ['c', 'other']] });
  });

  it('has no shape for joins, OR, subqueries, functions on columns, writes and grouping', () => {
    for (const text of [
      'SELECT u.id FROM users u JOIN posts p ON p.author_id = u.id WHERE u.id = $1',
      'SELECT id FROM users WHERE email = $1 OR name = $2',
      'SELECT id FROM users WHERE id IN (SELECT user_id FROM posts)',
      'SELECT id FROM users WHERE lower(email) = $1',
      'UPDATE users SET name = $1 WHERE id = $2',
      'SELECT status, count(*) FROM users WHERE org = $1 GROUP BY status',
      'SELECT COUNT(*) FROM (SELECT "public"."User"."id" FROM "public"."User" WHERE 1=1 OFFSET $1) AS "sub"',
    ]) assert.equal(readShapeOf(text), null, text);
  });

  it('matches Prisma findUnique and findMany by model, @@map and where keys', () => {
    assert.ok(predicts(PRISMA_FIND_UNIQUE, filter('prisma', 'user', ['email'], { limited: true }), call('prisma.model', 'prisma.user.findUnique(…)')));
    assert.ok(predicts(PRISMA_FIND_MANY, filter('prisma', 'post', [['authorId', 'in'], 'published']), call('prisma.model', 'prisma.post.findMany(…)')));
    const mapped: EntityMapping = { framework: 'prisma', model: 'Account', schema: 'public', table: 'accounts', fields: new Map([['emailAddress', 'email_address']]), relations: new Map() };
    const statement = 'SELECT "public"."accounts"."id" FROM "public"."accounts" WHERE ("public"."accounts"."email_address" = $1 AND $2=$3) LIMIT $4 OFFSET $5';
    assert.ok(predicts(statement, filter('prisma', 'account', ['emailAddress']), call('prisma.model', 'prisma.account.findFirst(…)'), [mapped]));
    assert.ok(!predicts(statement, filter('prisma', 'account', ['emailAddress']), call('prisma.model', 'prisma.account.findFirst(…)')), 'without the mapping the model name is the table');
  });

  it('does not match Prisma calls with other keys, other operators, or writes', () => {
    assert.ok(!predicts(PRISMA_FIND_UNIQUE, filter('prisma', 'user', ['id']), call('prisma.model', 'prisma.user.findUnique(…)')));
    assert.ok(!predicts(PRISMA_FIND_UNIQUE, filter('prisma', 'user', ['email', 'name']), call('prisma.model', 'prisma.user.findFirst(…)')));
    assert.ok(!predicts(PRISMA_FIND_UNIQUE, filter('prisma', 'user', [['email', 'contains']]), call('prisma.model', 'prisma.user.findFirst(…)')));
    assert.ok(!predicts(PRISMA_FIND_UNIQUE, filter('prisma', 'post', ['email']), call('prisma.model', 'prisma.post.findFirst(…)')));
    assert.equal(predictRead(filter('prisma', 'user', ['email']), call('prisma.model-write', 'prisma.user.update(…)'), []), null);
    assert.equal(predictRead(filter('prisma', 'user', ['email']), call('prisma.model', 'prisma.user.count(…)'), []), null);
  });

  it('matches Django filters by app label and lookups, and Rails find_by', () => {
    const django = call('django.queryset', 'Book.objects.filter(…).first()');
    assert.ok(predicts(DJANGO_FILTER, filter('django', 'Book', ['author', 'price__gte'], { appLabel: 'shop' }), django));
    assert.ok(predicts(DJANGO_FILTER, filter('django', 'Book', ['author_id', 'price__gte']), django), 'any app when its label is unknown');
    assert.ok(!predicts(DJANGO_FILTER, filter('django', 'Book', ['author', 'price']), django), 'an equality is not a range');
    assert.equal(predictRead(filter('django', 'Book', ['title__iexact']), django, []), null, 'iexact compares UPPER() on both sides');
    assert.equal(predictRead(filter('django', 'Book', ['author__name']), django, []), null, 'a key across a relation joins');
    assert.equal(predictRead(filter('django', 'Book', ['author']), call('django.queryset', 'Book.objects.filter(…).count()'), []), null);
    assert.ok(predicts(RAILS_FIND_BY, filter('rails', 'User', ['email']), call('activerecord.relation', 'User.find_by(…)')));
    assert.ok(!predicts(RAILS_FIND_BY, filter('rails', 'Account', ['email']), call('activerecord.relation', 'Account.find_by(…)')));
  });
});

/**
 * Static filter and sort keys of ORM calls, as the index rules
 * (`src/core/sqlrules/orm.ts`) consume them.
 */
import assert from 'node:assert/strict';
import type { OrmFilterFact } from '../../../src/core/sqlrules/orm';
import type { CodeLanguage } from '../../../src/core/code/types';
import { summarizeSnippet } from './support';

async function facts(language: CodeLanguage, code: string, path?: string): Promise<unknown[]> {
  const s = await summarizeSnippet(language, code, path);
  // The summary's facts are what the index rules take, unchanged.
  const typed: readonly OrmFilterFact[] = s.ormFilters;
  return typed.map((f) => ({
    ...f,
    start: undefined,
    end: undefined,
    filters: f.filters.map((k) => ({ ...k, start: undefined, end: undefined, at: code.slice(k.start, k.end) })),
    ...(f.orderBy ? { orderBy: f.orderBy.map((k) => ({ ...k, start: undefined, end: undefined, at: code.slice(k.start, k.end) })) } : {}),
  }));
}

const clean = (o: unknown) => JSON.parse(JSON.stringify(o)) as unknown;

describe('ORM filter facts', () => {
  it('Prisma: where keys, operators, insensitive mode, orderBy and take', async () => {
    const code = "await prisma.user.findMany({ where: { name: 'Ann', role, AND: [{ age: { gte: 18 } }], OR: [{ x: 1 }], posts: { some: {} } }, orderBy: [{ createdAt: 'desc' }], take: 10 });\nawait prisma.user.findFirst({ where: { email: { equals: e, mode: 'insensitive' } } });";
    assert.deepEqual(clean(await facts('typescript', code)), [
      {
        framework: 'prisma', model: 'user', limited: true,
        filters: [{ field: 'name', at: 'name' }, { field: 'role', at: 'role' }, { field: 'age', lookup: 'gte', at: 'age' }],
        orderBy: [{ field: 'createdAt', descending: true, at: 'createdAt' }],
      },
      { framework: 'prisma', model: 'user', limited: true, filters: [{ field: 'email', lookup: 'equals', insensitive: true, at: 'email' }] },
    ]);
  });

  it('Django: keyword filters with lookups, order_by, slices and the app label', async () => {
    const code = "from shop.models import Book\n\nrecent = Book.objects.filter(author=a, published__gte=d).order_by('-published')[:10]\nbook = Book.objects.get(pk=1)\nAuthor.objects.filter(name=n).exists()\n";
    assert.deepEqual(clean(await facts('python', code)), [
      {
        framework: 'django', model: 'Book', appLabel: 'shop', limited: true,
        filters: [{ field: 'author', at: 'author=a' }, { field: 'published__gte', at: 'published__gte=d' }],
        orderBy: [{ field: 'published', descending: true, at: "'-published'" }],
      },
      { framework: 'django', model: 'Book', appLabel: 'shop', limited: true, filters: [{ field: 'pk', at: 'pk=1' }] },
      { framework: 'django', model: 'Author', limited: true, filters: [{ field: 'name', at: 'name=n' }] },
    ]);
  });

  it('Django: a relative models import names the app after the folder', async () => {
    const code = 'from .models import Book\nBook.objects.filter(title=t).first()\n';
    const [f] = await facts('python', code, 'library/views.py');
    assert.equal((f as { appLabel?: string }).appLabel, 'library');
  });

  it('Rails: where and find_by hashes, order', async () => {
    const code = 'LineItem.where(sku: s).order(created_at: :desc).to_a\nPerson.find_by(email: e)\nPost.where("title LIKE ?", q).first\n';
    assert.deepEqual(clean(await facts('ruby', code)), [
      { framework: 'rails', model: 'LineItem', filters: [{ field: 'sku', at: 'sku' }], orderBy: [{ field: 'created_at', descending: true, at: 'created_at' }] },
      { framework: 'rails', model: 'Person', limited: true, filters: [{ field: 'email', at: 'email' }] },
    ]);
  });

  it('query builders on a named table', async () => {
    const code = "await knex('people').where({ id }).first();\nawait db.selectFrom('users').selectAll().where('email', '=', e).orderBy('created_at', 'desc').executeTakeFirst();\nawait knex('tags').whereIn('post_id', ids);";
    assert.deepEqual(clean(await facts('typescript', code)), [
      { framework: 'table', model: 'people', limited: true, filters: [{ field: 'id', at: 'id' }] },
      { framework: 'table', model: 'users', limited: true, filters: [{ field: 'email', at: "'email'" }], orderBy: [{ field: 'created_at', descending: true, at: "'created_at'" }] },
      { framework: 'table', model: 'tags', filters: [{ field: 'post_id', lookup: 'in', at: "'post_id'" }] },
    ]);
  });

  it('records nothing for calls without static keys', async () => {
    assert.deepEqual(await facts('typescript', 'await prisma.user.findMany(args); await knex(table).where(cond);'), []);
  });
});

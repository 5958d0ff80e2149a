/** The pure import resolver, the glob matcher, and call resolution in the workspace index. */
import assert from 'node:assert/strict';
import { globToRegExp, matchesAny } from '../../../src/core/code/glob';
import { createImportResolver, normalisePath } from '../../../src/core/code/importResolver';
import { buildIndex, findNPlusOne, summarizeFiles } from '../../../src/core/code/scan';
import { analyzer } from './support';

describe('import resolver', () => {
  const paths = [
    'src/a.ts', 'src/lib/index.ts', 'src/lib/db.js', 'src/util/format.tsx', 'src/esm.ts',
    'app/__init__.py', 'app/repo/__init__.py', 'app/repo/users.py', 'app/db.py', 'scripts/job.py',
    'internal/store/users.go', 'internal/store/prices.go', 'internal/store/users_test.go', 'cmd/api/main.go',
  ];
  const r = createImportResolver(paths);

  it('resolves relative ECMAScript specifiers with extensions and index files', () => {
    assert.deepEqual(r.resolve('src/a.ts', './lib', 'typescript'), ['src/lib/index.ts']);
    assert.deepEqual(r.resolve('src/a.ts', './lib/db', 'typescript'), ['src/lib/db.js']);
    assert.deepEqual(r.resolve('src/lib/index.ts', '../util/format', 'tsx'), ['src/util/format.tsx']);
    assert.deepEqual(r.resolve('src/a.ts', './esm.js', 'typescript'), ['src/esm.ts']);
    assert.deepEqual(r.resolve('src/a.ts', 'pg', 'typescript'), []);
    assert.deepEqual(r.resolve('src/a.ts', '@/util/format', 'typescript'), ['src/util/format.tsx']);
    // A named alias for a project folder (`"@src/*": ["./src/*"]`); a scoped package has no such folder.
    assert.deepEqual(r.resolve('src/a.ts', '@src/util/format', 'typescript'), ['src/util/format.tsx']);
    assert.deepEqual(r.resolve('src/a.ts', '@prisma/client', 'typescript'), []);
  });

  it('resolves Python absolute and relative modules', () => {
    assert.deepEqual(r.resolve('scripts/job.py', 'app.repo.users', 'python'), ['app/repo/users.py']);
    assert.deepEqual(r.resolve('scripts/job.py', 'app.repo', 'python'), ['app/repo/__init__.py']);
    assert.deepEqual(r.resolve('app/repo/users.py', '..db', 'python'), ['app/db.py']);
    assert.deepEqual(r.resolve('app/repo/users.py', '.', 'python'), ['app/repo/__init__.py']);
    assert.deepEqual(r.resolve('app/repo/__init__.py', '.users', 'python'), ['app/repo/users.py']);
  });

  it('resolves a Go import path to the package files, tests excluded', () => {
    assert.deepEqual([...r.resolve('cmd/api/main.go', 'example.com/shop/internal/store', 'go')].sort(), ['internal/store/prices.go', 'internal/store/users.go']);
  });

  it('normalises paths', () => {
    assert.equal(normalisePath('a\\b\\..\\c/./d'), 'a/c/d');
    assert.equal(normalisePath('../x/y'), '../x/y');
  });
});

describe('glob', () => {
  it('matches ** across directories, * within one, and {a,b} choices', () => {
    assert.equal(globToRegExp('**/migrations/**').test('db/migrations/001.sql'), true);
    assert.equal(globToRegExp('**/migrations/**').test('migrations/001.sql'), true);
    assert.equal(globToRegExp('**/seed*.{ts,py}').test('prisma/seed.ts'), true);
    assert.equal(globToRegExp('**/seed*.{ts,py}').test('seed_data.py'), true);
    assert.equal(globToRegExp('**/seed*.{ts,py}').test('prisma/seed.rb'), false);
    assert.equal(globToRegExp('src/*.ts').test('src/a/b.ts'), false);
    assert.equal(matchesAny('C:\\repo\\db\\migrations\\1.ts', ['**/migrations/**']), true);
    assert.equal(matchesAny('tools/x.ts', ['tools/**']), true);
    assert.equal(matchesAny('a/tools/x.ts', ['tools/**']), true);
  });
});

describe('workspace index', () => {
  it('resolves self, plain, imported, namespace and class-named calls', async () => {
    const summaries = await summarizeFiles(analyzer, [
      { path: 'svc.ts', text: "import { load } from './repo';\nimport * as util from './util';\nexport class Service {\n  constructor(private readonly userRepo: UserRepo) {}\n  async run(id: number) { await this.step(id); await load(id); await util.helper(id); await this.userRepo.byEmail('x'); await local(); }\n  private async step(id: number) {}\n}\nasync function local() {}\n" },
      { path: 'repo.ts', text: 'export async function load(id: number) {}\nexport class UserRepo { async byEmail(e: string) {} }\n' },
      { path: 'util.ts', text: 'export function helper(id: number) {}\nfunction hidden() {}\n' },
    ]);
    const index = buildIndex(summaries);
    const svc = summaries.find((s) => s.path === 'svc.ts')!;
    const resolved = svc.calls.map((c) => `${c.name} -> ${index.resolveCall('svc.ts', c).map((r) => `${r.path}#${index.fn(r)?.name ?? '?'}`).join(',')}`);
    assert.deepEqual(resolved, [
      'step -> svc.ts#step',
      'load -> repo.ts#load',
      'helper -> util.ts#helper',
      'byEmail -> repo.ts#byEmail',
      'local -> svc.ts#local',
    ]);
  });

  it('does not resolve a method by its name alone when nothing ties the receiver to the class', async () => {
    // The shape of a real false trace: `item.variant` (an association reader on an inventory unit)
    // taken for the only `variant` method in the workspace, which happened to query.
    const summaries = await summarizeFiles(analyzer, [
      { path: 'app/package.rb', text: 'class Package\n  def weights\n    contents.map { |item| item.variant_weight }\n  end\nend\n' },
      { path: 'app/discounted.rb', text: 'class CreateDiscountedItem\n  def variant_weight\n    Variant.find(@variant_id).weight\n  end\nend\n' },
    ]);
    const index = buildIndex(summaries);
    const pkg = summaries.find((s) => s.path === 'app/package.rb')!;
    const call = pkg.calls.find((c) => c.name === 'variant_weight');
    assert.ok(call);
    assert.deepEqual(index.resolveCall('app/package.rb', call), []);
  });

  it('follows Go calls through declared types: struct fields, then an interface to its implementations', async () => {
    // The shape of a real store: a service holds a *store.Store, whose driver field is an interface
    // implemented once per database; each implementation queries.
    const summaries = await summarizeFiles(analyzer, [
      { path: 'server/service.go', text: 'package server\n\ntype APIService struct {\n\tStore *store.Store\n}\n\nfunc (s *APIService) List(ctx context.Context, memos []*Memo) {\n\tfor _, m := range memos {\n\t\ts.Store.ListAttachments(ctx, m.ID)\n\t}\n}\n' },
      { path: 'store/store.go', text: 'package store\n\ntype Driver interface {\n\tListAttachments(ctx context.Context, memoID int32) ([]*Attachment, error)\n}\n\ntype Store struct {\n\tdriver Driver\n}\n\nfunc (s *Store) ListAttachments(ctx context.Context, memoID int32) ([]*Attachment, error) {\n\treturn s.driver.ListAttachments(ctx, memoID)\n}\n' },
      { path: 'store/db/postgres/attachment.go', text: 'package postgres\n\nfunc (d *DB) ListAttachments(ctx context.Context, memoID int32) ([]*Attachment, error) {\n\trows, err := d.db.QueryContext(ctx, "SELECT id FROM attachment WHERE memo_id = $1", memoID)\n\t_ = rows\n\treturn nil, err\n}\n' },
      { path: 'store/cache.go', text: 'package store\n\nfunc (c *Cache) ListAttachments(ctx context.Context, memoID int32) ([]*Attachment, error) { return nil, nil }\n' },
    ]);
    const index = buildIndex(summaries);
    const store = summaries.find((s) => s.path === 'store/store.go')!;
    const call = store.calls.find((c) => c.name === 'ListAttachments')!;
    assert.deepEqual(index.resolveCall('store/store.go', call).map((r) => `${r.path}#${index.fn(r)?.className ?? ''}`).sort(), [
      'store/cache.go#Cache', 'store/db/postgres/attachment.go#DB',
    ]);
    const findings = findNPlusOne(summaries).get('server/service.go') ?? [];
    assert.equal(findings.length, 1);
    assert.match(findings[0]?.message ?? '', /`Store\.ListAttachments` \(through `DB\.ListAttachments`\) runs `d\.db\.QueryContext/);
  });

  it('knows which functions query, skipping memoised and batch-only ones', async () => {
    const summaries = await summarizeFiles(analyzer, [
      {
        path: 'q.py',
        text: 'from functools import cache\n\ndef one(cur, i):\n    cur.execute("SELECT 1 WHERE %s > 0", (i,))\n\ndef many(cur, ids):\n    cur.execute("SELECT 1 WHERE id = ANY(%s)", (ids,))\n\n@cache\ndef cached(cur, i):\n    cur.execute("SELECT 1 WHERE %s > 0", (i,))\n\ndef outer(cur, i):\n    return one(cur, i)\n',
      },
    ]);
    const index = buildIndex(summaries);
    const querying = summaries[0]!.functions.map((f, i) => `${f.name}:${index.queryPath({ path: 'q.py', index: i }) ? 'yes' : 'no'}`);
    assert.deepEqual(querying, ['one:yes', 'many:no', 'cached:no', 'outer:yes']);
  });
});

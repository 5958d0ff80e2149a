import assert from 'node:assert/strict';
import { writesRows } from '../../../src/core/code/queryKind';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkNPlusOne, DEFAULT_IGNORE_GLOBS } from '../../../src/core/code/rules/n-plus-one';
import { buildIndex } from '../../../src/core/code/scan';
import type { CodeLanguage } from '../../../src/core/code/types';
import { summarizeSnippet } from './support';

describe('code: whether a database call writes rows', () => {
  it('reads the statement, past comments and a WITH list', () => {
    assert.equal(writesRows('INSERT INTO t (a) VALUES ($1)', []), true);
    assert.equal(writesRows('  -- note\n/* x */ update t set a = 1', []), true);
    assert.equal(writesRows('WITH x AS (SELECT 1) DELETE FROM t WHERE id IN (SELECT * FROM x)', []), true);
    assert.equal(writesRows('SELECT * FROM t WHERE note = \'insert\'', []), false);
    assert.equal(writesRows('WITH x AS (SELECT 1) SELECT * FROM x', []), false);
  });
  it('reads the ORM method when there is no SQL', () => {
    assert.equal(writesRows(undefined, ['prisma', 'user', 'create']), true);
    assert.equal(writesRows(undefined, ['Item', 'create!']), true);
    assert.equal(writesRows(undefined, ['prisma', 'user', 'findUnique']), false);
  });
});

/** A loop of one call per item, in each language's own shape; the message must give that library's batched write. */
const cases: ReadonlyArray<readonly [CodeLanguage, string, RegExp]> = [
  ['typescript', "export async function save(rows: { a: number; b: string }[]) {\n  for (const r of rows) {\n    await pool.query('INSERT INTO t (a, b) VALUES ($1, $2)', [r.a, r.b]);\n  }\n}\n", /Write all rows in one statement instead: one `INSERT … SELECT \* FROM unnest\(\$1::int\[\], \$2::text\[\]\)`/],
  ['typescript', 'export async function save(rows: { email: string }[]) {\n  for (const r of rows) {\n    await prisma.user.create({ data: r });\n  }\n}\n', /Write all rows in one statement instead: `createMany\(\{ data: rows \}\)`/],
  ['typescript', "export async function load(ids: number[]) {\n  for (const id of ids) {\n    await pool.query('SELECT * FROM t WHERE id = $1', [id]);\n  }\n}\n", /Fetch the rows in one query instead: one query with `WHERE id = ANY\(\$1\)`/],
  ['python', 'def save(cur, rows):\n    for r in rows:\n        cur.execute("UPDATE t SET x = %s WHERE id = %s", (r.x, r.id))\n', /Write all rows in one statement instead: `executemany\(sql, rows\)`/],
  ['go', 'package x\n\nfunc save(ctx context.Context, db *sql.DB, names []string) error {\n\tfor _, n := range names {\n\t\tif _, err := db.ExecContext(ctx, "INSERT INTO t (name) VALUES ($1)", n); err != nil {\n\t\t\treturn err\n\t\t}\n\t}\n\treturn nil\n}\n', /Write all rows in one statement instead: one `INSERT … SELECT \* FROM unnest/],
];

describe('n-plus-one: a loop of writes gets the batched write of its library', () => {
  for (const [language, text, advice] of cases) {
    it(`${language}: ${advice.source.slice(0, 60)}`, async () => {
      const summary = await summarizeSnippet(language, text);
      const [finding] = checkNPlusOne(summary, buildIndex([summary]));
      assert.ok(finding, `no finding for:\n${text}`);
      assert.match(finding.message, advice);
    });
  }
});

describe('n-plus-one: the related locations of a helper chain', () => {
  it('"is called here" points at the call in the loop, and the helper at its definition', async () => {
    const text = "async function loadTags(id: number) {\n  return pool.query('SELECT * FROM tags WHERE post_id = $1', [id]);\n}\nexport async function all(posts: { id: number }[]) {\n  for (const p of posts) {\n    await loadTags(p.id);\n  }\n}\n";
    const summary = await summarizeSnippet('typescript', text);
    const [finding] = checkNPlusOne(summary, buildIndex([summary]));
    assert.ok(finding);
    const called = finding.related.find((r) => /is called here once per item/.test(r.message));
    assert.ok(called);
    assert.equal(text.slice(called.start, called.end).startsWith('loadTags(p.id)'), true, text.slice(called.start, called.end));
    const defined = finding.related.find((r) => /is defined here/.test(r.message));
    assert.equal(defined && text.slice(defined.start, defined.end), 'loadTags');
  });
});

describe('n-plus-one: a list declared empty and filled is not a constant list', () => {
  const filled: ReadonlyArray<readonly [CodeLanguage, string]> = [
    ['typescript', "export async function f(rows: { id: number }[]) {\n  const ids: number[] = [];\n  for (const r of rows) ids.push(r.id);\n  for (const id of ids) {\n    await pool.query('SELECT * FROM t WHERE id = $1', [id]);\n  }\n}\n"],
    ['python', 'def f(cur, rows):\n    ids = []\n    for r in rows:\n        ids.append(r.id)\n    for i in ids:\n        cur.execute("SELECT * FROM t WHERE id = %s", (i,))\n'],
    ['go', 'package x\n\nfunc f(ctx context.Context, db *sql.DB, rows []Row) {\n\tids := []int{}\n\tfor _, r := range rows {\n\t\tids = append(ids, r.ID)\n\t}\n\tfor _, id := range ids {\n\t\tdb.QueryContext(ctx, "SELECT * FROM t WHERE id = $1", id)\n\t}\n}\n'],
  ];
  for (const [language, text] of filled) {
    it(`${language}: reported`, async () => {
      const summary = await summarizeSnippet(language, text);
      assert.equal(checkNPlusOne(summary, buildIndex([summary])).length, 1, text);
    });
  }
  it('a literal of a few items never added to stays quiet', async () => {
    const text = "export async function f() {\n  const kinds = ['a', 'b'];\n  for (const k of kinds) {\n    await pool.query('SELECT * FROM t WHERE kind = $1', [k]);\n  }\n}\n";
    const summary = await summarizeSnippet('typescript', text);
    assert.deepEqual(checkNPlusOne(summary, buildIndex([summary])), []);
  });
});

describe('n-plus-one: a worker draining a queue one claimed item at a time is not an N+1', () => {
  it('python: `while self.claim_one(): pass`', async () => {
    const text = 'class Worker:\n    def claim_one(self):\n        job = Job.objects.filter(done=False).first()\n        if job is None:\n            return False\n        job.run()\n        return True\n\n    def run(self):\n        while self.claim_one() and not self.stopping:\n            pass\n';
    const summary = await summarizeSnippet('python', text);
    assert.deepEqual(checkNPlusOne(summary, buildIndex([summary])), []);
  });
  it('typescript: `while (await claimNext()) {}`', async () => {
    const text = "async function claimNext() {\n  const { rows } = await pool.query('DELETE FROM jobs WHERE id = (SELECT id FROM jobs LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING *');\n  return rows.length > 0;\n}\nexport async function drain() {\n  while (await claimNext()) {}\n}\n";
    const summary = await summarizeSnippet('typescript', text);
    assert.deepEqual(checkNPlusOne(summary, buildIndex([summary])), []);
  });
  it('a while loop that queries per item in its body is still reported', async () => {
    const text = "export async function f(ids: number[]) {\n  let i = 0;\n  while (i < ids.length) {\n    await pool.query('SELECT * FROM t WHERE id = $1', [ids[i]]);\n    i++;\n  }\n}\n";
    const summary = await summarizeSnippet('typescript', text);
    assert.equal(checkNPlusOne(summary, buildIndex([summary])).length, 1);
  });
});

describe('n-plus-one: migration runners are left alone, and the setting shows the same defaults', () => {
  it('pkg/migration/ and *migrator* files are not checked', async () => {
    const text = 'package x\n\nfunc apply(ctx context.Context, db *sql.DB, files []string) {\n\tfor _, f := range files {\n\t\tdb.ExecContext(ctx, "INSERT INTO applied (name) VALUES ($1)", f)\n\t}\n}\n';
    for (const path of ['pkg/migration/20260101.go', 'store/migrator.go']) {
      const summary = await summarizeSnippet('go', text, path);
      assert.deepEqual(checkNPlusOne(summary, buildIndex([summary])), [], path);
    }
    const app = await summarizeSnippet('go', text, 'store/files.go');
    assert.equal(checkNPlusOne(app, buildIndex([app])).length, 1);
  });
  it("package.json's excludeGlobs default is the rule's default", () => {
    const manifest = JSON.parse(readFileSync(join(__dirname, '../../../../package.json'), 'utf8')) as { contributes: { configuration: { properties: Record<string, { default?: unknown }> } } };
    const setting = manifest.contributes.configuration.properties['pgInsight.diagnostics.excludeGlobs'];
    assert.deepEqual(setting?.default, [...DEFAULT_IGNORE_GLOBS]);
  });
});

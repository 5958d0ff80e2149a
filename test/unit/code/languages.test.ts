/**
 * The language adapters, seen through the summary they feed: what each
 * language counts as a loop (and its label), a call, a function and its
 * name, an import, and the literal text of a string.
 */
import assert from 'node:assert/strict';
import { languageForEditorId, languageForPath } from '../../../src/core/code/languages';
import type { CodeLanguage, FileSummary } from '../../../src/core/code/types';
import { summarizeSnippet } from './support';

function loopLabels(s: FileSummary): string[] {
  return s.loops.map((l) => `${l.kind}: ${l.label}${l.quiet ? ` [${l.quiet}]` : ''}`);
}

function fnNames(s: FileSummary): string[] {
  return s.functions.map((f) => `${f.className ? `${f.className}.` : ''}${f.name}${f.exported ? '' : ' (local)'}${f.memoised ? ' (memoised)' : ''}`);
}

function callNames(s: FileSummary): string[] {
  return s.calls.map((c) => `${c.kind}:${c.receiver ? `${c.receiver}.` : ''}${c.name}`);
}

describe('language adapters', () => {
  it('maps paths and editor language ids to languages', () => {
    const cases: [string, CodeLanguage | undefined][] = [
      ['a.ts', 'typescript'], ['a.mts', 'typescript'], ['a.tsx', 'tsx'], ['a.js', 'javascript'], ['a.jsx', 'javascript'],
      ['a.cjs', 'javascript'], ['a.py', 'python'], ['a.go', 'go'], ['a.rb', 'ruby'], ['types.d.ts', undefined], ['a.sql', undefined], ['a.constructor', undefined], ['a.toString', undefined],
    ];
    for (const [path, lang] of cases) assert.equal(languageForPath(path), lang, path);
    assert.equal(languageForEditorId('typescriptreact'), 'tsx');
    assert.equal(languageForEditorId('javascriptreact'), 'javascript');
    assert.equal(languageForEditorId('plaintext'), undefined);
    assert.equal(languageForEditorId('constructor'), undefined);
  });

  describe('TypeScript', () => {
    it('recognises statement loops, callback loops and their labels', async () => {
      const s = await summarizeSnippet('typescript', `
for (let i = 0; i < n; i++) { use(i); }
for (const u of users) {}
for (const k in obj) {}
for await (const e of stream) {}
while (queue.length) {}
do {} while (more);
users.forEach((u) => u);
ids.map(async (id) => id);
ids.flatMap((id) => [id]);
ids.reduce((acc, id) => acc + id, 0);
ids.filter((id) => id).some((id) => id);
ids.every((id) => id > 0);
repo.find(id);
_.map(items, (i) => i);
await pMap(items, (i) => i);
`);
      assert.deepEqual(loopLabels(s), [
        'condition: `for` loop',
        'statement: `for…of` loop over `users`',
        'statement: `for…in` loop over `obj`',
        'statement: `for await…of` loop over `stream`',
        'condition: `while` loop',
        'condition: `do…while` loop',
        'callback: `.forEach` callback over `users`',
        'callback: `.map` callback over `ids`',
        'callback: `.flatMap` callback over `ids`',
        'callback: `.reduce` callback over `ids`',
        'callback: `.some` callback over `ids.filter((id) => id)`',
        'callback: `.filter` callback over `ids`',
        'callback: `.every` callback over `ids`',
        'callback: `_.map` callback over `items`',
        'callback: `pMap` callback over `items`',
      ]);
    });

    it('treats a function passed as the callback as a call per item', async () => {
      const s = await summarizeSnippet('typescript', 'async function f(ids: number[]) { return Promise.all(ids.map(loadUser)); }');
      const ref = s.calls.find((c) => c.kind === 'reference');
      assert.equal(ref?.name, 'loadUser');
      assert.deepEqual(ref?.loops.map((l) => s.loops[l.loop]?.label), ['`.map` callback over `ids`']);
    });

    it('names functions, methods, arrow functions and memoised wrappers', async () => {
      const s = await summarizeSnippet('typescript', `
export function a() {}
function b() {}
export const c = async () => {};
const d = memoize(async (id: number) => id);
export class Repo { async find(id: number) {} private load = async () => {}; }
export const repo = { async byId(id: number) {} };
export default function () {}
`);
      assert.deepEqual(fnNames(s), ['a', 'b (local)', 'c', 'd (local) (memoised)', 'Repo.find', 'Repo.load', 'repo.byId']);
    });

    it('reads imports (ES and CommonJS) and exports', async () => {
      const s = await summarizeSnippet('typescript', `
import def, { a, b as c } from './m';
import * as ns from '../ns';
const { x, y: z } = require('./cjs');
const whole = require('./whole');
export { a as exportedA };
export default def;
module.exports = { x };
`);
      assert.deepEqual(s.imports.map((i) => `${i.local}<-${i.module}:${i.imported}`), [
        'def<-./m:default', 'a<-./m:a', 'c<-./m:b', 'ns<-../ns:*', 'x<-./cjs:x', 'z<-./cjs:y', 'whole<-./whole:*',
      ]);
      assert.deepEqual(s.exports, [['exportedA', 'a'], ['default', 'def'], ['x', 'x']]);
    });

    it('classifies calls for the call graph', async () => {
      const s = await summarizeSnippet('typescript', `
class S { async run(ids: number[]) { for (const id of ids) { await this.load(id); await helper(id); await this.users.lookup(id); } } }
`);
      assert.deepEqual(callNames(s), ['self:load', 'plain:helper', 'member:this.users.lookup']);
    });
  });

  describe('TSX and JavaScript', () => {
    it('finds loops inside JSX', async () => {
      const s = await summarizeSnippet('tsx', 'export const L = ({ xs }: { xs: string[] }) => <ul>{xs.map((x) => <li key={x}>{x}</li>)}</ul>;');
      assert.deepEqual(loopLabels(s), ['callback: `.map` callback over `xs`']);
    });

    it('parses JSX in .js files', async () => {
      const s = await summarizeSnippet('javascript', 'function L({ xs }) { return <ul>{xs.map((x) => <li>{x}</li>)}</ul>; }');
      assert.equal(s.hasErrors, false);
      assert.deepEqual(loopLabels(s), ['callback: `.map` callback over `xs`']);
      assert.deepEqual(fnNames(s), ['L (local)']);
    });
  });

  describe('Python', () => {
    it('recognises loops, comprehensions and map()', async () => {
      const s = await summarizeSnippet('python', `
for u in users: pass
async for e in stream: pass
while pending: pass
a = [f(x) for x in xs]
b = {x for x in xs}
c = {k: v for k, v in items}
d = sum(x for x in xs)
e = list(map(lambda i: i, ids))
for i in range(3): pass
`);
      assert.deepEqual(loopLabels(s), [
        'statement: `for` loop over `users`',
        'statement: `async for` loop over `stream`',
        'condition: `while` loop',
        'comprehension: list comprehension over `xs`',
        'comprehension: set comprehension over `xs`',
        'comprehension: dict comprehension over `items`',
        'comprehension: generator expression over `xs`',
        'callback: `map` callback over `ids`',
        'statement: `for` loop over `range(3)` [constant-list]',
      ]);
    });

    it('names functions and methods and sees @lru_cache', async () => {
      const s = await summarizeSnippet('python', `
from functools import lru_cache, cache
@lru_cache(maxsize=10)
def a(x): pass
@cache
def b(): pass
class Repo:
    def find(self, id):
        def inner(): pass
`);
      assert.deepEqual(fnNames(s), ['a (memoised)', 'b (memoised)', 'Repo.find', 'inner (local)']);
    });

    it('reads imports', async () => {
      const s = await summarizeSnippet('python', 'import app.db\nimport app.repo as repo\nfrom . import users\nfrom ..x.y import load as ld, other\n');
      assert.deepEqual(s.imports.map((i) => `${i.local}<-${i.module}:${i.imported}`), [
        'app.db<-app.db:*', 'repo<-app.repo:*', 'users<-.:users', 'ld<-..x.y:load', 'other<-..x.y:other',
      ]);
    });

    it('reads Django model relations, including reverse accessors', async () => {
      const s = await summarizeSnippet('python', `
class Book(models.Model):
    author = models.ForeignKey("Author", on_delete=models.CASCADE, related_name="books")
    editor = models.ForeignKey(Person, on_delete=models.CASCADE)
    tags = models.ManyToManyField(Tag)
    cover = models.OneToOneField("media.Image", on_delete=models.CASCADE)
    title = models.CharField(max_length=10)
`);
      assert.deepEqual(s.models, [{
        framework: 'django',
        name: 'Book',
        relations: [
          { name: 'author', kind: 'to-one', target: 'Author' },
          { name: 'editor', kind: 'to-one', target: 'Person' },
          { name: 'tags', kind: 'to-many', target: 'Tag' },
          { name: 'cover', kind: 'to-one', target: 'Image' },
        ],
        reverse: [
          { model: 'Author', relation: { name: 'books', kind: 'to-many', target: 'Book' } },
          { model: 'Person', relation: { name: 'book_set', kind: 'to-many', target: 'Book' } },
          { model: 'Tag', relation: { name: 'book_set', kind: 'to-many', target: 'Book' } },
          { model: 'Image', relation: { name: 'book', kind: 'to-one', target: 'Book' } },
        ],
      }]);
    });
  });

  describe('Go', () => {
    it('recognises the four for forms and lo callbacks', async () => {
      const s = await summarizeSnippet('go', `package p
func f() {
	for _, id := range ids {}
	for i := 0; i < 3; i++ {}
	for rows.Next() {}
	for {}
	lo.ForEach(items, func(x int, _ int) {})
}
`);
      assert.deepEqual(loopLabels(s), [
        'statement: `for … range` loop over `ids`',
        'condition: `for` loop [constant-list]',
        // An empty body behind a call: nothing runs per iteration but the call (a drain loop).
        'condition: `for` loop [drain]',
        'condition: `for` loop',
        'callback: `lo.ForEach` callback over `items`',
      ]);
    });

    it('names functions and methods; the receiver is self', async () => {
      const s = await summarizeSnippet('go', `package p
func Exported() {}
func local() {}
func (s *Store) Load(id int) { s.fetch(id); other.Do() }
`);
      assert.deepEqual(fnNames(s), ['Exported', 'local (local)', 'Store.Load']);
      assert.deepEqual(callNames(s), ['self:fetch', 'member:other.Do']);
    });

    it('binds imports to the last path element or the alias', async () => {
      const s = await summarizeSnippet('go', 'package p\nimport (\n\t"example.com/app/store"\n\tst "example.com/x/other"\n\t_ "github.com/lib/pq"\n)\n');
      assert.deepEqual(s.imports.map((i) => `${i.local}<-${i.module}`), ['store<-example.com/app/store', 'st<-example.com/x/other']);
    });
  });

  describe('Ruby', () => {
    it('recognises loops and iterating blocks', async () => {
      const s = await summarizeSnippet('ruby', `
users.each { |u| u }
ids.map do |id| id end
items.each_with_index { |x, i| x }
3.times { }
Post.find_each { |p| p }
ids.each_slice(100) { |batch| batch }
loop do break end
while x do end
until y do end
for a in b do end
`);
      assert.deepEqual(loopLabels(s), [
        'callback: `each` block over `users`',
        'callback: `map` block over `ids`',
        'callback: `each_with_index` block over `items`',
        'callback: `times` block over `3` [constant-list]',
        'callback: `find_each` block over `Post`',
        'callback: `each_slice` block over `ids` [chunked]',
        'condition: `loop do` block',
        'condition: `while` loop',
        'condition: `until` loop',
        'statement: `for` loop over `b`',
      ]);
    });

    it('names methods, class methods and reads ActiveRecord associations', async () => {
      const s = await summarizeSnippet('ruby', `
class Post < ApplicationRecord
  belongs_to :author
  has_many :comments
  has_and_belongs_to_many :categories
  has_one :cover, class_name: "Image"
  def self.recent; end
  def title; end
end
`);
      assert.deepEqual(fnNames(s), ['Post.recent', 'Post.title']);
      assert.deepEqual(s.models[0]?.relations, [
        { name: 'author', kind: 'to-one', target: 'Author' },
        { name: 'comments', kind: 'to-many', target: 'Comment' },
        { name: 'categories', kind: 'to-many', target: 'Category' },
        { name: 'cover', kind: 'to-one', target: 'Image' },
      ]);
    });

    it('takes a class with association macros on an app base class for a model, and a plain class for none', async () => {
      // Solidus's models extend `Spree::Base` (itself an ActiveRecord class defined in the gem).
      const s = await summarizeSnippet('ruby', `
module Spree
  class LineItem < Spree::Base
    belongs_to :variant, -> { with_discarded }, inverse_of: :line_items
    has_many :adjustments, as: :adjustable
  end
  class ContentItem < Struct
    def variant; end
  end
  class Calculator
    def compute; end
  end
end
`);
      assert.deepEqual(s.models.map((m) => [m.name, m.relations.map((r) => r.name)]), [['LineItem', ['variant', 'adjustments']]]);
    });
  });
});

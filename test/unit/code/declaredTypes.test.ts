/**
 * Declared types are read lazily (only for receivers the query table asks
 * about), and plain name lists and literals are read from the text: these
 * shortcuts must give the answers the full tree reading gives.
 */
import assert from 'node:assert/strict';
import { ADAPTERS } from '../../../src/core/code/languages';
import { summarizeSnippet, textAt } from './support';

const ts = ADAPTERS.typescript;

describe('declared types and text shortcuts', () => {
  it('guesses the bound name of a typed binding from its text, or says there is no annotation', () => {
    const guess = (text: string, complete = true) => ts.typedBindingName?.(text, complete);
    assert.equal(guess('users: Repository<User>'), 'users');
    assert.equal(guess('private readonly users: Repository<User>'), 'users');
    assert.equal(guess('id?: number'), 'id');
    assert.equal(guess('em!: EntityManager'), 'em');
    assert.equal(guess('readonly: boolean'), 'readonly');
    assert.equal(guess('out = []'), null);
    assert.equal(guess('p'), null);
    assert.equal(guess('{ rows }: Result'), null);
    // Unsure: the tree decides.
    assert.equal(guess('p', false), undefined);
    assert.equal(guess('@Inject() users: Repository<User>'), undefined);
    assert.equal(guess('static cache: Map<string, User>'), undefined);
    assert.equal(guess('x /* note */ : T'), undefined);
  });

  it('matches a receiver by its declared type, the latest declaration before the call winning', async () => {
    const code = [
      'class A { constructor(private readonly store: Repository<User>) {} f() { return this.store.findOne({ where: { id: 1 } }); } }',
      'class B { constructor(private readonly store: Map<string, User>) {} f() { return this.store.findOne({ where: { id: 1 } }); } }',
    ].join('\n');
    const s = await summarizeSnippet('typescript', code);
    assert.deepEqual(s.queries.map((q) => q.api), ['typeorm.repository']);
    assert.ok(textAt(code, s.queries[0]!).startsWith('this.store.findOne'));
    assert.ok(s.queries[0]!.start < code.indexOf('class B'));
  });

  it('reads plain parameter lists and destructurings from the text, and the rest from the tree', async () => {
    const code = [
      'async function f(ids: number[]) {',
      '  ids.forEach((id, i) => pool.query("SELECT 1 WHERE $1 = $2", [id, i]));',
      '  for (const { id: key, name = fallback } of rows) await pool.query("SELECT 2", [key, name]);',
      '  for (const [a, b,] of pairs) await pool.query("SELECT 3", [a, b]);',
      '}',
    ].join('\n');
    const s = await summarizeSnippet('typescript', code);
    assert.equal(s.queries.length, 3);
    assert.ok(s.queries.every((q) => q.loops.length === 1));
  });

  it('reads literals without escapes or substitutions between their quotes, and the others part by part', async () => {
    const code = [
      "pool.query('SELECT * FROM users WHERE id = $1', [1]);",
      'pool.query("SELECT * FROM users WHERE name = \'a\\\\b\'");',
      'pool.query(`SELECT * FROM ${table} WHERE id = $1`, [1]);',
      'pool.query(``);',
    ].join('\n');
    const s = await summarizeSnippet('typescript', code);
    const texts = s.sql.map((e) => e.text);
    assert.ok(texts.includes('SELECT * FROM users WHERE id = $1'));
    assert.ok(texts.some((t) => t.includes("name = 'a\\b'")));
    assert.ok(texts.some((t) => /^SELECT \* FROM \S+ WHERE id = \$1$/.test(t)));
    const first = s.sql.find((e) => e.text.startsWith('SELECT * FROM users WHERE id'));
    assert.equal(code.slice(first!.start, first!.end), "'SELECT * FROM users WHERE id = $1'");
  });
});

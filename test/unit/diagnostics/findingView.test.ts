import * as assert from 'node:assert/strict';
import { lineStarts } from '../../../src/core/code/suppression';
import { docsPath, levelFor, positionAt, suppressionComment, toView, type RatedFinding } from '../../../src/diagnostics/findingView';

const loop = 'for (const id of ids) {\n  // é 日本 😀\n  await pool.query(q, [id]);\n}\n';
const helper = 'export function load() {\n  return 1;\n}\n';

function finding(overrides: Partial<RatedFinding> = {}): RatedFinding {
  const start = loop.indexOf('pool.query');
  return {
    ruleId: 'n-plus-one',
    path: 'src/a.ts',
    start,
    end: start + 'pool.query(q, [id])'.length,
    message: 'N+1 query',
    related: [
      { path: 'src/a.ts', start: 0, end: 3, message: 'the loop' },
      { path: 'src/helper.ts', start: helper.indexOf('return'), end: helper.indexOf('return') + 6, message: 'the helper' },
      { path: 'src/unknown.ts', start: 0, end: 1, message: 'a file the index does not hold' },
    ],
    data: { library: 'node-postgres', hint: 'use ANY($1)' },
    ...overrides,
  };
}

const tables: Record<string, readonly number[]> = { 'src/a.ts': lineStarts(loop), 'src/helper.ts': lineStarts(helper) };

describe('diagnostics: finding view', () => {
  it('converts UTF-16 offsets to zero-based lines and characters, after non-ASCII lines', () => {
    const v = toView(finding(), 'warning', (p) => tables[p]);
    assert.deepEqual([v.start, v.end], [{ line: 2, character: 8 }, { line: 2, character: 27 }]);
    const starts = lineStarts('a😀b\ncd');
    assert.deepEqual(positionAt(starts, 'a😀b\nc'.length), { line: 1, character: 1 });
  });

  it('spells out bidi controls of names in messages', () => {
    const v = toView(finding({ message: 'No index serves "orders\u202Etxt".', related: [{ path: 'src/a.ts', start: 0, end: 3, message: 'table \u2067x' }] }), 'warning', (p) => tables[p]);
    assert.equal(v.message, 'No index serves "orders\\u202Etxt".');
    assert.equal(v.related[0]?.message, 'table \\u2067x');
  });

  it('carries the rule id, docs page, data, and the related locations the index knows', () => {
    const v = toView(finding(), 'warning', (p) => tables[p]);
    assert.equal(v.docsPath, 'docs/rules/n-plus-one.md');
    assert.equal(docsPath('missing-index'), 'docs/rules/missing-index.md');
    assert.deepEqual(v.data, { library: 'node-postgres', hint: 'use ANY($1)' });
    assert.deepEqual(
      v.related.map((r) => [r.path, r.start.line, r.start.character, r.message]),
      [['src/a.ts', 0, 0, 'the loop'], ['src/helper.ts', 1, 2, 'the helper']],
    );
  });

  it('takes the severity from the per-rule setting, else from the rule, else warning', () => {
    assert.equal(levelFor(finding(), {}), 'warning');
    assert.equal(levelFor(finding({ severity: 'information' }), {}), 'information');
    assert.equal(levelFor(finding({ severity: 'information' }), { 'n-plus-one': 'error' }), 'error');
    assert.equal(levelFor(finding(), { 'n-plus-one': 'info' }), 'information');
    assert.equal(levelFor(finding(), { 'n-plus-one': 'off' }), undefined);
    assert.equal(levelFor(finding(), { 'n-plus-one': 'loud' }), 'warning', 'an unknown value keeps the rule severity');
    assert.equal(levelFor(finding(), { 'missing-index': 'off' }), 'warning');
  });

  it('writes the suppression comment in the language of the file', () => {
    assert.equal(suppressionComment('src/a.ts', 'n-plus-one'), '// pg-insight-ignore n-plus-one');
    assert.equal(suppressionComment('app/r.py', 'missing-index'), '# pg-insight-ignore missing-index');
    assert.equal(suppressionComment('app/r.rb', 'n-plus-one'), '# pg-insight-ignore n-plus-one');
    assert.equal(suppressionComment('db/q.sql', 'sql-syntax'), '-- pg-insight-ignore sql-syntax');
  });
});

import assert from 'node:assert/strict';
import { loadSqlParser, parseSql } from '../../../src/core/sql/parser';
import { rewritePlaceholders } from '../../../src/core/sql/placeholders';

describe('sql/placeholders', () => {
  before(() => loadSqlParser());

  const cases: ReadonlyArray<readonly [string, string, string]> = [
    ['question marks', 'SELECT * FROM t WHERE a = ? AND b IN (?, ?)', 'SELECT * FROM t WHERE a = $1 AND b IN ($2, $3)'],
    ['named, repeated names share a number', 'UPDATE t SET a = :a WHERE id = :id OR parent = :id', 'UPDATE t SET a = $1 WHERE id = $2 OR parent = $2'],
    ['casts and := stay', 'SELECT :v::int, f(x := 1), now()::date', 'SELECT $1::int, f(x := 1), now()::date'],
    // Sequelize replacements inside an array constructor (outline's popularity task).
    ['ARRAY[:ids] is a placeholder', 'SELECT * FROM unnest(ARRAY[:documentIds]::uuid[]) AS t(id) WHERE m[:n] > ARRAY [ :a, :b ][1]', 'SELECT * FROM unnest(ARRAY[$1]::uuid[]) AS t(id) WHERE m[:n] > ARRAY [ $2, $3 ][1]'],
    ['array slices stay', 'SELECT arr[1:2], arr[lo:hi], arr[:n] FROM t WHERE id = :id', 'SELECT arr[1:2], arr[lo:hi], arr[:n] FROM t WHERE id = $1'],
    ['jsonb operators stay', "SELECT * FROM t WHERE data ? 'k' AND data ?| array['a'] AND data ?& array['b'] AND id = ?", "SELECT * FROM t WHERE data ? 'k' AND data ?| array['a'] AND data ?& array['b'] AND id = $1"],
    ['jsonb ? after a paren or bracket', "SELECT (a->'b') ? 'c', x[1] ? E'd', \"Q\" ? 'e' FROM t", "SELECT (a->'b') ? 'c', x[1] ? E'd', \"Q\" ? 'e' FROM t"],
    ['a placeholder before a string after a keyword', "SELECT CASE WHEN ? THEN 'a' ELSE ? END, a LIKE ? || '%' FROM t", "SELECT CASE WHEN $1 THEN 'a' ELSE $2 END, a LIKE $3 || '%' FROM t"],
    ['?|| is a placeholder and concatenation', "SELECT ?||'x'", "SELECT $1||'x'"],
    ['literals, identifiers and comments stay', "SELECT 'a ? :b', E'\\' ? :c', \"d?:e\", $q$ ? :f $q$ -- ? :g\n/* ? :h */ FROM t WHERE x = ?", "SELECT 'a ? :b', E'\\' ? :c', \"d?:e\", $q$ ? :f $q$ -- ? :g\n/* ? :h */ FROM t WHERE x = $1"],
    ['numbering continues after existing $n', 'SELECT $1, $2, ?, :n', 'SELECT $1, $2, $3, $4'],
    ['numbered ?n become $n', 'SELECT * FROM t WHERE a = ?1 AND b = ?2 OR a = ?1', 'SELECT * FROM t WHERE a = $1 AND b = $2 OR a = $1'],
    ['numbered ?n above 9 and out of order', 'SELECT ?12, ?3', 'SELECT $12, $3'],
    ['plain ? and :name after the highest ?n or $n', 'SELECT ?2, ?, :name, $5, ?', 'SELECT $2, $6, $7, $5, $8'],
    ['?n in literals, identifiers and comments stays', "SELECT '?1', \"?2\" -- ?3\n FROM t WHERE x = ?1", "SELECT '?1', \"?2\" -- ?3\n FROM t WHERE x = $1"],
    ['?n next to the jsonb operators', "SELECT data ?| array['a'], data ? 'k' FROM t WHERE id = ?1", "SELECT data ?| array['a'], data ? 'k' FROM t WHERE id = $1"],
  ];
  for (const [name, input, expected] of cases) {
    it(name, () => assert.equal(rewritePlaceholders(input).text, expected));
  }

  it('lists placeholders with names and original offsets', () => {
    const text = 'SELECT * FROM t WHERE a = :alpha AND b = ? AND c = :alpha';
    const r = rewritePlaceholders(text);
    assert.deepEqual(r.placeholders.map((p) => [p.name, p.index, text.slice(p.start, p.end)]), [
      ['alpha', 1, ':alpha'],
      [null, 2, '?'],
      ['alpha', 1, ':alpha'],
    ]);
    assert.equal(r.parameterCount, 2);
  });

  it('lists numbered ?n placeholders with their own number and offsets', () => {
    const text = 'UPDATE t SET a = ?2 WHERE id = ?1 AND b = ?';
    const r = rewritePlaceholders(text);
    assert.deepEqual(r.placeholders.map((p) => [p.name, p.index, text.slice(p.start, p.end)]), [
      [null, 2, '?2'],
      [null, 1, '?1'],
      [null, 3, '?'],
    ]);
    assert.equal(r.parameterCount, 3);
    assert.equal(r.toOriginal(r.text.indexOf('WHERE')), text.indexOf('WHERE'));
    assert.ok(parseSql(r.text).ok, r.text);
  });

  it('maps offsets both ways, also with non-ASCII text', () => {
    const text = "SELECT 'é' AS ü, :name_long AS x FROM t WHERE y = ? AND z = 'ß'";
    const r = rewritePlaceholders(text);
    const zOriginal = text.indexOf('z =');
    const zRewritten = r.text.indexOf('z =');
    assert.equal(r.toRewritten(zOriginal), zRewritten);
    assert.equal(r.toOriginal(zRewritten), zOriginal);
    // Inside a replacement the map points into the original placeholder.
    const dollar = r.text.indexOf('$1');
    assert.equal(r.toOriginal(dollar), text.indexOf(':name_long'));
    assert.equal(r.toOriginal(0), 0);
  });

  it('produces text the real parser accepts', () => {
    const r = rewritePlaceholders("SELECT * FROM users WHERE email = :email AND meta ? 'admin' AND id IN (?, ?) LIMIT :limit");
    assert.ok(parseSql(r.text).ok, r.text);
    assert.ok(!parseSql("SELECT * FROM users WHERE email = :email").ok, 'the parser itself rejects :name');
  });
});

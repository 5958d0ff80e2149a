import assert from 'node:assert/strict';
import { loadSqlParser, parseSql, isSqlParserLoaded } from '../../../src/core/sql/parser';

describe('sql/parser', () => {
  before(() => loadSqlParser());

  it('loads once and parses synchronously afterwards', async () => {
    await loadSqlParser();
    assert.equal(isSqlParserLoaded(), true);
    const r = parseSql('SELECT 1');
    assert.ok(r.ok);
    assert.equal(r.statements[0]?.type, 'SelectStmt');
  });

  it('gives UTF-16 statement ranges for text with accents and emoji', () => {
    const text = "SELECT 'é😀' AS x; UPDATE t SET a = 'ü' WHERE b = 'ß'";
    const r = parseSql(text);
    assert.ok(r.ok);
    assert.deepEqual(r.statements.map((s) => s.text), ["SELECT 'é😀' AS x", "UPDATE t SET a = 'ü' WHERE b = 'ß'"]);
    const second = r.statements[1]!;
    assert.equal(text.slice(second.start, second.end), second.text);
    assert.equal(second.start, text.indexOf('UPDATE'));
  });

  it('excludes leading and trailing comments and the semicolon from a statement', () => {
    const text = '/* head */ SELECT 1 -- tail\n;\n-- only a comment\nSELECT 2 /* end */';
    const r = parseSql(text);
    assert.ok(r.ok);
    assert.deepEqual(r.statements.map((s) => s.text), ['SELECT 1', 'SELECT 2']);
  });

  it('parses text holding control characters (form feed, U+001A) that the grammar library cannot put in its JSON', () => {
    const text = "SELECT '\u001a' AS a,\f'x' AS b; SELECT 2";
    const r = parseSql(text);
    assert.ok(r.ok, r.ok ? '' : r.error.message);
    assert.equal(r.statements.length, 2);
    assert.equal(r.statements[0]?.text, "SELECT '\u001a' AS a,\f'x' AS b");
    assert.equal(r.statements[1]?.text, 'SELECT 2');
  });

  it('refuses a NUL character, where the grammar would stop reading and PostgreSQL refuses the text', () => {
    const r = parseSql('SELECT 1\u0000; DELETE FROM t');
    assert.equal(r.ok, false);
    if (!r.ok) assert.equal(r.error.position, 8);
  });

  it('keeps semicolons inside strings and function bodies in one statement', () => {
    const text = "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1; $$; SELECT ';'";
    const r = parseSql(text);
    assert.ok(r.ok);
    assert.equal(r.statements.length, 2);
    assert.equal(r.statements[1]!.text, "SELECT ';'");
  });

  it('reports a syntax error with a UTF-16 position after astral characters', () => {
    const text = "SELECT '😀😀' FRM t";
    const r = parseSql(text);
    assert.equal(r.ok, false);
    if (r.ok) return;
    assert.match(r.error.message, /syntax error at or near "t"/);
    assert.equal(r.error.position, text.lastIndexOf('t'));
  });

  it('reports an unterminated string at its opening quote', () => {
    const r = parseSql("SELECT 'é', 'abc");
    assert.equal(r.ok, false);
    if (!r.ok) assert.equal(r.error.position, 12);
  });

  it('returns no statements for blank or comment-only text', () => {
    for (const text of ['', '   \n', '-- nothing here', ';;']) {
      const r = parseSql(text);
      assert.ok(r.ok, text);
      assert.equal(r.statements.length, 0, text);
    }
  });
});

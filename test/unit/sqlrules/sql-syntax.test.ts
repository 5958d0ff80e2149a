import assert from 'node:assert/strict';
import type { SqlText } from '../../../src/core/code/types';
import { loadSqlParser } from '../../../src/core/sql/parser';
import { checkSql, checkSqlFile } from '../../../src/core/sqlrules/check';
import { sourceFromSqlText } from '../../../src/core/sqlrules/source';
import { tokenSpan, withNamesForPlaceholders } from '../../../src/core/sqlrules/sql-syntax';
import { brief, check } from './support';

const syntax = (sql: string) => check(sql, undefined, ['sql-syntax']);

describe('sql-syntax', () => {
  before(() => loadSqlParser());

  it('reports what PostgreSQL would reject, at the token the parser stopped on', () => {
    const sql = 'SELECT * FORM users WHERE id = $1';
    const f = syntax(sql);
    assert.deepEqual(brief(sql, f), ['sql-syntax error "FORM"']);
    assert.equal(f[0]!.message, 'PostgreSQL would reject this SQL: syntax error at or near "FORM".');
  });

  it('is quiet on valid SQL, PostgreSQL 18 syntax and multi-statement text', () => {
    assert.deepEqual(syntax('SELECT 1; UPDATE t SET a = 1 WHERE b IN (SELECT c FROM d) RETURNING old.a, new.a'), []);
    assert.deepEqual(syntax("MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN UPDATE SET v = s.v"), []);
  });

  it('points at the end of the text when the statement is cut short', () => {
    const sql = 'SELECT * FROM users WHERE id = ';
    assert.deepEqual(brief(sql, syntax(sql)), ['sql-syntax error "="']);
    assert.match(syntax(sql)[0]!.message, /at end of input/);
  });

  it('maps the position back through ? and :name placeholders and non-ASCII text', () => {
    const q = "SELECT '👋 grüß' AS hi, name FROM users WHERE id = ? AND org = :org AND AND name = :name";
    assert.deepEqual(brief(q, syntax(q)), ['sql-syntax error "AND"']);
    assert.equal(syntax(q)[0]!.start, q.lastIndexOf('AND name'));
    const unterminated = "SELECT 'é' FROM t WHERE a = :a AND b = 'open";
    assert.deepEqual(brief(unterminated, syntax(unterminated)), ["sql-syntax error \"'open\""]);
  });

  it('maps through the source map of SQL found in code', () => {
    // const rows = await db.query(`SELECT * FROM users WHERE id = ${id} AND ORDER BY id`);
    const code = 'const rows = await db.query(`SELECT * FROM users WHERE id = ${id} AND ORDER BY id`);';
    const lit = code.indexOf('`') + 1;
    const sub = code.indexOf('${id}');
    const text = 'SELECT * FROM users WHERE id = $1 AND ORDER BY id';
    const sql: SqlText = {
      start: lit - 1,
      end: code.lastIndexOf('`') + 1,
      text,
      origin: 'api',
      dynamic: true,
      // Literal text, the substitution standing for `$1`, literal text again.
      map: [[0, lit, sub - lit], [sub - lit, sub, 5], [sub - lit + 2, sub + 5, text.length - (sub - lit + 2)]],
    };
    const f = checkSql(sourceFromSqlText('app.ts', sql), undefined);
    assert.deepEqual(f.map((x) => `${x.ruleId} ${code.slice(x.start, x.end)}`), ['sql-syntax ORDER']);
    assert.equal(f[0]!.path, 'app.ts');
  });

  it('says nothing about SQL built from code when the interpolations could make it valid', () => {
    const text = 'SELECT * FROM $1 WHERE $2 ORDER BY $3';
    const sql: SqlText = { start: 0, end: text.length, text, origin: 'tagged-template', dynamic: true, map: [[0, 0, text.length]] };
    assert.deepEqual(checkSql(sourceFromSqlText('a.ts', sql), undefined), []);
    assert.equal(withNamesForPlaceholders("SELECT $1, '$2' FROM $3"), "SELECT _1, '$2' FROM _3");
    // The same text written by hand is wrong.
    assert.equal(syntax(text).length, 1);
  });

  it('honours pg-insight-ignore comments in .sql files', () => {
    const file = 'SELECT 1;\n-- pg-insight-ignore sql-syntax\nSELEC 2;\nSELEC 3;\n';
    const f = checkSqlFile('q.sql', file, undefined);
    assert.deepEqual(f.map((x) => file.slice(x.start, x.end)), ['SELEC']);
    assert.equal(f[0]!.start, file.lastIndexOf('SELEC'));
  });

  it('finds a token span at any position', () => {
    assert.deepEqual(tokenSpan('SELECT "a b" x', 7), { start: 7, end: 12 });
    assert.deepEqual(tokenSpan('SELECT ((', 9), { start: 8, end: 9 });
    assert.deepEqual(tokenSpan('', 0), { start: 0, end: 1 });
    assert.deepEqual(tokenSpan('SELECT * FROM users WHERE  ', 27), { start: 20, end: 25 });
  });
});

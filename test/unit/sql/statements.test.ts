import assert from 'node:assert/strict';
import { loadSqlParser } from '../../../src/core/sql/parser';
import { splitStatements, statementAt } from '../../../src/core/sql/statements';

describe('sql/statements', () => {
  before(() => loadSqlParser());

  it('splits with the parser, not on every semicolon', () => {
    const text = "SELECT 'a;b'; -- c;\nINSERT INTO t VALUES (1);\nDO $$ BEGIN PERFORM 1; END $$";
    const { statements, error } = splitStatements(text);
    assert.equal(error, undefined);
    assert.deepEqual(statements.map((s) => s.type), ['SelectStmt', 'InsertStmt', 'DoStmt']);
    for (const s of statements) assert.equal(text.slice(s.start, s.end), s.text);
  });

  it('still finds the other statements when one has a syntax error', () => {
    const text = 'SELECT 1;\nSELEC oops;\nSELECT ü FROM t';
    const { statements, error } = splitStatements(text);
    assert.ok(error);
    assert.equal(error.position, text.indexOf('SELEC '));
    assert.deepEqual(statements.map((s) => s.type), ['SelectStmt', undefined, 'SelectStmt']);
    assert.equal(statements[1]!.error?.position, text.indexOf('SELEC '));
    assert.equal(statements[2]!.text, 'SELECT ü FROM t');
  });

  it('finds the statement under the cursor', () => {
    const text = 'SELECT 1;\n\nSELECT é,\n  2;  \nSELECT 3';
    const second = text.indexOf('SELECT é');
    assert.equal(statementAt(text, second + 3)?.text, 'SELECT é,\n  2');
    assert.equal(statementAt(text, second)?.start, second);
    // Right after the semicolon on the same line still means that statement.
    assert.equal(statementAt(text, text.indexOf('2;') + 3)?.text, 'SELECT é,\n  2');
    // A blank line between statements belongs to none.
    assert.equal(statementAt(text, text.indexOf('\n\n') + 1), undefined);
    assert.equal(statementAt(text, text.length)?.text, 'SELECT 3');
  });

  it('offers the statement under the cursor while another one is broken', () => {
    const text = 'SELECT * FROM a WHERE;\nSELECT * FROM b';
    assert.equal(statementAt(text, text.length - 2)?.type, 'SelectStmt');
  });
});

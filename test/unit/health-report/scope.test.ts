import assert from 'node:assert/strict';
import { sqlLiterals, tablesInFile, tablesInSql } from '../../../src/core/health/reportScope';
import { loadSqlParser } from '../../../src/core/sql/parser';

describe('workspace table references', () => {
  before(async () => {
    await loadSqlParser();
  });

  it('reads tables from parsed SQL, with their schema when written', () => {
    assert.deepEqual(tablesInSql('SELECT * FROM orders o JOIN sales.customers c ON c.id = o.customer_id').sort(), ['orders', 'sales.customers']);
    assert.deepEqual(tablesInSql('WITH recent AS (SELECT * FROM events) SELECT * FROM recent'), ['events']);
  });

  it('falls back to a keyword pattern when the text does not parse', () => {
    assert.deepEqual(tablesInSql('SELECT * FROM books WHERE id = ? AND x ==').sort(), ['books']);
    assert.deepEqual(tablesInSql('UPDATE "Mixed Case" SET a = ?? WHERE'), ['Mixed Case']);
  });

  it('finds SQL string literals in code, and ignores prose', () => {
    const code = [
      'const q = "SELECT id FROM authors WHERE id = $1";',
      "const label = 'Select the authors you want';",
      'db.query(`INSERT INTO books (title) VALUES (${title})`);',
      'sql = """',
      '  DELETE FROM public.sessions WHERE expires < now()',
      '"""',
    ].join('\n');
    assert.equal(sqlLiterals(code).length, 3);
    assert.deepEqual(tablesInFile('app.py', code).sort(), ['authors', 'books', 'public.sessions']);
    assert.deepEqual(tablesInFile('schema.sql', 'CREATE TABLE t1 (id int); SELECT * FROM t2;').sort(), ['t2']);
  });
});

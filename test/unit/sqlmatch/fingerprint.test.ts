/**
 * Statement fingerprints: SQL written in code against the normalised texts
 * pg_stat_statements shows (copied from PostgreSQL 18).
 */
import assert from 'node:assert/strict';
import { loadSqlParser } from '../../../src/core/sql/parser';
import { codeSqlFingerprint, dollarPlaceholders, statementFingerprint } from '../../../src/core/sqlmatch';

function same(code: string, pgss: string): void {
  const a = codeSqlFingerprint(code);
  assert.ok(a, `code SQL parses: ${code}`);
  assert.equal(a, statementFingerprint(pgss), `${code}\n  should match\n${pgss}`);
}

function different(code: string, pgss: string): void {
  assert.notEqual(codeSqlFingerprint(code), statementFingerprint(pgss), `${code}\n  should not match\n${pgss}`);
}

describe('sqlmatch/fingerprint', () => {
  before(() => loadSqlParser());

  it('matches constants and every placeholder style to the $n of pg_stat_statements', () => {
    const pgss = 'SELECT id, name FROM users WHERE email = $1';
    same("SELECT id, name FROM users WHERE email = 'ann@example.com'", pgss);
    same('SELECT id, name FROM users WHERE email = ?', pgss);
    same('SELECT id, name FROM users WHERE email = :email', pgss);
    same('SELECT id, name FROM users WHERE email = %s', pgss);
    same('SELECT id, name FROM users WHERE email = %(email)s', pgss);
    same('SELECT id, name FROM users WHERE email = $1', pgss);
    same('SELECT id, email FROM users WHERE active = true', 'SELECT id, email FROM users WHERE active = $1');
  });

  it('ignores case, whitespace, comments and a trailing semicolon', () => {
    same('select id,\n       name\n  from USERS  -- by email\n where email = ? ;', 'SELECT id, name FROM users WHERE email = $1');
    same('/* report */ SELECT count(*) FROM sq_orders WHERE amount > 10', 'SELECT count(*) FROM sq_orders WHERE amount > $1');
  });

  it('treats IN lists of any length, and the list pg_stat_statements 18 squashes, alike', () => {
    const squashed = 'SELECT id FROM users WHERE id IN ($1 /*, ... */)';
    same('SELECT id FROM users WHERE id IN (?, ?, ?)', squashed);
    same('SELECT id FROM users WHERE id IN (1, 2)', squashed);
    same('SELECT id FROM users WHERE id IN ($1, $2, $3, $4)', 'SELECT id FROM users WHERE id IN ($1, $2, $3)');
  });

  it('matches multi-row VALUES and LIMIT constants', () => {
    same('INSERT INTO events (kind, at) VALUES (?, now()), (?, now())', 'INSERT INTO events (kind, at) VALUES ($1, now()), ($2, now())');
    same('SELECT id FROM users ORDER BY id LIMIT 10', 'SELECT id FROM users ORDER BY id LIMIT $1');
  });

  it('keeps different statements apart', () => {
    different('SELECT id, name FROM users WHERE email = ?', 'SELECT id, name FROM users WHERE name = $1');
    different('SELECT id FROM users WHERE id = ?', 'SELECT id, name FROM users WHERE id = $1');
    different('SELECT id FROM users WHERE id = ?', 'SELECT id FROM accounts WHERE id = $1');
    different('SELECT id FROM users WHERE id = ?', 'DELETE FROM users WHERE id = $1');
    // A quoted name keeps its case, as on the server.
    different('SELECT id FROM "Users" WHERE id = ?', 'SELECT id FROM users WHERE id = $1');
  });

  it('leaves the jsonb ? operator of a pg_stat_statements text alone', () => {
    assert.ok(statementFingerprint('SELECT id FROM docs WHERE data ? $1'));
    same("SELECT id FROM docs WHERE data ? 'tag'", 'SELECT id FROM docs WHERE data ? $1');
  });

  it('has no fingerprint for text that does not parse (a truncated statement)', () => {
    assert.equal(statementFingerprint('SELECT id, name FROM users WHERE'), null);
    assert.equal(codeSqlFingerprint('not sql at all'), null);
    assert.equal(codeSqlFingerprint('   '), null);
  });

  it('rewrites placeholders to $n, continuing after existing numbers', () => {
    assert.equal(dollarPlaceholders('a = ? AND b = ?'), 'a = $1 AND b = $2');
    assert.equal(dollarPlaceholders('a = :x AND b = :x'), 'a = $1 AND b = $1');
    assert.equal(dollarPlaceholders('a = %s AND b = %(b)s'), 'a = $1 AND b = $2');
  });
});

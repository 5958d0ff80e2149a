import assert from 'node:assert/strict';
import { normaliseStatement, statementFingerprint, statementLabel } from '../../../src/explain/fingerprint';

describe('explain/fingerprint', () => {
  it('ignores layout, comments, keyword case and constants', () => {
    const a = "SELECT id, name\nFROM users -- who\nWHERE id = 42 AND name = 'bob';";
    const b = "select id,name from users where id=7 and name='alice'";
    assert.equal(normaliseStatement(a), normaliseStatement(b));
    assert.equal(statementFingerprint(a), statementFingerprint(b));
    assert.equal(normaliseStatement(a), 'select id,name from users where id=? and name=?');
  });

  it('keeps what changes the statement: names, quoted identifiers, parameters', () => {
    assert.notEqual(statementFingerprint('SELECT * FROM users'), statementFingerprint('SELECT * FROM orders'));
    assert.notEqual(statementFingerprint('SELECT * FROM "Users"'), statementFingerprint('SELECT * FROM "users"'));
    assert.notEqual(statementFingerprint('SELECT $1'), statementFingerprint('SELECT $2'));
    assert.equal(normaliseStatement('SELECT t1.c2 FROM t1 WHERE x = $1 LIMIT 10'), 'select t1.c2 from t1 where x=$1 limit ?');
  });

  it('labels a statement on one line, cut with an ellipsis', () => {
    assert.equal(statementLabel('SELECT 1\n  FROM t'), 'SELECT 1 FROM t');
    assert.equal(statementLabel('x'.repeat(100), 10), `${'x'.repeat(9)}…`);
  });
});

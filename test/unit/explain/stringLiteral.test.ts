import assert from 'node:assert/strict';
import { stringLiteralAt } from '../../../src/explain/stringLiteral';

/** The literal around the `|` marker (removed from the text). */
function at(marked: string, language: string) {
  const offset = marked.indexOf('|');
  return stringLiteralAt(marked.replace('|', ''), offset, language);
}

describe('explain/stringLiteral', () => {
  it('finds the quoted string around the cursor', () => {
    const found = at("db.query('SELECT * FR|OM users WHERE id = $1', [id]);", 'javascript');
    assert.equal(found?.text, 'SELECT * FROM users WHERE id = $1');
    assert.equal(at("db.query('SELECT 1')|;", 'javascript'), undefined);
  });

  it('turns template interpolations into $n parameters after the existing ones', () => {
    const found = at('sql`SELECT * FROM t WHERE a = ${a} AND b = $1 AND c = ${obj.f({ x: 1 })}|`', 'typescript');
    assert.equal(found?.text, 'SELECT * FROM t WHERE a = $2 AND b = $1 AND c = $3');
    assert.equal(found?.interpolations, 2);
  });

  it('reads Python triple quotes and skips # comments', () => {
    const code = '# "not this"\nq = """\nSELECT *\nFROM users| WHERE id = %s\n"""';
    assert.equal(at(code, 'python')?.text, '\nSELECT *\nFROM users WHERE id = %s\n');
    assert.equal(at('# "not | this"', 'python'), undefined);
  });

  it('resolves escapes and keeps quotes of the other kind', () => {
    assert.equal(at('"SELECT \'a\'\\n|FROM t WHERE x = \\"y\\""', 'java')?.text, 'SELECT \'a\'\nFROM t WHERE x = "y"');
  });

  it('takes Go back quotes as raw strings', () => {
    assert.equal(at('q := `SELECT \\d| FROM t`', 'go')?.text, 'SELECT \\d FROM t');
  });

  it('does not look inside comments', () => {
    assert.equal(at('// "SELECT | 1"\nconst x = 1;', 'typescript'), undefined);
    assert.equal(at('/* "SELECT | 1" */', 'typescript'), undefined);
  });

  it('stops an unclosed one-quote string at the end of its line', () => {
    assert.equal(at("x = 'SELECT |1\ny = 'other'", 'javascript')?.text, 'SELECT 1');
  });
});

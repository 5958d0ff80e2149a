import assert from 'node:assert/strict';
import { segments, splitOnSemicolons } from '../../../src/core/sql/lexer';

describe('sql/lexer', () => {
  const kinds = (text: string) => segments(text).filter((s) => s.kind !== 'code').map((s) => [s.kind, text.slice(s.start, s.end)]);

  it('recognises strings, escapes, dollar quotes, quoted identifiers and comments', () => {
    const text = `SELECT 'it''s', E'a\\'b', $fn$ x ' y $fn$, "we""ird", U&'d\\0061' -- tail\n/* a /* nested */ b */ $1`;
    assert.deepEqual(kinds(text), [
      ['string', "'it''s'"],
      ['string', "E'a\\'b'"],
      ['string', "$fn$ x ' y $fn$"],
      ['quoted-identifier', '"we""ird"'],
      ['string', "U&'d\\0061'"],
      ['comment', '-- tail'],
      ['comment', '/* a /* nested */ b */'],
    ]);
  });

  it('does not take $1 or an identifier with a dollar for a dollar quote', () => {
    assert.deepEqual(kinds('SELECT $1, a$b$ FROM t'), []);
  });

  it('splits on top-level semicolons only', () => {
    const text = "SELECT ';'; -- ;\nSELECT $$;$$ ;; SELECT 3";
    assert.deepEqual(splitOnSemicolons(text).map((r) => text.slice(r.start, r.end)), ["SELECT ';'", 'SELECT $$;$$', 'SELECT 3']);
  });
});

/**
 * Offsets from the explained SQL back to the document: selections with
 * leading blank lines, `?`/`:name` placeholders, string literals in code
 * with escapes and `${…}` interpolations; and how tip ranges move or clear
 * when the document changes.
 */
import * as assert from 'node:assert/strict';
import { locateTips } from '../../../src/core/plan/sourceMap';
import { loadSqlParser } from '../../../src/core/sql/parser';
import { rewritePlaceholders } from '../../../src/core/sql/placeholders';
import { decodedToRaw, spanAfterChange, statementToDocument, touches } from '../../../src/explain/sourceOffsets';
import { stringLiteralAt } from '../../../src/explain/stringLiteral';
import { enriched, tipsFor } from '../plan/fixtures';

/** The document text of the first tip's range, for a target at `start..end` of `doc` whose text is `targetText`. */
function tipText(doc: string, start: number, end: number, targetText: string, fixture: string): string {
  const rewrite = rewritePlaceholders(targetText);
  const sql = rewrite.text.trim();
  const [r] = locateTips(sql, enriched(fixture), tipsFor(fixture));
  assert.ok(r, `no tip located in ${sql}`);
  const toDocument = statementToDocument({ rangeStart: start, rawText: doc.slice(start, end), targetText, rewrite });
  return doc.slice(toDocument(r.start), toDocument(r.end));
}

describe('explained SQL offsets in the document', () => {
  before(() => loadSqlParser());

  it('maps a selection with leading lines and a :name placeholder', () => {
    const doc = "-- lookup\n\n   SELECT id, name FROM users WHERE email = :email AND name <> 'é😀'\n";
    const start = doc.indexOf('\n\n') + 1;
    const text = doc.slice(start);
    assert.equal(tipText(doc, start, doc.length, text, 'seq-scan-filter'), 'email = :email');
  });

  it('maps a JavaScript template literal with an escape and an interpolation', () => {
    const doc = 'const rows = await db.query(`SELECT id, name\\n  FROM users\\tWHERE email = ${user.email}`);\n';
    const literal = stringLiteralAt(doc, doc.indexOf('users'), 'typescript');
    assert.ok(literal);
    assert.equal(literal.text, 'SELECT id, name\n  FROM users\tWHERE email = $1');
    assert.equal(tipText(doc, literal.start, literal.end, literal.text, 'seq-scan-filter'), 'email = ${user.email}');
  });

  it('maps a Python string with escaped quotes and a ? placeholder', () => {
    const doc = 'cur.execute("SELECT id, name FROM users WHERE name <> \\"x\\" AND email = ?", (email,))\n';
    const literal = stringLiteralAt(doc, doc.indexOf('users'), 'python');
    assert.ok(literal);
    assert.equal(tipText(doc, literal.start, literal.end, literal.text, 'seq-scan-filter'), 'email = ?');
  });

  it('steps over each kind of escape', () => {
    const raw = 'a\\u00e9b\\x41c\\u{1F600}d\\\ne';
    const decoded = 'aébAc😀de';
    const toRaw = decodedToRaw(decoded, raw);
    assert.equal(raw.slice(toRaw(decoded.indexOf('b')), toRaw(decoded.indexOf('b')) + 1), 'b');
    assert.equal(raw[toRaw(decoded.indexOf('c'))], 'c');
    assert.equal(raw[toRaw(decoded.indexOf('d'))], 'd');
    assert.equal(raw[toRaw(decoded.indexOf('e'))], 'e');
    assert.equal(toRaw(decoded.length), raw.length);
  });
});

describe('tip ranges and edits', () => {
  const span = { start: 10, end: 20 };

  it('moves with an edit before the statement and stays for one after it', () => {
    assert.deepEqual(spanAfterChange(span, { start: 2, end: 4, insertedLength: 5 }), { start: 13, end: 23 });
    assert.deepEqual(spanAfterChange(span, { start: 0, end: 9, insertedLength: 0 }), { start: 1, end: 11 });
    assert.deepEqual(spanAfterChange(span, { start: 21, end: 30, insertedLength: 1 }), span);
  });

  it('clears on an edit inside the statement or at its edges', () => {
    assert.equal(spanAfterChange(span, { start: 15, end: 15, insertedLength: 1 }), undefined);
    assert.equal(spanAfterChange(span, { start: 20, end: 20, insertedLength: 1 }), undefined);
    assert.equal(spanAfterChange(span, { start: 10, end: 10, insertedLength: 1 }), undefined);
    assert.equal(spanAfterChange(span, { start: 5, end: 12, insertedLength: 0 }), undefined);
  });

  it('tells overlapping statements apart from separate ones', () => {
    assert.equal(touches(span, { start: 18, end: 40 }), true);
    assert.equal(touches(span, { start: 21, end: 40 }), false);
  });
});

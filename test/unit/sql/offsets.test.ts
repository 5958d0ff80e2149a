import assert from 'node:assert/strict';
import { codePointToUtf16, utf16ToCodePoint, utf8ToUtf16 } from '../../../src/core/sql/offsets';

describe('sql/offsets', () => {
  it('maps UTF-8 byte offsets to UTF-16 offsets for every character width', () => {
    const text = 'aé€😀b';
    const toUtf16 = utf8ToUtf16(text);
    // a=1 byte, é=2, €=3, 😀=4 (two UTF-16 units), b=1
    assert.deepEqual([0, 1, 3, 6, 10, 11].map(toUtf16), [0, 1, 2, 3, 5, 6]);
    assert.equal(toUtf16(Buffer.byteLength(text)), text.length);
  });

  it('takes ASCII text as is', () => {
    const toUtf16 = utf8ToUtf16('select 1');
    assert.equal(toUtf16(5), 5);
    assert.equal(toUtf16(99), 8);
  });

  it('converts between code points and UTF-16 units', () => {
    const text = '😀x😀y';
    assert.equal(codePointToUtf16(text, 1), 2);
    assert.equal(codePointToUtf16(text, 3), 5);
    assert.equal(utf16ToCodePoint(text, 5), 3);
    assert.equal(utf16ToCodePoint('abc', 2), 2);
  });
});

import assert from 'node:assert/strict';
import { isSuppressed, lineOf, lineStarts, scanSuppressions } from '../../../src/core/code/suppression';

describe('suppression comments', () => {
  it('reads the rule ids after the token in any comment syntax', () => {
    const text = [
      '// pg-insight-ignore n-plus-one',
      'x # pg-insight-ignore missing-index, n-plus-one',
      '-- pg-insight-ignore: sql-syntax',
      '/* pg-insight-ignore non-sargable-predicate */',
      ' * pg-insight-ignore n-plus-one',
      'const s = "pg-insight-ignore n-plus-one"; // not a comment before the token',
      '// pg-insight-ignore',
    ].join('\n');
    assert.deepEqual(scanSuppressions(text), [
      { line: 0, rules: ['n-plus-one'] },
      { line: 1, rules: ['missing-index', 'n-plus-one'] },
      { line: 2, rules: ['sql-syntax'] },
      { line: 3, rules: ['non-sargable-predicate'] },
      { line: 4, rules: ['n-plus-one'] },
    ]);
  });

  it('silences the comment line and the line below, for the named rules only', () => {
    const sup = [{ line: 3, rules: ['n-plus-one'] }];
    assert.equal(isSuppressed(sup, 'n-plus-one', 3), true);
    assert.equal(isSuppressed(sup, 'n-plus-one', 4), true);
    assert.equal(isSuppressed(sup, 'n-plus-one', 5), false);
    assert.equal(isSuppressed(sup, 'n-plus-one', 2), false);
    assert.equal(isSuppressed(sup, 'missing-index', 4), false);
  });

  it('maps offsets to lines, CRLF included', () => {
    const text = 'a\r\nbb\nccc';
    const starts = lineStarts(text);
    assert.deepEqual(starts, [0, 3, 6]);
    assert.equal(lineOf(starts, 0), 0);
    assert.equal(lineOf(starts, 4), 1);
    assert.equal(lineOf(starts, 9), 2);
  });
});

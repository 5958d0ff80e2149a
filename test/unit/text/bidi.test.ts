import assert from 'node:assert/strict';
import { showBidiControls } from '../../../src/core/text/bidi';

describe('text/bidi', () => {
  it('spells out every bidirectional control character', () => {
    const controls = ['\u061C', '\u200E', '\u200F', '\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069'];
    for (const c of controls) {
      const shown = showBidiControls(`a${c}b`);
      assert.equal(shown, `a\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}b`);
    }
  });

  it('turns a reordering name into what is really there', () => {
    // Displayed as "user_admin" by a bidi-aware renderer; stored as "user_\u202Enimda".
    assert.equal(showBidiControls('user_\u202Enimda\u202C'), 'user_\\u202Enimda\\u202C');
  });

  it('leaves other text alone, right-to-left letters and zero-width joiners included', () => {
    const text = 'שלום users \u200D é 表';
    assert.equal(showBidiControls(text), text);
  });
});

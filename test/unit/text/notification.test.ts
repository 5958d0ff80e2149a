import assert from 'node:assert/strict';
import { notificationText } from '../../../src/core/text/notification';

describe('text/notification', () => {
  it('keeps link syntax from becoming a link or a command', () => {
    assert.equal(notificationText('ERROR: [Fix it](command:workbench.action.terminal.new)'), 'ERROR: [Fix it] (command:workbench.action.terminal.new)');
    assert.equal(notificationText('see [docs](https://evil.example) and ![x](file:///etc/passwd)'), 'see [docs] (https://evil.example) and ![x] (file:///etc/passwd)');
    assert.equal(notificationText('[a]( HTTPS://x)'), '[a] ( HTTPS://x)');
  });

  it('leaves ordinary brackets and parentheses alone', () => {
    const text = 'relation "orders" does not exist (42P01) at arr[1](2)';
    assert.equal(notificationText(text), text);
  });

  it('spells out bidirectional controls', () => {
    assert.equal(notificationText('table "a\u202Eb" is locked'), 'table "a\\u202Eb" is locked');
  });
});

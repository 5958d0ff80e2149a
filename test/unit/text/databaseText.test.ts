import assert from 'node:assert/strict';
import { displayText, displayValues } from '../../../src/core/text/databaseText';

describe('text/databaseText', () => {
  it('redacts credentials and shows bidirectional controls', () => {
    assert.equal(displayText("SELECT dblink('postgres://app:s3cret@db/x') -- \u202Etxt"), "SELECT dblink('postgres://app:***@db/x') -- \\u202Etxt");
    assert.equal(displayText('host=db password=s3cret'), 'host=db password=***');
  });

  it('cleans every string of rows at any depth and keeps other values', () => {
    const when = new Date(0);
    const rows = [{ query: 'postgres://u:pw@h/d', pid: 42, names: ['a\u202Eb', 7], nested: { conninfo: 'password=pw' }, at: when, none: null }];
    const clean = displayValues(rows);
    assert.deepEqual(clean, [{ query: 'postgres://u:***@h/d', pid: 42, names: ['a\\u202Eb', 7], nested: { conninfo: 'password=***' }, at: when, none: null }]);
    assert.equal(clean[0]?.at, when);
    assert.equal(rows[0]?.query, 'postgres://u:pw@h/d', 'the input is not changed');
  });
});

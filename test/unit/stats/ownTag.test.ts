import assert from 'node:assert/strict';
import { isOwnStatement, PG_INSIGHT_TAG, tagStatement } from '../../../src/core/stats/ownTag';

describe('stats/ownTag', () => {
  it('is the comment /* pg-insight */', () => assert.equal(PG_INSIGHT_TAG, '/* pg-insight */'));

  const tagged: ReadonlyArray<readonly [string, string]> = [
    ['SELECT 1', 'SELECT /* pg-insight */ 1'],
    ['select\n  a from t', 'select /* pg-insight */\n  a from t'],
    ['  WITH x AS (SELECT 1) SELECT * FROM x', '  WITH /* pg-insight */ x AS (SELECT 1) SELECT * FROM x'],
    ['-- why\n/* a /* nested */ comment */ SELECT 1', '-- why\n/* a /* nested */ comment */ SELECT /* pg-insight */ 1'],
    ['SELECT(1)', 'SELECT /* pg-insight */ (1)'],
    ['(SELECT 1)', '/* pg-insight */ (SELECT 1)'],
  ];
  for (const [input, expected] of tagged) {
    it(`tags ${JSON.stringify(input)} after its first word`, () => {
      assert.equal(tagStatement(input), expected);
      assert.equal(tagStatement(expected), expected, 'tagging twice changes nothing');
    });
  }

  it('recognises the texts pg_stat_statements keeps: leading the statement (13–17) or after its first word (all)', () => {
    assert.equal(isOwnStatement('/* pg-insight */ SELECT $1'), true);
    assert.equal(isOwnStatement('  /* pg-insight */\n SELECT $1'), true);
    assert.equal(isOwnStatement('SELECT /* pg-insight */ $1'), true);
    assert.equal(isOwnStatement('SELECT /*pg-insight*/ $1'), true);
    assert.equal(isOwnStatement('-- note\n/* app */ /* pg-insight */ SELECT 1'), true, 'among other leading comments');
    assert.equal(isOwnStatement('/* app */ SELECT /* pg-insight */ 1'), true, 'after other leading comments (13–17 keep them)');
  });

  it('does not take an application statement for one of ours', () => {
    assert.equal(isOwnStatement('SELECT $1'), false);
    assert.equal(isOwnStatement("SELECT * FROM notes WHERE body = '/* pg-insight */'"), false);
    assert.equal(isOwnStatement('SELECT a, /* pg-insight */ b FROM t'), false);
    assert.equal(isOwnStatement('/* pg-insight, not quite */ SELECT 1'), false);
  });
});

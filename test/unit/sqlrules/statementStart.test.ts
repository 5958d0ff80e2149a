import assert from 'node:assert/strict';
import { distance, firstWord, startsLikeStatement } from '../../../src/core/sqlrules/statementStart';

describe('statement start', () => {
  it('reads the first word past comments and parentheses', () => {
    assert.equal(firstWord('-- list\n/* all */ ((select 1))'), 'SELECT');
    assert.equal(firstWord('  $1 AND x'), undefined);
    assert.equal(firstWord(''), undefined);
  });

  it('takes command words and near misses of them, not expressions', () => {
    for (const s of ['SELECT 1', 'with a as (select 1) select * from a', 'UPDATE t SET a = 1', 'SELEC * FROM t', 'UDPATE t SET a = 1', 'INSRET INTO t VALUES (1)', 'alte table t add column c int', 'DELET FROM t', 'WIT a AS (SELECT 1) SELECT * FROM a', 'dro table t']) {
      assert.equal(startsLikeStatement(s), true, s);
    }
    // Pieces handed to query builders (medusa's knex.raw, slonik fragments, Sequelize literals).
    for (const s of ['DENSE_RANK() OVER (ORDER BY $1.id)', 'and x = 1', 'count(*) AS n', 'coalesce(a, b)', 'order by id', 'left join t on t.id = u.id', 'exists (select 1)', 'lead(x) over ()', 'value = $1', 'updated_at = now()', 'selected = true', 'all (select 1)', 'exp(x) * 2']) {
      assert.equal(startsLikeStatement(s), false, s);
    }
  });

  it('counts a transposition as one edit', () => {
    assert.equal(distance('UPDATE', 'UDPATE'), 1);
    assert.equal(distance('SELECT', 'SELEC'), 1);
    assert.equal(distance('AND', 'END'), 1);
    assert.equal(distance('', 'ABC'), 3);
  });
});

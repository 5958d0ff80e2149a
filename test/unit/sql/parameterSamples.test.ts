/**
 * Which column each `$n` parameter stands for, read from the parse tree,
 * and the value chosen from that column's statistics.
 */
import * as assert from 'node:assert/strict';
import {
  inferParameterColumns, representativeValue, sampleParameters, statisticsFor, type ColumnStatistics,
} from '../../../src/core/sql/parameterSamples';
import { loadSqlParser } from '../../../src/core/sql/parser';

/** "$1 users.email =" per placed parameter, "$2 ? reason" for the others. */
function placed(sql: string, count: number): string[] {
  const c = inferParameterColumns(sql, count);
  const out: string[] = [];
  for (let i = 1; i <= count; i++) {
    const use = c.uses.get(i);
    if (!use) out.push(`$${i} ? ${c.unplaced.get(i)}`);
    else if (use.kind === 'column') out.push(`$${i} ${use.column.items.map((t) => (t.schema ? `${t.schema}.` : '') + t.relname).join('|')}.${use.column.column} ${use.operator}`);
    else out.push(`$${i} ${use.kind}`);
  }
  return out;
}

function stats(table: string, column: string, mostCommon: string | null, histogram: string[] | null, schema = 'public'): ColumnStatistics {
  return { schema, table, column, type: 'text', mostCommon, histogram, analysed: mostCommon !== null || histogram !== null };
}

describe('parameter columns', () => {
  before(() => loadSqlParser());

  it('finds the column on either side of a comparison, through aliases and casts', () => {
    assert.deepEqual(placed('SELECT * FROM public.users u WHERE u.email = $1 AND $2 < u.id AND u.created_at::date >= $3::date', 3), [
      '$1 public.users.email =', '$2 public.users.id <', '$3 public.users.created_at >=',
    ]);
  });

  it('reads IN lists, BETWEEN, LIKE, LIMIT and OFFSET', () => {
    assert.deepEqual(placed("SELECT * FROM orders WHERE status IN ($1, $2) AND amount BETWEEN $3 AND $4 AND note LIKE $5 ORDER BY id LIMIT $6 OFFSET $7", 7), [
      '$1 orders.status IN', '$2 orders.status IN', '$3 orders.amount BETWEEN', '$4 orders.amount BETWEEN', '$5 orders.note ~~', '$6 limit', '$7 offset',
    ]);
  });

  it('reads the columns an INSERT or UPDATE stores parameters into', () => {
    assert.deepEqual(placed('INSERT INTO audit.events (kind, at) VALUES ($1, $2)', 2), ['$1 audit.events.kind =', '$2 audit.events.at =']);
    assert.deepEqual(placed('UPDATE users SET name = $1 WHERE id = $2', 2), ['$1 users.name =', '$2 users.id =']);
  });

  it('resolves a correlated subquery column to the outer table and keeps every table for an unqualified column in a join', () => {
    assert.deepEqual(placed('SELECT * FROM users u WHERE EXISTS (SELECT 1 FROM orders o WHERE o.user_id = u.id AND u.country = $1)', 1), ['$1 users.country =']);
    assert.deepEqual(placed('SELECT * FROM users u JOIN orders o ON o.user_id = u.id WHERE status = $1', 1), ['$1 users|orders.status =']);
  });

  it('leaves out arrays, expressions and unknown qualifiers, saying why', () => {
    assert.deepEqual(placed('SELECT * FROM users u WHERE u.id = ANY($1) AND lower(u.email) = $2 AND x.y = $3', 3), [
      '$1 ? it is not compared to a column', '$2 ? it is not compared to a column', '$3 ? no table in scope has a column "y"',
    ]);
    assert.deepEqual(placed('SELECT FROM WHERE $1', 1), ['$1 ? the statement does not parse']);
  });

  it('asks for each distinct column once', () => {
    const c = inferParameterColumns('SELECT * FROM orders WHERE status IN ($1, $2) OR status = $3', 3);
    assert.deepEqual(c.requests, [{ column: 'status', tables: [{ schema: undefined, name: 'orders' }] }]);
  });
});

describe('sampled values', () => {
  before(() => loadSqlParser());

  it('takes the most common value, else the median histogram bound', () => {
    assert.deepEqual(representativeValue(stats('t', 'c', 'paid', ['a', 'b', 'c'])), { value: 'paid', source: 'most common value' });
    assert.deepEqual(representativeValue(stats('t', 'c', null, ['1', '50', '100', '150'])), { value: '100', source: 'median of the histogram' });
    assert.equal(representativeValue(stats('t', 'c', null, null)), undefined);
  });

  it('picks the first candidate table that has the column, in the named schema', () => {
    const request = { column: 'status', tables: [{ name: 'users' }, { schema: 'shop', name: 'orders' }] };
    assert.equal(statisticsFor(request, [stats('orders', 'status', 'x', null, 'public'), stats('orders', 'status', 'y', null, 'shop')])?.mostCommon, 'y');
    assert.equal(statisticsFor(request, [stats('users', 'status', 'z', null)])?.mostCommon, 'z');
  });

  it('samples every parameter or says why not', () => {
    const sql = 'SELECT * FROM orders WHERE status = $1 AND id > $2 AND kind = $3 AND $4 > 0 LIMIT $5';
    const c = inferParameterColumns(sql, 5);
    const found = [stats('orders', 'status', 'paid', null), stats('orders', 'id', null, ['1', '5000', '9999']), { ...stats('orders', 'kind', null, null), analysed: false }];
    assert.deepEqual(sampleParameters(c, found, 5).map((s) => (s.value === undefined ? `? ${s.reason}` : `${s.value} (${s.source})`)), [
      'paid (orders.status text, most common value)',
      '5000 (orders.id text, median of the histogram)',
      '? orders has no statistics (run ANALYZE orders)',
      '? it is not compared to a column',
      '10 (LIMIT)',
    ]);
  });
});

import * as assert from 'node:assert/strict';
import { comparedColumns, indexableColumns } from '../../../src/core/plan/predicate';

describe('plan condition columns', () => {
  it('reads qualified columns and the kind of comparison', () => {
    assert.deepEqual(comparedColumns("((addresses.city = 'city1'::text) AND (addresses.zip <> 'x'::text))"), [
      { qualifier: 'addresses', column: 'city', kind: 'equality' },
      { qualifier: 'addresses', column: 'zip', kind: 'other' },
    ]);
    assert.deepEqual(comparedColumns('((orders.id >= 100000) AND (orders.id <= 160000))').map((c) => c.kind), ['range', 'range']);
    assert.deepEqual(comparedColumns('(email IS NULL)'), [{ qualifier: undefined, column: 'email', kind: 'null' }]);
    assert.deepEqual(comparedColumns("(name ~~ 'abc%'::text)"), [{ qualifier: undefined, column: 'name', kind: 'like' }]);
    assert.deepEqual(comparedColumns("(status = ANY ('{paid,shipped}'::text[]))"), [{ qualifier: undefined, column: 'status', kind: 'equality' }]);
  });

  it('unwraps casts of a column and keeps quoted identifiers exactly', () => {
    assert.deepEqual(comparedColumns("((orders.status)::text = 'paid'::text)"), [{ qualifier: 'orders', column: 'status', kind: 'equality' }]);
    assert.deepEqual(comparedColumns("((code)::text = 'x'::text)"), [{ qualifier: undefined, column: 'code', kind: 'equality' }]);
    assert.deepEqual(comparedColumns(`("x</td>"."<img src=x onerror=alert(2)>" = 'a''b'::text)`), [{ qualifier: 'x</td>', column: '<img src=x onerror=alert(2)>', kind: 'equality' }]);
  });

  it('ignores function calls, literals and subplan references', () => {
    assert.deepEqual(comparedColumns("(lower(email) = 'x'::text)"), []);
    assert.deepEqual(comparedColumns("('city = 1' = name)"), []);
    assert.deepEqual(comparedColumns('(orders.amount > (InitPlan 1).col1)'), [{ qualifier: 'orders', column: 'amount', kind: 'range', againstUnknown: true }]);
    assert.deepEqual(comparedColumns('(orders.amount > $1)'), [{ qualifier: 'orders', column: 'amount', kind: 'range', againstUnknown: true }]);
    assert.deepEqual(comparedColumns('(orders.amount > 1)'), [{ qualifier: 'orders', column: 'amount', kind: 'range' }]);
    assert.deepEqual(comparedColumns(undefined), []);
  });

  it('orders index columns as an index wants them and keeps to the scanned relation', () => {
    assert.deepEqual(indexableColumns(['(o.user_id = 4242)', '((o.id >= 1) AND (o.id <= 9))', '(x.other = 1)'], ['o', 'orders']), ['user_id', 'id']);
    assert.deepEqual(indexableColumns(["(email <> 'x'::text)"], ['users']), []);
  });
});

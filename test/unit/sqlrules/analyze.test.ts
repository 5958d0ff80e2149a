import assert from 'node:assert/strict';
import { analyzeStatement, type StatementShape } from '../../../src/core/sql/analyze';
import { loadSqlParser, parseSql } from '../../../src/core/sql/parser';

function shape(sql: string): StatementShape {
  const parsed = parseSql(sql);
  assert.ok(parsed.ok, sql);
  const s = parsed.statements[0];
  assert.ok(s);
  return analyzeStatement(s.node, sql);
}

/** `role kind table.column` per use, with the written text of the reference. */
function uses(sql: string): string[] {
  const sh = shape(sql);
  return sh.uses.map((u) => {
    const tables = u.tables.map((i) => sh.tables[i]?.alias ?? sh.tables[i]?.name).join('|') || '-';
    const flags = [u.underOr ? 'or' : '', u.constant ? 'const' : '', u.descending ? 'desc' : '', u.wrapper ? `${u.wrapper.kind}:${sql.slice(u.wrapper.start, u.wrapper.end)}` : ''].filter(Boolean);
    return `${u.role}${u.kind ? ` ${u.kind}` : ''} ${tables}.${u.column} "${sql.slice(u.start, u.end)}"${flags.length ? ` [${flags.join(' ')}]` : ''}`;
  });
}

describe('sql/analyze: what a statement asks of each table', () => {
  before(() => loadSqlParser());

  it('resolves aliases and classifies equality, range, join and sort uses', () => {
    const sql = 'SELECT u.id FROM users u JOIN orders o ON o.user_id = u.id WHERE u.email = $1 AND o.created_at >= $2 ORDER BY o.created_at DESC LIMIT 20';
    assert.deepEqual(uses(sql), [
      'join o.user_id "o.user_id"',
      'join u.id "u.id"',
      'filter equality u.email "u.email"',
      'filter range o.created_at "o.created_at"',
      'order o.created_at "o.created_at" [desc]',
    ]);
    const sh = shape(sql);
    assert.deepEqual(sh.tables.map((t) => `${t.name} ${t.alias} "${sql.slice(t.start, t.end)}" ${t.limited}`), ['users u "users" true', 'orders o "orders" true']);
    assert.equal(sh.command, 'select');
  });

  it('lists every table a bare column may belong to, innermost scope first', () => {
    const sh = shape('SELECT * FROM users, orders WHERE status = $1 AND EXISTS (SELECT 1 FROM items i WHERE i.order_id = id AND sku = $2)');
    const byColumn = Object.fromEntries(sh.uses.map((u) => [u.column, u.tables.map((i) => sh.tables[i]?.name)]));
    assert.deepEqual(byColumn.status, ['users', 'orders']);
    assert.deepEqual(byColumn.sku, ['items', 'users', 'orders']);
    assert.deepEqual(byColumn.id, ['items', 'users', 'orders']);
  });

  it('treats CTE names and subqueries as no base table, and analyses their bodies', () => {
    const sql = 'WITH recent AS (SELECT * FROM orders WHERE created_at > now() - interval \'1 day\') SELECT * FROM recent r JOIN (SELECT * FROM users WHERE email = $1) u ON u.id = r.user_id WHERE r.total > 10';
    const sh = shape(sql);
    assert.deepEqual(sh.tables.map((t) => t.name), ['orders', 'users']);
    assert.deepEqual(uses(sql), ['filter range orders.created_at "created_at"', 'filter equality users.email "email"', 'join -.id "u.id"', 'join -.user_id "r.user_id"', 'filter range -.total "r.total" [const]']);
  });

  it('keeps wrapped columns: functions, casts, COALESCE, arithmetic', () => {
    assert.deepEqual(uses("SELECT * FROM t WHERE lower(email) = $1 AND created_at::date = $2 AND CAST(day AS date) = $3 AND coalesce(deleted, false) = false AND total + 1 = $4 AND date_trunc('day', at) = $5"), [
      'filter equality t.email "email" [function:lower(email)]',
      'filter equality t.created_at "created_at" [cast:created_at::date]',
      'filter equality t.day "day" [cast:CAST(day AS date)]',
      'filter equality t.deleted "deleted" [const coalesce:coalesce(deleted, false)]',
      'filter equality t.total "total" [arithmetic:total + 1]',
      'filter equality t.at "at" [function:date_trunc(\'day\', at)]',
    ]);
  });

  it('reads LIKE and ILIKE patterns, leading wildcards included', () => {
    const sh = shape("SELECT * FROM t WHERE a LIKE '%x' AND b ILIKE 'y%' AND c LIKE '%' || $1 || '%' AND d LIKE $2 AND e NOT LIKE '%z'");
    assert.deepEqual(sh.uses.map((u) => `${u.column} ${u.pattern?.operator} wildcard=${u.pattern?.leadingWildcard} constant=${u.pattern?.constant}`), [
      'a LIKE wildcard=true constant=true',
      'b ILIKE wildcard=false constant=true',
      'c LIKE wildcard=true constant=true',
      'd LIKE wildcard=false constant=false',
    ]);
  });

  it('marks conditions under OR and NOT, and keeps top-level conjuncts', () => {
    const sh = shape("SELECT * FROM t WHERE a = $1 AND (b = $2 OR c = $3) AND NOT archived AND deleted_at IS NULL AND x IN (1, 2) AND y = ANY($4) AND z BETWEEN 1 AND 5");
    assert.deepEqual(sh.uses.map((u) => `${u.column} ${u.kind} or=${u.underOr} conjunct=${u.conjunct !== undefined}`), [
      'a equality or=false conjunct=true',
      'b equality or=true conjunct=false',
      'c equality or=true conjunct=false',
      'archived boolean or=false conjunct=true',
      'deleted_at null or=false conjunct=true',
      'x equality or=false conjunct=true',
      'y equality or=false conjunct=true',
      'z range or=false conjunct=true',
    ]);
  });

  it('covers UPDATE, DELETE ... USING, INSERT ... SELECT, JOIN ... USING and set operations', () => {
    const del = shape('DELETE FROM users u USING orgs o WHERE o.id = u.org_id AND o.name = $1');
    assert.equal(del.command, 'delete');
    assert.equal(del.tables[del.target ?? -1]?.name, 'users');
    assert.equal(del.uses.length, 3);
    const upd = shape('UPDATE orders SET status = $1 WHERE id = $2 AND status = (SELECT s FROM statuses WHERE code = $3)');
    assert.deepEqual(upd.tables.map((t) => t.name), ['orders', 'statuses']);
    assert.deepEqual(upd.uses.map((u) => u.column), ['id', 'status', 'code']);
    const ins = shape('INSERT INTO archive SELECT * FROM orders WHERE created_at < $1');
    assert.deepEqual(ins.tables.map((t) => t.name), ['orders']);
    const using = shape('SELECT * FROM a JOIN b USING (k) WHERE a.v = 1');
    assert.deepEqual(using.uses.filter((u) => u.role === 'join').map((u) => `${using.tables[u.tables[0]!]?.name}.${u.column}`), ['a.k', 'b.k']);
    const union = shape('SELECT id FROM a WHERE x = 1 UNION ALL SELECT id FROM b WHERE y = 2');
    assert.deepEqual(union.uses.map((u) => u.column), ['x', 'y']);
  });

  it('gives UTF-16 offsets after non-ASCII text and astral characters', () => {
    const sql = "SELECT '😀 naïve' AS label FROM users WHERE note = 'é' AND \"émail\" = $1 ORDER BY créé";
    const sh = shape(sql);
    assert.deepEqual(sh.uses.map((u) => sql.slice(u.start, u.end)), ['note', '"émail"', 'créé']);
    assert.equal(sql.slice(sh.tables[0]!.start, sh.tables[0]!.end), 'users');
  });
});

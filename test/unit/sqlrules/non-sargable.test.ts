import assert from 'node:assert/strict';
import { loadSqlParser } from '../../../src/core/sql/parser';
import { brief, check, schemaOf, SHOP_DDL } from './support';

const INDEXED = `${SHOP_DDL}
CREATE INDEX users_name_idx ON users (name);
CREATE INDEX orders_total_idx ON orders (total);
CREATE INDEX orders_placed_on_idx ON orders (placed_on);
CREATE INDEX users_deleted_at_idx ON users (deleted_at);`;
const BIG = { users: 50_000, orders: 1_200_000 };
const schema = (extra = '') => schemaOf(INDEXED + extra, BIG);
const ns = (sql: string, s = schema()) => check(sql, s, ['non-sargable-predicate']);

describe('non-sargable-predicate', () => {
  before(() => loadSqlParser());

  it('reports lower(email) when only email is indexed, proposing the expression index', () => {
    const sql = 'SELECT * FROM users WHERE lower(email) = lower($1)';
    const f = ns(sql);
    assert.deepEqual(brief(sql, f), ['non-sargable-predicate warning "lower(email)"']);
    assert.match(f[0]!.message, /lower\(email\) hides email from its index users_email_idx on users/);
    assert.equal(f[0]!.data?.ddl, 'CREATE INDEX CONCURRENTLY users_lower_email_idx ON users (lower(email));');
    assert.equal(f[0]!.data?.fix, 'expression-index');
  });

  it('is quiet when a matching expression index exists, or when the column has no index at all', () => {
    assert.deepEqual(ns('SELECT * FROM users WHERE lower(email) = $1', schema(' CREATE INDEX users_lower_email ON users (lower(email));')), []);
    assert.deepEqual(ns('SELECT * FROM users WHERE lower(tenant_id::text) = $1'), [], 'tenant_id has no index: missing-index speaks');
    assert.deepEqual(ns('SELECT * FROM users WHERE email = $1'), []);
    assert.deepEqual(ns('SELECT * FROM users WHERE email::text = $1'), [], 'a cast to text changes nothing');
    assert.deepEqual(ns('SELECT * FROM users WHERE lower(email) = $1', schemaOf(INDEXED, { users: 500, orders: 500 })), [], 'small table');
  });

  it('explains a day taken from a timestamp as a range rewrite', () => {
    const sql = "SELECT * FROM orders WHERE created_at::date = $1 OR date_trunc('day', created_at) = $2";
    const f = ns(sql);
    assert.deepEqual(brief(sql, f), ['non-sargable-predicate warning "created_at::date"', 'non-sargable-predicate warning "date_trunc(\'day\', created_at)"']);
    assert.match(f[0]!.message, /created_at >= \$1 AND created_at < \$1 \+ interval '1 day'/);
    // timestamptz casts are not IMMUTABLE: PostgreSQL refuses to index them, so no index is proposed.
    assert.equal(f[0]!.data?.ddl, undefined);
    assert.equal(f[0]!.data?.fix, 'rewrite');
    // On timestamp without time zone an expression index is possible too.
    const year = 'SELECT * FROM orders WHERE extract(year FROM created_at) = $1';
    const y = ns(year);
    assert.deepEqual(brief(year, y), ['non-sargable-predicate warning "extract(year FROM created_at)"']);
    assert.match(y[0]!.message, /^extract\(year FROM created_at\) hides created_at .* `created_at >= \$1 AND created_at < \$2`$/);
    const onTimestamp = ns('SELECT * FROM orders WHERE placed_on::date = $1');
    assert.equal(onTimestamp[0]!.data?.ddl, 'CREATE INDEX CONCURRENTLY orders_placed_on_date_idx ON orders ((placed_on::date));');
  });

  it('explains arithmetic on the column and COALESCE', () => {
    const sql = 'SELECT * FROM orders WHERE total + 1 = $1 AND coalesce(total, 0) > $2';
    const f = ns(sql);
    assert.deepEqual(brief(sql, f), ['non-sargable-predicate warning "total + 1"', 'non-sargable-predicate warning "coalesce(total, 0)"']);
    assert.match(f[0]!.message, /Move the arithmetic to the other side/);
    assert.match(f[1]!.message, /OR total IS NULL/);
    assert.equal(f[1]!.data?.ddl, 'CREATE INDEX CONCURRENTLY orders_coalesce_total_idx ON orders (coalesce(total, 0));');
  });

  it('reports a leading-wildcard LIKE and any ILIKE on a btree-indexed column, proposing pg_trgm', () => {
    const sql = "SELECT * FROM users WHERE email LIKE '%@example.com' AND name ILIKE 'ann%'";
    const f = ns(sql);
    assert.deepEqual(brief(sql, f), ["non-sargable-predicate warning \"email LIKE '%@example.com'\"", "non-sargable-predicate warning \"name ILIKE 'ann%'\""]);
    assert.match(f[0]!.message, /CREATE EXTENSION IF NOT EXISTS pg_trgm; CREATE INDEX CONCURRENTLY users_email_trgm_idx ON users USING gin \(email gin_trgm_ops\);/);
    assert.equal(f[0]!.data?.extension, 'pg_trgm');
    const built = "SELECT * FROM users WHERE email LIKE '%' || $1 || '%'";
    assert.equal(ns(built).length, 1, 'a wildcard written before a parameter');
  });

  it('is quiet for prefix patterns, parameter patterns, and columns with a trigram index', () => {
    assert.deepEqual(ns("SELECT * FROM users WHERE email LIKE 'ann%'"), []);
    assert.deepEqual(ns('SELECT * FROM users WHERE email LIKE $1'), []);
    assert.deepEqual(ns("SELECT * FROM users WHERE email ILIKE '%ann%'", schema(' CREATE INDEX users_email_trgm ON users USING gin (email gin_trgm_ops);')), []);
  });

  it('reports in offline schemas at Information severity, at the right place after non-ASCII text', () => {
    const sql = "SELECT 'Grüße 👋' AS g FROM users WHERE lower(email) = ?";
    const f = check(sql, schemaOf(INDEXED), ['non-sargable-predicate']);
    assert.deepEqual(brief(sql, f), ['non-sargable-predicate information "lower(email)"']);
  });

  it('leaves wrapped columns on indexed columns to this rule, not to missing-index', () => {
    const sql = 'SELECT * FROM users WHERE lower(email) = $1';
    assert.deepEqual(check(sql, schema()).map((f) => f.ruleId), ['non-sargable-predicate']);
    const unindexed = 'SELECT * FROM users WHERE lower(tenant_id::text) = $1';
    assert.deepEqual(check(unindexed, schema()).map((f) => f.ruleId), ['missing-index']);
  });
});

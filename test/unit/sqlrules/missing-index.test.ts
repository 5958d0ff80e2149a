import assert from 'node:assert/strict';
import { loadSqlParser } from '../../../src/core/sql/parser';
import { checkSummarySql } from '../../../src/core/sqlrules/check';
import { brief, check, schemaOf, SHOP_DDL } from './support';

const BIG = { users: 50_000, orders: 1_200_000, tags: 200_000 };
const live = () => schemaOf(SHOP_DDL, BIG);
const missing = (sql: string, schema = live()) => check(sql, schema, ['missing-index']);

describe('missing-index', () => {
  before(() => loadSqlParser());

  it('reports a filter no index serves, with the proposed index', () => {
    const sql = 'SELECT * FROM users WHERE name = $1';
    const f = missing(sql);
    assert.deepEqual(brief(sql, f), ['missing-index warning "name"']);
    assert.equal(f[0]!.data?.ddl, 'CREATE INDEX CONCURRENTLY users_name_idx ON users (name);');
    assert.match(f[0]!.message, /No index on users serves the filter on name \(≈50,000 rows\)/);
    assert.equal(f[0]!.data?.rows, 50000);
  });

  it('is quiet when an index serves the filter, and under the row threshold', () => {
    assert.deepEqual(missing('SELECT * FROM users WHERE email = $1'), []);
    assert.deepEqual(missing('SELECT * FROM users WHERE id = $1 AND name = $2'), [], 'one served filter is enough');
    assert.deepEqual(missing('SELECT * FROM users WHERE name = $1', schemaOf(SHOP_DDL, { users: 9_000 })), []);
    assert.deepEqual(check('SELECT * FROM users WHERE name = $1', live(), ['non-sargable-predicate', 'sql-syntax']), []);
  });

  it('reports at Information severity when row counts are unknown (offline schemas)', () => {
    const sql = 'SELECT * FROM users WHERE name = $1';
    assert.deepEqual(brief(sql, missing(sql, schemaOf(SHOP_DDL))), ['missing-index information "name"']);
    assert.match(missing(sql, schemaOf(SHOP_DDL))[0]!.message, /row count unknown/);
  });

  it('offline, proposes no index for a boolean flag alone (it keeps about half the rows)', () => {
    // openstreetmap: `Way.where(visible: true)`, `Relation.where(visible: true)` on history tables.
    const ddl = 'CREATE TABLE ways (way_id bigint, version bigint, visible boolean NOT NULL, changeset_id bigint, PRIMARY KEY (way_id, version));';
    assert.deepEqual(missing('SELECT * FROM ways WHERE visible = true', schemaOf(ddl)), []);
    assert.deepEqual(missing('SELECT * FROM ways WHERE visible', schemaOf(ddl)), []);
    assert.deepEqual(missing('SELECT * FROM ways WHERE visible = $1', schemaOf(ddl)), []);
    // With a selective column beside it, the index is still proposed.
    const both = 'SELECT * FROM ways WHERE visible = true AND changeset_id = $1';
    assert.deepEqual(brief(both, missing(both, schemaOf(ddl))), ['missing-index information "changeset_id"']);
  });

  it('offline, proposes no index for a state column alone (constant text default, CHECK IN list)', () => {
    // memos: `"user"` has row_status TEXT NOT NULL DEFAULT 'NORMAL' and role TEXT NOT NULL DEFAULT 'USER'.
    const ddl = `CREATE TABLE "user" (id serial PRIMARY KEY, row_status text NOT NULL DEFAULT 'NORMAL', role text NOT NULL DEFAULT 'USER', kind text CHECK (kind IN ('a', 'b')), email text, note text DEFAULT now()::text);`;
    const schema = schemaOf(ddl);
    assert.equal(schema.tables[0]!.columns.filter((c) => c.enumLike).map((c) => c.name).join(','), 'row_status,role,kind');
    assert.deepEqual(missing('SELECT * FROM "user" WHERE row_status = $1', schema), []);
    assert.deepEqual(missing('SELECT * FROM "user" WHERE role = $1', schema), []);
    assert.deepEqual(missing("SELECT * FROM \"user\" WHERE kind = 'a'", schema), []);
    const email = 'SELECT * FROM "user" WHERE email = $1';
    assert.deepEqual(brief(email, missing(email, schema)), ['missing-index information "email"']);
  });

  it('reads outer joins by side: the optional side is looked up, a filtered table drives its joins (memos ListMemos)', () => {
    const ddl = 'CREATE TABLE memo (id serial PRIMARY KEY, creator_id int NOT NULL, pinned boolean); CREATE TABLE memo_relation (memo_id int NOT NULL, related_memo_id int NOT NULL, type text NOT NULL); CREATE TABLE "user" (id serial PRIMARY KEY);';
    const schema = schemaOf(ddl, { memo: 500_000, memo_relation: 200_000, user: 1_000 });
    // The ON condition on the optional side picks matches; it is no search of memo_relation.
    const listed = "SELECT memo.id FROM memo LEFT JOIN memo_relation ON memo.id = memo_relation.memo_id AND memo_relation.type = 'COMMENT' ORDER BY memo.id";
    assert.deepEqual(missing(listed, schema).map((f) => f.message.slice(0, 60)), []);
    // memo is filtered in its WHERE: its primary key, used only by the join, does not serve creator_id.
    const mine = 'SELECT memo.id FROM memo LEFT JOIN "user" u ON memo.creator_id = u.id LEFT JOIN memo_relation r ON memo.id = r.memo_id WHERE memo.creator_id = $1';
    assert.deepEqual(brief(mine, missing(mine, schema)).sort(), ['missing-index warning "memo.creator_id"', 'missing-index warning "r.memo_id"']);
    assert.ok(missing(mine, schema).some((f) => /No index on memo serves the filter on creator_id/.test(f.message)));
    // The optional side found from a filtered table needs its join column.
    assert.ok(missing(mine, schema).some((f) => /No index on memo_relation serves the join on memo_id/.test(f.message)));
  });

  it('takes a CTE or subquery on the other side of a join as found first (miniflux, memos)', () => {
    const ddl = 'CREATE TABLE feeds (id serial PRIMARY KEY, category_id int REFERENCES categories (id), hide boolean); CREATE TABLE categories (id serial PRIMARY KEY, hide boolean); CREATE TABLE entries (id serial PRIMARY KEY, feed_id int, user_id int); CREATE TABLE rel (memo_id int, related_memo_id int, type text); CREATE TABLE memo (id serial PRIMARY KEY, creator_id int);';
    const schema = schemaOf(ddl, { feeds: 50_000, categories: 20_000, entries: 1_000_000, rel: 200_000, memo: 500_000 });
    // Reached from the CTE through feeds.id, the primary key: nothing to add for category_id.
    const counted = 'WITH updated AS (UPDATE entries SET user_id = $1 WHERE id = ANY($2) RETURNING feed_id) SELECT count(*) FROM updated u JOIN feeds f ON f.id = u.feed_id JOIN categories c ON c.id = f.category_id WHERE NOT f.hide AND NOT c.hide';
    assert.deepEqual(missing(counted, schema).map((f) => f.message.slice(0, 50)), []);
    // A recursive step joins rel to the CTE on related_memo_id: that join needs the index, not `type`.
    const tree = "WITH RECURSIVE t(id) AS (SELECT id FROM memo WHERE id = $1 UNION SELECT c.id FROM memo c JOIN rel r ON r.memo_id = c.id AND r.type = 'COMMENT' JOIN t p ON r.related_memo_id = p.id) SELECT id FROM t";
    assert.deepEqual(missing(tree, schema).map((f) => /serves the (\w+) on (\w+)/.exec(f.message)?.slice(1).join(' ')), ['join related_memo_id']);
  });

  it('orders the proposed keys: equality, then range, then sort', () => {
    const sql = 'SELECT * FROM tags WHERE label = $1 AND id > $2 ORDER BY id LIMIT 10';
    const schema = schemaOf('CREATE TABLE tags (id int, label text, kind text, made timestamptz);', { tags: 200_000 });
    assert.equal(missing(sql, schema)[0]!.data?.ddl, 'CREATE INDEX CONCURRENTLY tags_label_id_idx ON tags (label, id);');
    const sorted = 'SELECT * FROM tags WHERE kind = $1 AND label = $2 ORDER BY made DESC LIMIT 5';
    assert.equal(missing(sorted, schema)[0]!.data?.ddl, 'CREATE INDEX CONCURRENTLY tags_kind_label_made_idx ON tags (kind, label, made DESC);');
    // A range breaks the sort order of later keys: the sort column is left out.
    const ranged = 'SELECT * FROM tags WHERE kind = $1 AND made > $2 ORDER BY label';
    assert.equal(missing(ranged, schema)[0]!.data?.ddl, 'CREATE INDEX CONCURRENTLY tags_kind_made_idx ON tags (kind, made);');
  });

  it('proposes a partial index for a constant condition, and knows partial indexes that cover the query', () => {
    const sql = "SELECT * FROM orders WHERE status = 'pending' AND total > $1";
    const f = missing(sql);
    assert.deepEqual(brief(sql, f), ['missing-index warning "total"']);
    assert.equal(f[0]!.data?.ddl, "CREATE INDEX CONCURRENTLY orders_total_idx ON orders (total) WHERE status = 'pending';");
    const withPartial = schemaOf(`${SHOP_DDL} CREATE INDEX orders_pending_total ON orders (total) WHERE status = 'pending';`, BIG);
    assert.deepEqual(missing(sql, withPartial), []);
    assert.deepEqual(missing("SELECT * FROM orders o WHERE o.total > $1 AND o.status = 'pending' AND o.user_id IS NOT NULL", withPartial), [], 'written in another order, qualified');
    // The partial index does not cover other statuses.
    assert.equal(missing("SELECT * FROM orders WHERE status = 'shipped' AND total > $1", withPartial).length, 1);
    assert.equal(missing('SELECT * FROM orders WHERE status = $1 AND total > $2', withPartial).length, 1);
    const notNull = schemaOf(`${SHOP_DDL} CREATE INDEX users_tenant ON users (tenant_id) WHERE tenant_id IS NOT NULL;`, BIG);
    assert.deepEqual(missing('SELECT * FROM users WHERE tenant_id = $1', notNull), [], 'tenant_id = $1 implies tenant_id IS NOT NULL');
    assert.equal(missing('SELECT * FROM users WHERE tenant_id IS NULL', notNull).length, 1);
  });

  it('knows composite and expression indexes that cover the query', () => {
    const schema = schemaOf(`${SHOP_DDL} CREATE INDEX tags_label_id ON tags (label, id); CREATE INDEX users_name_lower ON users (lower(name));`, BIG);
    assert.deepEqual(missing('SELECT * FROM tags WHERE label = $1 AND id = $2', schema), []);
    assert.deepEqual(missing('SELECT * FROM tags WHERE label = $1', schema), []);
    assert.equal(missing('SELECT * FROM tags WHERE id = $1', schemaOf('CREATE TABLE tags (id int, label text); CREATE INDEX t ON tags (label, id);', BIG)).length, 1, 'id is not the leading key');
    assert.deepEqual(missing('SELECT * FROM users WHERE lower(name) = lower($1)', schema), []);
    const f = missing('SELECT * FROM users WHERE upper(name) = $1', schema);
    assert.equal(f[0]!.data?.ddl, 'CREATE INDEX CONCURRENTLY users_upper_name_idx ON users (upper(name));');
  });

  it('ignores invalid indexes (a failed concurrent build)', () => {
    const schema = live();
    const users = schema.tables.find((t) => t.name === 'users')!;
    const broken = { ...schema, tables: schema.tables.map((t) => (t === users ? { ...t, indexes: t.indexes.map((i) => (i.name === 'users_email_idx' ? { ...i, valid: false } : i)) } : t)) };
    assert.equal(missing('SELECT * FROM users WHERE email = $1', broken).length, 1);
  });

  it('reports a foreign key joined without an index, on the referencing side', () => {
    const sql = 'SELECT o.* FROM users u JOIN orders o ON o.user_id = u.id WHERE u.email = $1';
    const f = missing(sql);
    assert.deepEqual(brief(sql, f), ['missing-index warning "o.user_id"']);
    assert.match(f[0]!.message, /join on user_id \(foreign key to users\)/);
    assert.equal(f[0]!.data?.ddl, 'CREATE INDEX CONCURRENTLY orders_user_id_idx ON orders (user_id);');
    // A join between two unfiltered tables is a hash join: nothing to say, foreign key or not.
    assert.deepEqual(missing('SELECT * FROM tags a JOIN tags b ON a.label = b.label'), []);
    assert.deepEqual(missing('SELECT o.* FROM users u JOIN orders o ON o.user_id = u.id'), []);
  });

  it('reports the referencing tables a DELETE scans through unindexed foreign keys', () => {
    const sql = 'DELETE FROM users WHERE id = $1';
    const f = missing(sql);
    assert.deepEqual(brief(sql, f), ['missing-index warning "users"']);
    assert.match(f[0]!.message, /ON DELETE CASCADE deletes the matching rows of orders through user_id/);
    const indexed = schemaOf(`${SHOP_DDL} CREATE INDEX orders_user ON orders (user_id, created_at);`, BIG);
    assert.deepEqual(missing(sql, indexed), []);
  });

  it('reports ORDER BY with LIMIT when no index returns rows in that order', () => {
    const sql = 'SELECT * FROM tags ORDER BY label LIMIT 50';
    assert.deepEqual(brief(sql, missing(sql)), ['missing-index warning "label"']);
    assert.deepEqual(missing('SELECT * FROM orders ORDER BY created_at DESC LIMIT 50'), [], 'a btree is read backwards');
    assert.deepEqual(missing('SELECT * FROM tags ORDER BY label'), [], 'without LIMIT the whole table is read anyway');
  });

  it('stays quiet on OR, parameter patterns, unknown tables and columns', () => {
    assert.deepEqual(missing('SELECT * FROM users WHERE name = $1 OR tenant_id = $2'), []);
    assert.deepEqual(missing('SELECT * FROM users WHERE name LIKE $1'), []);
    assert.deepEqual(missing('SELECT * FROM ghosts WHERE x = $1'), []);
    assert.deepEqual(missing('SELECT * FROM users WHERE no_such_column = $1'), []);
    assert.deepEqual(check('SELECT * FROM users WHERE name = $1', undefined), [], 'no schema, no index advice');
  });

  it('uses planner statistics: no index for conditions that keep most rows', () => {
    const stats = { 'orders.status': { nullFraction: 0, distinct: 3, commonValues: ['shipped', 'pending', 'cancelled'], commonFrequencies: [0.9, 0.07, 0.03] } };
    const schema = schemaOf(SHOP_DDL, BIG, stats);
    assert.deepEqual(missing("SELECT * FROM orders WHERE status = 'shipped'", schema), []);
    assert.deepEqual(missing('SELECT * FROM orders WHERE status = $1', schema), [], 'a third of the rows on average');
    const pending = "SELECT * FROM orders WHERE status = 'pending'";
    assert.equal(missing(pending, schema)[0]!.data?.ddl, 'CREATE INDEX CONCURRENTLY orders_status_idx ON orders (status);');
    // Selective constant + other keys: partial; unselective constant: a key column.
    assert.match(String(missing("SELECT * FROM orders WHERE status = 'pending' AND total = $1", schema)[0]!.data?.ddl), /\(total\) WHERE status = 'pending'/);
    assert.match(String(missing("SELECT * FROM orders WHERE status = 'shipped' AND total = $1", schema)[0]!.data?.ddl), /\(status, total\);$/);
  });

  it('maps offsets through ?, :name and $n placeholders and non-ASCII text', () => {
    for (const sql of [
      "SELECT '日本語 😀' AS x FROM users WHERE tenant_id = ? AND name = ?",
      "SELECT '日本語 😀' AS x FROM users WHERE tenant_id = :tenant AND name = :name",
      "SELECT '日本語 😀' AS x FROM users WHERE tenant_id = $1 AND name = $2",
    ]) {
      const f = missing(sql);
      assert.deepEqual(brief(sql, f), ['missing-index warning "tenant_id"'], sql);
      assert.deepEqual(f[0]!.related.map((r) => sql.slice(r.start, r.end)), ['name'], sql);
    }
  });

  it('quotes identifiers in the proposed DDL and keeps the name within 63 bytes', () => {
    const schema = schemaOf('CREATE TABLE "Order" ("userId" int, "order" int, id int); CREATE TABLE app.very_long_table_name_for_events_and_more (a_really_long_column_name_number_one int, another_long_column_name_number_two int);', {
      Order: 20_000,
      very_long_table_name_for_events_and_more: 20_000,
    });
    assert.equal(missing('SELECT * FROM "Order" WHERE "userId" = $1 AND "order" = $2', schema)[0]!.data?.ddl, 'CREATE INDEX CONCURRENTLY order_userid_order_idx ON "Order" ("userId", "order");');
    const ddl = String(missing('SELECT * FROM app.very_long_table_name_for_events_and_more WHERE a_really_long_column_name_number_one = 1 AND another_long_column_name_number_two = 2', schema)[0]!.data?.ddl);
    const name = /CONCURRENTLY (\S+) ON app\.very_long_table_name_for_events_and_more \(/.exec(ddl)?.[1] ?? '';
    assert.ok(name.length <= 63 && name.endsWith('_idx'), ddl);
  });
});

describe('missing-index on the texts a statement takes at run time', () => {
  before(() => loadSqlParser());

  it('judges each variant, once per place, and drops one whose option no application file sets', () => {
    const schema = schemaOf('CREATE TABLE inbox (id serial PRIMARY KEY, sender_id int, receiver_id int);', { inbox: 100_000 });
    const text = 'SELECT id FROM inbox WHERE $1';
    const variant = (t: string, guard?: string) => ({ text: t, map: [[0, 0, t.length]] as [number, number, number][], ...(guard ? { guard } : {}) });
    const summary = {
      path: 'store/inbox.go', language: 'go' as const, lineStarts: [0], functions: [], queries: [], calls: [], loops: [], imports: [], models: [], relationAccesses: [], ormFilters: [], suppressions: [], hasErrors: false,
      sql: [{ start: 0, end: text.length, text, origin: 'api' as const, dynamic: true, holes: [1], map: [[0, 0, text.length]] as [number, number, number][], variants: [variant('SELECT id FROM inbox WHERE sender_id = $1', 'FindInbox.SenderID'), variant('SELECT id FROM inbox WHERE receiver_id = $1', 'FindInbox.ReceiverID')] }],
    };
    const all = checkSummarySql(summary as never, schema, { rules: ['missing-index'] });
    assert.equal(all.length, 1, 'both variants report at the same place: one finding');
    assert.match(all[0]!.message, /filter on sender_id/);
    const used = checkSummarySql(summary as never, schema, { rules: ['missing-index'], setFields: new Set(['FindInbox.ReceiverID']) });
    assert.deepEqual(used.map((f) => /filter on (\w+)/.exec(f.message)?.[1]), ['receiver_id']);
    assert.deepEqual(checkSummarySql(summary as never, schema, { rules: ['missing-index'], setFields: new Set(['=SenderID']) }).map((f) => /filter on (\w+)/.exec(f.message)?.[1]), ['sender_id']);
    assert.deepEqual(checkSummarySql(summary as never, schema, { rules: ['sql-syntax'] }), [], 'sql-syntax never reads a variant');
  });
});

import assert from 'node:assert/strict';
import { adviceCandidates } from '../../../src/core/advice/planCandidates';
import { MAX_CANDIDATES, statementCandidates } from '../../../src/core/advice/statementCandidates';
import { loadSqlParser } from '../../../src/core/sql/parser';
import { schemaOf } from '../sqlrules/support';

const DDL = `
CREATE TABLE customers (id int PRIMARY KEY, name text NOT NULL, region text);
CREATE TABLE orders (id int PRIMARY KEY, customer_id int NOT NULL REFERENCES customers (id), note text NOT NULL,
  status text NOT NULL, amount numeric, created_at timestamptz, placed_on timestamp);
CREATE INDEX orders_created_at_idx ON orders (created_at);
CREATE TABLE "Odd Table" ("Mixed Col" text, id int);
CREATE SCHEMA sales;
CREATE TABLE sales.items (id int, sku text);
`;

const STATUS_STATS = { nullFraction: 0, distinct: 4, commonValues: ['done', 'pending'], commonFrequencies: [0.95, 0.02] };

function ddls(sql: string, ddl = DDL, stats = {}): string[] {
  return statementCandidates(sql, schemaOf(ddl, { orders: 200_000, customers: 2_000 }, stats)).map((c) => c.ddl);
}

describe('index advice: candidates for an explained statement', () => {
  before(() => loadSqlParser());

  it('proposes a btree on an unindexed filter column, with quoted identifiers and a name after table and columns', () => {
    const [c, ...rest] = statementCandidates("SELECT * FROM orders WHERE note = 'note 4242'", schemaOf(DDL));
    assert.equal(rest.length, 0);
    assert.ok(c);
    assert.equal(c.ddl, 'CREATE INDEX CONCURRENTLY orders_note_idx ON orders (note);');
    assert.equal(c.trialDdl, 'CREATE INDEX orders_note_idx ON orders (note);');
    assert.equal(c.name, 'orders_note_idx');
    assert.equal(c.table, 'orders');
    assert.equal(c.reason, 'the filter on note');
  });

  it('orders keys equality first, then one range, then the sort columns', () => {
    assert.deepEqual(ddls('SELECT * FROM orders WHERE amount > $1 AND customer_id = $2 AND note = $3'), [
      'CREATE INDEX CONCURRENTLY orders_customer_id_note_amount_idx ON orders (customer_id, note, amount);',
    ]);
    assert.deepEqual(ddls('SELECT * FROM orders WHERE customer_id = $1 ORDER BY amount DESC LIMIT 10'), [
      'CREATE INDEX CONCURRENTLY orders_customer_id_amount_idx ON orders (customer_id, amount DESC);',
    ]);
  });

  it('makes a selective constant condition the predicate of a partial index, unless its column has many distinct values', () => {
    const stats = { 'orders.status': STATUS_STATS };
    assert.deepEqual(ddls("SELECT * FROM orders WHERE status = 'pending' AND customer_id = $1", DDL, stats), [
      "CREATE INDEX CONCURRENTLY orders_customer_id_idx ON orders (customer_id) WHERE status = 'pending';",
    ]);
    // 'done' keeps 95 % of the rows: a key, not a predicate.
    assert.deepEqual(ddls("SELECT * FROM orders WHERE status = 'done' AND customer_id = $1", DDL, stats), [
      'CREATE INDEX CONCURRENTLY orders_status_customer_id_idx ON orders (status, customer_id);',
    ]);
    const unique = { 'orders.note': { nullFraction: 0, distinct: -1, commonValues: [], commonFrequencies: [] } };
    assert.deepEqual(ddls("SELECT * FROM orders WHERE note = 'note 4242' AND customer_id = $1", DDL, unique), [
      'CREATE INDEX CONCURRENTLY orders_note_customer_id_idx ON orders (note, customer_id);',
    ]);
  });

  it('indexes a function-wrapped column by its expression, and proposes nothing for a wrapping only a rewrite helps', () => {
    assert.deepEqual(ddls('SELECT * FROM customers WHERE lower(name) = $1'), ['CREATE INDEX CONCURRENTLY customers_lower_name_idx ON customers (lower(name));']);
    // created_at::date on timestamptz cannot be indexed (not immutable); arithmetic needs a rewrite.
    assert.deepEqual(ddls('SELECT * FROM orders WHERE created_at::date = $1'), []);
    assert.deepEqual(ddls('SELECT * FROM orders WHERE amount + 1 = $1'), []);
  });

  it('proposes a pg_trgm GIN index for a leading-wildcard LIKE', () => {
    const [c] = statementCandidates("SELECT * FROM orders WHERE note LIKE '%42%'", schemaOf(DDL));
    assert.equal(c?.ddl, 'CREATE INDEX CONCURRENTLY orders_note_trgm_idx ON orders USING gin (note gin_trgm_ops);');
    assert.equal(c?.extension, 'pg_trgm');
    assert.equal(c?.reason, 'the LIKE pattern on note');
  });

  it('proposes an index led by a join column for the inner side of a join, when the other side is filtered', () => {
    const sql = "SELECT o.id, c.name FROM orders o JOIN customers c ON c.id = o.customer_id WHERE c.region = 'north'";
    assert.deepEqual(ddls(sql), [
      'CREATE INDEX CONCURRENTLY orders_customer_id_idx ON orders (customer_id);',
      'CREATE INDEX CONCURRENTLY customers_region_idx ON customers (region);',
    ]);
    // Filtered on orders only: customers is looked up by its primary key, and orders is the outer side.
    assert.deepEqual(ddls('SELECT o.id, c.name FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.note = $1'), [
      'CREATE INDEX CONCURRENTLY orders_note_idx ON orders (note);',
    ]);
    assert.deepEqual(ddls('SELECT o.id, c.name FROM orders o JOIN customers c ON c.id = o.customer_id'), []);
  });

  it('leaves out candidates an existing valid index covers, but not those an invalid or inapplicable one would', () => {
    assert.deepEqual(ddls('SELECT * FROM orders WHERE created_at > $1'), []);
    assert.deepEqual(ddls('SELECT * FROM customers WHERE id = $1'), []);
    const covered = `${DDL}\nCREATE INDEX orders_cn ON orders (note, customer_id);\nCREATE INDEX orders_trgm ON orders USING gin (note gin_trgm_ops);`;
    // Equality keys in another order still cover.
    assert.deepEqual(ddls('SELECT * FROM orders WHERE customer_id = $1 AND note = $2', covered), []);
    assert.deepEqual(ddls("SELECT * FROM orders WHERE note ILIKE '%x%'", covered), []);
    // A partial index whose predicate the statement does not imply serves nothing here.
    const partial = `${DDL}\nCREATE INDEX orders_note_p ON orders (note) WHERE status = 'x';`;
    assert.deepEqual(ddls('SELECT * FROM orders WHERE note = $1', partial), ['CREATE INDEX CONCURRENTLY orders_note_idx ON orders (note);']);
    // An index left invalid by a failed concurrent build serves nothing.
    const model = schemaOf(covered);
    const invalid = { ...model, tables: model.tables.map((t) => ({ ...t, indexes: t.indexes.map((i) => ({ ...i, valid: false })) })) };
    assert.equal(statementCandidates('SELECT * FROM orders WHERE customer_id = $1 AND note = $2', invalid).length, 1);
    // A leading key alone does not cover a wider candidate.
    assert.deepEqual(ddls('SELECT * FROM orders WHERE created_at > $1 AND customer_id = $2'), [
      'CREATE INDEX CONCURRENTLY orders_customer_id_created_at_idx ON orders (customer_id, created_at);',
    ]);
  });

  it('picks a free name when one is taken in the schema, and quotes identifiers that need it', () => {
    const taken = `${DDL}\nCREATE INDEX orders_note_idx ON customers (name);`;
    assert.deepEqual(ddls('SELECT * FROM orders WHERE note = $1', taken), ['CREATE INDEX CONCURRENTLY orders_note_2_idx ON orders (note);']);
    assert.deepEqual(ddls('SELECT * FROM "Odd Table" WHERE "Mixed Col" = $1'), ['CREATE INDEX CONCURRENTLY odd_table_mixed_col_idx ON "Odd Table" ("Mixed Col");']);
    assert.deepEqual(ddls('SELECT * FROM sales.items WHERE sku = $1'), ['CREATE INDEX CONCURRENTLY items_sku_idx ON sales.items (sku);']);
  });

  it('says nothing for text that does not parse, unknown tables, or a statement without conditions', () => {
    assert.deepEqual(ddls('SELEC * FROM orders'), []);
    assert.deepEqual(ddls('SELECT * FROM nowhere WHERE x = 1'), []);
    assert.deepEqual(ddls('SELECT * FROM orders'), []);
    assert.deepEqual(ddls('SELECT * FROM orders ORDER BY amount'), []);
  });

  it(`keeps at most ${MAX_CANDIDATES} candidates`, () => {
    const cols = Array.from({ length: 10 }, (_, i) => `c${i} int`).join(', ');
    const tables = Array.from({ length: 10 }, (_, i) => `CREATE TABLE t${i} (id int, ${cols});`).join('\n');
    const sql = `SELECT * FROM ${Array.from({ length: 10 }, (_, i) => `t${i}`).join(', ')} WHERE ${Array.from({ length: 10 }, (_, i) => `t${i}.c1 = ${i}`).join(' AND ')}`;
    assert.equal(ddls(sql, tables).length, MAX_CANDIDATES);
  });
});

describe('index advice: candidates the plan\'s tips name', () => {
  before(() => loadSqlParser());
  const DDL_FK = `
    CREATE TABLE parents (id int PRIMARY KEY);
    CREATE TABLE children (id int PRIMARY KEY, parent_id int NOT NULL REFERENCES parents (id) ON DELETE CASCADE);
    CREATE TABLE tagged (id int PRIMARY KEY, parent_id int REFERENCES parents (id), tag text);
    CREATE INDEX tagged_parent_id_tag_idx ON tagged (parent_id, tag);
  `;
  const fkTip = (table: string) => ({
    id: 'fk-trigger', nodeId: null, severity: 'critical' as const, title: '', message: '', action: { text: '' }, estimatedSavingMs: 100, docs: '',
    indexCandidate: { schema: 'public', table, columns: ['parent_id'] },
  });

  it('adds the fk-trigger index, verified against the lookup the trigger runs, unless an index already leads with the columns', () => {
    const model = schemaOf(DDL_FK);
    const sql = 'DELETE FROM parents WHERE id <= 40';
    assert.deepEqual(statementCandidates(sql, model), []);
    const [c, ...rest] = adviceCandidates(sql, model, [fkTip('children'), fkTip('tagged')]);
    assert.equal(rest.length, 0, 'tagged (parent_id, tag) already serves the lookup');
    assert.equal(c?.ddl, 'CREATE INDEX CONCURRENTLY children_parent_id_idx ON children (parent_id);');
    assert.deepEqual(c?.probe, { sql: 'SELECT 1 FROM ONLY children x WHERE x.parent_id = $1', columns: ['parent_id'] });
    assert.match(c?.reason ?? '', /lookups of children by parent_id/);
  });
});

describe('index advice: covering candidates', () => {
  before(() => loadSqlParser());
  const DDL_PAY = `
    CREATE TABLE payments (id int PRIMARY KEY, customer_id int NOT NULL, amount numeric NOT NULL, note text, paid_at timestamptz, status text);
    CREATE INDEX payments_customer_id_idx ON payments (customer_id);
    CREATE INDEX payments_status_idx ON payments (status) INCLUDE (amount);
  `;
  const ddl = (sql: string) => statementCandidates(sql, schemaOf(DDL_PAY, { payments: 200_000 })).map((c) => c.ddl);

  it('adds INCLUDE for the few columns a one-table select returns, also beside an index that already serves the filter', () => {
    assert.deepEqual(ddl('SELECT customer_id, amount FROM payments WHERE customer_id = $1'), [
      'CREATE INDEX CONCURRENTLY payments_customer_id_amount_idx ON payments (customer_id) INCLUDE (amount);',
    ]);
    assert.deepEqual(ddl('SELECT amount, paid_at FROM payments WHERE note = $1'), [
      'CREATE INDEX CONCURRENTLY payments_note_idx ON payments (note);',
      'CREATE INDEX CONCURRENTLY payments_note_amount_paid_at_idx ON payments (note) INCLUDE (amount, paid_at);',
    ]);
  });

  it('proposes none for SELECT *, aggregates, more than three columns, or what an index already stores', () => {
    assert.deepEqual(ddl('SELECT * FROM payments WHERE customer_id = $1'), []);
    assert.deepEqual(ddl('SELECT count(*) FROM payments WHERE customer_id = $1'), []);
    assert.deepEqual(ddl('SELECT id, amount, note, paid_at FROM payments WHERE customer_id = $1'), []);
    assert.deepEqual(ddl('SELECT amount FROM payments WHERE status = $1'), []);
  });
});

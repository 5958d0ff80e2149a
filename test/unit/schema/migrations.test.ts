import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { canonical } from '../../../src/core/schema/expression';
import { isDownMigration, naturalCompare, orderMigrations, schemaFromMigrations, upSection } from '../../../src/core/schema/migrations';
import { findTable, referencingKeys, type IndexInfo, type SchemaModel, type TableInfo } from '../../../src/core/schema/model';
import { loadSqlParser, parseSql } from '../../../src/core/sql/parser';
import { unwrapNode } from '../../../src/core/sql/nodeSpans';

export const SHOP_MIGRATIONS = join(__dirname, '../../../../test/fixtures/migrations/shop');

export function shopFiles(): { path: string; text: string }[] {
  return readdirSync(SHOP_MIGRATIONS).map((name) => ({ path: `db/migrations/${name}`, text: readFileSync(join(SHOP_MIGRATIONS, name), 'utf8') }));
}

function table(model: SchemaModel, name: string): TableInfo {
  const t = findTable(model, name);
  assert.ok(t, `table ${name} in ${model.tables.map((x) => x.name).join(', ')}`);
  return t;
}

function index(t: TableInfo, name: string): IndexInfo {
  const i = t.indexes.find((x) => x.name === name);
  assert.ok(i, `index ${name} on ${t.name}: ${t.indexes.map((x) => x.name).join(', ')}`);
  return i;
}

/** The canonical key of a WHERE condition as a query would write it. */
function whereKey(condition: string): string {
  const parsed = parseSql(`SELECT 1 FROM t WHERE ${condition}`);
  assert.ok(parsed.ok);
  const where = unwrapNode(parsed.statements[0]?.node)?.[1].whereClause;
  return canonical(where);
}

describe('schema from SQL migrations', () => {
  before(() => loadSqlParser());

  it('applies the fixture folder in order: create, alter, index, drop', () => {
    // Shuffled on purpose: the order comes from the file names.
    const files = shopFiles().reverse();
    const { model, problems, applied } = schemaFromMigrations(files);
    assert.deepEqual(problems, []);
    assert.deepEqual(applied.map((p) => p.replace('db/migrations/', '')), ['001_users.sql', '002_orders.sql', '003_indexes.sql', '004_alter.sql', '005_products.sql']);
    assert.equal(model.source, 'migrations');
    assert.deepEqual(model.tables.map((t) => t.name).sort(), ['order_items', 'orders', 'products', 'users']);

    const users = table(model, 'users');
    assert.deepEqual(users.columns.map((c) => `${c.name} ${c.type}${c.notNull ? ' not null' : ''}`), [
      'id bigint not null',
      'email character varying(255) not null',
      'name text',
      'created_at timestamp with time zone not null',
      'deleted_at timestamp with time zone',
      'country text',
    ]);
    // Dropping legacy_code took its index along.
    assert.deepEqual(users.indexes.map((i) => i.name).sort(), ['users_email_key', 'users_lower_name_idx', 'users_pkey']);
    assert.equal(users.rowEstimate, null);

    const orders = table(model, 'orders');
    assert.ok(orders.columns.some((c) => c.name === 'comment'), 'note was renamed to comment');
    assert.ok(!orders.columns.some((c) => c.name === 'note'));
    assert.ok(!orders.indexes.some((i) => i.name === 'orders_note_idx'), 'dropped by 003');
    assert.deepEqual(orders.constraints.map((c) => `${c.kind} ${c.name} ${c.columns.join(',')}`).sort(), [
      'check orders_total_positive total',
      'foreign orders_user_id_fkey user_id',
      'primary orders_pkey id',
    ]);
  });

  it('keeps index definitions: unique, composite, partial and expression keys', () => {
    const { model } = schemaFromMigrations(shopFiles());
    const users = table(model, 'users');
    const orders = table(model, 'orders');
    const email = index(users, 'users_email_key');
    assert.equal(email.unique, true);
    assert.deepEqual(email.keys, [{ kind: 'column', column: 'email', descending: false }]);
    assert.equal(index(users, 'users_pkey').primary, true);

    assert.deepEqual(index(orders, 'orders_status_created_at_idx').keys.map((k) => (k.kind === 'column' ? k.column : k.text)), ['status', 'created_at']);

    const pending = index(orders, 'orders_pending_idx');
    assert.equal(pending.predicate, "status = 'pending'");
    assert.deepEqual(pending.predicateConjuncts, [whereKey("status = 'pending'")]);
    assert.deepEqual(pending.predicateConjuncts, [whereKey("o.status = 'pending'")], 'qualifiers do not matter');

    const lowerName = index(users, 'users_lower_name_idx');
    const key = lowerName.keys[0];
    assert.ok(key?.kind === 'expression');
    assert.equal(key.text, 'lower(name)');
    assert.deepEqual(key.columns, ['name']);
  });

  it('models primary keys, unique constraints and foreign keys with their actions', () => {
    const { model } = schemaFromMigrations(shopFiles());
    const items = table(model, 'order_items');
    assert.deepEqual(index(items, 'order_items_pkey').keys.map((k) => (k.kind === 'column' ? k.column : '')), ['order_id', 'product_id']);
    const fks = items.constraints.filter((c) => c.kind === 'foreign');
    assert.deepEqual(
      fks.map((c) => (c.kind === 'foreign' ? `${c.name}: ${c.columns.join(',')} -> ${c.references.table}(${c.references.columns.join(',')}) ${c.onDelete}` : '')).sort(),
      ['order_items_order_id_fkey: order_id -> orders(id) cascade', 'order_items_product_fk: product_id -> products(id) no action'],
    );
    assert.ok(index(table(model, 'products'), 'products_sku_key').unique);
    assert.deepEqual(referencingKeys(model, table(model, 'orders')).map((r) => r.table.name), ['order_items']);
  });

  it('leaves down migrations out: *.down.sql files and the down half of dbmate and goose files', () => {
    assert.equal(isDownMigration('db/migrations/005_products.down.sql'), true);
    assert.equal(isDownMigration('db/migrations/005_products.up.sql'), false);
    assert.equal(isDownMigration('db/migrations/20240101_countdown.sql'), false);
    const dbmate = '-- migrate:up\nCREATE TABLE a (id int);\n-- migrate:down\nDROP TABLE a;\n';
    assert.equal(upSection(dbmate).length, dbmate.length, 'offsets are kept');
    assert.doesNotMatch(upSection(dbmate), /DROP/);
    const goose = '-- +goose Up\nCREATE TABLE b (id int);\n-- +goose Down\nDROP TABLE b;\n';
    const { model } = schemaFromMigrations([{ path: '1_b.sql', text: goose }]);
    assert.deepEqual(model.tables.map((t) => t.name), ['b']);
  });

  it('orders migration names naturally', () => {
    assert.ok(naturalCompare('V9__add.sql', 'V10__more.sql') < 0);
    assert.ok(naturalCompare('20240101_a.sql', '20231231_b.sql') > 0);
    const ordered = orderMigrations([{ path: 'm/10_c.sql' }, { path: 'm/2_b.sql' }, { path: 'm/1_a.sql' }]);
    assert.deepEqual(ordered.map((f) => f.path), ['m/1_a.sql', 'm/2_b.sql', 'm/10_c.sql']);
  });

  it('follows renames of tables and columns into indexes and foreign keys', () => {
    const { model } = schemaFromMigrations([
      {
        path: '1.sql',
        text: `CREATE TABLE accounts (id int PRIMARY KEY, mail text);
               CREATE TABLE sessions (id int, account_id int REFERENCES accounts);
               CREATE INDEX accounts_mail_lower ON accounts (lower(mail));
               ALTER TABLE accounts RENAME COLUMN mail TO email;
               ALTER TABLE accounts RENAME TO members;
               ALTER INDEX accounts_mail_lower RENAME TO members_email_lower;`,
      },
    ]);
    const members = table(model, 'members');
    const expr = index(members, 'members_email_lower').keys[0];
    assert.ok(expr?.kind === 'expression');
    assert.equal(expr.text, 'lower(email)');
    assert.deepEqual(expr.columns, ['email']);
    const fk = table(model, 'sessions').constraints.find((c) => c.kind === 'foreign');
    assert.ok(fk?.kind === 'foreign');
    assert.deepEqual(fk.references, { schema: 'public', table: 'members', columns: ['id'] });
  });

  it('handles schemas, quoted names, IF NOT EXISTS, USING INDEX, NOT VALID and DROP ... CASCADE', () => {
    const { model, problems } = schemaFromMigrations([
      {
        path: '1.sql',
        text: `CREATE SCHEMA billing;
               CREATE TABLE billing."Invoice" ("Id" int NOT NULL, "customerRef" text);
               CREATE TABLE IF NOT EXISTS billing."Invoice" (other int);
               CREATE UNIQUE INDEX invoice_id ON billing."Invoice" ("Id");
               ALTER TABLE billing."Invoice" ADD CONSTRAINT invoice_pk PRIMARY KEY USING INDEX invoice_id;
               CREATE TABLE lines (invoice_id int);
               ALTER TABLE lines ADD CONSTRAINT lines_invoice FOREIGN KEY (invoice_id) REFERENCES billing."Invoice" ("Id") NOT VALID;
               CREATE INDEX IF NOT EXISTS lines_invoice_idx ON lines (invoice_id);
               CREATE INDEX IF NOT EXISTS lines_invoice_idx ON lines (invoice_id DESC);
               DROP TABLE billing."Invoice" CASCADE;`,
      },
    ]);
    assert.deepEqual(problems, []);
    assert.equal(findTable(model, 'Invoice'), undefined);
    const lines = table(model, 'lines');
    assert.deepEqual(lines.constraints, [], 'the foreign key went with the table it referenced');
    assert.equal(index(lines, 'lines_invoice_idx').keys[0]?.descending, false, 'IF NOT EXISTS kept the first definition');

    const before = schemaFromMigrations([{ path: '1.sql', text: `CREATE TABLE billing."Invoice" ("Id" int NOT NULL); CREATE UNIQUE INDEX invoice_id ON billing."Invoice" ("Id"); ALTER TABLE billing."Invoice" ADD CONSTRAINT invoice_pk PRIMARY KEY USING INDEX invoice_id;` }]).model;
    const invoice = findTable(before, 'Invoice', 'billing');
    assert.ok(invoice);
    assert.deepEqual(invoice.indexes.map((i) => `${i.name} ${i.primary}`), ['invoice_pk true']);
  });

  it('reports statements on unknown tables and unparsable statements, and goes on', () => {
    const { model, problems } = schemaFromMigrations([
      { path: 'a.sql', text: 'ALTER TABLE ghosts ADD COLUMN x int;\nCREATE TABLE ok (id int);\nCREATE TABL broken (id int);\nCREATE INDEX ON ok (id);' },
    ]);
    assert.deepEqual(problems.map((p) => p.message.replace(/".*"/, '…')), ['Table ghosts is not defined by an earlier migration.', 'syntax error at or near …']);
    assert.equal(problems[1]?.offset, 'ALTER TABLE ghosts ADD COLUMN x int;\nCREATE TABLE ok (id int);\n'.length + 'CREATE '.length);
    assert.deepEqual(table(model, 'ok').indexes.map((i) => i.name), ['ok_id_idx']);
  });
});

/**
 * The catalog reader against a real schema: the shop migrations run on a
 * fresh database with real rows, read back through Database.read, and
 * compared with the model built offline from the same migration files.
 */
import assert from 'node:assert/strict';
import type { Client } from 'pg';
import { readSchema } from '../../../src/db/catalog';
import type { Database } from '../../../src/db/types';
import { schemaFromMigrations } from '../../../src/core/schema/migrations';
import { findTable, type IndexInfo, type SchemaModel, type TableInfo } from '../../../src/core/schema/model';
import { openDatabase, type CapturingLog } from '../helpers';
import { createShop, ROWS, shopMigrations } from './shop';

const DB = 'pgi_catalog_reader';

function table(model: SchemaModel, name: string): TableInfo {
  const t = findTable(model, name);
  assert.ok(t, `${name} in ${model.tables.map((x) => `${x.schema}.${x.name}`).join(', ')}`);
  return t;
}

/** What must agree between live and offline: columns, index definitions and constraints. */
function structure(t: TableInfo): unknown {
  const index = (i: IndexInfo) => ({
    name: i.name,
    method: i.method,
    unique: i.unique,
    primary: i.primary,
    keys: i.keys.map((k) => (k.kind === 'column' ? `${k.column}${k.descending ? ' DESC' : ''}` : k.canonical)),
    predicate: i.predicateConjuncts,
  });
  return {
    columns: t.columns.map((c) => `${c.name} ${c.type}${c.notNull ? ' not null' : ''}`),
    indexes: t.indexes.filter((i) => i.valid).map(index).sort((a, b) => a.name.localeCompare(b.name)),
    constraints: [...t.constraints].sort((a, b) => a.name.localeCompare(b.name)),
  };
}

describe('db: schema catalog reader', function () {
  this.timeout(120_000);
  let admin: Client;
  let db: Database;
  let log: CapturingLog;
  let live: SchemaModel;

  before(async () => {
    admin = await createShop(DB);
    ({ db, log } = openDatabase(DB));
    live = await readSchema(db);
  });
  after(async () => {
    await db?.close();
    await admin?.end();
  });

  it('reads the user tables with real row estimates, in one read-only transaction', () => {
    assert.deepEqual(live.tables.map((t) => `${t.schema}.${t.name}`).sort(), ['public.order_items', 'public.orders', 'public.products', 'public.users']);
    for (const [name, rows] of Object.entries(ROWS)) {
      const estimate = table(live, name).rowEstimate;
      assert.ok(estimate !== null && Math.abs(estimate - rows) / rows < 0.05, `${name}: ${estimate} vs ${rows}`);
      assert.ok((table(live, name).sizeBytes ?? 0) > rows * 20, `${name} size`);
    }
    // Four catalog queries, all inside the runner's read transaction.
    assert.equal(log.statements.filter((s) => /^SELECT/.test(s.firstLine)).length, 4, log.text());
  });

  it('describes every table exactly as the offline model built from the same migrations does', () => {
    const offline = schemaFromMigrations(shopMigrations()).model;
    assert.deepEqual(offline.tables.map((t) => t.name).sort(), live.tables.map((t) => t.name).sort());
    for (const t of offline.tables) {
      assert.deepEqual(structure(table(live, t.name)), structure(t), t.name);
    }
  });

  it('keeps partial predicates, expression keys and validity', () => {
    const orders = table(live, 'orders');
    const pending = orders.indexes.find((i) => i.name === 'orders_pending_idx');
    assert.equal(pending?.predicate, "(status = 'pending'::text)");
    const lower = table(live, 'users').indexes.find((i) => i.name === 'users_lower_name_idx')?.keys[0];
    assert.ok(lower?.kind === 'expression');
    assert.equal(lower.text, 'lower(name)');
    const broken = table(live, 'users').indexes.find((i) => i.name === 'users_country_key');
    assert.equal(broken?.valid, false, 'left invalid by the failed concurrent build');
  });

  it('reads planner statistics for the columns', () => {
    const status = table(live, 'orders').columns.find((c) => c.name === 'status')?.stats;
    assert.ok(status);
    assert.equal(status.nullFraction, 0);
    assert.equal(status.distinct, 3);
    const pending = status.commonFrequencies[status.commonValues.indexOf('pending')];
    assert.ok(pending !== undefined && Math.abs(pending - 0.05) < 0.01, String(pending));
    const email = table(live, 'users').columns.find((c) => c.name === 'email')?.stats;
    assert.equal(email?.distinct, -1, 'unique values: n_distinct is -1');
  });

  it('reads schemas other than public and leaves the system catalogs out', async () => {
    await admin.query('CREATE SCHEMA billing; CREATE TABLE billing."Invoice" ("Id" int PRIMARY KEY, "customerRef" bigint REFERENCES public.users (id))');
    const model = await readSchema(db);
    const invoice = findTable(model, 'Invoice', 'billing');
    assert.ok(invoice);
    assert.equal(invoice.rowEstimate, null, 'never analysed');
    assert.deepEqual(invoice.constraints.find((c) => c.kind === 'foreign'), {
      kind: 'foreign', name: 'Invoice_customerRef_fkey', columns: ['customerRef'], references: { schema: 'public', table: 'users', columns: ['id'] }, onDelete: 'no action', validated: true,
    });
    assert.ok(!model.tables.some((t) => t.schema === 'pg_catalog' || t.schema === 'information_schema'));
    await admin.query('DROP SCHEMA billing CASCADE');
  });
});

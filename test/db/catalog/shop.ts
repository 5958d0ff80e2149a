/**
 * The shop database of the catalog tests: built by running the migration
 * fixture files (test/fixtures/migrations/shop) on a fresh database, then
 * filled with real rows and analysed, so the live catalog and the offline
 * model come from the same migrations.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from 'pg';
import { isDownMigration, orderMigrations, upSection, type MigrationFile } from '../../../src/core/schema/migrations';
import { adminClient } from '../helpers';
import { testServer } from '../server';

const FIXTURES = join(__dirname, '../../../../test/fixtures/migrations/shop');

export function shopMigrations(): MigrationFile[] {
  return readdirSync(FIXTURES).map((name) => ({ path: `db/migrations/${name}`, text: readFileSync(join(FIXTURES, name), 'utf8') }));
}

/** Row counts the data below creates. */
export const ROWS = { users: 12_000, orders: 30_000, products: 12_000, order_items: 40_000 };

const DATA = `
INSERT INTO users (email, name, created_at, country)
  SELECT 'user' || g || '@example.com', 'Name ' || g, now() - g * interval '1 minute', 'country-' || (g % 200)
  FROM generate_series(1, ${ROWS.users}) g;
INSERT INTO orders (user_id, status, total, created_at, comment)
  SELECT 1 + g % ${ROWS.users},
         CASE WHEN g % 20 = 0 THEN 'pending' WHEN g % 3 = 0 THEN 'cancelled' ELSE 'shipped' END,
         (g % 1000) + 0.5, now() - g * interval '1 minute', 'comment ' || g
  FROM generate_series(1, ${ROWS.orders}) g;
INSERT INTO products (sku, title, price)
  SELECT 'SKU-' || g, CASE WHEN g % 100 = 0 THEN 'Desk lamp ' || g ELSE 'Product ' || g END, g % 500
  FROM generate_series(1, ${ROWS.products}) g;
INSERT INTO order_items (order_id, product_id, quantity)
  SELECT 1 + g % ${ROWS.orders}, 1 + (g * 7) % ${ROWS.products}, 1 + g % 5
  FROM generate_series(1, ${ROWS.order_items}) g;
`;

/**
 * A fresh database `name` holding the shop schema and data, ANALYZEd, with
 * one more thing the migrations do not have: an index on users.country left
 * invalid by a failed CREATE UNIQUE INDEX CONCURRENTLY.
 */
export async function createShop(name: string): Promise<Client> {
  await testServer().createDatabase(name);
  const admin = await adminClient(name);
  for (const file of orderMigrations(shopMigrations())) {
    if (!isDownMigration(file.path)) await admin.query(upSection(file.text));
  }
  await admin.query(DATA);
  await admin.query('CREATE UNIQUE INDEX CONCURRENTLY users_country_key ON users (country)').then(
    () => {
      throw new Error('the unique index over duplicate countries should have failed');
    },
    () => undefined,
  );
  await admin.query('ANALYZE');
  return admin;
}

/**
 * missing-index and non-sargable-predicate against a real schema with real
 * row counts, the same findings at Information severity from the equivalent
 * migrations offline, and the proof of the advice: after running each
 * proposed CREATE INDEX, the planner uses the index and the finding is gone.
 */
import assert from 'node:assert/strict';
import type { Client } from 'pg';
import { readSchema } from '../../../src/db/catalog';
import type { Database } from '../../../src/db/types';
import { schemaFromMigrations } from '../../../src/core/schema/migrations';
import type { SchemaModel } from '../../../src/core/schema/model';
import { checkSql } from '../../../src/core/sqlrules/check';
import type { SqlFinding } from '../../../src/core/sqlrules/finding';
import { sourceFromFile } from '../../../src/core/sqlrules/source';
import { openDatabase } from '../helpers';
import { createShop, shopMigrations } from './shop';

const DB = 'pgi_catalog_findings';

/** Queries as they might sit in application code, with the finding each should give (or none). */
const QUERIES: readonly { sql: string; expect: string[] }[] = [
  { sql: 'SELECT * FROM users WHERE name = $1', expect: ['missing-index name'] },
  { sql: 'SELECT * FROM users WHERE lower(email) = lower($1)', expect: ['non-sargable-predicate lower(email)'] },
  { sql: 'SELECT * FROM orders WHERE created_at::date = $1', expect: ['non-sargable-predicate created_at::date'] },
  { sql: 'SELECT o.* FROM orders o JOIN users u ON u.id = o.user_id WHERE u.email = $1', expect: ['missing-index o.user_id'] },
  { sql: "SELECT * FROM products WHERE title ILIKE '%lamp%'", expect: ['missing-index title'] },
  { sql: 'DELETE FROM products WHERE id = $1', expect: ['missing-index products'] },
  { sql: 'SELECT * FROM orders WHERE total + 1 = $1', expect: ['missing-index total + 1'] },
  { sql: 'SELECT * FROM users WHERE country = :country', expect: ['missing-index country'] },
  // Served: a unique index, an expression index, a composite index, a partial index.
  { sql: 'SELECT * FROM users WHERE email = $1', expect: [] },
  { sql: 'SELECT * FROM users WHERE lower(name) = lower(?)', expect: [] },
  { sql: "SELECT * FROM orders WHERE status = 'pending' ORDER BY created_at LIMIT 20", expect: [] },
  { sql: "SELECT * FROM orders WHERE created_at > now() - interval '1 day' AND status = 'pending'", expect: [] },
];

function run(schema: SchemaModel, sql: string): SqlFinding[] {
  return checkSql(sourceFromFile('queries.sql', sql), schema, { rules: ['missing-index', 'non-sargable-predicate'] });
}

const short = (sql: string, f: SqlFinding) => `${f.ruleId} ${sql.slice(f.start, f.end)}`;

describe('db: missing-index and non-sargable-predicate on a real schema', function () {
  this.timeout(180_000);
  let admin: Client;
  let db: Database;
  let live: SchemaModel;
  let offline: SchemaModel;

  before(async () => {
    admin = await createShop(DB);
    ({ db } = openDatabase(DB));
    live = await readSchema(db);
    offline = schemaFromMigrations(shopMigrations()).model;
  });
  after(async () => {
    await db?.close();
    await admin?.end();
  });

  it('reports the expected findings at Warning severity with live row counts', () => {
    for (const q of QUERIES) {
      const found = run(live, q.sql);
      assert.deepEqual(found.map((f) => short(q.sql, f)), q.expect, q.sql);
      assert.ok(found.every((f) => f.severity === 'warning'), q.sql);
      for (const f of found) assert.match(f.message, /≈\d/, 'live messages give the row estimate');
    }
  });

  it('gives the same findings from the equivalent migrations, at Information severity', () => {
    for (const q of QUERIES) {
      const fromLive = run(live, q.sql);
      const fromMigrations = run(offline, q.sql);
      assert.deepEqual(
        fromMigrations.map((f) => ({ rule: f.ruleId, start: f.start, end: f.end, ddl: f.data?.ddl })),
        fromLive.map((f) => ({ rule: f.ruleId, start: f.start, end: f.end, ddl: f.data?.ddl })),
        q.sql,
      );
      assert.ok(fromMigrations.every((f) => f.severity === 'information'), q.sql);
    }
  });

  it('is quiet on a live table under the row threshold, where offline cannot know', async () => {
    await admin.query("CREATE TABLE coupons (code text PRIMARY KEY, label text); INSERT INTO coupons SELECT 'C' || g, 'coupon ' || g FROM generate_series(1, 300) g; ANALYZE coupons");
    const withCoupons = await readSchema(db);
    const offlineCoupons = schemaFromMigrations([...shopMigrations(), { path: 'db/migrations/900_coupons.sql', text: 'CREATE TABLE coupons (code text PRIMARY KEY, label text);' }]).model;
    const sql = 'SELECT * FROM coupons WHERE label = $1';
    assert.deepEqual(run(withCoupons, sql), []);
    assert.deepEqual(run(offlineCoupons, sql).map((f) => `${f.ruleId} ${f.severity}`), ['missing-index information']);
    assert.equal(run(withCoupons, sql).length, 0);
    assert.equal(checkSql(sourceFromFile('q.sql', sql), withCoupons, { rowThreshold: 100 }).length, 1, 'the threshold is a setting');
  });

  it('proposes indexes the planner then uses, and the findings go away', async () => {
    const trigram = await admin.query('CREATE EXTENSION IF NOT EXISTS pg_trgm').then(() => true, () => false);
    const applied: string[] = [];
    for (const q of QUERIES) {
      for (const f of run(live, q.sql)) {
        const ddl = f.data?.ddl;
        if (typeof ddl !== 'string' || (f.data?.extension === 'pg_trgm' && !trigram)) continue;
        await admin.query(ddl);
        applied.push(ddl);
      }
    }
    assert.ok(applied.length >= 6, applied.join('\n'));
    await admin.query('ANALYZE');
    const after = await readSchema(db);
    // What remains asks for a rewrite: the index on total now exists, so `total + 1` is non-sargable.
    const remaining = QUERIES.flatMap((q) => run(after, q.sql).map((f) => short(q.sql, f)));
    assert.deepEqual(remaining, ['non-sargable-predicate created_at::date', ...(trigram ? [] : ['missing-index title']), 'non-sargable-predicate total + 1']);
    // Each proposed index is chosen by the planner for the query it was proposed for (generic plans: $n unknown).
    for (const [sql, index] of [
      ['SELECT * FROM users WHERE name = $1', 'users_name_idx'],
      ['SELECT * FROM users WHERE lower(email) = lower($1)', 'users_lower_email_idx'],
      ['SELECT o.* FROM orders o JOIN users u ON u.id = o.user_id WHERE u.email = $1', 'orders_user_id_idx'],
      ['SELECT * FROM users WHERE country = $1', 'users_country_idx'],
      ...(trigram ? [["SELECT * FROM products WHERE title ILIKE '%lamp%'", 'products_title_trgm_idx']] : []),
    ] as const) {
      const plan = await admin.query(`EXPLAIN (FORMAT JSON, GENERIC_PLAN) ${sql}`);
      assert.match(JSON.stringify(plan.rows), new RegExp(`"Index Name":"${index}"`), sql);
    }
  });
});

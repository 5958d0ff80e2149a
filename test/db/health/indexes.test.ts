/**
 * Index and schema checks against conditions created for real: an unused
 * index, duplicate and redundant indexes, a foreign key without an index, an
 * invalid index left by a failed concurrent build, a constraint added NOT
 * VALID, a large table read by sequential scans, and tables without a key.
 */
import assert from 'node:assert/strict';
import type { Client } from 'pg';
import { duplicateIndexes } from '../../../src/core/health/checks/duplicate-indexes';
import { foreignKeysWithoutIndex } from '../../../src/core/health/checks/foreign-keys-without-index';
import { invalidConstraints } from '../../../src/core/health/checks/invalid-constraints';
import { invalidIndexes } from '../../../src/core/health/checks/invalid-indexes';
import { missingIndexes } from '../../../src/core/health/checks/missing-indexes';
import { tablesWithoutPrimaryKey } from '../../../src/core/health/checks/tables-without-primary-key';
import { unusedIndexes } from '../../../src/core/health/checks/unused-indexes';
import { flushStats, freshDatabase, inSession, openHealthDb, runOne, untilFinding, type HealthDb } from './support';

describe('health checks: indexes and schema (db)', function () {
  this.timeout(60_000);
  let admin: Client;
  let h: HealthDb;

  before(async () => {
    const fresh = await freshDatabase('health_indexes');
    admin = fresh.admin;
    await admin.query(`
      CREATE TABLE customers (id bigint PRIMARY KEY, email text NOT NULL, region text);
      CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint NOT NULL REFERENCES customers (id),
                           status text, created_at timestamptz, note text);
      INSERT INTO customers SELECT g, 'c' || g || '@example.com', 'region-' || (g % 7) FROM generate_series(1, 2000) g;
      INSERT INTO orders SELECT g, 1 + g % 2000, 'status-' || (g % 5), now() - g * interval '1 minute', 'note ' || g
        FROM generate_series(1, 20000) g;
      CREATE INDEX orders_status_idx ON orders (status);
      CREATE INDEX orders_status_created_idx ON orders (status, created_at);
      CREATE INDEX customers_region_a ON customers (region);
      CREATE INDEX customers_region_b ON customers (region);
      CREATE TABLE events (payload text);
      CREATE TABLE tags (name text NOT NULL, CONSTRAINT tags_name_key UNIQUE (name));
      ALTER TABLE orders ADD CONSTRAINT orders_note_short CHECK (length(note) < 100) NOT VALID;
      ANALYZE;`);
    await flushStats(admin);
    // A unique build over duplicate values fails and leaves the index behind, invalid.
    await assert.rejects(admin.query('CREATE UNIQUE INDEX CONCURRENTLY customers_region_unique ON customers (region)'), /duplicate key|could not create unique index/);
    h = await openHealthDb('health_indexes');
  });

  after(async () => {
    await h?.close();
    await admin?.end();
  });

  it('reports the index left invalid by a failed CREATE INDEX CONCURRENTLY', async () => {
    const result = await runOne(h, invalidIndexes);
    assert.equal(result.status, 'warning');
    const finding = result.findings.find((f) => f.object === 'public.customers_region_unique');
    assert.ok(finding, JSON.stringify(result.findings));
    assert.deepEqual(finding.relation, { schema: 'public', table: 'customers' });
    assert.match(finding.remediation?.sql ?? '', /customers_region_unique/);
  });

  it('reports a constraint added NOT VALID and never validated', async () => {
    const result = await runOne(h, invalidConstraints);
    assert.equal(result.status, 'warning');
    assert.equal(result.findings.length, 1);
    assert.equal(result.findings[0]?.remediation?.sql, 'ALTER TABLE public.orders VALIDATE CONSTRAINT orders_note_short;');
  });

  it('reports an identical index and an index that is a prefix of another', async () => {
    const result = await runOne(h, duplicateIndexes);
    const objects = result.findings.map((f) => f.object).sort();
    // The newer of two identical indexes, and the narrower of a prefix pair; never a unique or key index.
    assert.deepEqual(objects, ['public.customers_region_b', 'public.orders_status_idx']);
    assert.match(result.findings.find((f) => f.object === 'public.orders_status_idx')?.message ?? '', /orders_status_created_idx/);
  });

  it('reports the foreign key without a supporting index, and not once an index exists', async () => {
    const result = await runOne(h, foreignKeysWithoutIndex);
    const finding = result.findings.find((f) => f.object === 'public.orders (customer_id)');
    assert.ok(finding, JSON.stringify(result.findings));
    assert.equal(finding.severity, 'warning');
    assert.equal(finding.remediation?.sql, 'CREATE INDEX CONCURRENTLY ON public.orders (customer_id);');

    await admin.query('CREATE INDEX orders_customer_status_idx ON orders (customer_id, status)');
    try {
      const after = await runOne(h, foreignKeysWithoutIndex);
      assert.equal(after.findings.length, 0, JSON.stringify(after.findings));
    } finally {
      await admin.query('DROP INDEX orders_customer_status_idx');
    }
  });

  it('reports unused indexes with how long statistics have been collected', async () => {
    // Statistics of a fresh database are minutes old: the finding stays info until they cover a week.
    const young = await runOne(h, unusedIndexes, { unusedIndexMinBytes: 0 });
    const finding = young.findings.find((f) => f.object === 'public.orders_status_idx');
    assert.ok(finding, JSON.stringify(young.findings));
    assert.equal(finding.severity, 'info');
    assert.match(young.summary, /since/);
    // Unique and key indexes are never reported.
    assert.ok(!young.findings.some((f) => /pkey|tags_name_key/.test(f.object)));

    const judged = await runOne(h, unusedIndexes, { unusedIndexMinBytes: 0, unusedIndexMinStatsDays: 0 });
    assert.equal(judged.status, 'warning');
    // Above the default 10 MB size these small indexes are not reported at all.
    const defaults = await runOne(h, unusedIndexes);
    assert.equal(defaults.findings.length, 0);
  });

  it('reports a large table read by sequential scans, with the statements that touch it', async () => {
    await inSession('health_indexes', async (c) => {
      for (let i = 0; i < 12; i++) await c.query("SELECT count(*) FROM orders WHERE note = 'note 17'");
    });
    const { finding } = await untilFinding(h, missingIndexes, 'public.orders');
    assert.equal(finding.severity, 'warning');
    assert.match(finding.message, /sequential scans/);
    assert.match(finding.message, /note = \$1/, 'the statement from pg_stat_statements is named');
  });

  it('reports tables without a primary key, and a unique key that could be promoted', async () => {
    const result = await runOne(h, tablesWithoutPrimaryKey);
    const events = result.findings.find((f) => f.object === 'public.events');
    const tags = result.findings.find((f) => f.object === 'public.tags');
    assert.equal(events?.severity, 'warning');
    assert.equal(tags?.severity, 'info');
    // The index belongs to the UNIQUE constraint, so a twin is built and promoted (fixes.test.ts applies it).
    assert.equal(tags?.remediation?.sql, 'CREATE UNIQUE INDEX CONCURRENTLY tags_pkey ON public.tags (name);\nALTER TABLE public.tags ADD CONSTRAINT tags_pkey PRIMARY KEY USING INDEX tags_pkey;');
    assert.equal(result.findings.length, 2);
  });
});

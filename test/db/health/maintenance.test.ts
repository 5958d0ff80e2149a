/**
 * Maintenance checks against conditions created for real: dead rows and table
 * bloat from mass updates with autovacuum off, index bloat from scattered
 * deletes, a table never analysed, sequences near their maximum and an
 * integer key near overflow. Here the test checks the transaction ID ages
 * read; wraparound.test.ts ages a server of its own for real.
 */
import assert from 'node:assert/strict';
import type { Client } from 'pg';
import { indexBloat } from '../../../src/core/health/checks/index-bloat';
import { sequenceOverflow } from '../../../src/core/health/checks/sequence-overflow';
import { tableBloat } from '../../../src/core/health/checks/table-bloat';
import { transactionIdWraparound } from '../../../src/core/health/checks/transaction-id-wraparound';
import { vacuumAnalyzeStaleness } from '../../../src/core/health/checks/vacuum-analyze-staleness';
import { flushStats, freshDatabase, inSession, openHealthDb, runOne, untilFinding, type HealthDb } from './support';

describe('health checks: maintenance (db)', function () {
  this.timeout(60_000);
  let admin: Client;
  let h: HealthDb;

  before(async () => {
    const fresh = await freshDatabase('health_maintenance');
    admin = fresh.admin;
    // The changes are made, and their statistics published, before ANALYZE
    // sets the live and dead row counts: published later, they would be added
    // on top of what ANALYZE counted.
    await inSession('health_maintenance', async (c) => {
      await c.query(`
        -- churn: every row updated twice with autovacuum off leaves two dead versions per live row
        CREATE TABLE churn (id int PRIMARY KEY, payload text) WITH (autovacuum_enabled = off);
        INSERT INTO churn SELECT g, repeat('x', 100) FROM generate_series(1, 20000) g;
        UPDATE churn SET payload = repeat('y', 100);
        UPDATE churn SET payload = repeat('z', 100);
        -- sparse: nine rows in ten deleted and vacuumed leave pages and index leaves mostly empty
        CREATE TABLE sparse (id int PRIMARY KEY, val int NOT NULL) WITH (autovacuum_enabled = off);
        INSERT INTO sparse SELECT g, g FROM generate_series(1, 100000) g;
        CREATE INDEX sparse_val_idx ON sparse (val);
        DELETE FROM sparse WHERE id % 10 <> 0;`);
      await flushStats(c);
    });
    await admin.query('VACUUM sparse');
    await admin.query(`
      ANALYZE churn;
      ANALYZE sparse;
      -- never analysed
      CREATE TABLE fresh (id int PRIMARY KEY, v text) WITH (autovacuum_enabled = off);
      INSERT INTO fresh SELECT g, g::text FROM generate_series(1, 5000) g;
      -- sequences
      CREATE SEQUENCE small_seq AS smallint;
      SELECT setval('small_seq', 32000);
      CREATE TABLE counters (id serial PRIMARY KEY);
      SELECT setval('counters_id_seq', 2146000000);
      -- a bigint sequence behind an integer key, linked only by the column default
      CREATE SEQUENCE legacy_id_seq AS bigint;
      CREATE TABLE legacy (id integer PRIMARY KEY DEFAULT nextval('legacy_id_seq'), v text);
      SELECT setval('legacy_id_seq', 2000000000);`);
    await flushStats(admin);
    h = await openHealthDb('health_maintenance');
  });

  after(async () => {
    await h?.close();
    await admin?.end();
  });

  it('reports dead rows left by mass updates on a table with autovacuum off', async () => {
    const { finding } = await untilFinding(h, vacuumAnalyzeStaleness, 'public.churn');
    assert.equal(finding.severity, 'critical', finding.message);
    assert.match(finding.message, /dead rows/);
    assert.match(finding.message, /Autovacuum is disabled/);
  });

  it('reports a table that has never been analysed', async () => {
    const { result } = await untilFinding(h, vacuumAnalyzeStaleness, 'public.fresh');
    const never = result.findings.find((f) => f.object === 'public.fresh' && /never been analysed/.test(f.message));
    assert.ok(never, JSON.stringify(result.findings));
    assert.equal(never.severity, 'warning');
    assert.equal(never.remediation?.sql, 'ANALYZE public.fresh;');
  });

  it('estimates the table bloat of the updated and the sparse tables', async () => {
    const result = await runOne(h, tableBloat, { bloatMinBytes: 0 });
    const churn = result.findings.find((f) => f.object === 'public.churn');
    const sparse = result.findings.find((f) => f.object === 'public.sparse');
    assert.equal(churn?.severity, 'critical', JSON.stringify(result.details));
    // Vacuumed a moment ago: its free space is reused by new rows, so it is a size to give back, not growing waste.
    assert.equal(sparse?.severity, 'warning', JSON.stringify(result.details));
    assert.match(sparse.message, /It was vacuumed [\d a-z]+ ago: the space is free for new rows/);
    assert.match(churn.message, /estimated from statistics/);
    // The untouched tables are not reported.
    assert.ok(!result.findings.some((f) => f.object === 'public.legacy' || f.object === 'public.counters'));
    assert.ok(result.limitations.some((l) => /pgstattuple is not installed/.test(l.reason)));
  });

  it('estimates the index bloat left by scattered deletes', async () => {
    const result = await runOne(h, indexBloat, { bloatMinBytes: 0 });
    const finding = result.findings.find((f) => f.object === 'public.sparse_val_idx');
    assert.equal(finding?.severity, 'critical', JSON.stringify(result.details));
  });

  it('measures bloat with pgstattuple when it is installed', async () => {
    await admin.query('CREATE EXTENSION IF NOT EXISTS pgstattuple');
    try {
      const tables = await runOne(h, tableBloat, { bloatMinBytes: 0 });
      const churn = tables.findings.find((f) => f.object === 'public.churn');
      assert.match(churn?.message ?? '', /measured with pgstattuple/, JSON.stringify(tables.findings));
      assert.equal(tables.limitations.length, 0);
      const indexes = await runOne(h, indexBloat, { bloatMinBytes: 0 });
      const sparse = indexes.findings.find((f) => f.object === 'public.sparse_val_idx');
      assert.match(sparse?.message ?? '', /measured with pgstattuple/, JSON.stringify(indexes.details));
    } finally {
      await admin.query('DROP EXTENSION pgstattuple');
    }
  });

  it('reports sequences near their maximum and an integer key near overflow', async () => {
    const result = await runOne(h, sequenceOverflow);
    const bySeverity = Object.fromEntries(result.findings.map((f) => [f.object, f.severity]));
    assert.deepEqual(bySeverity, {
      'public.small_seq': 'warning',
      'public.counters.id': 'critical',
      'public.legacy.id': 'warning',
    });
    const legacy = result.findings.find((f) => f.object === 'public.legacy.id');
    assert.deepEqual(legacy?.relation, { schema: 'public', table: 'legacy' });
    assert.equal(legacy?.remediation?.sql, 'ALTER TABLE public.legacy ALTER COLUMN id TYPE bigint;');
    assert.equal(result.findings.find((f) => f.object === 'public.small_seq')?.remediation?.sql, 'ALTER SEQUENCE public.small_seq AS bigint;');
  });

  it('reads transaction ID ages per database and for the oldest tables', async () => {
    const result = await runOne(h, transactionIdWraparound);
    assert.equal(result.status, 'ok');
    const databases = result.details[0]?.rows ?? [];
    const mine = databases.find((r) => r[0] === 'health_maintenance');
    assert.ok(mine, JSON.stringify(databases));
    assert.ok(typeof mine[1] === 'number' && mine[1] > 0 && mine[1] < 10_000_000, `age ${String(mine[1])}`);
    assert.equal(mine[2], 2 ** 31 - mine[1]);
    const tables = (result.details[1]?.rows ?? []).map((r) => r[0]);
    assert.ok(tables.includes('public.churn'), JSON.stringify(tables));
    // The same rows judged against thresholds the fresh database does exceed.
    const strict = await runOne(h, transactionIdWraparound, { wraparoundWarningRemaining: 2 ** 31 });
    assert.equal(strict.status, 'warning');
    assert.ok(strict.findings.some((f) => f.object === 'health_maintenance'));
  });
});

/**
 * Database- and server-level checks against conditions created for real: a
 * cold read of a table larger than the buffer ring, sorts spilling to
 * temporary files, requested checkpoints, an inactive replication slot, slow
 * statements in pg_stat_statements (and the extension missing), the settings
 * of the test server, and relation sizes. Replica lag needs a standby and is
 * covered by the unit tests only.
 */
import assert from 'node:assert/strict';
import type { Client } from 'pg';
import { cacheHitRatio } from '../../../src/core/health/checks/cache-hit-ratio';
import { configurationReview } from '../../../src/core/health/checks/configuration-review';
import { pgStatStatements } from '../../../src/core/health/checks/pg-stat-statements';
import { relationSizes } from '../../../src/core/health/checks/relation-sizes';
import { replication } from '../../../src/core/health/checks/replication';
import { tempFilesAndCheckpoints } from '../../../src/core/health/checks/temp-files-and-checkpoints';
import { flushStats, freshDatabase, inSession, openHealthDb, runOne, until, untilFinding, type HealthDb } from './support';

describe('health checks: database and server (db)', function () {
  this.timeout(120_000);
  let admin: Client;
  let h: HealthDb;
  const slot = 'health_test_slot';

  before(async () => {
    admin = (await freshDatabase('health_server')).admin;
    h = await openHealthDb('health_server');
  });

  after(async () => {
    await admin?.query('SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = $1', [slot]).catch(() => undefined);
    await h?.close();
    await admin?.end();
  });

  it('reports a low cache hit ratio after a cold read of a large table', async () => {
    // Sequential scans of a table over a quarter of shared_buffers go through a
    // small ring of buffers, so most of its pages are read from outside them.
    const sb = await admin.query<{ bytes: string }>("SELECT setting::bigint * 8192 AS bytes FROM pg_settings WHERE name = 'shared_buffers'");
    const rows = Math.ceil((Number(sb.rows[0]?.bytes) / 4) * 1.5 / 250);
    await admin.query(`CREATE TABLE cold AS SELECT g AS id, repeat('c', 200) AS filler FROM generate_series(1, ${rows}) g`);
    // Publish this session's counters first, so none arrive after the reset.
    await flushStats(admin);
    await admin.query('SELECT pg_stat_reset()');
    await inSession('health_server', async (c) => {
      await c.query('SELECT count(*) FROM cold');
      await c.query('SELECT count(*) FROM cold');
    });
    const { finding } = await untilFinding(h, cacheHitRatio, 'tables');
    assert.ok(finding.severity === 'warning' || finding.severity === 'critical', finding.message);
    assert.match(finding.message, /block reads were served from shared buffers/);
    const result = await runOne(h, cacheHitRatio);
    assert.equal(result.details[0]?.rows[0]?.[0], 'public.cold');
    await admin.query('DROP TABLE cold');
  });

  it('reports temporary files written by sorts that do not fit in work_mem', async () => {
    await inSession('health_server', async (c) => {
      await c.query("SET work_mem = '64kB'");
      await c.query('SELECT count(*) FROM (SELECT g FROM generate_series(1, 200000) g ORDER BY g DESC) s');
    });
    const { finding } = await untilFinding(h, tempFilesAndCheckpoints, 'work_mem', { tempBytesWarningPerDay: 1024 });
    assert.equal(finding.severity, 'warning');
    assert.match(finding.message, /temporary files/);
    // The default threshold (1 GB a day) is far above a few megabytes.
    assert.ok(!(await runOne(h, tempFilesAndCheckpoints)).findings.some((f) => f.object === 'work_mem'));
  });

  it('reports checkpoints that were requested rather than timed', async () => {
    // The counters are cluster-wide and may already hold timed checkpoints (an
    // external test server), so the threshold is the share requested before
    // ours: only the checkpoints requested here can push the share above it.
    const before = await runOne(h, tempFilesAndCheckpoints);
    const timed = Number(before.details[0]?.rows[2]?.[1]);
    const requested = Number(before.details[0]?.rows[3]?.[1]);
    for (let i = 0; i < 3; i++) await admin.query('CHECKPOINT');
    const share = (100 * requested) / (timed + requested + 3);
    const { finding, result } = await untilFinding(h, tempFilesAndCheckpoints, 'max_wal_size', { checkpointMinCount: 3, checkpointRequestedWarningPercent: share });
    assert.equal(finding.severity, 'warning');
    assert.match(finding.message, /requested rather than timed/);
    assert.ok(Number(result.details[0]?.rows[3]?.[1]) >= requested + 3, JSON.stringify(result.details));
  });

  it('reports an inactive replication slot retaining WAL', async () => {
    await admin.query('SELECT pg_create_physical_replication_slot($1, true)', [slot]);
    const result = await runOne(h, replication);
    const finding = result.findings.find((f) => f.object === `slot ${slot}`);
    assert.equal(finding?.severity, 'warning', JSON.stringify(result.findings));
    assert.match(finding.message, /inactive and retains/);
    assert.equal(finding.remediation?.sql, `SELECT pg_drop_replication_slot('${slot}');`);
    assert.ok(result.details[0]?.rows.some((r) => r[0] === slot && r[3] === false));
    const critical = await runOne(h, replication, { slotRetainedCriticalBytes: 0 });
    assert.equal(critical.status, 'critical');
  });

  it('lists the slowest statements from pg_stat_statements', async () => {
    await inSession('health_server', async (c) => {
      for (let i = 0; i < 10; i++) await c.query('SELECT pg_sleep(0.06) AS slow_probe');
      // Statements tagged as PG Insight's own, slower in total, are left out everywhere.
      for (let i = 0; i < 10; i++) await c.query('SELECT /* pg-insight */ pg_sleep(0.08)::text AS own_probe');
    });
    const result = await runOne(h, pgStatStatements, { slowQueryWarningMs: 50 });
    const slow = result.findings.find((f) => /slow_probe/.test(f.message));
    assert.equal(slow?.severity, 'warning', JSON.stringify(result.findings));
    assert.match(slow.message, /over 10 calls/);
    assert.match(slow.message, /of the database's statement time/);
    assert.ok(!JSON.stringify(result).includes('own_probe'), JSON.stringify(result.details));
    assert.match(result.summary, /is recording/);
    assert.equal(result.limitations.length, 0);
  });

  it('says how to install pg_stat_statements when the extension is missing', async () => {
    await admin.query('DROP EXTENSION pg_stat_statements');
    try {
      const result = await runOne(h, pgStatStatements);
      assert.equal(result.status, 'info');
      assert.match(result.findings[0]?.message ?? '', /available but not installed/);
      // The library is preloaded on the test server, so creating the extension is all it takes.
      assert.equal(result.findings[0]?.remediation?.sql, 'CREATE EXTENSION pg_stat_statements;');
    } finally {
      await admin.query('CREATE EXTENSION pg_stat_statements');
    }
  });

  it('reviews the configuration of the test server', async () => {
    const result = await runOne(h, configurationReview);
    const objects = result.findings.map((f) => f.object);
    // Defaults of a fresh cluster: random_page_cost 4 is flagged; the test server turns track_io_timing on.
    assert.ok(objects.includes('random_page_cost'), JSON.stringify(objects));
    assert.ok(!objects.includes('track_io_timing'));
    assert.ok(!objects.includes('autovacuum'));
    assert.equal(result.details[0]?.rows.length, 11);
    assert.match(result.findings.find((f) => f.object === 'random_page_cost')?.remediation?.sql ?? '', /ALTER SYSTEM SET random_page_cost = '1.1';/);
  });

  it('lists the database size and the largest tables and indexes', async () => {
    await admin.query('CREATE TABLE big AS SELECT g AS id, md5(g::text) AS h FROM generate_series(1, 20000) g; CREATE INDEX big_h_idx ON big (h);');
    const result = await until('sizes to include the new table', async () => {
      const r = await runOne(h, relationSizes);
      return r.details[0]?.rows[0]?.[0] === 'public.big' ? r : undefined;
    });
    assert.equal(result.status, 'ok');
    assert.match(result.summary, /The database takes [\d.]+ MB; the largest table is public\.big/);
    assert.equal(result.details[1]?.rows[0]?.[0], 'public.big_h_idx');
  });
});

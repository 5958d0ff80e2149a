/**
 * The report as a role with no monitoring privileges (no pg_read_all_stats,
 * pg_monitor, pg_read_all_settings or pg_stat_scan_tables): every check still
 * answers, and what it could not see is said with a fix. Then, with SELECT on
 * pg_stat_activity revoked in that database, the checks that read it fail
 * with the reason and the rest are unaffected. Also: a check that overruns
 * its time is stopped on the server and reported, and cancelling the report
 * skips what had not run.
 */
import assert from 'node:assert/strict';
import type { Client } from 'pg';
import { ALL_CHECKS, runChecks } from '../../../src/core/health';
import type { HealthCheck } from '../../../src/core/health';
import { client, flushStats, freshDatabase, openHealthDb, runAll, until, type HealthDb } from './support';

const reader = { user: 'health_reader', password: 'health-reader-secret' };
const activityChecks = ['connections', 'idle-in-transaction', 'long-running-queries', 'blocked-queries'];

describe('health checks: privileges, timeouts and cancellation (db)', function () {
  this.timeout(60_000);
  let admin: Client;
  let other: Client;
  let h: HealthDb;

  before(async () => {
    admin = (await freshDatabase('health_privileges')).admin;
    await admin.query(`DROP ROLE IF EXISTS ${reader.user}`);
    await admin.query(`CREATE ROLE ${reader.user} LOGIN PASSWORD '${reader.password}'`);
    await admin.query(`
      CREATE TABLE secrets (id int PRIMARY KEY, v text);
      INSERT INTO secrets SELECT g, md5(g::text) FROM generate_series(1, 5000) g;
      ANALYZE secrets;
      CREATE EXTENSION pgstattuple;`);
    await flushStats(admin);
    // A superuser session the reader cannot see into, with a transaction open: it could be idle in it.
    other = await client('health_privileges');
    await other.query("SET application_name = 'hidden-app'");
    await other.query('BEGIN');
    h = await openHealthDb('health_privileges', reader);
  });

  after(async () => {
    await h?.close();
    await other?.end();
    await admin?.end();
    // The role owns nothing and holds no grants, so it can go once its sessions are closed.
    const cleanup = await client('postgres');
    await cleanup.query(`DROP ROLE IF EXISTS ${reader.user}`);
    await cleanup.end();
  });

  it('gives partial results with reasons to a role without monitoring privileges', async () => {
    const results = await runAll(h);
    assert.equal(results.length, ALL_CHECKS.length);
    const errors = results.filter((r) => r.status === 'error').map((r) => `${r.id}: ${r.reason}`);
    assert.deepEqual(errors, []);
    const byId = new Map(results.map((r) => [r.id, r]));
    const reasons = (id: string) => (byId.get(id)?.limitations ?? []).map((l) => `${l.reason} ${l.fix ?? ''}`).join('\n');
    // Other roles' sessions are hidden, and the checks say so with the grant that lifts it.
    assert.match(reasons('connections'), /hidden.*pg_read_all_stats/s);
    assert.match(reasons('idle-in-transaction'), /hidden/);
    assert.equal(byId.get('idle-in-transaction')?.status, 'limited');
    // Statistics of a table the role may not read cannot feed the bloat estimate.
    assert.match(reasons('table-bloat'), /could not be estimated/);
    // pgstattuple is installed, but this role may not run it.
    assert.match(reasons('table-bloat'), /pg_stat_scan_tables/);
    // shared_preload_libraries is hidden, yet the loaded library is still detected.
    assert.match(reasons('pg-stat-statements'), /pg_read_all_settings/);
    assert.match(byId.get('pg-stat-statements')?.summary ?? '', /is recording/);
  });

  it('reports checks the role is refused as errors with the reason, and runs the others', async () => {
    await admin.query('REVOKE SELECT ON pg_catalog.pg_stat_activity FROM PUBLIC');
    try {
      const results = await runAll(h);
      for (const id of activityChecks) {
        const r = results.find((x) => x.id === id);
        assert.equal(r?.status, 'error', `${id}: ${r?.status}`);
        assert.match(r.reason ?? '', /permission denied for view pg_stat_activity/i);
        assert.match(r.fix ?? '', /This check needs: .*pg_read_all_stats/);
      }
      const others = results.filter((r) => !activityChecks.includes(r.id));
      assert.deepEqual(others.filter((r) => r.status === 'error').map((r) => `${r.id}: ${r.reason}`), []);
    } finally {
      await admin.query('GRANT SELECT ON pg_catalog.pg_stat_activity TO PUBLIC');
    }
  });

  it('stops a check that overruns its time on the server, and reports it', async () => {
    const slow: HealthCheck = {
      id: 'slow-probe', title: 'Slow probe', category: 'performance', level: 'server', minVersion: 0,
      privileges: 'Any role.', thresholds: [],
      sql: 'SELECT pg_sleep(20) AS health_slow_probe',
      evaluate: () => ({ status: 'ok' as const, summary: 'finished', findings: [] }),
    };
    const fast = ALL_CHECKS.find((c) => c.id === 'invalid-indexes')!;
    const started = Date.now();
    const report = await runChecks([slow, fast], h.runner, { perCheckTimeoutMs: 500 });
    assert.ok(Date.now() - started < 5_000, `took ${Date.now() - started} ms`);
    assert.equal(report.results[0]?.status, 'error');
    assert.match(report.results[0]?.reason ?? '', /did not finish in time/);
    assert.equal(report.results[1]?.status, 'ok');
    await until('the slow statement to be gone from the server', async () => {
      const r = await admin.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE query LIKE '%health_slow_probe%' AND pid <> pg_backend_pid()");
      return r.rows[0]?.n === 0;
    }, 3_000);
  });

  it('skips the checks that had not run when the report is cancelled', async () => {
    const controller = new AbortController();
    const sleepy = (id: string): HealthCheck => ({
      id, title: id, category: 'performance', level: 'server', minVersion: 0, privileges: 'Any role.', thresholds: [],
      sql: 'SELECT pg_sleep(5)',
      evaluate: () => ({ status: 'ok' as const, summary: 'finished', findings: [] }),
    });
    const checks = [sleepy('a'), sleepy('b'), sleepy('c')];
    const pending = runChecks(checks, h.runner, { concurrency: 1, signal: controller.signal });
    setTimeout(() => controller.abort(), 300);
    const report = await pending;
    assert.deepEqual(report.results.map((r) => r.status), ['skipped', 'skipped', 'skipped']);
    assert.match(report.results[0]?.reason ?? '', /cancelled while this check ran/);
    assert.match(report.results[2]?.reason ?? '', /cancelled before this check ran/);
  });
});

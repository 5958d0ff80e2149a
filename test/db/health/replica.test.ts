/**
 * Replication with a real standby: Debian's PostgreSQL 15 primary, a copy
 * made by pg_basebackup -R streaming from it on another port, and its replay
 * paused while the primary keeps writing. The check must report the lag on the
 * standby (replay behind what it received) and, on the primary, the standby's
 * replay lag from pg_stat_replication; both clear once replay resumes.
 * Pending when Debian's binaries are not installed.
 */
import assert from 'node:assert/strict';
import type { Client } from 'pg';
import { replication } from '../../../src/core/health/checks/replication';
import { startDebianPostgres15, startDebianStandby15, type TestServer } from '../../support/postgres';
import { openHealthOn, superuserOn } from './private-server';
import { runOne, until, untilFinding, type HealthDb } from './support';

const DB = 'health_replica';
/** The standby's cluster_name, which its WAL receiver reports as application_name. */
const STANDBY = 'pgi_standby';
/** A lag of one second is enough to judge, and quick to reach. */
const LAG = { replicationLagWarningSeconds: 1, replicationLagCriticalSeconds: 600 };

describe("health checks: replication with a real streaming standby, on Debian's PostgreSQL 15 (pending when /usr/lib/postgresql/15/bin is not installed) (db)", function () {
  this.timeout(60_000);
  let primary: TestServer | null = null;
  let standby: TestServer | null = null;
  let writer: Client | undefined;
  let reader: Client | undefined;
  let onPrimary: HealthDb | undefined;
  let onStandby: HealthDb | undefined;
  const both = () => {
    if (!writer || !reader || !onPrimary || !onStandby || !primary) throw new Error('the servers are not running');
    return { writer, reader, onPrimary, onStandby, primary };
  };

  /** The standby has replayed everything the primary has written so far. */
  const caughtUp = async () => {
    const { writer: w, reader: r } = both();
    const lsn = (await w.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn')).rows[0]?.lsn;
    await until('the standby to replay the primary\'s WAL', async () => {
      const q = await r.query<{ done: boolean }>('SELECT pg_wal_lsn_diff(pg_last_wal_replay_lsn(), $1::pg_lsn) >= 0 AS done', [lsn]);
      return q.rows[0]?.done;
    });
  };

  before(async function () {
    this.timeout(120_000);
    primary = await startDebianPostgres15({ settings: { wal_level: 'replica' } });
    if (!primary) this.skip();
    await primary.createDatabase(DB);
    writer = await superuserOn(primary, DB);
    await writer.query('CREATE TABLE events (id serial PRIMARY KEY, at timestamptz NOT NULL DEFAULT now())');
    // Status replies every second, so that the primary sees replay stall quickly.
    standby = await startDebianStandby15(primary, { settings: { cluster_name: STANDBY, wal_receiver_status_interval: '1s' } });
    if (!standby) throw new Error('the standby could not start although the primary did');
    reader = await superuserOn(standby, DB);
    onPrimary = await openHealthOn(primary, DB);
    onStandby = await openHealthOn(standby, DB);
    await until('the primary to list the standby as streaming', async () => {
      const r = await both().writer.query<{ state: string }>('SELECT state FROM pg_stat_replication WHERE application_name = $1', [STANDBY]);
      return r.rows[0]?.state === 'streaming';
    });
  });

  after(async function () {
    this.timeout(60_000);
    await onStandby?.close();
    await onPrimary?.close();
    await reader?.end().catch(() => undefined);
    await writer?.end().catch(() => undefined);
    // The standby first, so that it does not wait for a primary that is gone.
    await standby?.stop();
    await primary?.stop();
  });

  it('streaming and caught up: the primary lists the standby, the standby reports no lag', async () => {
    const { writer: w, onPrimary: p, onStandby: s } = both();
    await w.query('INSERT INTO events DEFAULT VALUES');
    await caughtUp();

    const fromPrimary = await runOne(p, replication, LAG);
    assert.deepEqual(fromPrimary.findings, []);
    assert.equal(fromPrimary.summary, '1 standby connected; no replication slots.');
    const standbys = fromPrimary.details?.find((d) => d.title === 'Standbys');
    assert.deepEqual(standbys?.rows.map((r) => r.slice(0, 4)), [[STANDBY, '127.0.0.1', 'streaming', 'async']]);

    const fromStandby = await runOne(s, replication, LAG);
    assert.deepEqual(fromStandby.findings, []);
    assert.equal(fromStandby.summary, 'Replica 0 s behind; no replication slots.');
  });

  it('replay paused while the primary writes: the standby reports its lag, the primary the standby\'s replay lag', async () => {
    const { writer: w, reader: r, onPrimary: p, onStandby: s } = both();
    await r.query('SELECT pg_wal_replay_pause()');
    await until('replay to pause', async () => (await r.query<{ state: string }>('SELECT pg_get_wal_replay_pause_state() AS state')).rows[0]?.state === 'paused');
    await w.query('INSERT INTO events DEFAULT VALUES');
    await until('the standby to receive WAL it does not replay', async () => {
      const q = await r.query<{ behind: boolean }>('SELECT pg_last_wal_receive_lsn() > pg_last_wal_replay_lsn() AS behind');
      return q.rows[0]?.behind;
    });

    const onReplica = await untilFinding(s, replication, 'replay lag', LAG);
    assert.equal(onReplica.finding.severity, 'warning');
    assert.match(onReplica.finding.message, /^This replica is \d+ s behind its primary \(last replayed transaction at \d{4}-\d\d-\d\d [\d:.]+\+00; [\d.]+ k?B received but not replayed\)\.$/);
    assert.doesNotMatch(onReplica.finding.message, /; 0 B received/);
    assert.match(onReplica.result.summary, /^Replica \d+ s behind/);

    const onMain = await untilFinding(p, replication, `standby ${STANDBY}`, LAG);
    assert.equal(onMain.finding.severity, 'warning');
    assert.match(onMain.finding.message, new RegExp(`^Standby ${STANDBY} \\(127\\.0\\.0\\.1, async\\) replays \\d+ s behind \\([\\d.]+ k?B\\)\\.$`));
    assert.doesNotMatch(onMain.finding.message, /\(0 B\)/);
  });

  it("replay still paused, as a role without pg_read_all_stats on the primary: limited where the superuser sees the standby's lag", async () => {
    const { writer: w, onPrimary: p } = both();
    const monitor = { user: 'health_replica_reader', password: 'health-replica-secret' };
    await w.query(`DROP ROLE IF EXISTS ${monitor.user}`);
    await w.query(`CREATE ROLE ${monitor.user} LOGIN PASSWORD '${monitor.password}'`);
    const limited = await openHealthOn(both().primary, DB, monitor);
    try {
      const seen = await untilFinding(p, replication, `standby ${STANDBY}`, LAG);
      assert.equal(seen.result.status, 'warning');
      const r = await runOne(limited, replication, LAG);
      assert.equal(r.status, 'limited');
      assert.deepEqual(r.findings, []);
      assert.equal(r.summary, '1 standby connected; its lag is hidden from this role; no replication slots.');
      assert.deepEqual(r.limitations.map((l) => l.needs), ['pg_read_all_stats']);
    } finally {
      await limited.close();
      await w.query(`DROP ROLE IF EXISTS ${monitor.user}`);
    }
  });

  it('replay resumed: both sides clear', async () => {
    const { reader: r, onPrimary: p, onStandby: s } = both();
    await r.query('SELECT pg_wal_replay_resume()');
    await caughtUp();
    await until('the standby to report no lag', async () => (await runOne(s, replication, LAG)).findings.length === 0);
    // The primary learns of the replay at the standby's next status reply.
    await until('the primary to report no lag', async () => (await runOne(p, replication, LAG)).findings.length === 0, 10_000, 200);
  });
});

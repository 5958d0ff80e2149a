/**
 * The fixes the health report offers for sessions and server activity,
 * proven like fixes.test.ts does for the catalog checks: on servers of this
 * suite's own (embedded PostgreSQL 18, and Debian's 15 when installed), the
 * condition is created for real, the check reports it, exactly the offered
 * SQL runs (one statement at a time, then pg_reload_conf() where its comment
 * says so), and the condition is gone: the blocked statement completes, the
 * stuck session is ended, the slot no longer holds WAL, the same workload
 * writes no temporary file and requests no checkpoint.
 *
 * One fix cannot be waited out in a test: idle_session_timeout = '10min'
 * ends idle sessions after ten minutes. The offered statement is applied and
 * shown in effect; that the setting clears the condition is shown with the
 * same statement at 2 s.
 */
import assert from 'node:assert/strict';
import type { Client } from 'pg';
import { blockedQueries } from '../../../src/core/health/checks/blocked-queries';
import { connections } from '../../../src/core/health/checks/connections';
import { idleInTransaction } from '../../../src/core/health/checks/idle-in-transaction';
import { longRunningQueries } from '../../../src/core/health/checks/long-running-queries';
import { replication } from '../../../src/core/health/checks/replication';
import { tempFilesAndCheckpoints } from '../../../src/core/health/checks/temp-files-and-checkpoints';
import type { CheckResult, Finding, HealthCheck, HealthThresholds } from '../../../src/core/health';
import { loadSqlParser } from '../../../src/core/sql/parser';
import type { TestServer } from '../../support/postgres';
import { PRIVATE_SERVERS, applyOffered as apply, openHealthOn, superuserOn } from './private-server';
import { runOne, until, untilCleared, untilFinding, type HealthDb } from './support';

for (const { title, start } of PRIVATE_SERVERS) {
  describe(`health checks: activity fixes applied and re-checked, ${title} (db)`, function () {
    this.timeout(90_000);
    let server: TestServer | null = null;
    let admin: Client;
    let h: HealthDb;
    let db = '';
    let counter = 0;
    let versionNum = 0;
    const sessions: Client[] = [];

    before(async function () {
      this.timeout(120_000);
      await loadSqlParser();
      server = await start({ settings: { fsync: 'off', synchronous_commit: 'off' } });
      if (!server) this.skip();
    });

    beforeEach(async function () {
      if (!server) this.skip();
      db = `activity_fixes_${++counter}`;
      await server.createDatabase(db);
      admin = await superuserOn(server, db);
      versionNum = Number((await admin.query<{ v: string }>("SELECT current_setting('server_version_num') AS v")).rows[0]!.v);
      h = await openHealthOn(server, db);
    });

    afterEach(async () => {
      for (const c of sessions.splice(0)) await c.end().catch(() => undefined);
      await h?.close();
      await admin?.end().catch(() => undefined);
    });

    after(async function () {
      this.timeout(60_000);
      await server?.stop();
    });

    async function session(name: string): Promise<{ c: Client; pid: number }> {
      const c = await superuserOn(server!, db);
      sessions.push(c);
      await c.query(`SET application_name = '${name}'`);
      return { c, pid: Number((await c.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid) };
    }

    async function reported(check: HealthCheck, object: string, t: Partial<HealthThresholds> = {}): Promise<Finding> {
      return (await untilFinding(h, check, object, t, 15_000)).finding;
    }

    const cleared = (check: HealthCheck, object: string, t: Partial<HealthThresholds> = {}): Promise<CheckResult> => untilCleared(h, check, object, t);

    async function resetSetting(name: string): Promise<void> {
      await admin.query(`ALTER SYSTEM RESET ${name}`);
      await admin.query('SELECT pg_reload_conf()');
    }

    it('idle-in-transaction: the session is ended and idle_in_transaction_session_timeout set, as offered', async () => {
      const holder = await session('app-holder');
      await holder.c.query('BEGIN');
      await holder.c.query('SELECT 1');
      const finding = await reported(idleInTransaction, `pid ${holder.pid}`, { idleInTransactionWarningSeconds: 0 });
      try {
        await apply(admin, finding.remediation?.sql);
        await cleared(idleInTransaction, `pid ${holder.pid}`, { idleInTransactionWarningSeconds: 0 });
        await assert.rejects(holder.c.query('SELECT 1'), 'the session was ended');
        const fresh = await session('app-fresh');
        assert.equal((await fresh.c.query<{ v: string }>("SELECT current_setting('idle_in_transaction_session_timeout') AS v")).rows[0]!.v, '5min');
      } finally {
        await resetSetting('idle_in_transaction_session_timeout');
      }
    });

    it('blocked-queries: the blocker is ended as offered, and the blocked statement completes', async () => {
      await admin.query('CREATE TABLE accounts (id int PRIMARY KEY, balance int); INSERT INTO accounts SELECT g, 100 FROM generate_series(1, 10) g');
      const holder = await session('app-holder');
      await holder.c.query('BEGIN');
      await holder.c.query('UPDATE accounts SET balance = balance - 1 WHERE id = 1');
      const waiter = await session('app-waiter');
      const blocked = waiter.c.query('UPDATE accounts SET balance = balance + 1 WHERE id = 1 RETURNING balance');
      const finding = await reported(blockedQueries, `pid ${waiter.pid}`, { blockedWarningSeconds: 0 });
      await apply(admin, finding.remediation?.sql);
      const done = await blocked;
      assert.equal(done.rows[0]?.balance, 101, 'the waiting update ran once the blocker was gone (its own update rolled back)');
      await cleared(blockedQueries, `pid ${waiter.pid}`, { blockedWarningSeconds: 0 });
    });

    it('long-running-queries: the statement is cancelled as offered', async () => {
      const sleeper = await session('app-sleeper');
      const sleeping = sleeper.c.query('SELECT pg_sleep(60)').then(() => undefined, (e: Error) => e);
      const finding = await reported(longRunningQueries, `pid ${sleeper.pid}`, { longRunningWarningSeconds: 0.2 });
      await apply(admin, finding.remediation?.sql);
      const outcome = await sleeping;
      assert.match(outcome?.message ?? 'not cancelled', /canceling statement due to user request/);
      await cleared(longRunningQueries, `pid ${sleeper.pid}`, { longRunningWarningSeconds: 0.2 });
      assert.equal((await sleeper.c.query<{ ok: number }>('SELECT 1 AS ok')).rows[0]?.ok, 1, 'the session itself lives on');
    });

    it('connections: idle_session_timeout set as offered is in effect, and ends the idle sessions', async function () {
      const t = { connectionsWarningPercent: 1 };
      const idle = await Promise.all([1, 2, 3].map((i) => session(`app-idle-${i}`)));
      const finding = await reported(connections, 'max_connections', t);
      if (versionNum < 140000) {
        assert.equal(finding.remediation?.sql, undefined, 'no idle_session_timeout before PostgreSQL 14');
        return;
      }
      try {
        await apply(admin, finding.remediation?.sql);
        const fresh = await session('app-fresh');
        assert.equal((await fresh.c.query<{ v: string }>("SELECT current_setting('idle_session_timeout') AS v")).rows[0]!.v, '10min');
        // Ten minutes cannot be waited out here: the same statement at 2 s shows what the setting does.
        await apply(admin, finding.remediation!.sql!.replace("'10min'", "'2s'"));
        // A session takes a reloaded setting at its next statement; the idle ones are asked something once.
        for (const s of [...idle, fresh]) await s.c.query('SELECT 1');
        await until('the idle sessions to be ended', async () => {
          const r = await admin.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name LIKE 'app-%'");
          return r.rows[0]!.n === 0 ? true : undefined;
        }, 15_000, 200);
        const after = await runOne(h, connections, t);
        const byApplication = after.details.find((d) => d.title === 'By application');
        assert.ok(!byApplication?.rows.some((r) => String(r[0]).startsWith('app-')), JSON.stringify(byApplication));
      } finally {
        await resetSetting('idle_session_timeout');
      }
    });

    it('replication: the inactive slot holding WAL is dropped as offered', async () => {
      await admin.query("SELECT pg_create_physical_replication_slot('forgotten_replica', true)");
      const finding = await reported(replication, 'slot forgotten_replica');
      await apply(admin, finding.remediation?.sql);
      await cleared(replication, 'slot forgotten_replica');
      assert.equal((await admin.query("SELECT 1 FROM pg_replication_slots WHERE slot_name = 'forgotten_replica'")).rowCount, 0);
    });

    it('temp-files-and-checkpoints: the database\'s work_mem raised as offered keeps the same sort in memory', async () => {
      const sort = 'SELECT count(*) FROM (SELECT g, md5(g::text) FROM generate_series(1, 300000) g ORDER BY 2) s';
      const spills = async (): Promise<number> => {
        const c = await session('app-sort');
        const before = Number((await c.c.query<{ n: string }>('SELECT temp_files AS n FROM pg_stat_database WHERE datname = current_database()')).rows[0]!.n);
        await c.c.query(sort);
        await c.c.query('SELECT pg_stat_force_next_flush()');
        const plan = (await c.c.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) ${sort}`)).rows.map((r) => r['QUERY PLAN']).join('\n');
        await c.c.end();
        void before;
        return /external merge|Disk:/.test(plan) ? 1 : 0;
      };
      assert.equal(await spills(), 1, 'with the default work_mem the sort spills');
      const finding = await reported(tempFilesAndCheckpoints, 'work_mem', { tempBytesWarningPerDay: 1024 });
      assert.match(finding.remediation?.sql ?? '', new RegExp(`^ALTER DATABASE ${db} SET work_mem = '\\d+MB';$`));
      await apply(admin, finding.remediation?.sql);
      await admin.query('SELECT pg_stat_reset()');
      assert.equal(await spills(), 0, `with ${finding.remediation?.sql} the same sort stays in memory`);
      await cleared(tempFilesAndCheckpoints, 'work_mem', { tempBytesWarningPerDay: 1024 });
    });

    it('temp-files-and-checkpoints: max_wal_size raised as offered, the same writes request no checkpoint', async () => {
      const view = versionNum >= 170000 ? 'SELECT num_requested AS n FROM pg_stat_checkpointer' : 'SELECT checkpoints_req AS n FROM pg_stat_bgwriter';
      const requested = async () => Number((await admin.query<{ n: string }>(view)).rows[0]!.n);
      const reset = () => admin.query(`SELECT pg_stat_reset_shared('${versionNum >= 170000 ? 'checkpointer' : 'bgwriter'}')`);
      // About 100 MB of WAL per round.
      const write = async () => {
        await admin.query('CREATE TABLE IF NOT EXISTS wal_burner (id int, payload text)');
        for (let i = 0; i < 4; i++) await admin.query("INSERT INTO wal_burner SELECT g, repeat('x', 200) FROM generate_series(1, 100000) g");
        await admin.query('TRUNCATE wal_burner');
      };
      await admin.query("ALTER SYSTEM SET max_wal_size = '32MB'");
      await admin.query('SELECT pg_reload_conf()');
      await until('the reloaded max_wal_size', async () => ((await admin.query<{ v: string }>("SELECT current_setting('max_wal_size') AS v")).rows[0]!.v === '32MB' ? true : undefined), 10_000, 100);
      try {
        await reset();
        await write();
        await until('requested checkpoints', async () => ((await requested()) >= 2 ? true : undefined), 20_000, 200);
        const finding = await reported(tempFilesAndCheckpoints, 'max_wal_size', { checkpointMinCount: 2, checkpointRequestedWarningPercent: 10 });
        await apply(admin, finding.remediation?.sql);
        // The reload reaches each process by signal: wait until this session (and so the checkpointer, signalled first) has it.
        await until('the reloaded max_wal_size', async () => ((await admin.query<{ v: string }>("SELECT current_setting('max_wal_size') AS v")).rows[0]!.v === '4GB' ? true : undefined), 10_000, 100);
        // A checkpoint the small setting requested may still be running: count from when the counter has settled.
        let last = -1;
        await until('the checkpoint counter to settle', async () => {
          const now = await requested();
          const settled = now === last;
          last = now;
          return settled ? true : undefined;
        }, 20_000, 1000);
        await reset();
        await write();
        // Give a requested checkpoint time to be counted, then look.
        await new Promise((r) => setTimeout(r, 1500));
        assert.equal(await requested(), 0, 'the same writes no longer fill max_wal_size');
      } finally {
        await resetSetting('max_wal_size');
      }
    });
  });
}

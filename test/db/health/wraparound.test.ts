/**
 * Transaction ID wraparound created for real, on servers of this suite's own
 * (embedded PostgreSQL 18, and Debian's 15 when it is installed) with
 * autovacuum_freeze_max_age at its minimum (100,000): a session left idle
 * in transaction holds the freeze horizon back, as it does in production, and
 * a server-side loop of committed transactions ages the tables past twice
 * that setting in a few seconds. The check must name the table and the
 * database, and its remediation must work once the session is gone.
 */
import assert from 'node:assert/strict';
import type { Client } from 'pg';
import { transactionIdWraparound, XID_LIMIT } from '../../../src/core/health/checks/transaction-id-wraparound';
import { startDebianPostgres15, startEmbeddedPostgres, type StartOptions, type TestServer } from '../../support/postgres';
import { openHealthOn, superuserOn } from './private-server';
import { runOne, type HealthDb } from './support';

const DB = 'health_wraparound';
const FREEZE_MAX_AGE = 100_000;
/** Enough transactions to pass twice autovacuum_freeze_max_age with a margin. */
const BURN = 2 * FREEZE_MAX_AGE + 10_000;

const servers: readonly { title: string; start: (options: StartOptions) => Promise<TestServer | null> }[] = [
  { title: 'embedded PostgreSQL 18', start: startEmbeddedPostgres },
  { title: "Debian's PostgreSQL 15 (pending when /usr/lib/postgresql/15/bin is not installed)", start: startDebianPostgres15 },
];

for (const { title, start } of servers) {
  describe(`health checks: transaction ID wraparound on a server aged for real, ${title} (db)`, function () {
    this.timeout(60_000);
    let server: TestServer | null = null;
    let admin: Client;
    let holder: Client;
    let h: HealthDb;

    before(async function () {
      this.timeout(120_000);
      // autovacuum=off still launches anti-wraparound vacuums; the idle
      // transaction is what keeps them from freezing, as in real incidents.
      // Durability is off only to make the transactions cheap.
      server = await start({
        settings: { autovacuum: 'off', autovacuum_freeze_max_age: String(FREEZE_MAX_AGE), fsync: 'off', synchronous_commit: 'off' },
      });
      if (!server) this.skip();
      await server.createDatabase(DB);
      admin = await superuserOn(server, DB);
      await admin.query(`
        CREATE TABLE ledger (id bigint PRIMARY KEY, note text);
        INSERT INTO ledger SELECT g, 'entry ' || g FROM generate_series(1, 1000) g;
        -- One committed transaction per iteration, each with its own transaction ID.
        CREATE PROCEDURE burn_xids(n int) LANGUAGE plpgsql AS $$
        BEGIN
          FOR i IN 1..n LOOP
            PERFORM txid_current();
            COMMIT;
          END LOOP;
        END $$;`);
      holder = await superuserOn(server, DB);
      await holder.query('BEGIN');
      await holder.query('SELECT txid_current()');
      await admin.query('CALL burn_xids($1)', [BURN]);
      h = await openHealthOn(server, DB);
    });

    after(async function () {
      this.timeout(60_000);
      await h?.close();
      await holder?.end().catch(() => undefined);
      await admin?.end().catch(() => undefined);
      await server?.stop();
    });

    it('warns about the table and the database aged past twice autovacuum_freeze_max_age, with the freeze to run', async () => {
      const result = await runOne(h, transactionIdWraparound);
      assert.equal(result.status, 'warning');

      const table = result.findings.find((f) => f.object === 'public.ledger');
      assert.ok(table, `findings: ${JSON.stringify(result.findings.map((f) => f.object))}`);
      assert.equal(table.severity, 'warning');
      assert.deepEqual(table.relation, { schema: 'public', table: 'ledger' });
      assert.match(table.message, /^public\.ledger is 2\d\d,\d{3} transaction IDs old, more than twice autovacuum_freeze_max_age \(100,000\): autovacuum should have frozen it long ago/);
      assert.equal(table.remediation?.sql, 'VACUUM (FREEZE, VERBOSE) public.ledger;');
      assert.match(table.remediation?.text ?? '', /idle in transaction/);

      const database = result.findings.find((f) => f.object === DB);
      assert.ok(database);
      assert.equal(database.severity, 'warning');
      assert.match(database.message, /^database health_wraparound is 2\d\d,\d{3} transaction IDs old, more than twice autovacuum_freeze_max_age/);

      const databases = result.details?.find((d) => d.title === 'Databases');
      const row = databases?.rows.find((r) => r[0] === DB);
      assert.ok(row && Number(row[1]) > BURN && row[3] === FREEZE_MAX_AGE, JSON.stringify(row));
    });

    it('judges the same real ages against the remaining-ID thresholds when they are set that close', async () => {
      const result = await runOne(h, transactionIdWraparound, { wraparoundWarningRemaining: XID_LIMIT - BURN / 2, wraparoundCriticalRemaining: XID_LIMIT - BURN / 4 });
      const table = result.findings.find((f) => f.object === 'public.ledger');
      assert.equal(table?.severity, 'critical');
      assert.match(table.message, /transaction IDs old: 2,147,2\d\d,\d{3} remain before PostgreSQL must stop accepting writes/);
    });

    it('the freeze cannot help while the idle transaction holds the horizon, and clears the findings once it ends', async () => {
      await admin.query('VACUUM (FREEZE) ledger');
      const held = await runOne(h, transactionIdWraparound);
      assert.equal(held.findings.find((f) => f.object === 'public.ledger')?.severity, 'warning', 'VACUUM cannot freeze past the open transaction');

      await holder.query('ROLLBACK');
      await admin.query('VACUUM (FREEZE) ledger');
      const tableFrozen = await runOne(h, transactionIdWraparound);
      assert.equal(tableFrozen.findings.find((f) => f.object === 'public.ledger'), undefined);

      // The database's own remediation: freeze everything in it.
      await admin.query('VACUUM (FREEZE)');
      const frozen = await runOne(h, transactionIdWraparound);
      assert.equal(frozen.findings.find((f) => f.object === DB), undefined, JSON.stringify(frozen.findings));
    });
  });
}

/**
 * The index the missing-indexes finding proposes, verified with HypoPG
 * (Debian's PostgreSQL 15 has it) on the busiest statement from
 * pg_stat_statements, planned generically; on the embedded PostgreSQL 18,
 * without HypoPG, the proposal stays as it is, unverified. An index the
 * planner would not use loses its SQL.
 */
import assert from 'node:assert/strict';
import type { Client } from 'pg';
import { missingIndexes } from '../../../src/core/health/checks/missing-indexes';
import { runChecks, type Finding } from '../../../src/core/health';
import { loadSqlParser } from '../../../src/core/sql/parser';
import { verifyProposals } from '../../../src/health/verifyProposals';
import type { TestServer } from '../../support/postgres';
import { PRIVATE_SERVERS, openHealthOn, superuserOn } from './private-server';
import { until, type HealthDb } from './support';

for (const { title, start } of PRIVATE_SERVERS) {
  describe(`health: proposed indexes verified with HypoPG where it is installed, ${title} (db)`, function () {
    this.timeout(90_000);
    let server: TestServer | null = null;
    let admin: Client;
    let h: HealthDb;
    let hypopg = false;

    before(async function () {
      this.timeout(120_000);
      await loadSqlParser();
      server = await start({ settings: { fsync: 'off' } });
      if (!server) return this.skip();
      await server.createDatabase('hypo_verify');
      admin = await superuserOn(server, 'hypo_verify');
      hypopg = await admin.query('CREATE EXTENSION IF NOT EXISTS hypopg').then(() => true, () => false);
      await admin.query(`
        CREATE EXTENSION IF NOT EXISTS pg_stat_statements;
        CREATE TABLE orders (id int PRIMARY KEY, customer_ref text, flag boolean, total numeric);
        INSERT INTO orders SELECT g, 'c' || (g % 5000), g % 2 = 0, g FROM generate_series(1, 50000) g;
        CREATE TABLE events (id int PRIMARY KEY, kind text, total numeric);
        INSERT INTO events SELECT g, CASE WHEN g % 2 = 0 THEN 'a' ELSE 'b' END, g FROM generate_series(1, 50000) g;`);
      // The inserts' counters first, or they would be added on top of the rows ANALYZE counts.
      await admin.query('SELECT pg_stat_force_next_flush()');
      await admin.query('ANALYZE orders');
      await admin.query('ANALYZE events');
      const busy = await superuserOn(server, 'hypo_verify');
      try {
        await busy.query('SET max_parallel_workers_per_gather = 0');
        for (let i = 0; i < 15; i++) await busy.query('SELECT * FROM orders WHERE customer_ref = $1', [`c${i}`]);
        // Half the rows match whatever the value: an index on kind would not be used.
        for (let i = 0; i < 15; i++) await busy.query('SELECT * FROM events WHERE kind = $1', [i % 2 === 0 ? 'a' : 'b']);
      } finally {
        await busy.end();
      }
      await admin.query('SELECT pg_stat_force_next_flush()').catch(() => undefined);
      h = await openHealthOn(server, 'hypo_verify');
    });

    after(async function () {
      this.timeout(60_000);
      await h?.close();
      await admin?.end().catch(() => undefined);
      await server?.stop();
    });

    /** The check (once the scans' counters are published), then the verification. */
    async function checked(): Promise<{ method: string; findings: readonly Finding[] }> {
      const report = await until('both tables to be reported', async () => {
        const r = await runChecks([missingIndexes], h.runner);
        const objects = r.results[0]!.findings.map((f) => f.object);
        return objects.includes('public.orders') && objects.includes('public.events') ? r : undefined;
      }, 15_000, 200);
      const { report: verified, method } = await verifyProposals(h.db, report);
      return { method, findings: verified.results[0]!.findings };
    }

    it('marks the index the planner would use as verified, and takes the SQL off one it would not', async () => {
      const { method, findings } = await checked();
      const orders = findings.find((f) => f.object === 'public.orders');
      assert.ok(orders, JSON.stringify(findings));
      assert.equal(orders.remediation?.sql, 'CREATE INDEX CONCURRENTLY ON public.orders (customer_ref);', JSON.stringify(orders.remediation));
      if (!hypopg) {
        assert.equal(method, 'none');
        assert.equal(orders.remediation?.verified, undefined, 'without HypoPG nothing is claimed');
        return;
      }
      assert.equal(method, 'hypopg');
      assert.match(orders.remediation?.verified ?? '', /^Verified with HypoPG on the busiest statement: the planner uses the index, cost [\d,.]+ → [\d,.]+ \(-\d+(\.\d)? %\)\.$/);
      const events = findings.find((f) => f.object === 'public.events');
      assert.ok(events, JSON.stringify(findings));
      assert.equal(events.remediation?.sql, undefined, 'an index the planner would not use is not offered');
      assert.match(events.remediation?.text ?? '', /HypoPG shows that an index on these columns would not help the busiest statement/);
      // Nothing was left behind in the session: no hypothetical index, no prepared statement.
      const left = await h.db.read('left over', async (tx) => (await tx.query<{ n: number }>('SELECT (SELECT count(*) FROM hypopg_list_indexes)::int + (SELECT count(*) FROM pg_prepared_statements)::int AS n')).rows[0]!.n);
      assert.equal(left, 0);
    });
  });
}

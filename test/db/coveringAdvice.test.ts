/**
 * A covering index (INCLUDE) proposed when the statement returns few
 * columns, verified and applied on PostgreSQL 18 (the tier's embedded
 * server) and Debian's PostgreSQL 15: on a vacuumed table the planner reads
 * the rows from the index alone, and the covering candidate costs less than
 * the plain one.
 */
import assert from 'node:assert/strict';
import { Client } from 'pg';
import { ddlStatements } from '../../src/core/advice/ddl';
import { statementCandidates } from '../../src/core/advice/statementCandidates';
import { createDatabase } from '../../src/db';
import { readSchema } from '../../src/db/catalog';
import { createIndexNow, verifyCandidates } from '../../src/db/indexVerify';
import type { Database } from '../../src/db/types';
import { startDebianPostgres15, type TestServer } from '../support/postgres';
import { CapturingLog } from './helpers';
import { testServer } from './server';

const SETUP = [
  'CREATE TABLE payments (id int PRIMARY KEY, customer_id int NOT NULL, amount numeric NOT NULL, note text NOT NULL)',
  "INSERT INTO payments SELECT g, 1 + g % 2000, g % 1000, repeat('n', 200) FROM generate_series(1, 200000) g",
  'VACUUM ANALYZE payments',
];
const QUERY = 'SELECT customer_id, amount FROM payments WHERE customer_id BETWEEN 1 AND 100';

function open(server: TestServer, database: string): Database {
  return createDatabase(
    { profile: { id: `test:${database}`, name: database, source: 'user-settings', host: server.host, port: server.port, database, user: server.user, sslmode: 'disable' }, password: server.password },
    { statementTimeoutMs: 60_000, lockTimeoutMs: 5_000, connectTimeoutMs: 10_000, poolMax: 3 },
    new CapturingLog(),
  );
}

async function withClient<T>(server: TestServer, database: string, fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ host: server.host, port: server.port, user: server.user, password: server.password, database });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

function proveCovering(label: string, server: () => TestServer | undefined): void {
  describe(`covering index advice, ${label}`, function () {
    this.timeout(180_000);
    const database = 'covering_advice';
    let db: Database;

    before(async function () {
      const s = server();
      if (!s) return this.skip();
      await s.createDatabase(database);
      await withClient(s, database, async (c) => {
        for (const statement of SETUP) await c.query(statement);
      });
      db = open(s, database);
    });

    after(async () => {
      await db?.close();
    });

    it('proposes the key with INCLUDE for what the statement returns; verified cheaper than the plain index, and applied it gives an index-only scan', async () => {
      const s = server()!;
      const candidates = statementCandidates(QUERY, await readSchema(db));
      assert.deepEqual(candidates.map((c) => c.ddl), [
        'CREATE INDEX CONCURRENTLY payments_customer_id_idx ON payments (customer_id);',
        'CREATE INDEX CONCURRENTLY payments_customer_id_amount_idx ON payments (customer_id) INCLUDE (amount);',
      ]);
      const result = await verifyCandidates(db, { sql: QUERY, values: [], analyze: false, candidates, maxTableBytes: 1024 * 1024 * 1024, confirm: () => Promise.resolve(true) });
      const [plain, covering] = candidates.map((c) => result.outcomes.find((o) => o.name === c.name));
      assert.ok(plain?.status === 'verified' && covering?.status === 'verified', JSON.stringify(result));
      assert.ok(covering.verdict.helps, JSON.stringify(covering));
      assert.ok(covering.after.totalCost < plain.after.totalCost, `covering ${covering.after.totalCost} vs plain ${plain.after.totalCost}`);

      await createIndexNow(db, candidates[1]!);
      const plan = await withClient(s, database, async (c) => (await c.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) ${QUERY}`)).rows.map((r) => r['QUERY PLAN']).join('\n'));
      assert.match(plan, /Index Only Scan using payments_customer_id_amount_idx on payments/);
      assert.match(plan, /Heap Fetches: 0/);
      assert.equal(ddlStatements(candidates[1]!.ddl).length, 1);
    });
  });
}

proveCovering('on PostgreSQL 18', () => testServer());

let pg15: TestServer | undefined;
describe('PostgreSQL 15 for the covering index advice', function () {
  this.timeout(120_000);
  before(async () => {
    pg15 = (await startDebianPostgres15({})) ?? undefined;
  });
  after(async () => {
    await pg15?.stop();
  });
  proveCovering('on PostgreSQL 15', () => pg15);
});

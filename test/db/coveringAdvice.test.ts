/**
 * A covering index (INCLUDE) proposed when the statement returns few
 * columns, verified and applied on PostgreSQL 18 (the tier's embedded
 * server) and Debian's PostgreSQL 15: on a vacuumed table the planner reads
 * the rows from the index alone, and the covering candidate costs less than
 * the plain one.
 */
import assert from 'node:assert/strict';
import { ddlStatements } from '../../src/core/advice/ddl';
import { statementCandidates } from '../../src/core/advice/statementCandidates';
import { readSchema } from '../../src/db/catalog';
import { createIndexNow, verifyCandidates } from '../../src/db/indexVerify';
import type { Database } from '../../src/db/types';
import { onEachServer, openOn, withClientOn } from './stats/support';

const SETUP = [
  'CREATE TABLE payments (id int PRIMARY KEY, customer_id int NOT NULL, amount numeric NOT NULL, note text NOT NULL)',
  "INSERT INTO payments SELECT g, 1 + g % 2000, g % 1000, repeat('n', 200) FROM generate_series(1, 200000) g",
  'VACUUM ANALYZE payments',
];
const QUERY = 'SELECT customer_id, amount FROM payments WHERE customer_id BETWEEN 1 AND 100';



onEachServer('covering index advice (db)', (server) => {
  describe('covering index advice', function () {
    this.timeout(180_000);
    const database = 'covering_advice';
    let db: Database;

    before(async function () {
      const s = server();
      await s.createDatabase(database);
      await withClientOn(s, database, async (c) => {
        for (const statement of SETUP) await c.query(statement);
      });
      db = openOn(s, database);
    });

    after(async () => {
      await db?.close();
    });

    it('proposes the key with INCLUDE for what the statement returns; verified cheaper than the plain index, and applied it gives an index-only scan', async () => {
      const s = server();
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
      const plan = await withClientOn(s, database, async (c) => (await c.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) ${QUERY}`)).rows.map((r) => r['QUERY PLAN']).join('\n'));
      assert.match(plan, /Index Only Scan using payments_customer_id_amount_idx on payments/);
      assert.match(plan, /Heap Fetches: 0/);
      assert.equal(ddlStatements(candidates[1]!.ddl).length, 1);
    });
  });
});

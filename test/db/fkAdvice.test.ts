/**
 * The index a foreign key's trigger needs, proposed and proven on
 * PostgreSQL 18 (the tier's embedded server) and Debian's PostgreSQL 15:
 * a DELETE on the referenced table cascades through a referencing column
 * without an index. The fk-trigger tip names the index; the index advice,
 * which used to find nothing in the DELETE's text, proposes it, verifies it
 * against the lookup the trigger runs, and once created as offered the
 * trigger's time falls.
 */
import assert from 'node:assert/strict';
import { adviceCandidates } from '../../src/core/advice/planCandidates';
import { statementCandidates } from '../../src/core/advice/statementCandidates';
import { analysePlan } from '../../src/core/plan';
import { readSchema } from '../../src/db/catalog';
import { createIndexNow, verifyCandidates } from '../../src/db/indexVerify';
import { planTables, readPlanContext } from '../../src/db/planContext';
import type { Database } from '../../src/db/types';
import { runScript } from './planScenarios';
import { onEachServer, openOn, withClientOn } from './stats/support';

const SETUP = `
  CREATE TABLE parents (id int PRIMARY KEY, label text NOT NULL);
  INSERT INTO parents SELECT g, 'parent ' || g FROM generate_series(1, 2000) g;
  CREATE TABLE children (id int PRIMARY KEY, parent_id int NOT NULL REFERENCES parents (id) ON DELETE CASCADE, label text NOT NULL);
  INSERT INTO children SELECT g, 1 + g % 2000, 'child ' || g FROM generate_series(1, 200000) g;
  VACUUM ANALYZE parents;
  VACUUM ANALYZE children;
`;
const DELETE = 'DELETE FROM parents WHERE id <= 40';

/** EXPLAIN ANALYZE of the DELETE (rolled back), analysed with its catalog context as the editor does. */
async function explained(db: Database): Promise<ReturnType<typeof analysePlan>> {
  const r = await db.explain(DELETE, [], { analyze: true, buffers: true }, { confirmWrite: () => Promise.resolve(true) });
  assert.equal(r.rolledBack, true);
  return analysePlan(r.plan, await readPlanContext(db, planTables(r.plan)));
}

function triggerMs(a: ReturnType<typeof analysePlan>): number {
  return a.plan.totals.triggers.filter((t) => t.constraint === 'children_parent_id_fkey').reduce((s, t) => s + t.timeMs, 0);
}

onEachServer('index advice for a foreign key\'s trigger (db)', (server) => {
  describe('index advice for a foreign key\'s trigger', function () {
    this.timeout(180_000);
    const database = 'fk_advice';
    let db: Database;

    before(async function () {
      const s = server();
      await s.createDatabase(database);
      await withClientOn(s, database, (c) => runScript(c, SETUP));
      db = openOn(s, database);
    });

    after(async () => {
      await db?.close();
    });

    it('proposes the index the fk-trigger tip names, verifies it on the trigger\'s lookup, and the trigger speeds up once it is created', async () => {
      const before = await explained(db);
      const tip = before.tips.find((t) => t.id === 'fk-trigger');
      assert.ok(tip, before.tips.map((t) => t.id).join(', '));
      assert.deepEqual(tip.indexCandidate, { schema: 'public', table: 'children', columns: ['parent_id'] });
      const schema = await readSchema(db);
      assert.deepEqual(statementCandidates(DELETE, schema), [], 'the DELETE\'s text asks for no index');
      const candidates = adviceCandidates(DELETE, schema, before.tips);
      assert.deepEqual(candidates.map((c) => c.ddl), ['CREATE INDEX CONCURRENTLY children_parent_id_idx ON children (parent_id);']);
      assert.equal(candidates[0]!.probe?.sql, 'SELECT 1 FROM ONLY children x WHERE x.parent_id = $1');

      const result = await verifyCandidates(db, { sql: DELETE, values: [], analyze: false, candidates, maxTableBytes: 1024 * 1024 * 1024, confirm: () => Promise.resolve(true) });
      const outcome = result.outcomes[0];
      assert.ok(outcome && outcome.status === 'verified', JSON.stringify(result));
      assert.equal(outcome.verdict.helps, true, JSON.stringify(outcome));
      assert.ok(outcome.after.totalCost < outcome.before.totalCost * 0.1, `${outcome.before.totalCost} → ${outcome.after.totalCost}`);

      await createIndexNow(db, candidates[0]!);
      const after = await explained(db);
      const [t0, t1] = [triggerMs(before), triggerMs(after)];
      assert.ok(t1 < t0 * 0.1, `the trigger took ${t0.toFixed(1)} ms, and ${t1.toFixed(1)} ms with the index`);
      assert.ok(!after.tips.some((t) => t.id === 'fk-trigger'), 'the tip is gone');
      assert.deepEqual(adviceCandidates(DELETE, await readSchema(db), after.tips), [], 'nothing left to propose');
    });
  });
});

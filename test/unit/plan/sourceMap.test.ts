/**
 * Tips mapped back to the statement's text, on the plans captured from real
 * PostgreSQL (test/fixtures/plans) and the statements they were captured
 * from (.meta.json).
 */
import * as assert from 'node:assert/strict';
import { loadSqlParser, parseSql } from '../../../src/core/sql/parser';
import { itemOfNode, locateTips, planColumns, type TipRange } from '../../../src/core/plan/sourceMap';
import { mapStatement } from '../../../src/core/sql/statementMap';
import type { Tip } from '../../../src/core/plan/tips/types';
import { enriched, fixtureMeta, tipsFor } from './fixtures';

/** Each located tip as "id anchor «text»", for readable failures. */
function located(name: string, sql = fixtureMeta(name).sql, limit = 10): string[] {
  return locateTips(sql, enriched(name), tipsFor(name), limit).map((r) => show(sql, r));
}

/** The map of a statement that must parse. */
function mapOf(sql: string): ReturnType<typeof mapStatement> {
  const parsed = parseSql(sql);
  if (!parsed.ok) throw new Error(`does not parse: ${parsed.error.message}`);
  return mapStatement(sql, parsed.statements[0]!.node);
}

function show(sql: string, r: TipRange): string {
  return `${r.tip.id} ${r.anchor} «${sql.slice(r.start, r.end)}»`;
}

describe('plan tips on the SQL text', () => {
  before(() => loadSqlParser());

  it('puts a sequential scan filter tip on the WHERE predicate of that column', () => {
    assert.deepEqual(located('seq-scan-filter'), ["seq-scan-filter predicate «email = 'user4242@example.com'»"]);
    assert.deepEqual(located('timing-off'), ["seq-scan-filter predicate «email = 'user4242@example.com'»"]);
  });

  it('covers every conjunct the filter uses', () => {
    assert.deepEqual(located('correlated-columns-misestimate'), [
      "seq-scan-filter predicate «city = 'city1' AND zip = 'zip1' AND region = 'region1'»",
    ]);
  });

  it('puts a nested loop tip on the ON condition carried by the inner index scan', () => {
    assert.deepEqual(located('nested-loop-misestimate'), [
      "seq-scan-filter predicate «s.city = 'city1' AND s.zip = 'zip1' AND s.region = 'region1'»",
      'nested-loop-misestimate join «d.site_id = s.id»',
      "row-misestimate predicate «s.city = 'city1' AND s.zip = 'zip1' AND s.region = 'region1'»",
    ]);
  });

  it('puts a hash spilled to disk on the join condition of its Hash Join', () => {
    assert.deepEqual(located('hash-batches'), ['disk-spill join «u.id = o.user_id»', 'slow-node join «u.id = o.user_id»']);
  });

  it('puts sort and aggregate spills on the ORDER BY and GROUP BY items', () => {
    assert.deepEqual(located('disk-sort'), ['disk-spill sort «name»']);
    assert.deepEqual(located('hashagg-spill'), ['disk-spill group «user_id»']);
    const sql = fixtureMeta('stale-statistics').sql;
    assert.match(sql, /ORDER BY e\.id$/);
    assert.equal(located('stale-statistics')[0], 'disk-spill sort «e.id»');
  });

  it('puts a large OFFSET on the OFFSET clause, keyword included', () => {
    assert.deepEqual(located('large-offset'), ['large-offset offset «OFFSET 100000»', 'slow-node relation «users»']);
  });

  it('uses the index scan filter, not its index condition, for an inefficient index scan', () => {
    assert.deepEqual(located('inefficient-index-scan'), ['inefficient-index-scan predicate «user_id = 4242»']);
  });

  it('keeps a filter on a subquery inside the predicate that holds it', () => {
    assert.deepEqual(located('initplan-in-join'), ['seq-scan-filter predicate «o.amount > (SELECT avg(amount) * 1.9 FROM orders)»']);
  });

  it('maps a correlated SubPlan filter to the subquery predicate, not to the outer one on the same column', () => {
    assert.deepEqual(located('subplan'), ['seq-scan-filter predicate «o.user_id = u.id»']);
  });

  it('finds the table a Gather reads when the tip is about the Gather', () => {
    assert.deepEqual(located('workers-not-launched'), ['workers-not-launched relation «orders»', 'slow-node predicate «amount > 50»']);
  });

  it('tells apart two mentions of one table by the _1 suffix the plan prints', () => {
    const sql = fixtureMeta('initplan').sql;
    const plan = enriched('initplan');
    const map = mapOf(sql);
    const inner = plan.nodes.find((n) => n.relation?.alias === 'orders_1')!;
    const outer = plan.nodes.find((n) => n.relation?.alias === 'orders')!;
    assert.equal(itemOfNode(map, outer)!.start, sql.indexOf('orders'));
    assert.equal(itemOfNode(map, inner)!.start, sql.lastIndexOf('orders'));
  });

  it('gives statement-level tips no range, and stops at the limit', () => {
    const jit = locateTips(fixtureMeta('jit-share').sql, enriched('jit-share'), tipsFor('jit-share'));
    assert.ok(tipsFor('jit-share').some((t) => t.id === 'jit-share' && t.nodeId === null));
    assert.deepEqual(jit.map((r) => r.tip.id), []);
    assert.equal(located('nested-loop-misestimate', undefined, 2).length, 2);
    assert.deepEqual(located('fk-cascade-trigger'), []);
  });

  it('gives no range when the text does not name the plan\'s tables, or does not parse', () => {
    assert.deepEqual(located('seq-scan-filter', 'SELECT 1'), []);
    assert.deepEqual(located('seq-scan-filter', 'SELECT FROM WHERE ('), []);
    assert.deepEqual(located('seq-scan-filter', 'SELECT 1; SELECT 2'), []);
  });

  it('counts offsets in UTF-16 code units when the text has accents, emoji and astral characters', () => {
    const sql = "SELECT id, name /* café ☕ 𝄞 */ FROM users WHERE email = 'user4242@example.com'";
    const [r] = locateTips(sql, enriched('seq-scan-filter'), tipsFor('seq-scan-filter'));
    assert.equal(sql.slice(r!.start, r!.end), "email = 'user4242@example.com'");
    assert.equal(r!.start, sql.indexOf('email'));
  });

  it('maps the columns of a rewritten placeholder statement ($n) like any other', () => {
    const sql = 'SELECT id, name FROM users AS u WHERE u.email = $1';
    const tip: Tip = { ...tipsFor('seq-scan-filter')[0]! };
    const plan = enriched('seq-scan-filter');
    // The fixture's plan names the table "users": a name the statement aliased resolves through the table name.
    assert.deepEqual(locateTips(sql, plan, [tip]).map((r) => show(sql, r)), ['seq-scan-filter predicate «u.email = $1»']);
  });
});

describe('plan condition columns', () => {
  it('reads both sides of a comparison and skips literals, casts, calls and keywords', () => {
    assert.deepEqual(planColumns('(o.user_id = u.id)'), [{ qualifier: 'o', column: 'user_id' }, { qualifier: 'u', column: 'id' }]);
    assert.deepEqual(planColumns("((status)::text = 'a.b'::text)"), [{ column: 'status' }]);
    assert.deepEqual(planColumns('(lower(u.email) IS NOT NULL)'), [{ qualifier: 'u', column: 'email' }]);
    assert.deepEqual(planColumns('("Order".total > (InitPlan 1).col1)'), [{ qualifier: 'Order', column: 'total' }]);
    assert.deepEqual(planColumns('e.id DESC'), [{ qualifier: 'e', column: 'id' }]);
  });
});

describe('statement map', () => {
  before(() => loadSqlParser());

  it('spans each FROM item with its alias, in the order of the text, CTEs and DML targets included', () => {
    const sql = 'WITH gone AS (DELETE FROM audit.orders WHERE id <= 2) SELECT * FROM public.users AS u JOIN "Order" o ON o.uid = u.id, gone';
    const map = mapOf(sql);
    assert.deepEqual(map.items.map((i) => `${i.refName}:${sql.slice(i.start, i.end)}`), ['orders:audit.orders', 'u:public.users AS u', 'o:"Order" o', 'gone:gone']);
  });

  it('splits WHERE and ON into conjuncts and resolves their columns through aliases and outer blocks', () => {
    const sql = "SELECT * FROM users u JOIN orders o ON o.user_id = u.id AND o.status = 'x' WHERE u.id IN (1, 2) AND EXISTS (SELECT 1 FROM visits v WHERE v.user_id = u.id)";
    const map = mapOf(sql);
    assert.deepEqual(map.conjuncts.map((c) => `${c.clause}:${sql.slice(c.start, c.end)}`), [
      'on:o.user_id = u.id', "on:o.status = 'x'", 'where:u.id IN (1, 2)', 'where:EXISTS (SELECT 1 FROM visits v WHERE v.user_id = u.id)', 'where:v.user_id = u.id',
    ]);
    const correlated = map.conjuncts[4]!;
    assert.deepEqual(correlated.columns.map((c) => c.items.map((i) => i.refName).join('|')), ['v', 'u']);
  });
});

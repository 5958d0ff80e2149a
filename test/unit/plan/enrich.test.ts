import * as assert from 'node:assert/strict';
import { enrichPlan, misestimateOf } from '../../../src/core/plan/enrich';
import { parseExplain } from '../../../src/core/plan/parse';
import { close, enriched, fixtureJson, fixtureNames, rawFixture } from './fixtures';

type Raw = Record<string, unknown> & { Plans?: Raw[] };

/** The raw node at a path of child indexes, for expected values computed by hand from the JSON. */
function rawAt(name: string, ...path: number[]): Raw {
  let node = rawFixture(name)[0]!.Plan as Raw;
  for (const i of path) node = node.Plans![i]!;
  return node;
}
const num = (node: Raw, key: string) => node[key] as number;
/** Actual Total Time × loops: a node's inclusive time outside parallel subtrees. */
const incl = (node: Raw) => num(node, 'Actual Total Time') * num(node, 'Actual Loops');

describe('plan enrichment', () => {
  it('numbers nodes in plan order with depth, parent and children', () => {
    const plan = enriched('healthy-join');
    assert.deepEqual(plan.nodes.map((n) => [n.id, n.parentId, n.depth, n.childIds]), [[0, null, 0, [1, 2]], [1, 0, 1, []], [2, 0, 1, []]]);
    assert.deepEqual(plan.nodes.map((n) => n.label), ['Nested Loop', 'Index Scan using orders_pkey on orders o', 'Index Scan using users_pkey on users u']);
    assert.equal(plan.metric, 'time');
    assert.ok(plan.analyzed && plan.timed);
  });

  it('multiplies per-loop times and rows by loops (nested loop inner side)', () => {
    const plan = enriched('healthy-join');
    const [loop, outer, inner] = [rawAt('healthy-join'), rawAt('healthy-join', 0), rawAt('healthy-join', 1)];
    assert.equal(plan.nodes[2]!.loops, 20);
    assert.ok(close(plan.nodes[2]!.inclusiveMs, incl(inner)));
    assert.ok(close(plan.nodes[0]!.exclusiveMs, incl(loop) - incl(outer) - incl(inner)));
    assert.equal(plan.nodes[2]!.rows.actualTotal, 20);
    assert.equal(plan.nodes[2]!.rows.estimatedTotal, 20);
    assert.equal(plan.nodes[0]!.buffers!.exclusive.sharedHit, num(loop, 'Shared Hit Blocks') - num(outer, 'Shared Hit Blocks') - num(inner, 'Shared Hit Blocks'));
  });

  it('counts rows removed by a filter per loop × loops, and a SubPlan inside the node that runs it', () => {
    const plan = enriched('subplan');
    const [root, sub, scan] = [rawAt('subplan'), rawAt('subplan', 0), rawAt('subplan', 0, 0)];
    assert.equal(plan.nodes[1]!.attachment, 'subplan');
    assert.equal(plan.nodes[1]!.timeParentId, 0);
    assert.ok(close(plan.nodes[0]!.exclusiveMs, incl(root) - incl(sub)));
    assert.ok(close(plan.nodes[1]!.exclusiveMs, incl(sub) - incl(scan)));
    assert.equal(plan.nodes[2]!.rows.removedByFilter, num(scan, 'Rows Removed by Filter') * 5);
    assert.equal(plan.nodes[2]!.loops, 5);
  });

  it('takes an InitPlan out of the node whose expression references it (PostgreSQL 18: "(InitPlan 1).col1")', () => {
    const plan = enriched('initplan');
    const [root, init, scan] = [rawAt('initplan'), rawAt('initplan', 0), rawAt('initplan', 0, 0)];
    assert.equal(plan.nodes[1]!.attachment, 'initplan');
    assert.equal(plan.nodes[1]!.timeParentId, 0);
    assert.ok(close(plan.nodes[0]!.exclusiveMs, incl(root) - incl(init)));
    assert.ok(close(plan.nodes[1]!.exclusiveMs, incl(init) - incl(scan)));
    assert.equal(plan.nodes[0]!.buffers!.exclusive.sharedHit, num(root, 'Shared Hit Blocks') - num(init, 'Shared Hit Blocks'));
  });

  for (const name of ['initplan-in-join', 'initplan-in-join-pg15']) {
    it(`charges an InitPlan to the scan below the join that evaluates it (${name})`, () => {
      const plan = enriched(name);
      // Hash Join ← InitPlan (0), Seq Scan o (1, its filter references the InitPlan), Hash (2).
      const [join, init, scan, hash] = [rawAt(name), rawAt(name, 0), rawAt(name, 1), rawAt(name, 2)];
      const scanNode = plan.nodes.find((n) => n.relation?.alias === 'o')!;
      const initNode = plan.nodes.find((n) => n.attachment === 'initplan')!;
      assert.equal(initNode.timeParentId, scanNode.id);
      assert.ok(close(plan.nodes[0]!.exclusiveMs, incl(join) - incl(scan) - incl(hash)), 'the join does not subtract the InitPlan a second time');
      assert.ok(close(scanNode.exclusiveMs, incl(scan) - incl(init)));
    });
  }

  it('splits a CTE between its CTE Scans in proportion to their time, as pev2 does', () => {
    const plan = enriched('cte-scans');
    const cte = plan.nodes.find((n) => n.attachment === 'cte')!;
    const scans = plan.nodes.filter((n) => n.nodeType === 'CTE Scan');
    assert.equal(cte.subplanName, 'CTE totals');
    assert.equal(scans.length, 2);
    const cteTime = incl(rawAt('cte-scans', 0));
    const sum = scans.reduce((s, n) => s + n.inclusiveMs!, 0);
    for (const scan of scans) assert.ok(close(scan.exclusiveMs, scan.inclusiveMs! * (1 - cteTime / sum)), scan.label);
    const root = rawAt('cte-scans');
    assert.ok(close(plan.nodes[0]!.exclusiveMs, incl(root) - incl(rawAt('cte-scans', 1))), 'the root does not subtract the CTE');
    const busiest = scans.reduce((a, b) => (a.inclusiveMs! > b.inclusiveMs! ? a : b));
    assert.equal(cte.timeParentId, busiest.id, 'the icicle hangs the CTE under the scan that read it most');
    // Buffers are split by the scans' own buffer counts: the scan that triggered the reads carries them.
    assert.equal(scans.reduce((s, n) => s + n.buffers!.exclusive.sharedHit, 0), 0);
  });

  it('keeps a data-modifying CTE that nobody reads as a separate top-level piece', () => {
    const plan = enriched('modifying-cte');
    const cte = plan.nodes.find((n) => n.attachment === 'cte')!;
    assert.equal(cte.timeParentId, null);
    assert.ok(close(plan.nodes[0]!.exclusiveMs, incl(rawAt('modifying-cte')) - incl(rawAt('modifying-cte', 1))));
    assert.equal(plan.totals.buffers!.sharedHit, num(rawAt('modifying-cte'), 'Shared Hit Blocks') + num(rawAt('modifying-cte', 0), 'Shared Hit Blocks'));
  });

  it('keeps every fixture\'s numbers adding up: own times, triggers and JIT within the execution time, shares within 0–100 %', () => {
    for (const name of fixtureNames()) {
      const plan = enriched(name);
      const shares = plan.nodes.map((n) => n.share);
      assert.ok(shares.every((s) => s >= 0 && s <= 1 + 1e-9), `${name}: a share outside 0–100 %: ${Math.max(...shares)}`);
      assert.ok(shares.reduce((a, b) => a + b, 0) <= 1 + 1e-9, `${name}: shares add up to more than 100 %`);
      if (!plan.timed) {
        for (const n of plan.nodes) assert.ok(n.exclusiveCost! >= 0 && n.exclusiveCost! <= plan.nodes[0]!.containedCost + 1e-9, `${name}: ${n.label} costs more than the plan`);
        continue;
      }
      assert.ok(plan.nodes.every((n) => n.exclusiveMs! >= 0), `${name}: negative exclusive time`);
      assert.ok(plan.nodes.every((n) => !n.neverExecuted || n.exclusiveMs === 0), `${name}: time charged to a node that never ran`);
      // Every attributed child fits inside the node that is said to contain it.
      for (const n of plan.nodes) {
        const inner = n.timeChildIds.filter((c) => plan.nodes[c]!.attachment !== 'cte').reduce((s, c) => s + plan.nodes[c]!.inclusiveMs!, 0);
        assert.ok(inner <= n.inclusiveMs! + 1e-6, `${name}: ${n.label} holds less than its children`);
      }
      const own = plan.nodes.reduce((s, n) => s + n.exclusiveMs!, 0);
      const inside = plan.totals.triggers.filter((t) => t.insideNodeId !== null).reduce((s, t) => s + t.timeMs, 0) + (plan.totals.jit?.insideNodeId != null ? plan.totals.jit.compileMs! : 0);
      const top = plan.nodes.filter((n) => n.timeParentId === null).reduce((s, n) => s + n.inclusiveMs!, 0);
      assert.ok(Math.abs(own + inside - top) < 0.01, `${name}: own ${own} + triggers/JIT inside ${inside} vs top-level ${top}`);
      const execution = plan.totals.executionMs!;
      const after = plan.totals.triggers.filter((t) => t.insideNodeId === null).reduce((s, t) => s + t.timeMs, 0);
      // Printing rounds each node to the microsecond per loop: allow 1 % of the execution, at least 0.05 ms.
      const rounding = Math.max(0.05, execution * 0.01);
      assert.ok(own + inside + after <= execution + rounding, `${name}: ${own} + ${inside} + ${after} ms in a ${execution} ms execution`);
      const b = plan.totals.breakdown!;
      assert.ok(Math.abs(b.nodesMs + b.triggersMs + b.jitMs + b.otherMs - execution) < rounding, `${name}: the breakdown does not add up`);
    }
  });

  it('charges an InitPlan above a Gather to the Gather, whose leader evaluates it before starting the workers', () => {
    for (const name of ['initplan-above-gather', 'initplan-above-gather-pg15']) {
      const plan = enriched(name);
      const initPlan = plan.nodes.find((n) => n.attachment === 'initplan')!;
      const gather = plan.nodes.find((n) => n.nodeType === 'Gather' && n.parentId === 0)!;
      const scan = plan.nodes.find((n) => n.nodeType === 'Seq Scan' && n.parentId !== null && plan.nodes[n.parentId]!.parentId === gather.id)!;
      assert.equal(initPlan.timeParentId, gather.id, name);
      assert.ok(close(scan.exclusiveMs, scan.inclusiveMs!), `${name}: the parallel scan keeps its own time`);
      const partial = plan.nodes[scan.parentId!]!;
      assert.ok(close(gather.exclusiveMs, gather.inclusiveMs! - partial.inclusiveMs! - initPlan.inclusiveMs!), name);
    }
  });

  it('gives a Memoize printed as 0.000 ms per loop its rounding, within half of what its parent leaves', () => {
    const plan = enriched('memoize');
    const [loop, outer, memoize, probe] = [plan.nodes[1]!, plan.nodes[2]!, plan.nodes[3]!, plan.nodes[4]!];
    assert.equal(memoize.nodeType, 'Memoize');
    assert.equal(num(rawAt('memoize', 0, 1), 'Actual Total Time'), 0, 'the server printed 0.000 ms per loop');
    assert.ok(memoize.roundedUp);
    const slack = loop.inclusiveMs! - outer.inclusiveMs! - probe.inclusiveMs!;
    // At most 0.0005 ms × 60,000 loops = 30 ms; capped at half of the 14.8 ms slack.
    assert.ok(close(memoize.inclusiveMs, probe.inclusiveMs! + slack / 2), `${memoize.inclusiveMs}`);
    assert.ok(close(loop.exclusiveMs, slack / 2), 'the nested loop keeps half, not all, of the time neither figure places');
    assert.ok(memoize.inclusiveMs! >= probe.inclusiveMs!);
  });

  it('takes a BEFORE trigger\'s time out of its ModifyTable node and leaves an AFTER trigger outside the plan', () => {
    const before = enriched('before-trigger');
    const [update, scan] = before.nodes;
    const trigger = before.totals.triggers[0]!;
    assert.equal(trigger.insideNodeId, update!.id);
    assert.ok(close(update!.exclusiveMs, Math.max(0, update!.inclusiveMs! - scan!.inclusiveMs! - trigger.timeMs)));
    assert.ok(update!.share < 0.05, `the UPDATE node is not blamed for the trigger: ${update!.share}`);
    const after = enriched('after-trigger');
    assert.equal(after.totals.triggers[0]!.insideNodeId, null);
    assert.ok(close(after.nodes[0]!.exclusiveMs, after.nodes[0]!.inclusiveMs! - after.nodes[1]!.inclusiveMs!));
    const cascade = enriched('fk-cascade-trigger');
    assert.ok(cascade.totals.triggers.every((t) => t.insideNodeId === null), 'foreign key triggers run after the plan');
  });

  it('takes JIT compilation out of the node whose startup it delayed', () => {
    const plan = enriched('jit-share');
    const scan = plan.nodes.find((n) => n.nodeType === 'Seq Scan')!;
    const jit = plan.totals.jit!;
    assert.equal(jit.insideNodeId, scan.id);
    assert.ok(close(jit.compileMs, 13.137 + 129.417 + 81.305) || jit.compileMs! > 0);
    assert.ok(close(scan.exclusiveMs, Math.max(0, scan.inclusiveMs! - jit.compileMs!)));
    assert.ok(plan.nodes.every((n) => n.share < 0.05), 'no node is blamed for the compilation');
    assert.ok(plan.totals.breakdown!.jitMs > plan.totals.executionMs! * 0.9);
  });

  it('keeps cost shares within 0–100 % when a Limit pays a fraction of its child', () => {
    for (const name of ['limit-costs', 'limit-costs-scan']) {
      const plan = enriched(name);
      assert.equal(plan.metric, 'cost');
      assert.ok(plan.nodes[1]!.totalCost! > plan.nodes[0]!.totalCost!, `${name}: the child costs more than the Limit`);
      const total = plan.nodes.reduce((s, n) => s + n.share, 0);
      assert.ok(Math.abs(total - 1) < 1e-9, `${name}: shares add up to ${total}`);
    }
  });

  it('charges nothing to the partition scans pruned at run time', () => {
    const plan = enriched('partition-pruning-runtime');
    const pruned = plan.nodes.filter((n) => n.neverExecuted);
    assert.ok(pruned.length > 0, 'some partition scans never ran');
    assert.ok(pruned.every((n) => n.exclusiveMs === 0 && n.share === 0));
  });

  it('divides parallel per-loop times by the processes: workers launched plus the leader', () => {
    const plan = enriched('parallel-scan');
    const sort = plan.nodes.find((n) => n.nodeType === 'Sort')!;
    const scan = plan.nodes.find((n) => n.nodeType === 'Seq Scan')!;
    const raw = rawAt('parallel-scan', 0, 0);
    assert.equal(sort.parallelDivisor, 3);
    assert.ok(close(sort.inclusiveMs, incl(raw) / 3));
    assert.equal(scan.rows.actualTotal, 300000, 'rows stay totals over every process');
    assert.equal(plan.nodes[1]!.parallelDivisor, 1, 'the Gather itself runs in the leader');
  });

  it('leaves the leader out when parallel_leader_participation is off, and counts one process when no worker started', () => {
    assert.equal(enriched('parallel-no-leader').nodes.find((n) => n.nodeType === 'Seq Scan')!.parallelDivisor, 2);
    const notLaunched = enriched('workers-not-launched');
    assert.equal(notLaunched.nodes.find((n) => n.nodeType === 'Seq Scan')!.parallelDivisor, 1);
    assert.deepEqual(notLaunched.nodes[1]!.workers, { planned: 2, launched: 0 });
  });

  it('runs the InitPlans and SubPlans of a Gather in the leader alone', () => {
    const node = (type: string, relationship?: string, extra: Record<string, unknown> = {}) => ({ 'Node Type': type, 'Parent Relationship': relationship, 'Actual Total Time': 1, 'Actual Rows': 1, 'Actual Loops': 1, ...extra });
    const plan = enrichPlan(parseExplain({ Plan: node('Gather', undefined, { 'Workers Planned': 2, 'Workers Launched': 2, Plans: [
      node('Result', 'InitPlan', { 'Subplan Name': 'InitPlan 1' }),
      node('Seq Scan', 'Outer', { 'Actual Loops': 3, Plans: [node('Result', 'SubPlan', { 'Subplan Name': 'SubPlan 2', 'Actual Loops': 30 })] }),
      node('Result', 'SubPlan', { 'Subplan Name': 'SubPlan 3' }),
    ] }) }));
    assert.deepEqual(plan.nodes.map((n) => n.parallelDivisor), [1, 1, 3, 3, 1]);
  });

  it('computes the misestimate factor and direction per loop, with both sides floored at one row', () => {
    assert.deepEqual(misestimateOf(1, 1000), { factor: 1000, direction: 'under' });
    assert.deepEqual(misestimateOf(500, 5), { factor: 100, direction: 'over' });
    assert.deepEqual(misestimateOf(1, 0.2), { factor: 1, direction: 'exact' });
    assert.deepEqual(misestimateOf(0, 0), { factor: 1, direction: 'exact' });
    const scan = enriched('correlated-columns-misestimate').nodes[1]!;
    assert.deepEqual(scan.rows.misestimate, { factor: 1000, direction: 'under' });
  });

  it('marks nodes that never ran, without a misestimate', () => {
    const plan = enriched('never-executed');
    const inner = plan.nodes[2]!;
    assert.ok(inner.neverExecuted);
    assert.equal(inner.loops, 0);
    assert.equal(inner.rows.actualTotal, 0);
    assert.equal(inner.rows.misestimate, undefined);
    assert.equal(inner.inclusiveMs, 0);
  });

  it('reads sorts, hashes, hash aggregates and bitmaps, and flags spills', () => {
    const sort = enriched('disk-sort').nodes[0]!.memory;
    assert.equal(sort.sort?.spaceType, 'Disk');
    assert.equal(sort.sort?.method, 'external merge');
    assert.ok(sort.spilled);
    const hash = enriched('hash-batches').nodes.find((n) => n.nodeType === 'Hash')!.memory;
    assert.equal(hash.hash?.batches, 32);
    assert.ok(hash.spilled);
    const agg = enriched('hashagg-spill').nodes[0]!.memory;
    assert.ok((agg.hashAgg?.diskKb ?? 0) > 0 && agg.spilled);
    const bitmap = enriched('lossy-bitmap').nodes[1]!.memory.bitmap!;
    assert.ok(bitmap.lossyBlocks > 0 && bitmap.exactBlocks > 0);
    assert.equal(enriched('healthy-join').nodes.some((n) => n.memory.spilled), false);
  });

  it('subtracts children buffers to get a node\'s own (bitmap heap scan over its index scan)', () => {
    const plan = enriched('lossy-bitmap');
    const heap = rawAt('lossy-bitmap', 0);
    const index = rawAt('lossy-bitmap', 0, 0);
    assert.equal(plan.nodes[1]!.buffers!.exclusive.sharedHit, num(heap, 'Shared Hit Blocks') - num(index, 'Shared Hit Blocks'));
    assert.equal(plan.nodes[0]!.buffers!.exclusive.sharedHit, 0);
    assert.equal(plan.totals.buffers!.sharedHit, num(rawAt('lossy-bitmap'), 'Shared Hit Blocks'));
  });

  it('follows the child with the largest inclusive time from the root for the hottest path', () => {
    const plan = enriched('hash-batches');
    const path = plan.hottestPath.map((id) => plan.nodes[id]!);
    for (let i = 1; i < path.length; i++) {
      const siblings = path[i - 1]!.timeChildIds.map((id) => plan.nodes[id]!.inclusiveMs!);
      assert.equal(path[i]!.inclusiveMs, Math.max(...siblings));
    }
    assert.equal(path[path.length - 1]!.timeChildIds.length, 0, 'the path ends at a leaf');
    assert.ok(path.every((n) => n.onHottestPath));
  });

  it('uses costs when the plan was not executed (EXPLAIN without ANALYZE)', () => {
    const plan = enriched('no-analyze-join');
    assert.equal(plan.metric, 'cost');
    assert.equal(plan.analyzed, false);
    assert.equal(plan.nodes[0]!.inclusiveMs, undefined);
    const join = plan.nodes.find((n) => n.nodeType === 'Hash Join')!;
    const [rawJoin, outer, inner] = [rawAt('no-analyze-join', 0, 0, 0, 0), rawAt('no-analyze-join', 0, 0, 0, 0, 0), rawAt('no-analyze-join', 0, 0, 0, 0, 1)];
    assert.ok(close(join.exclusiveCost, num(rawJoin, 'Total Cost') - num(outer, 'Total Cost') - num(inner, 'Total Cost')));
    assert.ok(close(join.share, join.exclusiveCost! / num(rawAt('no-analyze-join'), 'Total Cost')));
    assert.equal(plan.totals.basis, num(rawAt('no-analyze-join'), 'Total Cost'));
  });

  it('keeps actual rows but falls back to costs with TIMING OFF', () => {
    const plan = enriched('timing-off');
    assert.ok(plan.analyzed && !plan.timed);
    assert.equal(plan.metric, 'cost');
    assert.equal(plan.nodes[0]!.exclusiveMs, undefined);
    assert.equal(plan.nodes[0]!.rows.removedByFilter, 199999);
    assert.equal(plan.totals.basis, plan.nodes[0]!.totalCost);
  });

  it('collects planning, execution, trigger and JIT totals and the settings', () => {
    const fk = enriched('fk-cascade-trigger');
    const raw = rawFixture('fk-cascade-trigger')[0]!;
    const trigger = (raw.Triggers as Array<Record<string, number | string>>)[0]!;
    assert.equal(fk.totals.triggers.length, 1);
    assert.equal(fk.totals.triggersMs, trigger.Time);
    assert.equal(fk.totals.triggers[0]!.constraint, 'children_parent_id_fkey');
    assert.equal(fk.totals.executionMs, raw['Execution Time']);
    assert.equal(fk.totals.planningMs, raw['Planning Time']);
    const jit = enriched('jit-share').totals.jit!;
    assert.equal(jit.functions, 8);
    assert.ok(jit.totalMs! > 0 && jit.optimizationMs! > 0);
    assert.equal(enriched('disk-sort').totals.settings.work_mem, '64kB');
  });

  it('keeps the 64-bit query identifier exact when the plan arrives as text', () => {
    const text = fixtureJson('hash-batches');
    const id = /"Query Identifier": (-?\d+)/.exec(text)![1];
    assert.equal(enriched('hash-batches').totals.queryId, id);
  });

  it('enriches a generated plan of more than 1,000 nodes, wide and deep', () => {
    const leaf = (i: number) => ({ 'Node Type': 'Seq Scan', 'Parent Relationship': 'Member', 'Relation Name': `t${i}`, Alias: `t${i}`, 'Total Cost': 10, 'Plan Rows': 10, 'Plan Width': 4, 'Actual Total Time': 0.01, 'Actual Rows': 10, 'Actual Loops': 1 });
    const wide = enrichPlan(parseExplain({ Plan: { 'Node Type': 'Append', 'Total Cost': 12000, 'Plan Rows': 12000, 'Actual Total Time': 15, 'Actual Rows': 12000, 'Actual Loops': 1, Plans: Array.from({ length: 1200 }, (_, i) => leaf(i)) } }));
    assert.equal(wide.nodes.length, 1201);
    let deep: Record<string, unknown> = leaf(0);
    for (let i = 1; i < 1500; i++) deep = { 'Node Type': 'Limit', 'Parent Relationship': 'Outer', 'Total Cost': 10, 'Plan Rows': 10, 'Actual Total Time': 0.01 * (i + 1), 'Actual Rows': 10, 'Actual Loops': 1, Plans: [deep] };
    const chain = enrichPlan(parseExplain({ Plan: deep }));
    assert.equal(chain.nodes.length, 1500);
    assert.equal(chain.totals.maxDepth, 1499);
    assert.equal(chain.hottestPath.length, 1500);
  });
});


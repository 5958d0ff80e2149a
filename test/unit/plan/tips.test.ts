import * as assert from 'node:assert/strict';
import { findTips, rankTips } from '../../../src/core/plan/tips';
import { TIP_RULES } from '../../../src/core/plan/tips/index';
import type { Tip } from '../../../src/core/plan/tips/types';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURE_DIR, close, enriched, fixtureNames, tipsFor } from './fixtures';

/**
 * What the ranked list says for every captured plan: [tips that must be
 * there, tips that may be there]. The first are what the scenario was built
 * for, and every rule appears among them somewhere. The second depend on
 * timings near a threshold (a node at 38% or 41% of the time, a saving just
 * over the cut-off), so a regenerated fixture may or may not have them. The
 * healthy plans must say nothing at all.
 */
const EXPECTED: Record<string, [string[], string[]]> = {
  'after-trigger': [[], []],
  'before-trigger': [[], []],
  // count(*) over the scan: nothing above it was chosen on the estimate, so no row-misestimate.
  'correlated-columns-misestimate': [['seq-scan-filter'], []],
  'cte-scans': [[], ['slow-node']],
  'disk-sort': [['disk-spill'], ['slow-node']],
  'fk-cascade-trigger': [['fk-trigger'], []],
  'hash-batches': [['disk-spill'], ['slow-node']],
  'hashagg-spill': [['disk-spill'], ['slow-node']],
  'healthy-join': [[], []],
  'healthy-pk-lookup': [[], []],
  'heap-fetches': [['heap-fetches'], []],
  'hostile-identifiers': [[], []],
  'inefficient-index-scan': [['inefficient-index-scan'], []],
  'initplan': [[], ['slow-node']],
  'initplan-above-gather': [[], ['seq-scan-filter']],
  // A critical seq-scan-filter saving 0.5 ms of 12 ms is under the cut-off; the Gathers' 6 ms are under slow-node's floor.
  'initplan-above-gather-pg15': [[], []],
  'initplan-under-gather': [['seq-scan-filter'], []],
  'initplan-under-gather-pg15': [[], []],
  'initplan-in-join': [['seq-scan-filter'], ['slow-node']],
  'initplan-in-join-pg15': [['seq-scan-filter'], ['slow-node']],
  'insert-wal': [[], ['slow-node']],
  // The scan's time is the compilation's: once that is taken out, its filter costs under a millisecond.
  'jit-share': [['jit-share'], []],
  'large-offset': [['large-offset'], ['slow-node']],
  'limit-costs': [[], []],
  'limit-costs-scan': [[], []],
  'lossy-bitmap': [['lossy-bitmap'], ['slow-node']],
  'memoize': [[], []],
  'modifying-cte': [[], ['slow-node']],
  'nested-loop-misestimate': [['seq-scan-filter', 'nested-loop-misestimate'], ['row-misestimate', 'slow-node']],
  'never-executed': [[], []],
  'no-analyze-join': [[], []],
  'parallel-no-leader': [[], ['slow-node']],
  'parallel-scan': [[], ['slow-node']],
  'partition-pruning-runtime': [[], []],
  'partitioned-seq-scans': [['seq-scan-filter'], []],
  'read-efficiency': [['read-efficiency'], []],
  'seq-scan-filter': [['seq-scan-filter'], []],
  'stale-statistics': [['disk-spill', 'row-misestimate', 'stale-statistics'], ['slow-node']],
  'subplan': [['seq-scan-filter'], []],
  'timing-off': [['seq-scan-filter'], []],
  'workers-not-launched': [['workers-not-launched', 'slow-node'], []],
};

const tip = (id: string, saving: number | null, severity: Tip['severity']): Tip =>
  ({ id, nodeId: 0, severity, title: id, message: '', action: { text: '' }, estimatedSavingMs: saving, docs: '' });

describe('tips: finding, ranking, cut-off', () => {
  it('lists one rule per file, each with its docs page', () => {
    assert.equal(TIP_RULES.length, 14);
    assert.equal(new Set(TIP_RULES.map((r) => r.id)).size, 14);
    const root = join(FIXTURE_DIR, '..', '..', '..');
    for (const rule of TIP_RULES) {
      assert.equal(rule.docs, `docs/tips/${rule.id}.md`);
      assert.ok(existsSync(join(root, 'src', 'core', 'plan', 'tips', `${rule.id}.ts`)), `${rule.id}.ts`);
      const page = readFileSync(join(root, rule.docs), 'utf8');
      assert.ok(page.startsWith(`# ${rule.id}: `), `${rule.docs} is titled with the id`);
    }
  });

  it('covers every captured plan in the expectations below', () => {
    assert.deepEqual(Object.keys(EXPECTED).sort(), fixtureNames());
  });

  for (const [name, [must, may]] of Object.entries(EXPECTED)) {
    it(`${name}: ${must.length === 0 ? 'no tip' : must.join(', ')}${may.length > 0 ? ` (maybe ${may.join(', ')})` : ''}`, () => {
      const ids = tipsFor(name).map((t) => t.id);
      for (const id of must) assert.ok(ids.includes(id), `${id} missing from ${ids.join(', ')}`);
      for (const id of ids) assert.ok(must.includes(id) || may.includes(id), `unexpected ${id} in ${ids.join(', ')}`);
    });
  }

  it('every rule is what some captured plan was built to trigger', () => {
    const fired = new Set(Object.values(EXPECTED).flatMap(([must]) => must));
    for (const rule of TIP_RULES) assert.ok(fired.has(rule.id), rule.id);
  });

  it('ranks by estimated saving, then severity, with tips without an estimate last', () => {
    const ranked = rankTips([tip('a', 5, 'info'), tip('b', null, 'critical'), tip('c', 50, 'warning'), tip('d', 5, 'critical'), tip('e', null, 'warning')]);
    assert.deepEqual(ranked.map((t) => t.id), ['c', 'd', 'a', 'b', 'e']);
  });

  it('cuts savings under max(1 ms, 2% of the execution) whatever the severity, and info tips without an estimate', () => {
    const plan = enriched('disk-sort');
    const cutoff = Math.max(1, 0.02 * plan.totals.basis);
    const rules = [
      { id: 'small', title: 'small', docs: '', evaluate: () => [tip('small', cutoff * 0.9, 'warning')] },
      { id: 'small-critical', title: '', docs: '', evaluate: () => [tip('small-critical', cutoff * 0.9, 'critical')] },
      { id: 'enough', title: '', docs: '', evaluate: () => [tip('enough', cutoff, 'info')] },
      { id: 'pointer-info', title: '', docs: '', evaluate: () => [tip('pointer-info', null, 'info')] },
      { id: 'pointer-warning', title: '', docs: '', evaluate: () => [tip('pointer-warning', null, 'warning')] },
      { id: 'pointer-critical', title: '', docs: '', evaluate: () => [tip('pointer-critical', null, 'critical')] },
    ];
    const only = (n: { id: number }) => n.id === 0;
    const found = findTips(plan, {}, { rules: rules.map((r) => ({ ...r, evaluate: (n: { id: number }) => (only(n) ? r.evaluate() : []) })) });
    assert.deepEqual(found.map((t) => t.id), ['enough', 'pointer-critical', 'pointer-warning']);
  });

  it('drops a critical tip whose saving is under the cut-off (a 0.5 ms filter in a 12 ms query)', () => {
    const plan = enriched('initplan-under-gather-pg15');
    const all = findTips(plan, {}, { minSavingMs: 0, minSavingShare: 0 });
    const filter = all.find((t) => t.id === 'seq-scan-filter')!;
    assert.equal(filter.severity, 'critical');
    assert.ok(filter.estimatedSavingMs! < 1);
    assert.ok(!tipsFor('initplan-under-gather-pg15').some((t) => t.id === 'seq-scan-filter'));
  });

  it('gives the sibling partitions of one Append one tip, on the partitioned table, with the savings added up', () => {
    const plan = enriched('partitioned-seq-scans');
    const each = findTips(plan, {}, { minSavingMs: 0, minSavingShare: 0 }).filter((t) => t.id === 'seq-scan-filter');
    assert.equal(each.length, 1, 'merged even without the catalog context');
    const tips = tipsFor('partitioned-seq-scans');
    assert.equal(tips.length, 1);
    const t = tips[0]!;
    const scans = plan.nodes.filter((n) => n.nodeType === 'Seq Scan');
    assert.equal(scans.length, 12);
    const perScan = scans.map((n) => n.exclusiveMs! * n.rows.removedByFilter! / (n.rows.removedByFilter! + n.rows.actualTotal!));
    assert.ok(close(t.estimatedSavingMs ?? undefined, perScan.reduce((a, b) => a + b, 0)));
    assert.match(t.message, /^The same on 12 partitions of readings \(/);
    assert.deepEqual(t.indexCandidate, { schema: 'public', table: 'readings', columns: ['sensor'] });
    assert.match(t.action.text, /partitioned table readings on \(sensor\).*all 12 partitions/);
    assert.equal(t.nodeId, perScan.indexOf(Math.max(...perScan)) + 1, 'placed on the scan with the largest saving');
  });

  it('keeps row-misestimate only where a choice above the node depends on the estimate', () => {
    const all = (name: string) => findTips(enriched(name), {}, { minSavingMs: 0, minSavingShare: 0 }).map((t) => t.id);
    assert.ok(!all('correlated-columns-misestimate').includes('row-misestimate'), 'count(*) of the scan: nothing depends on it');
    assert.ok(!all('initplan-under-gather').includes('row-misestimate'), 'a Gather passes rows on');
    assert.ok(tipsFor('stale-statistics').some((t) => t.id === 'row-misestimate'), 'a Sort over the scan was chosen on it');
  });

  it('keeps slow-node to nodes with 10 ms of their own', () => {
    assert.ok(!tipsFor('initplan-above-gather-pg15').some((t) => t.id === 'slow-node'), 'a 6 ms Gather at 48 % of a 14 ms query');
    assert.ok(tipsFor('workers-not-launched').some((t) => t.id === 'slow-node'));
  });

  it('drops slow-node where another tip already names the node', () => {
    const tips = tipsFor('seq-scan-filter');
    assert.deepEqual(tips.map((t) => t.id), ['seq-scan-filter']);
    assert.ok(tipsFor('large-offset').some((t) => t.id === 'slow-node' && t.nodeId === 1));
  });
});

import * as assert from 'node:assert/strict';
import { analysePlan } from '../../../src/core/plan/index';
import { buildViewModel, type PlanViewModel } from '../../../src/core/plan/viewModel';
import { enriched, fixtureJson, fixtureMeta, fixtureNames } from './fixtures';

const view = (name: string): PlanViewModel => analysePlan(fixtureJson(name), fixtureMeta(name).context ?? {}).view;

describe('plan view model', () => {
  it('is plain data: strings, finite numbers, booleans, arrays and plain objects (it crosses postMessage)', () => {
    const check = (value: unknown, path: string): void => {
      if (value === null || value === undefined || typeof value === 'string' || typeof value === 'boolean') return;
      if (typeof value === 'number') return assert.ok(Number.isFinite(value), path);
      if (Array.isArray(value)) return value.forEach((v, i) => check(v, `${path}[${i}]`));
      assert.equal(Object.getPrototypeOf(value), Object.prototype, path);
      for (const [k, v] of Object.entries(value)) check(v, `${path}.${k}`);
    };
    for (const name of fixtureNames()) {
      const model = view(name);
      check(model, name);
      assert.deepEqual(structuredClone(model), model, name);
    }
  });

  it('flattens nodes in plan order with depth, labels and formatted figures', () => {
    const model = view('healthy-join');
    assert.deepEqual(model.nodes.map((n) => [n.depth, n.label]), [
      [0, 'Nested Loop'],
      [1, 'Index Scan using orders_pkey on orders o'],
      [1, 'Index Scan using users_pkey on users u'],
    ]);
    const inner = model.nodes[2]!;
    assert.equal(inner.rows.loops, '20');
    assert.equal(inner.rows.actual, '20');
    assert.match(inner.exclusive, /^\d+\.\d{3} ms$/);
    assert.equal(inner.summary, '(u.id = o.user_id)');
    assert.ok(inner.details.some((d) => d.label === 'Index Cond' && d.value === '(u.id = o.user_id)'));
    assert.deepEqual(model.header.map((h) => h.label), ['Execution', 'Planning', 'Rows', 'Total cost', 'Buffers', 'Planning buffers', 'Nodes', 'Query identifier']);
  });

  it('says where the execution went when triggers or JIT took part of it, in parts that add up', () => {
    const time = (name: string) => view(name).header.find((h) => h.label === 'Time')?.value;
    assert.match(time('before-trigger') ?? '', /^nodes [\d.]+ ms \+ triggers [\d.]+ ms \+ other [\d.]+ (ms|µs)$/);
    assert.match(time('jit-share') ?? '', /^nodes [\d.]+ ms \+ JIT compilation [\d.]+ ms \+ other [\d.]+ (ms|µs)$/);
    assert.equal(time('seq-scan-filter'), undefined, 'nothing to say when the nodes are all of it');
  });

  it('keeps bars in 0..1 and flags the hottest, misestimated and spilled nodes', () => {
    for (const name of fixtureNames()) {
      for (const n of view(name).nodes) {
        assert.ok(n.bar >= 0 && n.bar <= 1 && n.inclusiveBar >= 0 && n.inclusiveBar <= 1, `${name} ${n.label}`);
      }
    }
    const sort = view('disk-sort').nodes[0]!;
    assert.ok(sort.flags.hottest && sort.flags.spilled && sort.flags.onHottestPath);
    const share = enriched('disk-sort').nodes[0]!.share;
    assert.equal(sort.flags.slow, share >= 0.9 ? 'critical' : share >= 0.4 ? 'warning' : share >= 0.1 ? 'info' : undefined);
    const scan = view('correlated-columns-misestimate').nodes[1]!;
    assert.ok(scan.flags.misestimated);
    assert.deepEqual(scan.rows.misestimate, { factor: '1,000×', direction: 'under', severity: 'critical' });
    assert.equal(view('never-executed').nodes[2]!.flags.neverExecuted, true);
  });

  it('carries the ranked tips with their node, saving and action, and links them from nodes', () => {
    const model = view('stale-statistics');
    assert.deepEqual(model.tips.map((t) => t.id), ['disk-spill', 'row-misestimate', 'stale-statistics']);
    const stale = model.tips[2]!;
    assert.equal(stale.nodeLabel, 'Index Scan using events_kind_idx on events e');
    assert.equal(stale.sql, 'ANALYZE public.events;');
    assert.equal(stale.saving, undefined);
    assert.match(model.tips[0]!.saving!, /^≈ [\d.]+ ms$/);
    assert.deepEqual(model.nodes[1]!.tipIndexes, [1, 2]);
    const fk = view('fk-cascade-trigger');
    assert.equal(fk.tips[0]!.nodeId, null);
    assert.equal(fk.triggers[0]!.name.startsWith('RI_ConstraintTrigger_a_'), true);
    assert.equal(fk.triggers[0]!.detail, 'constraint children_parent_id_fkey on parents');
  });

  it('passes hostile identifiers and literals through as plain strings', () => {
    const model = view('hostile-identifiers');
    const scan = model.nodes[0]!;
    assert.equal(scan.label, 'Seq Scan on "<script>alert(1)</script>" "x</td>"');
    assert.equal(scan.summary, `("x</td>"."<img src=x onerror=alert(2)>" <> '<script>alert(3)</script>'::text)`);
    assert.ok(scan.details.some((d) => d.value === 'public.<script>alert(1)</script> (alias x</td>)'));
    assert.equal(model.icicle.cells[0]!.label, scan.label);
    assert.ok(!JSON.stringify(model).includes('&lt;'), 'nothing is escaped: escaping is the renderer\'s job, by textContent');
  });

  it('cuts very long conditions in the summary and the details', () => {
    const long = `(note = '${'x'.repeat(20000)}'::text)`;
    const model = analysePlan({ Plan: { 'Node Type': 'Seq Scan', 'Relation Name': 't', Alias: 't', 'Total Cost': 1, 'Plan Rows': 1, 'Plan Width': 4, Filter: long } }).view;
    assert.equal(model.nodes[0]!.summary!.length < 200, true);
    const detail = model.nodes[0]!.details.find((d) => d.label === 'Filter')!;
    assert.match(detail.value, /… \(15,0\d\d more characters\)$/);
  });

  it('lays out an icicle by inclusive time: children inside their parent, top rows full width', () => {
    for (const name of fixtureNames()) {
      const model = view(name);
      const cells = new Map(model.icicle.cells.map((c) => [c.nodeId, c]));
      assert.equal(cells.size, model.nodes.length, name);
      const plan = enriched(name);
      for (const node of plan.nodes) {
        const cell = cells.get(node.id)!;
        assert.ok(cell.x >= -1e-9 && cell.x + cell.width <= 1 + 1e-9, `${name} ${node.label}`);
        if (node.timeParentId !== null) {
          const parent = cells.get(node.timeParentId)!;
          assert.equal(cell.depth, parent.depth + 1);
          assert.ok(cell.x >= parent.x - 1e-9 && cell.x + cell.width <= parent.x + parent.width + 1e-9, `${name} ${node.label} inside its parent`);
        }
      }
      const top = model.icicle.cells.filter((c) => c.depth === 0).reduce((s, c) => s + c.width, 0);
      assert.ok(Math.abs(top - 1) < 1e-9, `${name}: top row spans the chart`);
    }
    const cte = view('cte-scans');
    const cteCell = cte.icicle.cells.find((c) => c.label === 'HashAggregate')!;
    const scanCell = cte.icicle.cells.find((c) => c.label === 'CTE Scan on totals b')!;
    assert.equal(cteCell.depth, scanCell.depth + 1, 'the CTE hangs under the scan that read it most');
  });

  it('shows costs when the plan was not executed', () => {
    const model = buildViewModel(enriched('no-analyze-join'), []);
    assert.equal(model.metric, 'cost');
    assert.equal(model.analyzed, false);
    assert.match(model.nodes[0]!.inclusive, /^\d{1,3}(,\d{3})*\.\d\d$/);
    assert.equal(model.nodes[0]!.rows.actual, undefined);
    assert.equal(model.nodes[0]!.flags.slow, undefined);
  });

  it('builds the model of a 1,000+ node plan', () => {
    const leaf = (i: number) => ({ 'Node Type': 'Seq Scan', 'Parent Relationship': 'Member', 'Relation Name': `part_${i}`, Alias: `part_${i}`, 'Total Cost': 10, 'Plan Rows': 10, 'Plan Width': 4, 'Actual Total Time': 0.01, 'Actual Rows': 10, 'Actual Loops': 1, Filter: '(x = 1)', 'Rows Removed by Filter': 5 });
    const result = analysePlan({ Plan: { 'Node Type': 'Append', 'Total Cost': 12000, 'Plan Rows': 12000, 'Actual Total Time': 15, 'Actual Rows': 12000, 'Actual Loops': 1, Plans: Array.from({ length: 1200 }, (_, i) => leaf(i)) }, 'Execution Time': 16 });
    assert.equal(result.view.nodes.length, 1201);
    assert.equal(result.view.icicle.cells.length, 1201);
    assert.equal(result.text.split('\n').filter((l) => l.includes('->  Seq Scan')).length, 1200);
  });
});

import assert from 'node:assert/strict';
import { helps, measurePlan, MIN_COST_DROP, percent, type PlanMeasure } from '../../../src/core/advice/verdict';

/** A FORMAT JSON output as PostgreSQL returns it, trimmed to what the verdict reads. */
const SEQ_SCAN = [{ Plan: { 'Node Type': 'Seq Scan', 'Relation Name': 'orders', 'Total Cost': 3789.0 }, 'Planning Time': 0.1, 'Execution Time': 21.5 }];
const WITH_INDEX = [{
  Plan: {
    'Node Type': 'Nested Loop', 'Total Cost': 16.9,
    Plans: [
      { 'Node Type': 'Index Scan', 'Index Name': '<13573>btree_orders_note', 'Total Cost': 8.4 },
      { 'Node Type': 'Bitmap Heap Scan', 'Total Cost': 8.4, Plans: [{ 'Node Type': 'Bitmap Index Scan', 'Index Name': 'customers_pkey', 'Total Cost': 4.3 }] },
    ],
  },
}];

function m(totalCost: number, indexes: string[] = []): PlanMeasure {
  return { totalCost, indexes };
}

describe('index advice: the verdict', () => {
  it('reads the total cost, the execution time and every index a plan uses', () => {
    assert.deepEqual(measurePlan(SEQ_SCAN), { totalCost: 3789, timeMs: 21.5, indexes: [] });
    assert.deepEqual(measurePlan(WITH_INDEX), { totalCost: 16.9, indexes: ['<13573>btree_orders_note', 'customers_pkey'] });
    assert.equal(measurePlan([]), undefined);
    assert.equal(measurePlan([{ Plan: { 'Node Type': 'Result' } }]), undefined);
    assert.equal(measurePlan('nonsense'), undefined);
  });

  it('helps when the index is used and the cost drops by at least the threshold', () => {
    const v = helps(m(3789), m(16.9, ['orders_note_idx']), 'orders_note_idx');
    assert.equal(v.helps, true);
    assert.ok(Math.abs(v.costChange - (16.9 - 3789) / 3789) < 1e-12);
    assert.equal(v.why, undefined);
  });

  it('is exact at the threshold: a 20 % drop helps, 19.9 % does not', () => {
    assert.equal(MIN_COST_DROP, 0.2);
    assert.equal(helps(m(100), m(80, ['i']), 'i').helps, true);
    const small = helps(m(100), m(80.1, ['i']), 'i');
    assert.equal(small.helps, false);
    assert.match(small.why ?? '', /drops by 19\.9 %, less than the 20 %/);
  });

  it('does not help when the planner leaves the index out, even if the cost moved', () => {
    const v = helps(m(100), m(10, ['other_idx']), 'orders_note_idx');
    assert.equal(v.helps, false);
    assert.equal(v.usesIndex, false);
    assert.match(v.why ?? '', /does not use the index/);
  });

  it('does not help when the cost rises, and survives a zero cost', () => {
    assert.equal(helps(m(100), m(150, ['i']), 'i').helps, false);
    assert.equal(helps(m(0), m(0, ['i']), 'i').helps, false);
  });

  it('prints percentages with at most one decimal', () => {
    assert.equal(percent(0.995), '99.5 %');
    assert.equal(percent(-1), '-100 %');
    assert.equal(percent(0.053), '5.3 %');
    assert.equal(percent(0.8734), '87.3 %');
    assert.equal(percent(-0.42), '-42 %');
    assert.equal(percent(0), '0 %');
  });
});

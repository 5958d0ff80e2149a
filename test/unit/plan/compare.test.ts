import * as assert from 'node:assert/strict';
import { comparePlans } from '../../../src/core/plan/compare';
import { enrichPlan } from '../../../src/core/plan/enrich';
import { parseExplain } from '../../../src/core/plan/parse';
import { enriched, rawFixture } from './fixtures';

describe('plan comparison', () => {
  it('matches a plan with itself node for node, with no change', () => {
    const plan = enriched('cte-scans');
    const result = comparePlans(plan, plan);
    assert.equal(result.nodes.length, plan.nodes.length);
    assert.ok(result.nodes.every((n) => n.change === 'same' && n.delta === 0 && n.beforeId === n.afterId));
    assert.match(result.summary[0]!, /^Execution time .* → .* \(unchanged\)\.$/);
  });

  it('sees a sequential scan replaced by an index scan, with the time and pages saved', () => {
    const before = enriched('seq-scan-filter');
    const after = enriched('healthy-pk-lookup');
    const result = comparePlans(before, after);
    assert.equal(result.metric, 'time');
    assert.deepEqual(result.nodes.map((n) => [n.change, n.beforeLabel, n.label]), [['changed', 'Seq Scan on users', 'Index Scan using users_pkey on users']]);
    assert.ok(result.nodes[0]!.delta! < 0);
    assert.match(result.summary[0]!, /× faster\)\.$/);
    assert.ok(result.summary.includes('Seq Scan on users became Index Scan using users_pkey on users.'));
    assert.ok(result.summary.some((l) => /^Pages read 2,858 → 4\.$/.test(l)));
    assert.ok(result.summary.includes('Rows read and thrown away 199,999 → 0.'));
  });

  it('lists nodes that appeared or disappeared', () => {
    const result = comparePlans(enriched('healthy-pk-lookup'), enriched('healthy-join'));
    const changes = result.nodes.map((n) => n.change);
    assert.deepEqual(changes.filter((c) => c === 'added').length, 2);
    assert.ok(result.summary.some((l) => l.startsWith('New: ')));
    assert.ok(result.summary.includes('Plan nodes 1 → 3.'));
    const back = comparePlans(enriched('healthy-join'), enriched('healthy-pk-lookup'));
    assert.equal(back.nodes.filter((n) => n.change === 'removed').length, 2);
    assert.ok(back.summary.some((l) => l.startsWith('Gone: ')));
  });

  it('pairs children at the same position when their operation and relation both changed', () => {
    const result = comparePlans(enriched('disk-sort'), enriched('stale-statistics'));
    assert.deepEqual(result.nodes.map((n) => n.change), ['same', 'changed']);
    assert.ok(result.summary.includes('Seq Scan on users became Index Scan using events_kind_idx on events e.'));
  });

  it('matches the sides of a join that swapped places', () => {
    const before = enriched('hash-batches');
    const swapped = rawFixture('hash-batches')[0] as { Plan: { Plans: Array<{ Plans: unknown[] }> } };
    swapped.Plan.Plans[0]!.Plans.reverse();
    const after = enrichPlan(parseExplain(swapped));
    const result = comparePlans(before, after);
    assert.ok(result.nodes.every((n) => n.change === 'same'), JSON.stringify(result.nodes.map((n) => [n.change, n.label])));
    const scan = result.nodes.find((n) => n.label === 'Seq Scan on orders o')!;
    assert.equal(before.nodes[scan.beforeId!]!.label, after.nodes[scan.afterId!]!.label);
    assert.notEqual(scan.beforeId, scan.afterId);
  });

  it('compares costs when either plan has no timing', () => {
    const result = comparePlans(enriched('no-analyze-join'), enriched('hash-batches'));
    assert.equal(result.metric, 'cost');
    assert.match(result.summary[0]!, /^Total cost /);
  });
});

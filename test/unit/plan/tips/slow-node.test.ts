import * as assert from 'node:assert/strict';
import { slowNode } from '../../../../src/core/plan/tips/slow-node';
import { HEALTHY, enriched, evaluate, evaluateFixture } from './helpers';

describe('tip slow-node', () => {
  it('names the node holding most of the time, with its share', () => {
    const tips = evaluateFixture(slowNode, 'seq-scan-filter');
    assert.equal(tips.length, 1);
    assert.equal(tips[0]!.severity, 'critical');
    assert.match(tips[0]!.message, /^Seq Scan on users takes [\d.]+ ms of its own, 9\d\.\d% of the execution time\.$/);
    assert.equal(tips[0]!.estimatedSavingMs, null);
  });

  it('bands exclusive-time shares at 10, 40 and 90%', () => {
    const plan = enriched('hash-batches');
    const expected = plan.nodes.map((n) => (n.exclusiveMs! < 1 ? undefined : n.share >= 0.9 ? 'critical' : n.share >= 0.4 ? 'warning' : n.share >= 0.1 ? 'info' : undefined));
    const tips = evaluate(slowNode, plan);
    assert.deepEqual(tips.map((t) => [t.nodeId, t.severity]), expected.flatMap((s, id) => (s ? [[id, s]] : [])));
    assert.ok(tips.some((t) => t.severity === 'warning') && tips.some((t) => t.severity === 'info'));
  });

  it('stays quiet on fast statements and plans without timing', () => {
    for (const name of [...HEALTHY, 'no-analyze-join']) assert.deepEqual(evaluateFixture(slowNode, name), [], name);
  });
});

import assert from 'node:assert/strict';
import { bandOf, DEFAULT_SLOW_THRESHOLDS, normaliseThresholds } from '../../../src/core/stats/thresholds';

describe('stats/thresholds', () => {
  it('defaults to warning at 100 ms, critical at 500 ms, emergency at 1000 ms', () => {
    assert.deepEqual(DEFAULT_SLOW_THRESHOLDS, { warningMs: 100, criticalMs: 500, emergencyMs: 1000 });
  });

  const edges: ReadonlyArray<readonly [number | null, string]> = [
    [null, 'none'],
    [Number.NaN, 'none'],
    [0, 'ok'],
    [99.999, 'ok'],
    [100, 'warning'],
    [499.9, 'warning'],
    [500, 'critical'],
    [999.99, 'critical'],
    [1000, 'emergency'],
    [86_400_000, 'emergency'],
  ];
  for (const [mean, band] of edges) {
    it(`a mean of ${String(mean)} ms is ${band}`, () => assert.equal(bandOf(mean), band));
  }

  it('applies thresholds from settings', () => {
    const t = normaliseThresholds({ warningMs: 5, criticalMs: 50, emergencyMs: 200 });
    assert.equal(bandOf(4, t), 'ok');
    assert.equal(bandOf(5, t), 'warning');
    assert.equal(bandOf(50, t), 'critical');
    assert.equal(bandOf(200, t), 'emergency');
  });

  it('repairs unusable settings: missing, negative or text values take the default; bands stay ordered', () => {
    assert.deepEqual(normaliseThresholds({}), DEFAULT_SLOW_THRESHOLDS);
    assert.deepEqual(normaliseThresholds({ warningMs: -1, criticalMs: '300', emergencyMs: Number.POSITIVE_INFINITY }), DEFAULT_SLOW_THRESHOLDS);
    assert.deepEqual(normaliseThresholds({ warningMs: 800, criticalMs: 200 }), { warningMs: 800, criticalMs: 800, emergencyMs: 1000 });
    assert.deepEqual(normaliseThresholds({ warningMs: 2000 }), { warningMs: 2000, criticalMs: 2000, emergencyMs: 2000 });
  });
});

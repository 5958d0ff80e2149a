import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_THRESHOLDS, THRESHOLD_SPECS } from '../../../src/core/health';
import { healthSettings } from '../../../src/core/health/reportSettings';

describe('health settings', () => {
  it('uses the defaults when nothing is set', () => {
    const s = healthSettings({});
    assert.deepEqual(s.thresholds, DEFAULT_THRESHOLDS);
    assert.equal(s.concurrency, 3);
    assert.deepEqual(s.problems, []);
  });

  it('applies overrides by name and keeps the other defaults', () => {
    const s = healthSettings({ thresholds: { cacheHitWarningPercent: 95, unusedIndexMinBytes: 0 }, concurrency: 5 });
    assert.equal(s.thresholds.cacheHitWarningPercent, 95);
    assert.equal(s.thresholds.unusedIndexMinBytes, 0);
    assert.equal(s.thresholds.cacheHitCriticalPercent, DEFAULT_THRESHOLDS.cacheHitCriticalPercent);
    assert.equal(s.concurrency, 5);
    assert.deepEqual(s.problems, []);
  });

  it('ignores unknown names, bad values and a non-object, and says why', () => {
    const s = healthSettings({ thresholds: { cachHitWarningPercent: 1, bloatWarningPercent: -1, longRunningWarningSeconds: '30' }, concurrency: 0 });
    assert.deepEqual(s.thresholds, DEFAULT_THRESHOLDS);
    assert.equal(s.concurrency, 3);
    assert.equal(s.problems.length, 4);
    assert.match(s.problems[0]!, /Unknown health threshold "cachHitWarningPercent"/);
    assert.match(s.problems[3]!, /concurrency must be a whole number from 1 to 10/);
    assert.match(healthSettings({ thresholds: [1, 2] }).problems[0]!, /must be an object/);
  });

  it('declares every threshold in the settings schema with its default', () => {
    const manifest = JSON.parse(readFileSync(join(__dirname, '../../../../package.json'), 'utf8')) as {
      contributes: { configuration: { properties: Record<string, { properties?: Record<string, { default?: number }> }> } };
    };
    const declared = manifest.contributes.configuration.properties['pgInsight.health.thresholds']?.properties ?? {};
    assert.deepEqual(Object.keys(declared).sort(), Object.keys(THRESHOLD_SPECS).sort());
    for (const [name, spec] of Object.entries(THRESHOLD_SPECS)) assert.equal(declared[name]?.default, spec.default, name);
  });
});

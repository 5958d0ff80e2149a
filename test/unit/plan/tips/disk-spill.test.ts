import * as assert from 'node:assert/strict';
import { diskSpill } from '../../../../src/core/plan/tips/disk-spill';
import { HEALTHY, enriched, evaluateFixture } from './helpers';

describe('tip disk-spill', () => {
  it('fires on a sort that went to disk, with a work_mem above what it wrote', () => {
    const [t] = evaluateFixture(diskSpill, 'disk-sort');
    assert.equal(t!.severity, 'critical');
    assert.match(t!.message, /^Sort went to disk \(external merge, 10\.0 MB\), with work_mem = 64kB; the operation takes \d+\.\d% of the time\.$/);
    assert.equal(t!.action.sql, "SET work_mem = '32MB';");
    const sort = enriched('disk-sort').nodes[0]!;
    const tempIo = sort.io!.exclusive.tempRead + sort.io!.exclusive.tempWrite;
    assert.equal(t!.estimatedSavingMs, Math.max(tempIo, sort.exclusiveMs! * 0.5));
  });

  it('fires on a hash split into batches, mentioning hash_mem_multiplier', () => {
    const [t] = evaluateFixture(diskSpill, 'hash-batches');
    assert.equal(enriched('hash-batches').nodes[t!.nodeId!]!.nodeType, 'Hash');
    assert.match(t!.message, /split its hash table into 32 batches of 374\.0 kB, with work_mem = 256kB/);
    assert.match(t!.action.text, /hash_mem_multiplier/);
    assert.equal(t!.action.sql, "SET work_mem = '32MB';");
  });

  it('fires on a hash aggregate that wrote to disk', () => {
    const [t] = evaluateFixture(diskSpill, 'hashagg-spill');
    assert.match(t!.message, /HashAggregate wrote 7\.0 MB to disk in 81 batches/);
    assert.equal(t!.action.sql, "SET work_mem = '16MB';");
  });

  it('assumes the default work_mem when the plan does not list it', () => {
    const [t] = evaluateFixture(diskSpill, 'stale-statistics');
    assert.match(t!.message, /with work_mem = 4MB \(the default\)/);
    assert.equal(t!.action.sql, "SET work_mem = '8MB';");
  });

  it('stays quiet when everything fits in memory', () => {
    for (const name of [...HEALTHY, 'parallel-scan', 'cte-scans']) assert.deepEqual(evaluateFixture(diskSpill, name), [], name);
  });
});

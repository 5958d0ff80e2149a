import * as assert from 'node:assert/strict';
import { lossyBitmap } from '../../../../src/core/plan/tips/lossy-bitmap';
import { HEALTHY, at, enriched, evaluate, evaluateFixture, variant } from './helpers';

describe('tip lossy-bitmap', () => {
  it('fires on lossy heap blocks, sizing work_mem from the blocks', () => {
    const [t] = evaluateFixture(lossyBitmap, 'lossy-bitmap');
    assert.equal(t!.severity, 'critical');
    assert.match(t!.message, /kept 1,548 of 2,206 heap blocks \(70\.2%\) as whole pages, and rechecking them discarded 150,381 rows\./);
    assert.match(t!.action.text, /it is 64kB now/);
    assert.equal(t!.action.sql, "SET work_mem = '8MB';");
    const node = enriched('lossy-bitmap').nodes[1]!;
    const share = 150381 / (node.rows.actualTotal! + 150381);
    assert.ok(Math.abs(t!.estimatedSavingMs! - node.exclusiveMs! * share) < 1e-9);
  });

  it('bands the lossy share of blocks: any, 10%, 50%', () => {
    const lossy = (exact: number, lossyBlocks: number) => variant('lossy-bitmap', (e) => { const n = at(e.Plan, 0); n['Exact Heap Blocks'] = exact; n['Lossy Heap Blocks'] = lossyBlocks; });
    assert.deepEqual(evaluate(lossyBitmap, lossy(2206, 0)), []);
    assert.deepEqual(evaluate(lossyBitmap, lossy(2000, 10)).map((t) => t.severity), ['info']);
    assert.deepEqual(evaluate(lossyBitmap, lossy(1500, 706)).map((t) => t.severity), ['warning']);
  });

  it('stays quiet without bitmaps', () => {
    for (const name of HEALTHY) assert.deepEqual(evaluateFixture(lossyBitmap, name), [], name);
  });
});

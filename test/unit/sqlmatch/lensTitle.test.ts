import assert from 'node:assert/strict';
import { lensTitle, sumFigures } from '../../../src/core/sqlmatch';

describe('sqlmatch/lensTitle', () => {
  it('shows calls, mean and share of database time', () => {
    assert.equal(lensTitle({ calls: 12_340, totalMs: 12_340 * 23.1, pctOfTotal: 9.2 }, false), '12,340 calls · mean 23.1 ms · 9 % of DB time');
    assert.equal(lensTitle({ calls: 1, totalMs: 0.25, pctOfTotal: 0.04 }, false), '1 call · mean 0.250 ms · <0.1 % of DB time');
    assert.equal(lensTitle({ calls: 3, totalMs: 4500, pctOfTotal: null }, true), '≈ 3 calls · mean 1.50 s');
  });

  it('sums the entries one site matches', () => {
    assert.deepEqual(sumFigures([{ calls: 2, totalMs: 10, pctOfTotal: 1 }, { calls: 3, totalMs: 5, pctOfTotal: null }]), { calls: 5, totalMs: 15, pctOfTotal: 1 });
    assert.deepEqual(sumFigures([]), { calls: 0, totalMs: 0, pctOfTotal: null });
  });
});

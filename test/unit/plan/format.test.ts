import * as assert from 'node:assert/strict';
import { formatBlocks, formatBytes, formatCompact, formatCost, formatCount, formatDuration, formatFactor, formatShare } from '../../../src/core/plan/format';
import { quoteIdent, settingToKb, suggestWorkMem } from '../../../src/core/plan/sql';

describe('plan number formatting and SQL helpers', () => {
  it('formats durations by magnitude', () => {
    assert.deepEqual([0.0421, 3.214, 45.61, 1234, 125_000].map(formatDuration), ['0.042 ms', '3.21 ms', '45.6 ms', '1.23 s', '2 min 5 s']);
  });

  it('formats counts, bytes, shares, factors and costs without a locale', () => {
    assert.equal(formatCount(1234567), '1,234,567');
    assert.equal(formatCount(1913.5), '1,913.50');
    assert.equal(formatCompact(1_500_000), '1.5M');
    assert.equal(formatBytes(10232 * 1024), '10.0 MB');
    assert.equal(formatBytes(512), '512 B');
    assert.equal(formatBlocks(2858), '2,858 (22.3 MB)');
    assert.equal(formatShare(0.4521), '45.2%');
    assert.equal(formatShare(0.0004), '<0.1%');
    assert.equal(formatFactor(1000), '1,000×');
    assert.equal(formatFactor(2.46), '2.5×');
    assert.equal(formatCost(47079.641), '47,079.64');
  });

  it('quotes identifiers as quote_identifier() does', () => {
    assert.equal(quoteIdent('users'), 'users');
    assert.equal(quoteIdent('Users'), '"Users"');
    assert.equal(quoteIdent('order'), '"order"');
    assert.equal(quoteIdent('name'), 'name');
    assert.equal(quoteIdent('<script>"x"'), '"<script>""x"""');
  });

  it('reads memory settings and suggests a work_mem above the need', () => {
    assert.equal(settingToKb('64kB'), 64);
    assert.equal(settingToKb('4MB'), 4096);
    assert.equal(settingToKb('1GB'), 1024 * 1024);
    assert.equal(settingToKb('fast'), undefined);
    assert.equal(suggestWorkMem(10232, 64), '32MB');
    assert.equal(suggestWorkMem(100, 4096), '8MB');
    assert.equal(suggestWorkMem(600_000, 4096), '2GB');
  });
});

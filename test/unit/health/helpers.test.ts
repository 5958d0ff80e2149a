import assert from 'node:assert/strict';
import { formatBytes, formatDuration, formatPercent } from '../../../src/core/health/format';
import { qualified, quoteIdent, quoteLiteral } from '../../../src/core/health/ident';
import { num, num0, bool, str } from '../../../src/core/health/rows';
import { isReadingStatement, mentionsTable } from '../../../src/core/health/statements';
import { neededPrivileges, resultStatus, severityRank } from '../../../src/core/health/outcome';
import { summarize } from '../../../src/core/health/summary';
import { DEFAULT_THRESHOLDS, resolveThresholds, THRESHOLD_SPECS } from '../../../src/core/health/thresholds';
import type { CheckResult } from '../../../src/core/health/types';

describe('health thresholds', () => {
  it('has the documented defaults', () => {
    assert.equal(DEFAULT_THRESHOLDS.cacheHitWarningPercent, 99);
    assert.equal(DEFAULT_THRESHOLDS.cacheHitCriticalPercent, 40);
    assert.equal(DEFAULT_THRESHOLDS.connectionsWarningPercent, 80);
    assert.equal(DEFAULT_THRESHOLDS.longRunningWarningSeconds, 60);
    assert.equal(DEFAULT_THRESHOLDS.unusedIndexMinBytes, 10 * 1024 * 1024);
    assert.equal(DEFAULT_THRESHOLDS.bloatWarningPercent, 20);
    assert.deepEqual([DEFAULT_THRESHOLDS.slowQueryInfoMs, DEFAULT_THRESHOLDS.slowQueryWarningMs, DEFAULT_THRESHOLDS.slowQueryCriticalMs], [100, 500, 1000]);
    assert.equal(Object.keys(DEFAULT_THRESHOLDS).length, Object.keys(THRESHOLD_SPECS).length);
  });

  it('applies valid overrides and reports the others without applying them', () => {
    const { thresholds, problems } = resolveThresholds({ bloatWarningPercent: 30, cacheHitWarningPercent: -1, longRunningWarningSeconds: '90', typo: 1 });
    assert.equal(thresholds.bloatWarningPercent, 30);
    assert.equal(thresholds.cacheHitWarningPercent, 99);
    assert.equal(thresholds.longRunningWarningSeconds, 60);
    assert.deepEqual(problems, [
      'Health threshold "cacheHitWarningPercent" must be a non-negative number; the default 99 is used.',
      'Health threshold "longRunningWarningSeconds" must be a non-negative number; the default 60 is used.',
      'Unknown health threshold "typo" was ignored.',
    ]);
  });
});

describe('health formatting', () => {
  it('formats bytes, durations and percentages for sentences', () => {
    assert.deepEqual([0, 1023, 1536, 10 * 1024 ** 2, 123 * 1024 ** 3].map(formatBytes), ['0 B', '1023 B', '1.5 kB', '10 MB', '123 GB']);
    assert.deepEqual([0.4, 59, 90, 3600, 5400, 86400, 200000].map(formatDuration), ['0 s', '59 s', '1 min 30 s', '1 h', '1 h 30 min', '1 day', '2 days 7 h']);
    assert.deepEqual([0, 0.012, 99.456, 100].map(formatPercent), ['0 %', '0.01 %', '99.5 %', '100 %']);
  });

  it('quotes identifiers only when needed', () => {
    assert.deepEqual(['orders', 'Orders', 'user', 'order_items2', 'a"b', '2fa'].map(quoteIdent), ['orders', '"Orders"', '"user"', 'order_items2', '"a""b"', '"2fa"']);
    assert.equal(qualified('Sales', 'orders'), '"Sales".orders');
    assert.equal(quoteLiteral("it's"), "'it''s'");
  });

  it('reads driver values whatever their JavaScript type', () => {
    assert.deepEqual([num('12'), num(3), num(BigInt(5)), num(null), num('x'), num('NaN'), num0(undefined)], [12, 3, 5, null, null, null, 0]);
    assert.deepEqual([bool(true), bool('t'), bool('f'), bool(null)], [true, true, false, false]);
    assert.deepEqual([str(null), str(7), str(new Date(0))], [null, '7', '1970-01-01T00:00:00.000Z']);
  });
});

describe('statements touching a table', () => {
  it('matches the table as a whole word, bare, qualified or quoted', () => {
    assert.ok(mentionsTable('SELECT * FROM orders WHERE id = $1', 'public', 'orders'));
    assert.ok(mentionsTable('select * from public.orders o', 'public', 'orders'));
    assert.ok(mentionsTable('UPDATE "Orders" SET x = $1', 'public', 'Orders'));
    assert.ok(mentionsTable('SELECT 1 FROM a JOIN orders ON true', 'public', 'orders'));
    assert.ok(!mentionsTable('SELECT * FROM orders_archive', 'public', 'orders'));
    assert.ok(!mentionsTable('SELECT * FROM archive.orders', 'public', 'orders'));
    assert.ok(!mentionsTable('SELECT orders_count FROM stats', 'public', 'orders'));
  });

  it('keeps reading statements and leaves out inserts and utility statements', () => {
    assert.deepEqual(
      ['SELECT 1', '  /* app */ WITH x AS (SELECT 1) SELECT 1', 'update t set a = 1', 'DELETE FROM t', 'INSERT INTO t VALUES (1)', 'CREATE INDEX i ON t (a)', 'ANALYZE t'].map(isReadingStatement),
      [true, true, true, true, false, false, false],
    );
  });
});

describe('result status', () => {
  const needs = { reason: 'Hidden.', needs: 'pg_read_all_stats' };
  const detail = { reason: 'A breakdown is partial.' };

  it('is limited, never OK, when a missing privilege hid part of what the check judges', () => {
    assert.equal(resultStatus('ok', [needs]), 'limited');
    assert.equal(resultStatus('info', [detail, needs]), 'limited');
    assert.equal(resultStatus('ok', [detail]), 'ok');
    assert.equal(resultStatus('ok', []), 'ok');
  });

  it('keeps a warning or worse: what was seen is already worth acting on', () => {
    assert.equal(resultStatus('warning', [needs]), 'warning');
    assert.equal(resultStatus('critical', [needs]), 'critical');
  });

  it('ranks limited above information and below a warning, and names each privilege once', () => {
    assert.ok(severityRank('limited') > severityRank('info'));
    assert.ok(severityRank('limited') < severityRank('warning'));
    assert.deepEqual(neededPrivileges([needs, detail, { reason: 'Also hidden.', needs: 'pg_read_all_stats' }, { reason: 'x', needs: 'pg_stat_scan_tables' }]), ['pg_read_all_stats', 'pg_stat_scan_tables']);
  });
});

describe('report summary', () => {
  const result = (id: string, status: CheckResult['status'], findings: CheckResult['findings'] = []): CheckResult => ({
    id, title: id, category: 'performance', level: 'table', status, summary: '', findings, details: [], limitations: [], sql: [], durationMs: 0,
  });

  it('counts results by status and puts the worst findings first', () => {
    const summary = summarize([
      result('a', 'warning', [{ severity: 'warning', object: 'w1', message: '' }, { severity: 'info', object: 'i1', message: '' }]),
      result('b', 'critical', [{ severity: 'critical', object: 'c1', message: '' }]),
      result('c', 'error'),
      result('d', 'skipped'),
      result('e', 'ok'),
    ]);
    assert.deepEqual(summary.counts, { ok: 1, info: 0, limited: 0, warning: 1, critical: 1, skipped: 1, error: 1 });
    assert.equal(summary.worst, 'critical');
    assert.deepEqual(summary.topFindings.map((f) => [f.checkId, f.object]), [['b', 'c1'], ['a', 'w1']]);
  });
});

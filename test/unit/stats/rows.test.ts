import assert from 'node:assert/strict';
import { statementRowsFrom, statsInfoFrom } from '../../../src/core/stats/rows';
import { meanSeries } from '../../../src/core/stats/sparkline';
import { MIN, T0, row, snap } from './fixtures';

describe('stats/rows', () => {
  it('converts what the driver returns: numbers as text, NULL for what the version lacks, dates', () => {
    const [r] = statementRowsFrom([
      { queryid: '-4242', dbid: '5', userid: 10, toplevel: null, database: 'shop', user: 'app', query: 'SELECT $1', calls: '12', totalExecMs: 30.5, walBytes: '4096', tempBlkReadMs: null, meanExecMs: 2.5, statsSince: '2026-01-15T12:00:00Z' },
    ]);
    assert.ok(r);
    assert.equal(r.key, '-4242/5/10/t');
    assert.equal(r.toplevel, true, 'no toplevel column before 14: top level');
    assert.equal(r.counters.calls, 12);
    assert.equal(r.counters.walBytes, 4096);
    assert.equal(r.counters.tempBlkReadMs, null);
    assert.equal(r.counters.jitMs, null, 'a field the row does not carry is null');
    assert.equal(r.gauges.meanExecMs, 2.5);
    assert.equal(r.statsSince, T0);
    assert.equal(r.hidden, false);
  });

  it('merges the hidden entries of each role and database, summing what can be summed', () => {
    const hidden = (userid: number, calls: number, total: number, min: number, max: number) => ({ queryid: null, dbid: 5, userid, toplevel: true, query: '<insufficient privilege>', calls, totalExecMs: total, minExecMs: min, maxExecMs: max, meanExecMs: total / calls, stddevExecMs: 1 });
    const rows = statementRowsFrom([hidden(20, 2, 10, 1, 8), { queryid: '1', dbid: 5, userid: 10, query: 'SELECT 1', calls: 1, totalExecMs: 1 }, hidden(20, 3, 50, 2, 30), hidden(21, 1, 4, 4, 4)]);
    assert.deepEqual(rows.map((r) => [r.key, r.entries]), [['1/5/10/t', 1], ['hidden/5/20/t', 2], ['hidden/5/21/t', 1]]);
    const merged = rows[1]!;
    assert.equal(merged.hidden, true);
    assert.equal(merged.counters.calls, 5);
    assert.equal(merged.counters.totalExecMs, 60);
    assert.deepEqual(merged.gauges, { minExecMs: 1, maxExecMs: 30, meanExecMs: 12, stddevExecMs: null });
  });

  it('redacts credentials that statement texts quote, and keeps parameters', () => {
    const texts = [
      "ALTER ROLE app PASSWORD 'hunter2-x'",
      "CREATE SUBSCRIPTION s CONNECTION 'host=primary password=hunter2-x' PUBLICATION p",
      "SELECT dblink_connect('postgres://app:hunter2-x@primary/shop')",
    ];
    const rows = statementRowsFrom(texts.map((query, i) => ({ queryid: String(i + 1), dbid: 5, userid: 10, database: 'shop', user: 'app', query, calls: 1, totalExecMs: 1 })));
    for (const r of rows) assert.ok(!r.query.includes('hunter2-x'), r.query);
    assert.deepEqual(rows.map((r) => r.query), [
      "ALTER ROLE app PASSWORD '***'",
      "CREATE SUBSCRIPTION s CONNECTION 'host=primary password=***' PUBLICATION p",
      "SELECT dblink_connect('postgres://app:***@primary/shop')",
    ]);
    const normalised = 'SELECT id FROM users WHERE password = crypt($1, password)';
    assert.equal(statementRowsFrom([{ queryid: '9', dbid: 5, userid: 10, query: normalised, calls: 1, totalExecMs: 1 }])[0]?.query, normalised);
  });

  it('reads pg_stat_statements_info, or nothing before 14', () => {
    assert.deepEqual(statsInfoFrom({ statsReset: new Date(T0), dealloc: '3' }), { statsReset: T0, dealloc: 3 });
    assert.deepEqual(statsInfoFrom({ statsReset: null, dealloc: null }), { statsReset: null, dealloc: null });
  });
});

describe('stats/sparkline', () => {
  it('gives the mean of each interval, with gaps where a statement did not run or did not exist', () => {
    const list = [
      snap(T0, [row({ id: '1', calls: 10, totalMs: 100 })]),
      snap(T0 + MIN, [row({ id: '1', calls: 20, totalMs: 300 })]),
      snap(T0 + 2 * MIN, [row({ id: '1', calls: 20, totalMs: 300 }), row({ id: '2', calls: 4, totalMs: 8 })]),
      snap(T0 + 3 * MIN, [row({ id: '1', calls: 25, totalMs: 800 }), row({ id: '2', calls: 6, totalMs: 12 })]),
    ];
    const { times, series } = meanSeries(list);
    assert.deepEqual(times, [T0 + MIN, T0 + 2 * MIN, T0 + 3 * MIN]);
    assert.deepEqual(series.get(list[3]!.rows[0]!.key), [20, null, 100]);
    assert.deepEqual(series.get(list[3]!.rows[1]!.key), [null, 2, 2]);
  });

  it('after a reset of all statistics the interval counts from the reset', () => {
    const list = [snap(T0, [row({ id: '1', calls: 100, totalMs: 100 })]), snap(T0 + MIN, [row({ id: '1', calls: 2, totalMs: 50 })], { statsReset: T0 + 30_000 })];
    assert.deepEqual(meanSeries(list).series.get(list[1]!.rows[0]!.key), [25]);
  });

  it('keeps the newest points only', () => {
    const list = Array.from({ length: 50 }, (_, i) => snap(T0 + i * MIN, [row({ id: '1', calls: i * 2, totalMs: i * i })]));
    const { times, series } = meanSeries(list, { maxPoints: 10 });
    assert.equal(times.length, 10);
    assert.equal(times[9], T0 + 49 * MIN);
    // Interval 48 -> 49: (49² - 48²) / 2 = 48.5 ms per call.
    assert.equal(series.get(list[49]!.rows[0]!.key)?.[9], 48.5);
  });
});

import assert from 'node:assert/strict';
import { windowStats, type QueryStat } from '../../../src/core/stats/deltas';
import { chooseWindow, describeWindow } from '../../../src/core/stats/windows';
import { MIN, T0, row, snap } from './fixtures';

function byId(rows: readonly QueryStat[], id: string): QueryStat {
  const r = rows.find((x) => x.queryid === id);
  assert.ok(r, `no row for queryid ${id}`);
  return r;
}

describe('stats/deltas', () => {
  it('subtracts the base snapshot: calls, time, mean, per minute and share of the total', () => {
    const base = snap(T0, [row({ id: '1', calls: 100, totalMs: 1_000 }), row({ id: '2', calls: 10, totalMs: 5_000 })]);
    const latest = snap(T0 + 2 * MIN, [row({ id: '1', calls: 160, totalMs: 1_900 }), row({ id: '2', calls: 12, totalMs: 5_300 })]);
    const w = windowStats([base, latest], 'last')!;
    assert.equal(w.spanMs, 2 * MIN);
    assert.equal(w.shorterThanAsked, false);
    assert.equal(w.totalMs, 1_200);
    const a = byId(w.rows, '1');
    assert.equal(a.status, 'steady');
    assert.equal(a.calls, 60);
    assert.equal(a.totalMs, 900);
    assert.equal(a.meanMs, 15);
    assert.equal(a.callsPerMin, 30);
    assert.equal(a.msPerMin, 450);
    assert.equal(a.pctOfTotal, 75);
    assert.equal(a.lifetimeCalls, 160);
    const b = byId(w.rows, '2');
    assert.equal(b.meanMs, 150);
    assert.equal(b.band, 'warning');
    assert.equal(b.pctOfTotal, 25);
  });

  it('a statement missing from the base is new, and all its counts belong to the window', () => {
    const base = snap(T0, [row({ id: '1', calls: 5, totalMs: 50 })]);
    const latest = snap(T0 + MIN, [row({ id: '1', calls: 5, totalMs: 50 }), row({ id: '9', calls: 3, totalMs: 2_400 })]);
    const w = windowStats([base, latest], 'last')!;
    const fresh = byId(w.rows, '9');
    assert.equal(fresh.status, 'new');
    assert.equal(fresh.calls, 3);
    assert.equal(fresh.meanMs, 800);
    assert.equal(fresh.band, 'critical');
    const idle = byId(w.rows, '1');
    assert.equal(idle.calls, 0);
    assert.equal(idle.meanMs, null);
    assert.equal(idle.band, 'none');
    assert.equal(idle.pctOfTotal, 0);
  });

  it('a statement gone from the newest snapshot is listed as vanished', () => {
    const gone = row({ id: '7', calls: 1, totalMs: 1 });
    const w = windowStats([snap(T0, [gone, row({ id: '1', calls: 1, totalMs: 1 })]), snap(T0 + MIN, [row({ id: '1', calls: 2, totalMs: 2 })])], 'last')!;
    assert.deepEqual(w.vanished, [gone.key]);
    assert.deepEqual(w.rows.map((r) => r.queryid), ['1']);
  });

  it('a reset of all statistics between the snapshots makes the window start at the reset', () => {
    const base = snap(T0, [row({ id: '1', calls: 1_000, totalMs: 10_000 })]);
    const resetAt = T0 + 3 * MIN;
    const latest = snap(T0 + 5 * MIN, [row({ id: '1', calls: 40, totalMs: 200 })], { statsReset: resetAt });
    const w = windowStats([base, latest], 'last')!;
    assert.equal(w.resetInWindow, true);
    assert.equal(w.shorterThanAsked, true);
    assert.equal(w.fromMs, resetAt);
    assert.equal(w.spanMs, 2 * MIN);
    const r = byId(w.rows, '1');
    assert.equal(r.calls, 40);
    assert.equal(r.callsPerMin, 20);
    assert.equal(r.meanMs, 5);
    assert.match(describeWindow(chooseWindow([base, latest], 'last')!), /statistics were reset 2 min ago/);
  });

  it('without a reset time (PostgreSQL 13), a reset shows as counters going down: that entry restarts', () => {
    const base = snap(T0, [row({ id: '1', calls: 1_000, totalMs: 10_000 }), row({ id: '2', calls: 10, totalMs: 10 })], { statsReset: null });
    const latest = snap(T0 + MIN, [row({ id: '1', calls: 30, totalMs: 90 }), row({ id: '2', calls: 15, totalMs: 20 })], { statsReset: null });
    const w = windowStats([base, latest], 'last')!;
    const restarted = byId(w.rows, '1');
    assert.equal(restarted.status, 'restarted');
    assert.equal(restarted.calls, 30);
    assert.equal(restarted.meanMs, 3);
    assert.equal(byId(w.rows, '2').status, 'steady');
    assert.equal(byId(w.rows, '2').calls, 5);
  });

  it('a new stats_since (17+) means the entry was evicted and re-created, even with more calls than before', () => {
    const base = snap(T0, [row({ id: '1', calls: 10, totalMs: 100, statsSince: T0 - 10 * MIN })]);
    const latest = snap(T0 + MIN, [row({ id: '1', calls: 12, totalMs: 240, statsSince: T0 + 30_000 })]);
    const r = byId(windowStats([base, latest], 'last')!.rows, '1');
    assert.equal(r.status, 'restarted');
    assert.equal(r.calls, 12);
    assert.equal(r.meanMs, 20);
  });

  it('entries are told apart by queryid, database, role and top level', () => {
    const rows = [
      row({ id: '1', calls: 1, totalMs: 1 }),
      row({ id: '1', calls: 2, totalMs: 2, dbid: 6 }),
      row({ id: '1', calls: 3, totalMs: 3, userid: 11 }),
      row({ id: '1', calls: 4, totalMs: 4, toplevel: false }),
    ];
    assert.equal(new Set(rows.map((r) => r.key)).size, 4);
    const later = rows.map((r) => ({ ...r, counters: { ...r.counters, calls: (r.counters.calls ?? 0) + 1 } }));
    const w = windowStats([snap(T0, rows), snap(T0 + MIN, later)], 'last')!;
    assert.deepEqual(w.rows.map((r) => [r.calls, r.status]), [[1, 'steady'], [1, 'steady'], [1, 'steady'], [1, 'steady']]);
  });

  it('hit ratio, rows per call, temp blocks, WAL bytes and planning time over the window', () => {
    const base = snap(T0, [row({ id: '1', calls: 10, totalMs: 10, counters: { rows: 100, sharedBlksHit: 900, sharedBlksRead: 100, tempBlksWritten: 5, walBytes: 1_000, plans: 10, totalPlanMs: 5 } })]);
    const latest = snap(T0 + MIN, [row({ id: '1', calls: 20, totalMs: 30, counters: { rows: 300, sharedBlksHit: 1_800, sharedBlksRead: 200, tempBlksWritten: 25, walBytes: 5_096, plans: 14, totalPlanMs: 7 } })]);
    const r = byId(windowStats([base, latest], 'last')!.rows, '1');
    assert.equal(r.rowsPerCall, 20);
    assert.equal(r.hitRatio, 0.9);
    assert.equal(r.tempBlksWritten, 20);
    assert.equal(r.walBytes, 4_096);
    assert.equal(r.planMeanMs, 0.5);
  });

  it('what a version does not track stays null, never 0', () => {
    const untracked = { walBytes: null, tempBlkReadMs: null, plans: 0, totalPlanMs: 0, sharedBlksHit: 0, sharedBlksRead: 0 };
    const base = snap(T0, [row({ id: '1', calls: 1, totalMs: 1, counters: untracked })]);
    const latest = snap(T0 + MIN, [row({ id: '1', calls: 3, totalMs: 5, counters: untracked })]);
    const r = byId(windowStats([base, latest], 'last')!.rows, '1');
    assert.equal(r.walBytes, null);
    assert.equal(r.planMeanMs, null, 'no plans counted: planning is not tracked');
    assert.equal(r.hitRatio, null, 'no block access: no ratio');
  });

  it('flags PG Insight\'s own statements', () => {
    const w = windowStats([snap(T0, [row({ id: '1', calls: 1, totalMs: 1, query: 'SELECT /* pg-insight */ $1' }), row({ id: '2', calls: 1, totalMs: 1 })])], 'reset')!;
    assert.deepEqual(w.rows.map((r) => [r.queryid, r.own]), [['1', true], ['2', false]]);
  });

  it('uses the given thresholds for the bands', () => {
    const w = windowStats([snap(T0, [row({ id: '1', calls: 1, totalMs: 30 })])], 'reset', { thresholds: { warningMs: 10, criticalMs: 20, emergencyMs: 25 } })!;
    assert.equal(w.rows[0]?.band, 'emergency');
  });

  describe('windows', () => {
    const history = Array.from({ length: 71 }, (_, i) => snap(T0 + i * MIN, [row({ id: '1', calls: i * 10, totalMs: i * 100 })]));

    it('5 min and 1 h compare with the newest snapshot at least that old', () => {
      const five = chooseWindow(history, '5m')!;
      assert.equal(five.base?.takenAt, T0 + 65 * MIN);
      assert.equal(five.spanMs, 5 * MIN);
      assert.equal(five.shorterThanAsked, false);
      const hour = windowStats(history, '1h')!;
      assert.equal(hour.spanMs, 60 * MIN);
      assert.equal(hour.rows[0]?.calls, 600);
      assert.equal(hour.rows[0]?.callsPerMin, 10);
    });

    it('with less history than asked, the window starts at the oldest snapshot and says so', () => {
      const short = history.slice(0, 3);
      const w = chooseWindow(short, '1h')!;
      assert.equal(w.base?.takenAt, T0);
      assert.equal(w.spanMs, 2 * MIN);
      assert.equal(w.shorterThanAsked, true);
      assert.equal(describeWindow(w), 'last hour (only 2 min of history so far)');
    });

    it('with one snapshot, every window counts since the reset', () => {
      const one = [snap(T0, [row({ id: '1', calls: 120, totalMs: 600 })], { statsReset: T0 - 60 * MIN })];
      for (const window of ['last', '5m', '1h', 'reset'] as const) {
        const w = windowStats(one, window)!;
        assert.equal(w.fromMs, T0 - 60 * MIN, window);
        assert.equal(w.rows[0]?.calls, 120);
        assert.equal(w.rows[0]?.callsPerMin, 2);
        assert.equal(w.shorterThanAsked, window !== 'reset', window);
      }
      assert.match(describeWindow(chooseWindow(one, 'last')!), /no earlier snapshot yet/);
    });

    it('since reset without a known reset time (PostgreSQL 13) has no rates', () => {
      const w = windowStats([snap(T0, [row({ id: '1', calls: 10, totalMs: 10 })], { statsReset: null })], 'reset')!;
      assert.equal(w.spanMs, null);
      assert.equal(w.rows[0]?.callsPerMin, null);
      assert.equal(w.rows[0]?.meanMs, 1);
    });

    it('no snapshot, no figures', () => {
      assert.equal(windowStats([], 'last'), null);
    });
  });
});

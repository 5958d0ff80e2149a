import assert from 'node:assert/strict';
import { windowStats } from '../../../src/core/stats/deltas';
import { SnapshotStore, DEFAULT_STORE_LIMITS } from '../../../src/core/stats/store';
import { historyFromJson, historyToJson } from '../../../src/core/stats/storeJson';
import type { Snapshot, StatementRow } from '../../../src/core/stats/types';
import { MIN, T0, row, snap } from './fixtures';

/** `count` snapshots a minute apart over `statements` entries, of which `busy` run every minute. */
function workload(count: number, statements: number, busy: number): Snapshot[] {
  const out: Snapshot[] = [];
  let rows: StatementRow[] = Array.from({ length: statements }, (_, i) => row({ id: String(i), calls: 1, totalMs: 2 }));
  for (let t = 0; t < count; t++) {
    rows = rows.map((r, i) => (i < busy ? row({ id: r.queryid, calls: (r.counters.calls ?? 0) + 3, totalMs: (r.counters.totalExecMs ?? 0) + 30 }) : r));
    // A fresh read returns new objects even for unchanged entries, as the reader does.
    out.push(snap(T0 + t * MIN, rows.map((r) => ({ ...r }))));
  }
  return out;
}

describe('stats/store', () => {
  it('stays bounded over three hours of minute refreshes, and still serves every window', () => {
    const store = new SnapshotStore();
    for (const s of workload(180, 20, 5)) store.add(s);
    const kept = store.snapshots;
    assert.ok(kept.length <= 32, `kept ${kept.length} snapshots`);
    const ages = kept.map((s) => (store.latest!.takenAt - s.takenAt) / MIN);
    assert.ok(Math.max(...ages) <= DEFAULT_STORE_LIMITS.maxAgeMs / MIN);
    for (let i = 1; i < kept.length; i++) assert.ok(kept[i]!.takenAt > kept[i - 1]!.takenAt, 'ordered');
    // Every snapshot of the last 10 minutes is there, so "last refresh" and "5 min" are exact.
    assert.deepEqual(ages.filter((a) => a <= 10), [10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
    const hour = windowStats(kept, '1h')!;
    assert.equal(hour.shorterThanAsked, false);
    assert.ok(hour.spanMs! >= 60 * MIN && hour.spanMs! < 65 * MIN, `1 h window spans ${hour.spanMs! / MIN} min`);
    assert.equal(windowStats(kept, '5m')!.spanMs, 5 * MIN);
  });

  it('shares unchanged rows between snapshots instead of keeping copies', () => {
    const store = new SnapshotStore();
    for (const s of workload(3, 10, 2)) store.add(s);
    const [a, b] = store.snapshots.slice(-2);
    assert.equal(a!.rows[5], b!.rows[5], 'an idle statement is one object');
    assert.notEqual(a!.rows[0], b!.rows[0], 'a busy one is not');
  });

  it('a snapshot of another scope or database, or from an earlier time, starts a new history', () => {
    const store = new SnapshotStore();
    store.add(snap(T0, []));
    store.add(snap(T0 + MIN, []));
    assert.equal(store.add(snap(T0 + 2 * MIN, [], { scope: 'all' })), 'restarted');
    assert.equal(store.snapshots.length, 1);
    assert.equal(store.add(snap(T0 + 3 * MIN, [], { scope: 'all', dbid: 99 })), 'restarted');
    assert.equal(store.add(snap(T0 + MIN, [], { scope: 'all', dbid: 99 })), 'restarted');
    assert.equal(store.add(snap(T0 + MIN, [], { scope: 'all', dbid: 99 })), 'replaced');
    assert.equal(store.add(snap(T0 + 2 * MIN, [], { scope: 'all', dbid: 99 })), 'added');
    assert.equal(store.snapshots.length, 2);
  });

  it('round-trips through JSON with the same windows, and compactly', function () {
    // 5,000 statements (pg_stat_statements.max's default) over 40 minutes: a few seconds on a busy machine.
    this.timeout(30_000);
    const store = new SnapshotStore();
    for (const s of workload(40, 5_000, 50)) store.add(s);
    const json = JSON.stringify(historyToJson(store.snapshots));
    const restored = historyFromJson(JSON.parse(json));
    assert.equal(restored.problem, undefined);
    assert.deepEqual(restored.store.snapshots, store.snapshots);
    for (const w of ['last', '5m', 'reset'] as const) assert.deepEqual(windowStats(restored.store.snapshots, w), windowStats(store.snapshots, w));
    // Each text is written once and only changed rows per snapshot: far below a full copy per snapshot.
    const full = JSON.stringify(store.latest).length * store.snapshots.length;
    assert.ok(json.length * 5 < full, `stored ${json.length} bytes against ${full} for full copies`);
  });

  it('keeps entries that disappear and come back apart across the round trip', () => {
    const a = row({ id: '1', calls: 1, totalMs: 1 });
    const b = row({ id: '2', calls: 1, totalMs: 1 });
    const list = [snap(T0, [a, b]), snap(T0 + MIN, [a]), snap(T0 + 2 * MIN, [a, row({ id: '2', calls: 1, totalMs: 5 })])];
    const restored = historyFromJson(JSON.parse(JSON.stringify(historyToJson(list))));
    assert.deepEqual(restored.store.snapshots.map((s) => s.rows.map((r) => r.queryid)), [['1', '2'], ['1'], ['1', '2']]);
    assert.equal(restored.store.snapshots[2]!.rows[1]!.counters.totalExecMs, 5);
  });

  const broken: ReadonlyArray<readonly [string, unknown, RegExp]> = [
    ['another format', { format: 'x' }, /not a statistics history/],
    ['a newer version', { format: 'pg-insight.stats-history', version: 2 }, /version 2/],
    ['a row of an unknown statement', { format: 'pg-insight.stats-history', version: 1, scope: 'all', dbid: 1, fields: historyToJson([snap(T0, [])])!.fields, statements: {}, snapshots: [{ takenAt: 1, statsReset: null, dealloc: null, rows: [['1/5/10/t', 1]], gone: [] }] }, /unknown/],
    ['a string', 'garbage', /not a statistics history/],
  ];
  for (const [what, value, problem] of broken) {
    it(`discards stored data that is ${what}, and says why`, () => {
      const r = historyFromJson(value);
      assert.equal(r.store.snapshots.length, 0);
      assert.match(r.problem ?? '', problem);
    });
  }

  it('nothing stored is an empty history without a problem', () => {
    const r = historyFromJson(undefined);
    assert.equal(r.store.snapshots.length, 0);
    assert.equal(r.problem, undefined);
    assert.equal(historyToJson([]), null);
  });
});

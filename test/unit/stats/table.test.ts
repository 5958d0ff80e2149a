import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { windowStats, type QueryStat } from '../../../src/core/stats/deltas';
import { selectRows, SORT_COLUMNS, type SortColumn } from '../../../src/core/stats/table';
import { BANDS } from '../../../src/core/stats/thresholds';
import { MIN, T0, row, snap } from './fixtures';

/** A deterministic pseudo-random sequence, so a failure reproduces. */
function random(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1_103_515_245 + 12_345) % 2 ** 31;
    return s / 2 ** 31;
  };
}

const TABLES = ['orders', 'Customers', 'order_items', 'invoices', 'événements', 'audit_log'];

/** 5,000 statements over a 5-minute window, some idle, some without WAL figures, a few of our own. */
function fiveThousand(): QueryStat[] {
  const next = random(42);
  const before = [];
  const after = [];
  for (let i = 0; i < 5_000; i++) {
    const table = TABLES[i % TABLES.length]!;
    const calls = Math.floor(next() * 1_000);
    const extra = i % 7 === 0 ? 0 : Math.floor(next() * 500);
    const mean = next() * 1_500;
    const query = i % 250 === 0 ? `SELECT /* pg-insight */ count(*) FROM ${table}` : `SELECT * FROM ${table} WHERE id = $1 /* ${i} */`;
    const walBytes = i % 3 === 0 ? null : Math.floor(next() * 1e6);
    before.push(row({ id: String(i), query, calls, totalMs: calls * mean, counters: { walBytes: walBytes === null ? null : 0, sharedBlksHit: 10, sharedBlksRead: i % 5 } }));
    after.push(row({ id: String(i), query, calls: calls + extra, totalMs: (calls + extra) * mean, counters: { walBytes, sharedBlksHit: 10 + extra * 3, sharedBlksRead: i % 5 + extra }, gauges: { minExecMs: mean / 2, maxExecMs: mean * 2, stddevExecMs: mean / 10 } }));
  }
  return [...windowStats([snap(T0, before), snap(T0 + 5 * MIN, after)], '5m')!.rows];
}

function valueOf(r: QueryStat, column: SortColumn): number | string | null {
  if (column === 'band') return BANDS.indexOf(r.band);
  return r[column];
}

describe('stats/table: sorting and filtering 5,000 rows', () => {
  const rows = fiveThousand();

  for (const column of SORT_COLUMNS) {
    for (const descending of [false, true]) {
      it(`sorts by ${column} ${descending ? 'descending' : 'ascending'}, missing values last`, () => {
        const sorted = selectRows(rows, { sort: column, descending, includeOwn: true });
        assert.equal(sorted.length, rows.length);
        let seenNull = false;
        for (let i = 1; i < sorted.length; i++) {
          const a = valueOf(sorted[i - 1]!, column);
          const b = valueOf(sorted[i]!, column);
          if (a === null) seenNull = true;
          if (seenNull) {
            assert.equal(b, null, `a value after a missing one at ${i}`);
            continue;
          }
          if (b === null) continue;
          const order = typeof a === 'string' ? a.localeCompare(b as string, undefined, { sensitivity: 'base', numeric: true }) : (a as number) - (b as number);
          assert.ok(descending ? order >= 0 : order <= 0, `${column} out of order at ${i}: ${String(a)} then ${String(b)}`);
        }
      });
    }
  }

  it('leaves PG Insight\'s own statements out unless asked', () => {
    assert.equal(selectRows(rows, { sort: 'calls', descending: true }).some((r) => r.own), false);
    assert.equal(selectRows(rows, { sort: 'calls', descending: true, includeOwn: true }).filter((r) => r.own).length, 20);
  });

  it('filters by text (any case, also non-ASCII), minimum mean and minimum calls together', () => {
    const kept = selectRows(rows, { sort: 'meanMs', descending: true, text: 'ÉVÉNEMENTS', minMeanMs: 500, minCalls: 100 });
    assert.ok(kept.length > 0);
    for (const r of kept) {
      assert.ok(r.query.includes('événements'));
      assert.ok((r.meanMs ?? 0) >= 500);
      assert.ok(r.calls >= 100);
    }
    const expected = rows.filter((r) => !r.own && r.query.includes('événements') && (r.meanMs ?? 0) >= 500 && r.calls >= 100).length;
    assert.equal(kept.length, expected);
  });

  it('a minimum of one call hides the statements idle in the window', () => {
    const active = selectRows(rows, { sort: 'calls', descending: false, minCalls: 1, includeOwn: true });
    assert.equal(active.length, rows.filter((r) => r.calls > 0).length);
    assert.ok(active.length < rows.length);
  });

  it('the order among equal values is stable and the same in both directions', () => {
    const asc = selectRows(rows, { sort: 'band', descending: false, includeOwn: true }).filter((r) => r.band === 'none').map((r) => r.key);
    const desc = selectRows(rows, { sort: 'band', descending: true, includeOwn: true }).filter((r) => r.band === 'none').map((r) => r.key);
    assert.deepEqual(asc, desc);
  });

  it('sorts and filters 5,000 rows in well under 100 ms', () => {
    // Warm up once so the figure is the steady cost, then take the slowest of a few runs.
    selectRows(rows, { sort: 'query', descending: false });
    let worst = 0;
    for (const q of [{ sort: 'meanMs', descending: true }, { sort: 'query', descending: false, text: 'order' }, { sort: 'walBytes', descending: true, minCalls: 1 }] as const) {
      const started = performance.now();
      selectRows(rows, q);
      worst = Math.max(worst, performance.now() - started);
    }
    assert.ok(worst < 100, `slowest sort/filter took ${worst.toFixed(1)} ms`);
  });
});

import assert from 'node:assert/strict';
import { statementCandidates } from '../../../src/core/advice/statementCandidates';
import { helps, type PlanMeasure } from '../../../src/core/advice/verdict';
import { loadSqlParser } from '../../../src/core/sql/parser';
import type { VerifyResult } from '../../../src/db/indexVerify';
import { adviceView } from '../../../src/explain/indexAdviceView';
import { schemaOf } from '../sqlrules/support';

const DDL = 'CREATE TABLE orders (id int PRIMARY KEY, customer_id int, note text, amount int);';

function m(totalCost: number, indexes: string[] = [], timeMs?: number): PlanMeasure {
  return { totalCost, indexes, ...(timeMs !== undefined ? { timeMs } : {}) };
}

describe('index advice: the plan view section', () => {
  before(() => loadSqlParser());

  const three = () => {
    const sql = 'SELECT * FROM orders o WHERE note = $1 ORDER BY amount LIMIT 5';
    return statementCandidates(sql, schemaOf(DDL));
  };

  it('lists helping candidates best first with formatted figures, and the others with their reason', () => {
    const cs = [...three(), ...statementCandidates("SELECT * FROM orders WHERE amount > 5 AND note LIKE '%x%'", schemaOf(DDL))];
    assert.deepEqual(cs.map((c) => c.name), ['orders_note_amount_idx', 'orders_amount_idx', 'orders_note_trgm_idx']);
    const before = m(4000, [], 30.5);
    const result: VerifyResult = {
      method: 'rolled-back',
      outcomes: [
        { name: 'orders_note_amount_idx', status: 'verified', method: 'rolled-back', before, after: m(120, ['orders_note_amount_idx'], 0.4), verdict: helps(before, m(120, ['orders_note_amount_idx']), 'orders_note_amount_idx') },
        { name: 'orders_amount_idx', status: 'verified', method: 'rolled-back', before, after: m(3900), verdict: helps(before, m(3900), 'orders_amount_idx') },
        { name: 'orders_note_trgm_idx', status: 'verified', method: 'rolled-back', before, after: m(40, ['orders_note_trgm_idx'], 0.2), verdict: helps(before, m(40, ['orders_note_trgm_idx']), 'orders_note_trgm_idx') },
      ],
    };
    const view = adviceView('r1', cs, result, true);
    assert.equal(view.state, 'done');
    assert.deepEqual(view.items.map((i) => i.name), ['orders_note_trgm_idx', 'orders_note_amount_idx']);
    const [trgm, first] = view.items;
    assert.equal(trgm?.extension, 'pg_trgm');
    assert.equal(first?.costBefore, '4,000.00');
    assert.equal(first?.costAfter, '120.00');
    assert.equal(first?.costChange, '-97 %');
    assert.equal(first?.timeBefore, '30.5 ms');
    assert.equal(first?.ddl, 'CREATE INDEX CONCURRENTLY orders_note_amount_idx ON orders (note, amount);');
    assert.deepEqual(view.rejected.map((r) => [r.name, r.why]), [['orders_amount_idx', 'The planner does not use the index for this statement.']]);
    assert.match(view.summary, /^2 of 3 candidate indexes help, verified by building each index inside a transaction that was rolled back; shown when the planner uses the index and the plan's cost drops by at least 20 %\.$/);
    assert.equal(view.canCreate, true);
  });

  it('says why nothing was verified, and keeps skipped candidates with their reason', () => {
    const cs = three();
    assert.equal(cs.length, 1);
    const none = adviceView('r2', cs, { method: 'none', outcomes: [], note: 'Not verified: not confirmed.' }, false);
    assert.equal(none.state, 'unavailable');
    assert.equal(none.summary, 'Not verified: not confirmed.');
    const skipped = adviceView('r2', cs, { method: 'none', outcomes: cs.map((c) => ({ name: c.name, status: 'skipped' as const, reason: 'too big' })) }, false);
    assert.equal(skipped.state, 'done');
    assert.deepEqual(skipped.rejected.map((r) => r.why), cs.map(() => 'too big'));
    const hypo = adviceView('r3', cs, { method: 'hypopg', outcomes: [] }, false);
    assert.match(hypo.summary, /none helps this statement/);
  });
});

describe('index advice: measured statistics in the plan view section', () => {
  const candidate = { name: 'sites_city_zip_region_stats', schema: 'public', table: 'sites', columns: ['city', 'zip', 'region'], alias: 's', estimatedRows: 13, actualRows: 5000 };
  const none: VerifyResult = { method: 'none', outcomes: [] };
  const trial = (kinds: Array<'dependencies' | 'mcv' | 'ndistinct'>, estimatedRows: number, totalCost: number) => ({ kinds, estimatedRows, totalCost });

  it('offers the measured kind with the estimate before and after, for a migration and not for "create now"', () => {
    const trials = [trial([], 11, 900), trial(['dependencies'], 4883, 400), trial(['mcv'], 4970, 410)];
    const view = adviceView('r1', [], none, true, [{ candidate, result: { status: 'measured', before: { estimatedRows: 13, totalCost: 1000 }, trials, chosen: trials[1]! } }]);
    assert.equal(view.state, 'done');
    const [item] = view.items;
    assert.equal(item?.kind, 'statistics');
    assert.equal(item?.ddl, 'CREATE STATISTICS sites_city_zip_region_stats (dependencies) ON city, zip, region FROM public.sites;\nANALYZE public.sites;');
    assert.deepEqual([item?.rowsBefore, item?.rowsAfter, item?.rowsActual, item?.costChange], ['13', '4,883', '5,000', '385× → 1× off']);
    assert.match(item?.costChangeTitle ?? '', /the plan's cost changes by -60 %/);
    assert.match(view.summary, /measured against a fresh ANALYZE and each kind of extended statistics in a transaction that was rolled back; 1 fixes it/);
  });

  it('proposes nothing when no trial brings the estimate within 2×, and says what each gave', () => {
    const trials = [trial([], 11, 900), trial(['dependencies'], 40, 880)];
    const view = adviceView('r1', [], none, true, [{ candidate, result: { status: 'measured', before: { estimatedRows: 13, totalCost: 1000 }, trials } }]);
    assert.deepEqual(view.items, []);
    assert.match(view.rejected[0]?.why ?? '', /No statistics brought the estimate within 2× of the 5,000 actual rows \(estimated rows: ANALYZE: 11, dependencies: 40\)/);
    assert.equal(view.state, 'done');
  });
});

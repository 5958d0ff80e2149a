import * as assert from 'node:assert/strict';
import { readEfficiency } from '../../../../src/core/plan/tips/read-efficiency';
import { HEALTHY, at, evaluate, evaluateFixture, variant } from './helpers';

describe('tip read-efficiency', () => {
  it('fires on a table scan reading mostly dead space, with VACUUM as the action', () => {
    const [t] = evaluateFixture(readEfficiency, 'read-efficiency');
    assert.equal(t!.severity, 'info');
    assert.match(t!.message, /read 4,919 pages \(38\.4 MB\) for 3,000 rows, 13\.1 kB per row/);
    assert.equal(t!.action.sql, 'VACUUM (ANALYZE, VERBOSE) public.bloated;');
  });

  it('bands bytes per row at 4, 16 and 64 kB', () => {
    const rows = (n: number) => variant('read-efficiency', (e) => { at(e.Plan, 0)['Actual Rows'] = n; });
    assert.deepEqual(evaluate(readEfficiency, rows(12000)), []); // 3.4 kB per row
    assert.deepEqual(evaluate(readEfficiency, rows(2000)).map((t) => t.severity), ['warning']); // 20 kB
    assert.deepEqual(evaluate(readEfficiency, rows(500)).map((t) => t.severity), ['critical']); // 80 kB
  });

  it('scores index scans by pages per row, beyond a normal lookup', () => {
    const plan = variant('inefficient-index-scan', (e) => { e.Plan['Rows Removed by Filter'] = 100; e.Plan['Actual Rows'] = 5; e.Plan['Shared Hit Blocks'] = 2000; });
    const [t] = evaluate(readEfficiency, plan);
    assert.match(t!.message, /read 2,000 pages for 105 rows, 19\.0 pages per row/);
    // Bloat or scattered rows: the plan cannot tell, so no rebuild is offered as SQL.
    assert.equal(t!.action.sql, undefined);
    assert.match(t!.action.text, /If orders_pkey is bloated \(the health report's index-bloat check says so\), rebuild it/);
  });

  it('stays quiet on healthy scans, index lookups in loops and small scans', () => {
    for (const name of [...HEALTHY, 'seq-scan-filter', 'heap-fetches', 'nested-loop-misestimate']) assert.deepEqual(evaluateFixture(readEfficiency, name), [], name);
  });
});

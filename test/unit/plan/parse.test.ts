import * as assert from 'node:assert/strict';
import { parseExplain, PlanParseError } from '../../../src/core/plan/parse';
import { fixtureJson, fixtureNames } from './fixtures';

const node = { 'Node Type': 'Result', 'Total Cost': 0.01, 'Plan Rows': 1, 'Plan Width': 4 };

function rejects(input: unknown, pattern: RegExp): void {
  assert.throws(() => parseExplain(input), (e: unknown) => e instanceof PlanParseError && pattern.test(e.message));
}

describe('plan parsing', () => {
  it('parses every captured fixture from its text', () => {
    for (const name of fixtureNames()) {
      const explain = parseExplain(fixtureJson(name));
      assert.equal(typeof explain.Plan['Node Type'], 'string', name);
    }
  });

  it('accepts the array the server returns, its element, a bare node and their text', () => {
    const element = { Plan: node, 'Planning Time': 0.1, 'Execution Time': 0.2 };
    for (const input of [[element], element, JSON.stringify([element]), JSON.stringify(element)]) {
      const explain = parseExplain(input);
      assert.equal(explain.Plan['Node Type'], 'Result');
      assert.equal(explain['Execution Time'], 0.2);
    }
    assert.deepEqual(parseExplain(node).Plan, node);
  });

  it('keeps Settings, Triggers and JIT', () => {
    const explain = parseExplain(fixtureJson('jit-share'));
    assert.ok(explain.JIT?.Timing?.Total !== undefined);
    assert.equal(explain.Settings?.jit_above_cost, '0');
    assert.ok(Array.isArray(parseExplain(fixtureJson('fk-cascade-trigger')).Triggers));
  });

  it('accepts output pasted from psql (header, "+" continuations, row count) and JSON encoded twice', () => {
    const lines = JSON.stringify([{ Plan: node }], null, 2).split('\n');
    const pasted = ['                QUERY PLAN', '------------------------------------------', ...lines.map((l) => ` ${l.padEnd(40)} +`), '(1 row)'].join('\n');
    assert.equal(parseExplain(pasted).Plan['Node Type'], 'Result');
    assert.equal(parseExplain(JSON.stringify(JSON.stringify([{ Plan: node }]))).Plan['Node Type'], 'Result');
  });

  it('keeps 64-bit query identifiers exact', () => {
    const explain = parseExplain('[{"Plan": {"Node Type": "Result"}, "Query Identifier": -2982783474955734019}]');
    assert.equal(explain['Query Identifier'], '-2982783474955734019');
  });

  it('rejects what is not EXPLAIN (FORMAT JSON) output with a clear error', () => {
    rejects('', /empty text/);
    rejects('   ', /empty text/);
    rejects('hello', /not valid JSON/);
    rejects('Seq Scan on users  (cost=0.00..4858.00 rows=200000 width=42)', /FORMAT TEXT/);
    rejects([], /empty array/);
    rejects(null, /Got null/);
    rejects(42, /Got a number/);
    rejects({ rows: [] }, /keys "rows"/);
    rejects({ Plan: { 'Total Cost': 1 } }, /Plan has no "Node Type"/);
    rejects({ Plan: { 'Node Type': 'Result', Plans: {} } }, /"Plans" must be an array/);
    rejects({ Plan: { 'Node Type': 'Result', Plans: [null] } }, /Plan\.Plans\[0\] must be a plan node object/);
    rejects({ Plan: { 'Node Type': 'Seq Scan', 'Actual Rows': '12' } }, /"Actual Rows" must be a number/);
    rejects({ Plan: node, 'Execution Time': 'fast' }, /"Execution Time" must be a number/);
    rejects({ Plan: node, Triggers: {} }, /"Triggers" must be an array/);
  });

  it('refuses a pathologically deep plan instead of overflowing the stack', () => {
    let deep: Record<string, unknown> = { 'Node Type': 'Result' };
    for (let i = 0; i < 2100; i++) deep = { 'Node Type': 'Limit', Plans: [deep] };
    rejects({ Plan: deep }, /deeper than 2000 levels/);
  });
});

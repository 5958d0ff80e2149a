/**
 * Plans edited by hand or written by other tools reach the engine too. Every
 * key of captured plans, and every key the engine reads, is given values of
 * the wrong type; the whole engine (parse, enrich, tips, view model, text,
 * comparison) must then either work or refuse with a PlanParseError that
 * names the key, never fail with a TypeError from deep inside.
 */
import * as assert from 'node:assert/strict';
import { analysePlan, comparePlans, PlanParseError } from '../../../src/core/plan';
import { EXPLAIN_FIELDS, NODE_FIELDS } from '../../../src/core/plan/rawShape';
import { fixtureJson } from './fixtures';

/** Fixtures that hold workers, triggers, JIT, settings, CTEs, sorts and memoize-like details between them. */
const FIXTURES = ['parallel-scan', 'jit-share', 'fk-cascade-trigger', 'cte-scans', 'hashagg-spill', 'initplan', 'insert-wal'];
const WRONG: readonly unknown[] = [5, '12', null, {}, [null], [{ 'Sort Method': 5 }]];

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Runs the engine; returns the unexpected error, if any. */
function unexpected(input: unknown): string | null {
  try {
    const analysed = analysePlan(input);
    comparePlans(analysed.plan, analysed.plan);
    return null;
  } catch (e) {
    return e instanceof PlanParseError ? null : `${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`;
  }
}

function* keyPaths(value: Json, prefix: readonly (string | number)[] = []): Generator<readonly (string | number)[]> {
  if (value === null || typeof value !== 'object') return;
  for (const key of Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value)) {
    const path = [...prefix, key];
    yield path;
    yield* keyPaths((value as Record<string | number, Json>)[key] ?? null, path);
  }
}

function withValue(base: Json, path: readonly (string | number)[], value: unknown): Json {
  const copy = structuredClone(base);
  let at = copy as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) at = at[key] as Record<string | number, unknown>;
  at[path[path.length - 1]!] = value;
  return copy;
}

function rejects(input: unknown, pattern: RegExp): void {
  assert.throws(() => analysePlan(input), (e: unknown) => e instanceof PlanParseError && pattern.test(e.message));
}

describe('plan analysis of mistyped EXPLAIN output', function () {
  this.timeout(20_000);

  it('never throws anything but PlanParseError, whatever key of a captured plan has the wrong type', () => {
    const problems: string[] = [];
    for (const name of FIXTURES) {
      const base = JSON.parse(fixtureJson(name)) as Json;
      for (const path of keyPaths(base)) {
        for (const value of WRONG) {
          const problem = unexpected(withValue(base, path, value));
          if (problem !== null && problems.length < 20) problems.push(`${name} ${path.join('.')} = ${JSON.stringify(value)}: ${problem}`);
        }
      }
    }
    assert.deepEqual(problems, []);
  });

  it('never throws anything but PlanParseError when a key the engine reads is added with the wrong type', () => {
    const problems: string[] = [];
    const base = JSON.parse(fixtureJson('parallel-scan')) as Json;
    for (const value of WRONG) {
      for (const key of Object.keys(NODE_FIELDS)) {
        for (const path of [[0, 'Plan', key], [0, 'Plan', 'Plans', 0, key]]) {
          const problem = unexpected(withValue(base, path, value));
          if (problem !== null) problems.push(`${path.join('.')} = ${JSON.stringify(value)}: ${problem}`);
        }
      }
      for (const key of Object.keys(EXPLAIN_FIELDS)) {
        const problem = unexpected(withValue(base, [0, key], value));
        if (problem !== null) problems.push(`${key} = ${JSON.stringify(value)}: ${problem}`);
      }
    }
    assert.deepEqual(problems, []);
  });

  it('says which key is wrong and what it should be', () => {
    const node = { 'Node Type': 'Seq Scan', 'Relation Name': 'orders' };
    rejects({ Plan: 5 }, /^Plan must be a plan node object, got a number\.$/);
    rejects({ Plan: { ...node, Plans: {} } }, /"Plans" must be an array, got an object/);
    rejects({ Plan: { ...node, Plans: [null] } }, /Plan\.Plans\[0\] must be a plan node object, got null/);
    rejects({ Plan: { ...node, 'Plan Rows': '12' } }, /^Plan \("Seq Scan"\): "Plan Rows" must be a number, got the string "12"\.$/);
    rejects({ Plan: { ...node, Filter: 5 } }, /"Filter" must be a string, got a number/);
    rejects({ Plan: { ...node, 'Sort Key': 'id' } }, /"Sort Key" must be an array of strings, got the string "id"/);
    rejects({ Plan: { ...node, Workers: [{ 'Worker Number': 0 }, null] } }, /"Workers"\[1\] must be an object, got null/);
    rejects({ Plan: { ...node, Workers: [{ 'Sort Method': 5 }] } }, /"Workers"\[0\]\."Sort Method" must be a string, got a number/);
    rejects({ Plan: node, Triggers: [null] }, /^"Triggers"\[0\] must be an object, got null\.$/);
    rejects({ Plan: node, JIT: { Timing: { Generation: null } } }, /"JIT"\."Timing"\."Generation" must be a number or an object, got null/);
    rejects({ Plan: node, Settings: { work_mem: 4 } }, /"Settings"\."work_mem" must be a string, got a number/);
    rejects({ Plan: { ...node, 'Actual Rows': Number.NaN } }, /"Actual Rows" must be a number, got NaN/);
  });

  it('still reads the values PostgreSQL writes', () => {
    const analysed = analysePlan({
      Plan: {
        'Node Type': 'Memoize', 'Cache Key': 'o.customer_id', 'Cache Mode': 'logical', 'Cache Hits': 10, 'Cache Misses': 2, 'Cache Evictions': 0, 'Cache Overflows': 0, 'Peak Memory Usage': 1, 'Storage': 'Memory', 'Maximum Storage': 17, 'Index Searches': 3,
        'Full-sort Groups': { 'Group Count': 1, 'Sort Methods Used': ['quicksort'], 'Sort Space Memory': { 'Average Sort Space Used': 25, 'Peak Sort Space Used': 25 } },
        Plans: [{ 'Node Type': 'Result', 'Parent Relationship': 'Outer' }],
      },
      'Query Identifier': '-2982783474955734019',
      JIT: { Functions: 2, Options: { Inlining: false }, Timing: { Generation: { Deform: 0.1, Total: 0.3 }, Total: 1.5 } },
      Settings: { work_mem: '4MB' },
    });
    assert.equal(analysed.plan.nodes.length, 2);
  });
});

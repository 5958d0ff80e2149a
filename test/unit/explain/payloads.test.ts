import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ExplainOptions } from '../../../src/db/types';
import type { PlanRecord } from '../../../src/explain/history';
import { comparePayload, optionsText, planPayload } from '../../../src/explain/payloads';

const FIXTURES = join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'plans');

function fixture(name: string, overrides: Partial<PlanRecord> = {}): PlanRecord {
  const meta = JSON.parse(readFileSync(join(FIXTURES, `${name}.meta.json`), 'utf8')) as { sql: string; server: string; options: string };
  const options: ExplainOptions = { analyze: meta.options.includes('ANALYZE'), buffers: meta.options.includes('BUFFERS'), timing: true };
  return {
    id: name,
    fingerprint: name,
    sql: meta.sql,
    options,
    parameters: 'none',
    at: '2026-01-02T03:04:05.000Z',
    connection: 'dev',
    serverVersion: meta.server,
    durationMs: 12.5,
    rolledBack: false,
    statementType: 'SELECT',
    plan: JSON.parse(readFileSync(join(FIXTURES, `${name}.json`), 'utf8')) as unknown,
    ...overrides,
  };
}

describe('explain/payloads', () => {
  it('gives the plan view its model, the circumstances, the text and the JSON', () => {
    const record = fixture('seq-scan-filter');
    const p = planPayload(record, 3);
    assert.equal(p.title, 'EXPLAIN ANALYZE');
    assert.deepEqual(p.ref, { kind: 'plan', recordId: 'seq-scan-filter' });
    assert.equal(p.statement, record.sql);
    assert.equal(p.historyCount, 3);
    assert.deepEqual(p.notes, []);
    assert.ok(p.view.nodes.length > 0);
    assert.ok(p.view.tips.some((t) => t.id === 'seq-scan-filter'), p.view.tips.map((t) => t.id).join());
    assert.match(p.text, /^Seq Scan on /m);
    assert.deepEqual(JSON.parse(p.json), record.plan);
    const meta = Object.fromEntries(p.meta.map((d) => [d.label, d.value]));
    assert.equal(meta.Connection, 'dev');
    assert.equal(meta.Server, 'PostgreSQL 18.4');
    assert.equal(meta.Options, 'ANALYZE, BUFFERS, TIMING');
    assert.equal(meta['Round trip'], '12.5 ms');
  });

  it('says when a write was rolled back, and when nothing was executed', () => {
    const written = planPayload(fixture('insert-wal', { rolledBack: true, statementType: 'INSERT' }), 1);
    assert.deepEqual(written.notes, ['The INSERT ran inside a transaction that was rolled back: no change was kept.']);
    const estimated = planPayload(fixture('no-analyze-join'), 1);
    assert.equal(estimated.title, 'EXPLAIN');
    assert.match(estimated.notes[0] ?? '', /^Not executed/);
    assert.equal(estimated.view.metric, 'cost');
  });

  it('shows parameter values and generic plans among the circumstances', () => {
    const valued = planPayload(fixture('healthy-pk-lookup', { parameters: 'values', values: ['42', null] }), 1);
    assert.equal(valued.meta.find((d) => d.label === 'Parameters')?.value, "$1 = '42', $2 = NULL");
    const generic = fixture('no-analyze-join', { parameters: 'generic', options: { analyze: false, genericPlan: true } });
    assert.equal(planPayload(generic, 1).meta.find((d) => d.label === 'Parameters')?.value, 'generic plan (no values)');
    assert.equal(optionsText(generic), 'GENERIC_PLAN');
  });

  it('compares a plan with itself as unchanged', () => {
    const a = fixture('healthy-join');
    const c = comparePayload(a, { ...a, id: 'again' });
    assert.equal(c.trend, 0);
    assert.equal(c.sameStatement, true);
    assert.ok(c.rows.every((r) => r.change === 'same' && r.trend === 0 && r.delta === ''), JSON.stringify(c.rows));
    assert.deepEqual(c.ref, { kind: 'compare', beforeId: 'healthy-join', afterId: 'again' });
  });

  it('calls the same plan doing the same work 1.2x slower run-to-run variation, not a regression', () => {
    const a = fixture('seq-scan-filter');
    // The same plan run again: every time 20 % longer, the rows and pages the same.
    const slower = JSON.parse(JSON.stringify(a.plan, (key, value: unknown) => (key === 'Actual Total Time' || key === 'Actual Startup Time' || key === 'Execution Time') && typeof value === 'number' ? value * 1.2 : value)) as unknown;
    const c = comparePayload(a, { ...a, id: 'again', plan: slower });
    assert.match(c.summary[0] ?? '', /^The same plan doing the same work: execution time .* within run-to-run variation\.$/);
    assert.equal(c.trend, 0);
    assert.ok(c.rows.every((r) => r.trend === 0));
    // Twice as slow is beyond variation, even for the same work.
    const twice = JSON.parse(JSON.stringify(a.plan, (key, value: unknown) => (key === 'Actual Total Time' || key === 'Actual Startup Time' || key === 'Execution Time') && typeof value === 'number' ? value * 2 : value)) as unknown;
    const d = comparePayload(a, { ...a, id: 'twice', plan: twice });
    assert.match(d.summary[0] ?? '', /2\.0× slower/);
    assert.equal(d.trend, 1);
  });

  it('compares two different plans with formatted deltas and depths', () => {
    const c = comparePayload(fixture('healthy-join'), fixture('hash-batches'));
    assert.equal(c.sameStatement, false);
    assert.equal(c.metric, 'time');
    assert.match(c.summary[0] ?? '', /^Execution time /);
    assert.deepEqual(new Set(c.rows.map((r) => r.change)), new Set(['changed', 'added', 'removed']));
    assert.ok(c.rows.some((r) => r.depth > 0));
    for (const r of c.rows) {
      assert.ok(r.depth >= 0);
      assert.ok(r.beforeBar >= 0 && r.beforeBar <= 1 && r.afterBar >= 0 && r.afterBar <= 1);
      if (r.change === 'added') assert.equal(r.before, undefined);
      if (r.change === 'removed') assert.equal(r.after, undefined);
      if (r.delta) assert.match(r.delta, /^[+−]\d/);
    }
  });
});

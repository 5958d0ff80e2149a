import * as assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analysePlan } from '../../../src/core/plan';
import { LARGE_PLAN_NODES, PlanAnalyses, countNodes } from '../../../src/explain/analyses';
import type { PlanRecord } from '../../../src/explain/history';
import { initPlanPlan } from '../../../bench/synthetic-initplans';
import { fixtureJson } from '../plan/fixtures';

/** The worker as the build leaves it next to this file's compiled copy (out/src/explain/planWorker.js). */
const WORKER = join(__dirname, '..', '..', '..', 'src', 'explain', 'planWorker.js');

function record(id: string, plan: unknown): PlanRecord {
  return {
    id, fingerprint: id, sql: 'SELECT 1', options: { analyze: true }, parameters: 'none', at: '2026-01-01T00:00:00Z',
    connection: 'test', durationMs: 1, rolledBack: false, statementType: 'SELECT', plan,
  };
}

describe('plan analyses: once per plan, large plans off the thread', () => {
  it('analyses a record once: the plan view, the tips on the text and the advice share the result', async () => {
    const analyses = new PlanAnalyses(undefined);
    const r = record('a', JSON.parse(fixtureJson('seq-scan-filter')));
    const [first, concurrent] = await Promise.all([analyses.of(r), analyses.of(r)]);
    assert.equal(first, concurrent, 'a second caller waits for the same analysis');
    assert.equal(await analyses.of(r), first);
    assert.equal(analyses.peek('a'), first);
    assert.deepEqual(first.tips.map((t) => t.id), ['seq-scan-filter']);
  });

  it('counts nodes without parsing the plan into the model', () => {
    assert.equal(countNodes(JSON.parse(fixtureJson('healthy-join'))), 3);
    assert.equal(countNodes(fixtureJson('healthy-join')), 3);
    assert.equal(countNodes(initPlanPlan(1500)), 1501);
    assert.equal(countNodes('not json'), 0);
  });

  it(`analyses a plan of ${LARGE_PLAN_NODES} nodes or more in a worker thread, with the same result`, async function () {
    this.timeout(20000);
    const analyses = new PlanAnalyses(WORKER);
    const plan = initPlanPlan(1500);
    const analysed = await analyses.of(record('big', plan));
    assert.equal(analyses.offThread, 1);
    assert.deepEqual(analysed.view, analysePlan(plan).view);
    assert.equal(analysed.plan.nodes.length, 1501);
    // A small plan stays on the thread.
    await analyses.of(record('small', JSON.parse(fixtureJson('healthy-join'))));
    assert.equal(analyses.offThread, 1);
  });

  it('analyses in place, and says so, when the worker fails', async function () {
    this.timeout(20000);
    const dir = mkdtempSync(join(tmpdir(), 'pg-insight-worker-'));
    const broken = join(dir, 'planWorker.js');
    writeFileSync(broken, "throw new Error('broken worker');\n");
    const messages: string[] = [];
    const analyses = new PlanAnalyses(broken, (m) => messages.push(m));
    const analysed = await analyses.of(record('big', initPlanPlan(1500)));
    assert.equal(analysed.plan.nodes.length, 1501);
    assert.equal(analyses.offThread, 0);
    assert.match(messages[0] ?? '', /worker thread failed.*broken worker.*analysing in place/);
  });

  it('passes a broken plan\'s own error on', async () => {
    const analyses = new PlanAnalyses(undefined);
    await assert.rejects(analyses.of(record('bad', { nope: true })), /EXPLAIN/);
  });
});

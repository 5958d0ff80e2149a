import * as assert from 'node:assert/strict';
import { fkTrigger } from '../../../../src/core/plan/tips/fk-trigger';
import { HEALTHY, enriched, evaluate, evaluateFixture, fixtureMeta, variant } from './helpers';

describe('tip fk-trigger', () => {
  it('fires on a slow ON DELETE CASCADE, naming the referencing column from the catalog', () => {
    const [t] = evaluateFixture(fkTrigger, 'fk-cascade-trigger');
    const plan = enriched('fk-cascade-trigger');
    assert.equal(t!.nodeId, null);
    assert.equal(t!.severity, 'critical');
    assert.match(t!.message, /^The foreign key children_parent_id_fkey on parents took [\d.]+ (ms|s) over 40 calls, [\d.]+ ms per row \(\d+\.\d% of the execution\)/);
    assert.match(t!.action.text, /^Index children \(parent_id\), the referencing column of children_parent_id_fkey/);
    assert.deepEqual(t!.indexCandidate, { schema: 'public', table: 'children', columns: ['parent_id'] });
    assert.equal(t!.estimatedSavingMs, plan.totals.triggersMs * 0.9);
  });

  it('stays quiet when the referencing columns are indexed: the time is the cascade\'s own work', () => {
    const context = fixtureMeta('fk-cascade-trigger').context!;
    const indexed = { ...context, foreignKeys: context.foreignKeys!.map((k) => ({ ...k, indexed: true })) };
    assert.deepEqual(evaluateFixture(fkTrigger, 'fk-cascade-trigger', indexed), []);
  });

  it('without catalog facts, gives the query that finds the referencing columns', () => {
    const [t] = evaluateFixture(fkTrigger, 'fk-cascade-trigger', {});
    assert.equal(t!.indexCandidate, undefined);
    assert.match(t!.action.sql!, /WHERE conname = 'children_parent_id_fkey';$/);
  });

  it('ignores fast triggers and check triggers on the referencing side', () => {
    const fast = variant('fk-cascade-trigger', (e) => { (e.Triggers as Array<Record<string, unknown>>)[0]!.Time = 0.5; });
    assert.deepEqual(evaluate(fkTrigger, fast, fixtureMeta('fk-cascade-trigger').context), []);
    const check = variant('fk-cascade-trigger', (e) => { (e.Triggers as Array<Record<string, unknown>>)[0]!['Trigger Name'] = 'RI_ConstraintTrigger_c_16580'; });
    assert.deepEqual(evaluate(fkTrigger, check, fixtureMeta('fk-cascade-trigger').context), []);
  });

  it('stays quiet without triggers', () => {
    for (const name of HEALTHY) assert.deepEqual(evaluateFixture(fkTrigger, name), [], name);
  });
});

import assert from 'node:assert/strict';
import { MAX_PLAN_CHARS, PLANS_PER_STATEMENT, PlanHistory, STATEMENTS, type NewPlanRecord } from '../../../src/explain/history';
import { ParameterMemory } from '../../../src/explain/parameterMemory';

class MemoryStorage {
  readonly data = new Map<string, unknown>();
  get<T>(key: string): T | undefined {
    return this.data.get(key) as T | undefined;
  }
  update(key: string, value: unknown): Promise<void> {
    // Workspace storage keeps JSON: a stored value must survive the round trip.
    if (value === undefined) this.data.delete(key);
    else this.data.set(key, JSON.parse(JSON.stringify(value)));
    return Promise.resolve();
  }
}

function record(fingerprint: string, n = 0, plan: unknown = [{ Plan: { 'Node Type': 'Result' } }]): NewPlanRecord {
  return {
    fingerprint,
    sql: `SELECT ${n}`,
    options: { analyze: true, buffers: true },
    parameters: 'none',
    at: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(),
    connection: 'dev',
    durationMs: 1,
    rolledBack: false,
    statementType: 'SELECT',
    plan,
  };
}

describe('explain/history', () => {
  it('keeps the plans of each statement, newest first, and finds them by id', async () => {
    const history = new PlanHistory(new MemoryStorage());
    const a1 = await history.add(record('a', 1));
    const b1 = await history.add(record('b', 2));
    const a2 = await history.add(record('a', 3));
    assert.notEqual(a1.id, a2.id);
    assert.deepEqual(history.forStatement('a').map((p) => p.id), [a2.id, a1.id]);
    assert.deepEqual(history.statements().map((s) => s.fingerprint), ['a', 'b']);
    assert.equal(history.get(b1.id)?.sql, 'SELECT 2');
    assert.equal(history.get('nope'), undefined);
  });

  it('forgets the oldest plans and statements beyond its limits', async () => {
    const history = new PlanHistory(new MemoryStorage());
    for (let i = 0; i < PLANS_PER_STATEMENT + 3; i++) await history.add(record('a', i));
    assert.equal(history.forStatement('a').length, PLANS_PER_STATEMENT);
    assert.equal(history.forStatement('a').at(-1)?.sql, 'SELECT 3');
    for (let i = 0; i < STATEMENTS + 2; i++) await history.add(record(`s${i}`, i));
    assert.equal(history.statements().length, STATEMENTS);
    assert.deepEqual(history.forStatement('a'), []);
  });

  it('shows a plan too large to keep without storing it', async () => {
    const storage = new MemoryStorage();
    const history = new PlanHistory(storage);
    const huge = await history.add(record('big', 1, [{ Plan: { 'Node Type': 'Result', note: 'x'.repeat(MAX_PLAN_CHARS) } }]));
    assert.equal(history.get(huge.id)?.fingerprint, 'big');
    assert.deepEqual(history.forStatement('big'), []);
    assert.equal(storage.data.size, 0);
  });

  it('ignores storage written by another layout', () => {
    const storage = new MemoryStorage();
    storage.data.set('pgInsight.explain.history', { version: 99, statements: 'garbage' });
    assert.deepEqual(new PlanHistory(storage).statements(), []);
  });

  it('remembers parameter values per statement', async () => {
    const memory = new ParameterMemory(new MemoryStorage());
    await memory.remember('a', ['1', null]);
    await memory.remember('b', ['x']);
    await memory.remember('a', ['2', null]);
    assert.deepEqual(memory.get('a'), ['2', null]);
    assert.deepEqual(memory.get('b'), ['x']);
    assert.equal(memory.get('c'), undefined);
  });
});

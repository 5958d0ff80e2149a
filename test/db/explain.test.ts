/**
 * EXPLAIN itself: FORMAT JSON plans, options by server version, parameters
 * as bind values, errors with positions in the caller's text, and the plan
 * context read inside the EXPLAIN's own transaction.
 */
import assert from 'node:assert/strict';
import type { Client } from 'pg';
import type { Database } from '../../src/db/types';
import { buildExplain, parseForExplain } from '../../src/db/explain';
import { PLAN_CONTEXT_SQL } from '../../src/db/planContext';
import { firstLine } from '../../src/db/redact';
import { adminClient, openDatabase, rejection, type CapturingLog } from './helpers';
import { testServer } from './server';

const DB = 'pgi_explain';

type PlanNode = Record<string, unknown> & { Plan: Record<string, unknown> };

describe('db: EXPLAIN', () => {
  let db: Database;
  let log: CapturingLog;
  let admin: Client;

  before(async () => {
    await testServer().createDatabase(DB);
    admin = await adminClient(DB);
    await admin.query(`
      CREATE TABLE people (id int PRIMARY KEY, name text, city text);
      INSERT INTO people SELECT g, 'name ' || g, CASE WHEN g % 2 = 0 THEN 'Zürich' ELSE 'Genève' END FROM generate_series(1, 5000) g;
      ANALYZE people;
    `);
    ({ db, log } = openDatabase(DB));
  });
  after(async () => {
    await db?.close();
    await admin?.end();
  });

  it('returns the FORMAT JSON plan of a read, run in a read-only transaction', async () => {
    const r = await db.explain('SELECT * FROM people WHERE id = 7', [], { analyze: true, buffers: true });
    const top = (r.plan as PlanNode[])[0]!;
    assert.equal(top.Plan['Node Type'], 'Index Scan');
    assert.equal(top.Plan['Actual Rows'], 1);
    assert.ok('Shared Hit Blocks' in top.Plan, 'BUFFERS output present');
    assert.equal(r.safety.verdict, 'read');
    assert.equal(r.rolledBack, false);
    assert.ok(r.durationMs > 0);
    assert.equal(r.explainSql, 'EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) SELECT * FROM people WHERE id = 7');
    const sent = log.statements.slice(-3).map((s) => s.firstLine);
    assert.match(sent[0]!, /^BEGIN READ ONLY/);
    assert.equal(sent[1], r.explainSql);
    assert.equal(sent[2], 'ROLLBACK');
  });

  it('with withContext, reads the plan context in the same transaction, after the EXPLAIN and before the ROLLBACK', async () => {
    const r = await db.explain('SELECT * FROM people WHERE id = 7', [], { analyze: true }, { withContext: true });
    const sent = log.statements.slice(-4).map((s) => s.firstLine);
    assert.match(sent[0]!, /^BEGIN READ ONLY/);
    assert.equal(sent[1], r.explainSql);
    assert.equal(sent[2], firstLine(PLAN_CONTEXT_SQL));
    assert.equal(sent[3], 'ROLLBACK');
    // The counters' values depend on when the setup's session published them; planContext.test.ts checks those.
    assert.deepEqual(r.context?.tableStats?.map((t) => `${t.schema}.${t.table}`), ['public.people']);
    assert.deepEqual(r.context?.foreignKeys, []);
  });

  it('without withContext, reads no context', async () => {
    const r = await db.explain('SELECT * FROM people WHERE id = 7', [], { analyze: false });
    assert.equal(r.context, undefined);
    assert.ok(!log.statements.slice(-3).some((s) => s.firstLine === firstLine(PLAN_CONTEXT_SQL)));
  });

  it('reads no context when the EXPLAIN fails', async () => {
    const sent = log.statements.length;
    const e = await rejection(() => db.explain('SELECT nosuchcolumn FROM people', [], { analyze: false }, { withContext: true }));
    assert.equal(e.code, '42703');
    const after = log.statements.slice(sent).map((s) => s.firstLine);
    // The error comes from reading what the statement executes, before the EXPLAIN itself is sent.
    assert.match(after.join(' | '), /PREPARE pgi_probe_\w+ AS SELECT nosuchcolumn FROM people \| ROLLBACK$/);
    assert.ok(!after.some((l) => l.startsWith('EXPLAIN')), after.join(' | '));
    assert.ok(!after.includes(firstLine(PLAN_CONTEXT_SQL)));
  });

  it('passes parameters as bind values', async () => {
    const r = await db.explain("SELECT * FROM people WHERE city = $1 AND id < $2", ['Zürich', 50], { analyze: true });
    const top = (r.plan as PlanNode[])[0]!;
    assert.equal(top.Plan['Actual Rows'], 24);
    assert.ok(!r.explainSql.includes('Zürich'), 'the value is not spliced into the text');
  });

  it('explains only the statement text, without its semicolon and comments', async () => {
    const r = await db.explain('  -- find one\n  SELECT 1 AS x ; -- done\n', [], { analyze: false });
    assert.equal(r.explainSql, 'EXPLAIN (FORMAT JSON) SELECT 1 AS x');
  });

  it('plans $n statements without values with GENERIC_PLAN (PostgreSQL 16+)', async function () {
    if (testServer().major < 16) this.skip();
    const r = await db.explain('SELECT * FROM people WHERE id = $1', [], { analyze: false, genericPlan: true });
    assert.match(r.explainSql, /GENERIC_PLAN/);
    assert.ok(Array.isArray(r.plan));
  });

  it('keeps the options the server supports and logs the ones it drops', async () => {
    const r = await db.explain('SELECT count(*) FROM people', [], { analyze: true, verbose: true, settings: true, wal: true, timing: false, memory: true, serialize: true, genericPlan: true });
    const major = testServer().major;
    assert.match(r.explainSql, /^EXPLAIN \(ANALYZE, VERBOSE, SETTINGS, /);
    assert.match(r.explainSql, /TIMING false/);
    assert.ok(!r.explainSql.includes('GENERIC_PLAN'), 'GENERIC_PLAN is not allowed with ANALYZE');
    assert.equal(r.explainSql.includes('MEMORY'), major >= 17);
    assert.ok(log.lines.some((l) => /options left out: GENERIC_PLAN \(not with ANALYZE\)/.test(l)));
  });

  it('drops options by server version (checked on the built text)', async () => {
    const { statement, safety } = await parseForExplain('SELECT 1');
    const on15 = buildExplain(statement, safety, { analyze: true, memory: true, serialize: true, settings: true, genericPlan: false }, 150004);
    assert.equal(on15.explainSql, 'EXPLAIN (ANALYZE, SETTINGS, FORMAT JSON) SELECT 1');
    assert.deepEqual(on15.dropped, ['SERIALIZE (needs PostgreSQL 17)', 'MEMORY (needs PostgreSQL 17)']);
    const plain11 = buildExplain(statement, safety, { analyze: false, buffers: true, settings: true, wal: true, timing: true }, 110000);
    assert.equal(plain11.explainSql, 'EXPLAIN (FORMAT JSON) SELECT 1');
    assert.equal(plain11.dropped.length, 4);
  });

  it('a parser syntax error is a syntax DbError with a UTF-16 position; nothing is sent', async () => {
    const sql = "SELECT '😀', 'é' FORM people";
    const sent = log.statements.length;
    const e = await rejection(() => db.explain(sql, [], { analyze: false }));
    assert.equal(e.kind, 'syntax');
    assert.equal(e.position, sql.indexOf('people'));
    assert.equal(log.statements.length, sent);
  });

  it('a server error position is mapped back into the caller\'s text', async () => {
    const sql = "/* 😀 */ SELECT 'ü', nosuchcolumn FROM people";
    const e = await rejection(() => db.explain(sql, [], { analyze: false }));
    assert.equal(e.code, '42703');
    assert.equal(e.position, sql.indexOf('nosuchcolumn'));
  });

  it('reads run through read() in READ ONLY transactions that always end', async () => {
    const n = await db.read('count people', async (tx) => (await tx.query<{ n: string }>('SELECT count(*) AS n FROM people')).rows[0]?.n);
    assert.equal(n, '5000');
    await assert.rejects(db.read('failing read', () => Promise.reject(new Error('boom'))), /boom/);
    const last = log.statements.slice(-2).map((s) => s.firstLine);
    assert.match(last[0]!, /^BEGIN READ ONLY/);
    assert.equal(last[1], 'ROLLBACK');
    // No transaction of ours is left open.
    const open = await admin.query<{ n: string }>("SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = 'pg-insight' AND state LIKE 'idle in transaction%'");
    assert.equal(open.rows[0]?.n, '0');
  });

  it('a read is limited to one statement per query call', async () => {
    const e = await rejection(() => db.read('two at once', (tx) => tx.query('SELECT 1; SELECT 2', [])));
    assert.match(e.message, /multiple commands/);
  });
});

/**
 * Each plan tip fires on a real plan, on the tier's PostgreSQL 18 and on
 * Debian's PostgreSQL 15: the tables of planScenarios.ts are seeded, each
 * statement is explained through the runner with ANALYZE and BUFFERS the way
 * the Explain command does it, the catalog facts are read after it with
 * readPlanContext, and analysePlan must rank the expected tip among those it
 * keeps, on the expected node. The healthy statements must produce none.
 *
 * Session settings (work_mem and friends) are set on the database with
 * ALTER DATABASE ... SET and picked up by a fresh Database (a new pool, so
 * new sessions): the runner itself takes nothing but the statement.
 */
import assert from 'node:assert/strict';
import type { Client } from 'pg';
import { analysePlan, enrichPlan, parseExplain, type AnalysedPlan } from '../../src/core/plan';
import { quoteIdent } from '../../src/core/plan/sql';
import { loadSqlParser, parseSql } from '../../src/core/sql/parser';
import { readPlanContext, type PlanTable } from '../../src/db/planContext';
import type { ExplainResult } from '../../src/db/types';
import { DEFAULT_SETTINGS, SCENARIOS, SEED, STALE_TABLE, runScript, type PlanScenario } from './planScenarios';
import { until } from './helpers';
import { clientOn, onEachServer, openOn } from './stats/support';

const DB = 'pgi_plan_tips';

/** The tables a plan reads and the tables its triggers fire on, as the Explain command collects them. */
function planTables(plan: unknown): PlanTable[] {
  const enriched = enrichPlan(parseExplain(plan));
  const tables: PlanTable[] = enriched.nodes.flatMap((n) => (n.relation ? [{ schema: n.relation.schema, name: n.relation.name }] : []));
  for (const t of enriched.totals.triggers) if (t.relation) tables.push({ name: t.relation });
  return tables;
}

/** What a failed assertion shows: the tips kept and the plan as psql prints it. */
function explainFailure(analysed: AnalysedPlan): string {
  const tips = analysed.tips.map((t) => `  ${t.id} [${t.severity}, saving ${t.estimatedSavingMs?.toFixed(2) ?? '-'} ms] ${t.message}`).join('\n');
  return `tips kept:\n${tips || '  (none)'}\nplan:\n${analysed.text}`;
}

onEachServer('plan tips on real plans (db)', (server) => {
  let admin: Client;
  let jitAvailable = false;

  before(async function () {
    this.timeout(120_000);
    await server().createDatabase(DB);
    admin = await clientOn(server(), DB, undefined, 'plan-tips-setup');
    await runScript(admin, SEED);
    // Since PostgreSQL 15 a backend publishes its table counters up to a
    // second late; ask for them now and wait until the rows changed since
    // the last ANALYZE are visible, as the Explain command will read them.
    await admin.query('SELECT pg_stat_force_next_flush()');
    await until(`${STALE_TABLE.changes} changes to ${STALE_TABLE.name} in pg_stat_user_tables`, async () => {
      const r = await admin.query<{ n: string }>('SELECT n_mod_since_analyze AS n FROM pg_stat_user_tables WHERE relname = $1', [STALE_TABLE.name]);
      return Number(r.rows[0]?.n ?? 0) >= STALE_TABLE.changes;
    }, 10_000, 50);
    await loadSqlParser();
    const jit = await admin.query<{ jit: boolean }>('SELECT pg_jit_available() AS jit');
    jitAvailable = jit.rows[0]?.jit === true;
  });

  after(async () => {
    await admin?.query(`ALTER DATABASE ${quoteIdent(DB)} RESET ALL`).catch(() => undefined);
    await admin?.end();
  });

  /** Explains the scenario through the runner with its settings, then analyses the plan with its catalog context. */
  async function explainScenario(s: PlanScenario): Promise<{ result: ExplainResult; analysed: AnalysedPlan; withoutContext: AnalysedPlan }> {
    await admin.query(`ALTER DATABASE ${quoteIdent(DB)} RESET ALL`);
    for (const [name, value] of Object.entries({ ...DEFAULT_SETTINGS, ...s.settings })) {
      await admin.query(`ALTER DATABASE ${quoteIdent(DB)} SET ${name} = '${value}'`);
    }
    const db = openOn(server(), DB);
    try {
      const result = await db.explain(s.sql, [], { analyze: true, buffers: true, settings: true }, s.writes ? { confirmWrite: () => Promise.resolve(true) } : {});
      const context = await readPlanContext(db, planTables(result.plan));
      return { result, analysed: analysePlan(result.plan, context), withoutContext: analysePlan(result.plan) };
    } finally {
      await db.close();
    }
  }

  for (const s of SCENARIOS.filter((x) => x.tip === null)) {
    it(`no tip: ${s.description}`, async () => {
      // The fastest of three runs: on a busy machine a sub-millisecond statement
      // descheduled halfway would show a "slow" node that is not in the plan.
      let analysed: AnalysedPlan | undefined;
      for (let i = 0; i < 3; i++) {
        const run = (await explainScenario(s)).analysed;
        if (!analysed || (run.plan.totals.executionMs ?? 0) < (analysed.plan.totals.executionMs ?? 0)) analysed = run;
      }
      assert.ok(analysed);
      assert.deepEqual(analysed.tips.map((t) => t.id), [], explainFailure(analysed));
    });
  }

  for (const s of SCENARIOS.filter((x) => x.tip !== null)) {
    it(`${s.tip}: ${s.description}`, async function () {
      if (s.needsJit && !jitAvailable) {
        this.test!.title += ' (pending: this server was built without LLVM, pg_jit_available() is false)';
        this.skip();
      }
      const { result, analysed, withoutContext } = await explainScenario(s);
      const tip = analysed.tips.find((t) => t.id === s.tip);
      assert.ok(tip, `expected ${s.tip} among the tips kept\n${explainFailure(analysed)}`);
      if (s.node) {
        assert.notEqual(tip.nodeId, null, `${s.tip} should name a node`);
        const label = analysed.plan.nodes[tip.nodeId!]!.label;
        assert.match(label, s.node, `${s.tip} is on "${label}"\n${explainFailure(analysed)}`);
      }
      assert.ok(tip.message.length > 0 && tip.action.text.length > 0);
      if (s.name === 'stale-statistics') {
        // Only the statistics read after the explain tell this tip.
        assert.ok(!withoutContext.tips.some((t) => t.id === s.tip), explainFailure(withoutContext));
      }
      if (s.name === 'jit-share-costly') assert.equal(tip.action.sql, 'SET jit = off;', 'thresholds at their defaults: JIT is turned off, not re-tuned');
      if (s.name === 'jit-share') assert.match(tip.action.sql ?? '', /^SET jit_above_cost = 100000;/);
      if (s.name === 'fk-cascade-trigger') {
        assert.equal(result.rolledBack, true);
        assert.deepEqual(tip.indexCandidate, { schema: 'public', table: 'children', columns: ['parent_id'] });
        const left = await admin.query<{ n: string }>('SELECT count(*) AS n FROM parents');
        assert.equal(Number(left.rows[0]?.n), 500, 'the rolled-back DELETE left every parent in place');
      }
    });
  }

  /**
   * Every tip that offers SQL, proven: after the tip tests (the fixes change
   * the tables), the scenario is explained again, the tip's SQL runs exactly
   * as offered (statement by statement) in a session, and the same statement
   * explained in that session with the same options no longer gets the tip.
   * SET lasts for the session, VACUUM and ANALYZE for everyone.
   */
  for (const s of SCENARIOS.filter((x) => x.tip !== null)) {
    it(`${s.tip} and every other tip offering SQL, applied as offered, are gone: ${s.description}`, async function () {
      if (s.needsJit && !jitAvailable) {
        this.test!.title += ' (pending: no LLVM on this server)';
        this.skip();
      }
      const { analysed } = await explainScenario(s);
      assert.ok(analysed.tips.some((t) => t.id === s.tip), explainFailure(analysed));
      // fk-trigger's SQL only looks the columns up; its index is proven by the index advice (fkAdvice.test.ts).
      const fixes = analysed.tips.filter((t) => t.action.sql !== undefined && t.id !== 'fk-trigger');
      if (fixes.length === 0) this.test!.title += ' (no tip offers SQL here: the actions are described, or proven elsewhere)';
      for (const tip of fixes) {
        const parsed = parseSql(tip.action.sql!);
        assert.ok(parsed.ok, tip.action.sql);
        const session = await clientOn(server(), DB, undefined, 'plan-tips-fix');
        try {
          for (const statement of parsed.statements) await session.query(statement.text);
          await session.query('SELECT pg_stat_force_next_flush()');
          await session.query('BEGIN');
          let plan: unknown;
          try {
            const r = await session.query<{ 'QUERY PLAN': unknown }>(`EXPLAIN (ANALYZE, BUFFERS, SETTINGS, FORMAT JSON) ${s.sql}`);
            plan = r.rows[0]?.['QUERY PLAN'];
          } finally {
            await session.query('ROLLBACK');
          }
          const db = openOn(server(), DB);
          let after: AnalysedPlan;
          try {
            after = analysePlan(plan, await readPlanContext(db, planTables(plan)));
          } finally {
            await db.close();
          }
          assert.ok(!after.tips.some((t) => t.id === tip.id), `${tip.id} after ${tip.action.sql}:\n${explainFailure(after)}`);
        } finally {
          await session.end();
        }
      }
    });
  }
});

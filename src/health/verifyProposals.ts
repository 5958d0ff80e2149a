/**
 * The indexes the health report proposes, checked against the planner when
 * the database has HypoPG: for each finding whose remediation carries a
 * trial (missing-indexes: the index and the busiest statement that scans
 * the table), the statement is planned generically (it comes from
 * pg_stat_statements with `$n` parameters: PREPARE, then EXPLAIN EXECUTE
 * under plan_cache_mode = force_generic_plan, which PostgreSQL 12+ plans
 * without values), then again with the index as a hypothetical one. Nothing
 * is built; it all runs in one READ ONLY transaction, and the prepared
 * statement and hypothetical index are dropped before it ends.
 *
 * Planning runs what IMMUTABLE and STABLE functions call, so the statement
 * is first read from the catalog as for plain EXPLAIN (src/db/statementEffects.ts,
 * a temporary function in a transaction that is rolled back): one whose
 * planning would run what a rollback cannot undo is not planned. That read
 * writes, so production and read-only connections get no verification.
 *
 * A proposal the planner uses, with the cost down by at least 20 %, is
 * marked verified; one it would not use loses its SQL (an index that does
 * not help is not offered) and says why. Without HypoPG the proposals stay
 * as they are, unverified, and the report says so once.
 */
import { helps, measurePlan, percent } from '../core/advice/verdict';
import type { CheckResult, Finding, HealthReport } from '../core/health';
import { formatCost } from '../core/plan/format';
import { planTimeRefusals } from '../core/sql/effects';
import { functionRules } from '../core/sql/safety';
import { readStatementEffects } from '../db/statementEffects';
import type { Database, RunOptions, Tx } from '../db/types';

const PREPARED = 'pg_insight_health_trial';

export interface ProposalCheck {
  readonly report: HealthReport;
  /** How the proposals were checked, for the log: 'hypopg', 'none' (no HypoPG) or 'nothing to check'. */
  readonly method: 'hypopg' | 'none' | 'nothing to check';
}

export async function verifyProposals(db: Database, report: HealthReport, options: RunOptions = {}): Promise<ProposalCheck> {
  const wanted = report.results.some((r) => r.findings.some((f) => f.remediation?.trial));
  if (!wanted) return { report, method: 'nothing to check' };
  if (db.profile.production || db.profile.readOnly) return { report, method: 'none' };
  const hypopg = await db.read('health: HypoPG available', async (tx) => (await tx.query("SELECT 1 FROM pg_catalog.pg_extension WHERE extname = 'hypopg'")).rows.length > 0, options);
  if (!hypopg) return { report, method: 'none' };
  const results: CheckResult[] = [];
  for (const result of report.results) {
    const findings: Finding[] = [];
    for (const f of result.findings) findings.push(f.remediation?.trial ? await verifyFinding(db, f, options) : f);
    results.push({ ...result, findings });
  }
  return { report: { ...report, results }, method: 'hypopg' };
}

async function verifyFinding(db: Database, f: Finding, options: RunOptions): Promise<Finding> {
  const remediation = f.remediation!;
  const trial = remediation.trial!;
  try {
    const refusal = await planningRefusal(db, trial.statement, options);
    if (refusal) return { ...f, remediation: { ...remediation, verified: `Not verified: planning the busiest statement would run what a rollback cannot undo (it ${refusal}).` } };
    const verdict = await db.read('health: verify a proposed index (HypoPG)', async (tx) => {
      await tx.query('SET LOCAL plan_cache_mode = force_generic_plan');
      const before = await plannedGenerically(tx, trial.statement);
      const { rows } = await tx.query<{ indexname: string }>('SELECT indexname FROM hypopg_create_index($1)', [trial.index]);
      try {
        // Prepared again: a hypothetical index does not invalidate a cached plan.
        const after = await plannedGenerically(tx, trial.statement);
        return { before, after, verdict: helps(before, after, rows[0]?.indexname ?? '') };
      } finally {
        await tx.query('SELECT hypopg_reset()');
      }
    }, options);
    const figures = `cost ${formatCost(verdict.before.totalCost)} → ${formatCost(verdict.after.totalCost)} (${percent(verdict.verdict.costChange)})`;
    if (verdict.verdict.helps) {
      return { ...f, remediation: { ...remediation, verified: `Verified with HypoPG on the busiest statement: the planner uses the index, ${figures}.` } };
    }
    // An index the planner would not use is not offered.
    const { sql: _unproven, ...rest } = remediation;
    return { ...f, remediation: { ...rest, text: `${remediation.text} HypoPG shows that an index on these columns would not help the busiest statement: ${verdict.verdict.why ?? ''} (${figures}).`, verified: 'Not verified: the planner would not use it.' } };
  } catch (e) {
    return { ...f, remediation: { ...remediation, verified: `Not verified: the statement could not be planned generically (${e instanceof Error ? e.message : String(e)}).` } };
  }
}

/** What planning the statement would run that must not run, read from the catalog; undefined when nothing. */
async function planningRefusal(db: Database, statement: string, options: RunOptions): Promise<string | undefined> {
  const outcome = await db.trial('health: what planning the statement runs', (tx) => readStatementEffects(tx, { text: statement, type: 'SelectStmt', viaPrepare: /\$\d/.test(statement) }, functionRules, () => undefined), { ...options, write: true });
  if (!outcome.ok) throw new Error(outcome.limit);
  const refused = planTimeRefusals(outcome.facts, functionRules);
  return refused.length > 0 ? refused.join('; ') : undefined;
}

/** The statement PREPAREd, its generic plan's measure, and DEALLOCATEd whatever happens (plan_cache_mode is set by the caller). */
async function plannedGenerically(tx: Tx, statement: string): Promise<NonNullable<ReturnType<typeof measurePlan>>> {
  const parameters = Math.max(0, ...[...statement.matchAll(/\$(\d+)/g)].map((m) => Number(m[1])));
  await tx.query(`PREPARE ${PREPARED} AS ${statement}`);
  try {
    const args = parameters > 0 ? `(${Array.from({ length: parameters }, () => 'NULL').join(', ')})` : '';
    const { rows } = await tx.query<{ 'QUERY PLAN': unknown }>(`EXPLAIN (FORMAT JSON) EXECUTE ${PREPARED}${args}`);
    const value = rows[0]?.['QUERY PLAN'];
    const measured = measurePlan(typeof value === 'string' ? JSON.parse(value) : value);
    if (!measured) throw new Error('EXPLAIN returned no plan');
    return measured;
  } finally {
    await tx.query(`DEALLOCATE ${PREPARED}`);
  }
}

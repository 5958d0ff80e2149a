/**
 * Verifies candidate indexes before they are proposed: the statement's
 * plan without and with each index, compared by `helps` (core/advice/verdict).
 *
 * Two ways, chosen by what the database has:
 * - **HypoPG** installed (`CREATE EXTENSION hypopg`): each candidate becomes
 *   a hypothetical index (`hypopg_create_index`) that only the planner of
 *   this session sees; plain EXPLAIN gives the cost before and after. All
 *   in one READ ONLY transaction that is rolled back, with `hypopg_reset()`
 *   after each candidate (hypothetical indexes live in the session, not in
 *   the transaction). Nothing is built, so this also runs on production.
 * - Otherwise the **real index**, built inside a READ WRITE transaction and
 *   rolled back: a savepoint per candidate, the index created without
 *   CONCURRENTLY (which a transaction cannot hold), EXPLAIN — with ANALYZE
 *   when the original run used it and the statement only reads — and
 *   ROLLBACK TO SAVEPOINT. Building takes a SHARE lock that blocks writes
 *   to the table while it runs, and reads the whole table, so this path
 *   runs only on tables under the size limit, after `confirm`, and never
 *   on production or read-only connections.
 *
 * A real index created in a transaction is invisible to that transaction's
 * planner when the table has broken HOT chains (`pg_index.indcheckxmin`);
 * such a candidate is reported as not verifiable rather than as not helping.
 */
import { qualified, quoteIdent } from '../core/health/ident';
import { createdIndexes, ddlStatements } from '../core/advice/ddl';
import type { IndexCandidate } from '../core/advice/statementCandidates';
import { helps, measurePlan, type PlanMeasure, type Verdict } from '../core/advice/verdict';
import { buildExplain, parseForExplain, planFromRows, type PreparedExplain } from './explain';
import { cancelledError } from './transaction';
import { readStatementEffects } from './statementEffects';
import { judgeEffects } from '../core/sql/effects';
import { functionRules } from '../core/sql/safety';
import { DbError, type Database, type RunOptions, type Tx } from './types';

export type VerifyMethod = 'hypopg' | 'rolled-back';

export interface TableSize {
  /** `public.orders` style, as the candidates name it. */
  readonly table: string;
  readonly bytes: number;
}

export interface VerifyRequest {
  /** The statement as explained (`$n` placeholders allowed). */
  readonly sql: string;
  readonly values: readonly unknown[];
  /** Plan `$n` without values (PostgreSQL 16+). */
  readonly genericPlan?: boolean;
  /** The original run used ANALYZE: the real-index path then measures time too, for a statement that only reads. */
  readonly analyze: boolean;
  readonly candidates: readonly IndexCandidate[];
  /** Tables larger than this (`pg_table_size`) get no real index built. */
  readonly maxTableBytes: number;
  /** Asked once before real indexes are built (and rolled back), with the tables concerned. */
  readonly confirm: (tables: readonly TableSize[]) => Promise<boolean>;
  readonly signal?: AbortSignal;
}

export type CandidateOutcome =
  | {
      readonly name: string;
      readonly status: 'verified';
      readonly method: VerifyMethod;
      readonly before: PlanMeasure;
      readonly after: PlanMeasure;
      readonly verdict: Verdict;
    }
  | { readonly name: string; readonly status: 'skipped'; readonly reason: string };

export interface VerifyResult {
  readonly method: VerifyMethod | 'none';
  readonly outcomes: readonly CandidateOutcome[];
  /** Why nothing was verified, when nothing was. */
  readonly note?: string;
}

const SAVEPOINT = 'pg_insight_index_candidate';

export async function verifyCandidates(db: Database, request: VerifyRequest): Promise<VerifyResult> {
  if (request.candidates.length === 0) return { method: 'none', outcomes: [] };
  if (request.candidates.some((c) => c.probe)) return verifyWithProbes(db, request);
  const run: RunOptions = request.signal ? { signal: request.signal } : {};
  const { statement, safety } = await parseForExplain(request.sql);
  const versionNum = (await db.serverInfo(run)).versionNum;
  const extensions = await db.read('index advice: extensions', async (tx) => {
    const { rows } = await tx.query<{ extname: string }>("SELECT extname FROM pg_catalog.pg_extension WHERE extname IN ('hypopg', 'pg_trgm')");
    return new Set(rows.map((r) => r.extname));
  }, run);
  const plainExplain = buildExplain(statement, safety, { analyze: false, genericPlan: request.genericPlan === true }, versionNum);
  const values = plainExplain.genericPlan ? undefined : request.values;

  if (extensions.has('hypopg')) {
    return db.trial('index advice: hypothetical indexes (HypoPG)', async (tx) => {
      const before = await explainIn(tx, plainExplain, values);
      const outcomes: CandidateOutcome[] = [];
      for (const c of request.candidates) {
        if (c.proposal.table.partitions && c.proposal.table.partitions.length > 0) {
          outcomes.push({ name: c.name, status: 'skipped', reason: `HypoPG cannot simulate an index on a partitioned table (${c.table}); on a development database without HypoPG it is verified by a build that is rolled back.` });
          continue;
        }
        if (c.proposal.method === 'gin') {
          outcomes.push({ name: c.name, status: 'skipped', reason: 'HypoPG cannot simulate a GIN (trigram) index, so this one could not be verified here; on a development database without HypoPG it is verified by a build that is rolled back.' });
          continue;
        }
        outcomes.push(await inSavepoint(tx, c, request.signal, async () => {
          const { rows } = await tx.query<{ indexname: string }>('SELECT indexname FROM hypopg_create_index($1)', [c.trialDdl]);
          const planName = rows[0]?.indexname ?? c.name;
          const after = await explainIn(tx, plainExplain, values);
          return { name: c.name, status: 'verified', method: 'hypopg', before, after, verdict: helps(before, after, planName) };
        }, 'SELECT hypopg_reset()'));
      }
      return { method: 'hypopg' as const, outcomes };
    }, run);
  }

  if (db.profile.production || db.profile.readOnly) {
    const what = db.profile.production ? 'marked as a production connection' : 'marked read-only';
    return { method: 'none', outcomes: [], note: `"${db.profile.name}" is ${what}: without the HypoPG extension, verifying an index means building it (in a transaction that is rolled back), which is never done there. Install HypoPG to get verified index advice.` };
  }
  const sizes = await tableSizes(db, request.candidates, run);
  const outcomes = new Map<string, CandidateOutcome>();
  const eligible = request.candidates.filter((c) => {
    const bytes = sizes.get(c.table);
    if (bytes !== undefined && bytes <= request.maxTableBytes) return true;
    const reason = bytes === undefined ? `The size of ${c.table} could not be read.` : `${c.table} holds ${mb(bytes)} of data, over the limit of ${mb(request.maxTableBytes)} for building a trial index (pgInsight.explain.indexVerifyMaxTableMb); HypoPG would verify it without building anything.`;
    outcomes.set(c.name, { name: c.name, status: 'skipped', reason });
    return false;
  });
  // Building an index evaluates its expressions and predicate on every row: one that would run what a rollback cannot undo is never built.
  let unsafe = 0;
  for (const c of [...eligible]) {
    const refusal = await buildRefusal(db, c, run);
    if (!refusal) continue;
    outcomes.set(c.name, { name: c.name, status: 'skipped', reason: `Building it would evaluate its expression on every row, and that ${refusal}.` });
    eligible.splice(eligible.indexOf(c), 1);
    unsafe++;
  }
  const ordered = () => request.candidates.flatMap((c) => outcomes.get(c.name) ?? []);
  if (eligible.length === 0 && unsafe > 0) return { method: 'none', outcomes: ordered(), note: 'No candidate could be verified here: building one would run what a rollback cannot undo, and the others are over the size limit.' };
  if (eligible.length === 0) return { method: 'none', outcomes: ordered(), note: 'No candidate could be verified: every table is over the size limit for a trial build.' };
  const tables = [...new Set(eligible.map((c) => c.table))].map((table) => ({ table, bytes: sizes.get(table) ?? 0 }));
  if (!(await request.confirm(tables).catch(() => false))) {
    return { method: 'none', outcomes: [], note: 'Not verified: building the candidate indexes in a transaction that is rolled back was not confirmed.' };
  }
  if (request.signal?.aborted) throw cancelledError();
  const measured = request.analyze && safety.verdict === 'read' ? buildExplain(statement, safety, { analyze: true, timing: true }, versionNum) : plainExplain;
  await db.trial('index advice: trial indexes (rolled back)', async (tx) => {
    const before = await explainIn(tx, measured, values);
    for (const c of eligible) {
      outcomes.set(c.name, await inSavepoint(tx, c, request.signal, async () => {
        if (c.extension === 'pg_trgm' && !extensions.has('pg_trgm')) await tx.query('CREATE EXTENSION IF NOT EXISTS pg_trgm');
        await tx.query(c.trialDdl);
        const check = await tx.query<{ checkxmin: boolean }>('SELECT indcheckxmin AS checkxmin FROM pg_catalog.pg_index WHERE indexrelid = to_regclass($1)', [qualified(c.schema, c.name)]);
        if (check.rows[0]?.checkxmin) {
          return { name: c.name, status: 'skipped', reason: `${c.table} has rows updated in place (HOT chains), so PostgreSQL hides an index built in a transaction from that transaction's own plans; install HypoPG to verify it.` };
        }
        const after = await explainIn(tx, measured, values);
        return { name: c.name, status: 'verified', method: 'rolled-back', before, after, verdict: helps(before, after, await indexTree(tx, c)) };
      }));
    }
  }, { ...run, write: true });
  return { method: 'rolled-back', outcomes: ordered() };
}

/**
 * Candidates verified against a lookup of their own (a foreign key's, see
 * planCandidates.ts) next to those verified against the statement: one
 * verification per probe, with the values of a real row of the table, and
 * the user asked once whether trial indexes may be built.
 */
async function verifyWithProbes(db: Database, request: VerifyRequest): Promise<VerifyResult> {
  let answer: Promise<boolean> | undefined;
  const confirm = (tables: readonly TableSize[]) => (answer ??= request.confirm(tables));
  const results: VerifyResult[] = [await verifyCandidates(db, { ...request, confirm, candidates: request.candidates.filter((c) => !c.probe) })];
  for (const c of request.candidates) {
    if (!c.probe) continue;
    const { probe, ...plain } = c;
    const values = await sampleRow(db, c, probe.columns, request.signal ? { signal: request.signal } : {});
    if (!values) {
      results.push({ method: 'none', outcomes: [{ name: c.name, status: 'skipped', reason: `${c.table} has no rows to look up, so the lookup cannot be measured.` }] });
      continue;
    }
    results.push(await verifyCandidates(db, { ...request, confirm, sql: probe.sql, values, genericPlan: false, analyze: false, candidates: [plain] }));
  }
  const byName = new Map(results.flatMap((r) => r.outcomes.map((o) => [o.name, o] as const)));
  const method = results.find((r) => r.method !== 'none')?.method ?? 'none';
  const notes = [...new Set(results.flatMap((r) => (r.note ? [r.note] : [])))];
  return {
    method,
    outcomes: request.candidates.flatMap((c) => byName.get(c.name) ?? []),
    ...(method === 'none' && notes.length > 0 ? { note: notes.join(' ') } : {}),
  };
}

/** The values of `columns` in one row of the candidate's table where none is NULL, as text. */
async function sampleRow(db: Database, c: IndexCandidate, columns: readonly string[], run: RunOptions): Promise<string[] | undefined> {
  const list = columns.map((col, i) => `${quoteIdent(col)}::text AS v${i}`).join(', ');
  const notNull = columns.map((col) => `${quoteIdent(col)} IS NOT NULL`).join(' AND ');
  return db.read('index advice: a row to look up', async (tx) => {
    const { rows } = await tx.query<Record<string, string>>(`SELECT ${list} FROM ONLY ${qualified(c.schema, c.tableName)} WHERE ${notNull} LIMIT 1`);
    const row = rows[0];
    return row ? columns.map((_, i) => row[`v${i}`]!) : undefined;
  }, run);
}

/**
 * Runs one candidate's trial behind a savepoint, so that a failure (no
 * privilege, an expression PostgreSQL refuses, a timeout) skips only that
 * candidate. Cancelling stops everything.
 */
async function inSavepoint(tx: Tx, c: IndexCandidate, signal: AbortSignal | undefined, trial: () => Promise<CandidateOutcome>, cleanup?: string): Promise<CandidateOutcome> {
  await tx.query(`SAVEPOINT ${SAVEPOINT}`);
  let outcome: CandidateOutcome;
  try {
    outcome = await trial();
  } catch (e) {
    if (signal?.aborted) throw cancelledError();
    outcome = { name: c.name, status: 'skipped', reason: `PostgreSQL refused the trial: ${e instanceof Error ? e.message : String(e)}.` };
  }
  await tx.query(`ROLLBACK TO SAVEPOINT ${SAVEPOINT}`);
  if (cleanup) await tx.query(cleanup);
  return outcome;
}

/**
 * What building the candidate would run, read from the catalog as for
 * EXPLAIN ANALYZE (src/db/statementEffects.ts): its key expressions and
 * predicate as a query on its table. Returns why it must not be built, or
 * undefined. Plain column keys run nothing of the user's.
 */
async function buildRefusal(db: Database, c: IndexCandidate, run: RunOptions): Promise<string | undefined> {
  const expressions = c.proposal.keys.map((k) => k.replace(/\s+\w+_ops$/, '')).filter((k) => k.includes('('));
  if (expressions.length === 0 && !c.proposal.predicate) return undefined;
  const text = `SELECT ${expressions.length > 0 ? expressions.join(', ') : '1'} FROM ${qualified(c.schema, c.tableName)}${c.proposal.predicate ? ` WHERE ${c.proposal.predicate}` : ''}`;
  const outcome = await db.trial('index advice: what building the index runs', (tx) => readStatementEffects(tx, { text, type: 'SelectStmt', viaPrepare: false }, functionRules, () => undefined), { ...run, write: true });
  if (!outcome.ok) return undefined;
  const verdict = judgeEffects(outcome.facts, functionRules);
  return verdict.verdict === 'refuse' ? verdict.findings.join('; ') : undefined;
}

/** The candidate's name and, on a partitioned table, the names of the partitions' indexes the build created. */
async function indexTree(tx: Tx, c: IndexCandidate): Promise<string[]> {
  if (!c.proposal.table.partitions || c.proposal.table.partitions.length === 0) return [c.name];
  const { rows } = await tx.query<{ name: string }>(
    'SELECT c.relname AS name FROM pg_catalog.pg_partition_tree(to_regclass($1)) t JOIN pg_catalog.pg_class c ON c.oid = t.relid',
    [qualified(c.schema, c.name)],
  );
  return [c.name, ...rows.map((r) => r.name)];
}

async function explainIn(tx: Tx, prepared: PreparedExplain, values: readonly unknown[] | undefined): Promise<PlanMeasure> {
  // GENERIC_PLAN's `$n` have no values: the simple protocol (the text is one parsed statement).
  const { rows } = values === undefined ? await tx.querySimple(prepared.explainSql) : await tx.query(prepared.explainSql, values);
  const measure = measurePlan(planFromRows(rows));
  if (!measure) throw new DbError('other', 'EXPLAIN returned no plan to compare.');
  return measure;
}

async function tableSizes(db: Database, candidates: readonly IndexCandidate[], run: RunOptions): Promise<Map<string, number>> {
  const tables = [...new Map(candidates.map((c) => [c.table, c])).values()];
  return db.read('index advice: table sizes', async (tx) => {
    const { rows } = await tx.query<{ schema: string; name: string; bytes: number }>(
      // A partitioned table holds nothing itself: its size is its partitions'.
      `SELECT n.nspname AS schema, c.relname AS name,
              (CASE WHEN c.relkind = 'p'
                    THEN (SELECT coalesce(sum(pg_catalog.pg_table_size(t.relid)), 0) FROM pg_catalog.pg_partition_tree(c.oid) t WHERE t.isleaf)
                    ELSE pg_catalog.pg_table_size(c.oid) END)::float8 AS bytes
       FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
       WHERE (n.nspname, c.relname) IN (SELECT * FROM unnest($1::text[], $2::text[]))`,
      [tables.map((t) => t.schema), tables.map((t) => t.tableName)],
    );
    const out = new Map<string, number>();
    for (const t of tables) {
      const row = rows.find((r) => r.schema === t.schema && r.name === t.tableName);
      if (row) out.set(t.table, Number(row.bytes));
    }
    return out;
  }, run);
}

/**
 * Builds a verified candidate for real, as `CREATE INDEX CONCURRENTLY`
 * (writes go on while it builds), on a session of its own. A concurrent
 * build that fails or is cancelled leaves an invalid index behind, which
 * is dropped again so that a retry starts clean.
 */
export async function createIndexNow(db: Database, c: Pick<IndexCandidate, 'name' | 'schema' | 'ddl' | 'extension'>, options: RunOptions = {}): Promise<void> {
  const name = qualified(c.schema, c.name);
  if (await indexExists(db, name, options)) throw new DbError('refused', `An index named ${name} already exists.`, []);
  if (c.extension === 'pg_trgm') await db.outsideTransaction('create the pg_trgm extension', 'CREATE EXTENSION IF NOT EXISTS pg_trgm', options);
  // One statement at a time, as psql sends a script: a partitioned table's recipe is several, and CONCURRENTLY refuses a multi-statement query.
  const statements = ddlStatements(c.ddl);
  try {
    for (const statement of statements) await db.outsideTransaction(`create index ${name}`, statement, options);
  } catch (e) {
    // The partitioned table's index first: dropping it drops the partitions' indexes attached to it (which refuse
    // to be dropped on their own); those built but not yet attached go next.
    for (const index of createdIndexes(c.ddl)) {
      if (!(await indexExists(db, index).catch(() => false))) continue;
      const concurrently = statements.length === 1 ? 'CONCURRENTLY ' : '';
      await db.outsideTransaction(`drop the index ${index} the failed build left behind`, `DROP INDEX ${concurrently}IF EXISTS ${index}`).catch(() => undefined);
    }
    throw e;
  }
}

async function indexExists(db: Database, name: string, options?: RunOptions): Promise<boolean> {
  return db.read('index advice: index exists', async (tx) => {
    const { rows } = await tx.query<{ found: boolean }>('SELECT to_regclass($1) IS NOT NULL AS found', [name]);
    return rows[0]?.found === true;
  }, options);
}

function mb(bytes: number): string {
  const v = bytes / (1024 * 1024);
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} MB`;
}

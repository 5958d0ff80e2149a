/**
 * Which statistics fix a misestimate, measured (see
 * src/core/advice/statistics.ts for why nothing is proposed blind). Inside
 * one transaction that is rolled back: the statement is planned, then for
 * each trial (a fresh ANALYZE alone, then each kind of extended statistics
 * alone, then all three) behind a savepoint the statistics are created, the
 * table analysed and the statement planned again; the scan's estimate is
 * read from each plan. Plain EXPLAIN: nothing of the statement runs.
 *
 * What a rollback does not undo: ANALYZE updates the table's row and page
 * counts in place (pg_class.reltuples, relpages) and its last-analyse time,
 * as any ANALYZE does. Never on a production or read-only connection.
 */
import { ALL_KINDS, STATISTICS_KINDS, chooseStatistics, type StatisticsCandidate, type StatisticsKind, type StatisticsTrial } from '../core/advice/statistics';
import { qualified, quoteIdent } from '../core/health/ident';
import { buildExplain, parseForExplain, planFromRows } from './explain';
import { cancelledError } from './transaction';
import type { Database, RunOptions, Tx } from './types';

export interface StatisticsRequest {
  readonly sql: string;
  readonly values: readonly unknown[];
  readonly genericPlan?: boolean;
  readonly candidate: StatisticsCandidate;
  readonly signal?: AbortSignal;
}

export type StatisticsResult =
  | {
    readonly status: 'measured';
    /** The scan's estimate and the plan's cost as the statement plans now. */
    readonly before: { readonly estimatedRows: number; readonly totalCost: number };
    readonly trials: readonly StatisticsTrial[];
    /** The simplest trial within 2× of the actual rows, if any. */
    readonly chosen?: StatisticsTrial;
  }
  | { readonly status: 'skipped'; readonly reason: string };

const SAVEPOINT = 'pg_insight_statistics_trial';
/** ANALYZE alone first: when fresh statistics fix it, nothing new is needed. */
const TRIALS: ReadonlyArray<readonly StatisticsKind[]> = [[], ...STATISTICS_KINDS.map((k) => [k]), ALL_KINDS];

export async function verifyStatistics(db: Database, request: StatisticsRequest): Promise<StatisticsResult> {
  if (db.profile.production || db.profile.readOnly) {
    return { status: 'skipped', reason: `"${db.profile.name}" is marked ${db.profile.production ? 'as a production connection' : 'read-only'}: measuring statistics means creating them and running ANALYZE (rolled back), which is never done there.` };
  }
  const run: RunOptions = request.signal ? { signal: request.signal } : {};
  const { statement, safety } = await parseForExplain(request.sql);
  const versionNum = (await db.serverInfo(run)).versionNum;
  const prepared = buildExplain(statement, safety, { analyze: false, genericPlan: request.genericPlan === true }, versionNum);
  const values = prepared.genericPlan ? undefined : request.values;
  const c = request.candidate;
  const table = c.schema !== undefined ? qualified(c.schema, c.table) : quoteIdent(c.table);
  const planned = async (tx: Tx) => {
    const { rows } = values === undefined ? await tx.querySimple(prepared.explainSql) : await tx.query(prepared.explainSql, values);
    const plan = planFromRows(rows) as Array<{ Plan: RawNode }>;
    const root = plan[0]!.Plan;
    const scan = findScan(root, c);
    if (!scan) throw new Error(`the plan no longer reads ${c.table}${c.alias ? ` as ${c.alias}` : ''}`);
    return { estimatedRows: scan['Plan Rows'] as number, totalCost: root['Total Cost'] as number };
  };
  try {
    return await db.trial('extended statistics: trials (rolled back)', async (tx) => {
      const before = await planned(tx);
      const trials: StatisticsTrial[] = [];
      for (const kinds of TRIALS) {
        if (request.signal?.aborted) throw cancelledError();
        await tx.query(`SAVEPOINT ${SAVEPOINT}`);
        try {
          if (kinds.length > 0) await tx.query(`CREATE STATISTICS ${quoteIdent(`${c.name}_trial`)} (${kinds.join(', ')}) ON ${c.columns.map(quoteIdent).join(', ')} FROM ${table}`);
          await tx.query(`ANALYZE ${table}`);
          trials.push({ kinds, ...(await planned(tx)) });
        } finally {
          await tx.query(`ROLLBACK TO SAVEPOINT ${SAVEPOINT}`);
        }
      }
      const chosen = chooseStatistics(trials, c.actualRows);
      return { status: 'measured' as const, before, trials, ...(chosen ? { chosen } : {}) };
    }, { ...run, write: true });
  } catch (e) {
    if (request.signal?.aborted) throw e;
    return { status: 'skipped', reason: `PostgreSQL refused the trial: ${e instanceof Error ? e.message : String(e)}.` };
  }
}

type RawNode = Record<string, unknown> & { Plans?: RawNode[] };

/** The scan of the candidate's table under the same alias, first in plan order. */
function findScan(root: RawNode, c: StatisticsCandidate): RawNode | undefined {
  const stack = [root];
  while (stack.length > 0) {
    const node = stack.shift()!;
    const sameTable = node['Relation Name'] === c.table && (c.schema === undefined || node.Schema === undefined || node.Schema === c.schema);
    if (sameTable && (c.alias === undefined || node.Alias === undefined || node.Alias === c.alias)) return node;
    stack.push(...(node.Plans ?? []));
  }
  return undefined;
}

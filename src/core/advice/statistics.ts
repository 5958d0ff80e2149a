/**
 * Extended statistics for a misestimate caused by correlated columns.
 *
 * The planner multiplies the selectivities of AND-ed conditions as if the
 * columns were independent; `CREATE STATISTICS` tells it otherwise, but
 * which kind helps depends on the data and the values asked for. Measured
 * on real data, `(dependencies, ndistinct, mcv)` together can leave an
 * estimate at 2 rows for 200 actual where `(dependencies)` alone gives 234:
 * with an MCV list the planner trusts it for values it does not hold. So no
 * kind is proposed blind: each is created and analysed inside a transaction
 * that is rolled back (src/db/statisticsVerify.ts), the statement is planned
 * again, and the simplest kind whose estimate lands within 2× of the actual
 * rows is the one offered.
 */
import { quoteIdent } from '../health/ident';
import { qualifiedName } from '../plan/sql';

export const STATISTICS_KINDS = ['dependencies', 'mcv', 'ndistinct'] as const;
export type StatisticsKind = (typeof STATISTICS_KINDS)[number];
/** Tried after each kind alone: all three, PostgreSQL's default when no kind is named. */
export const ALL_KINDS: readonly StatisticsKind[] = STATISTICS_KINDS;
/** An estimate within this factor of the actual rows is fixed. */
export const FIXED_FACTOR = 2;

/** A scan whose estimate correlated equality conditions spoiled, as the plan names it. */
export interface StatisticsCandidate {
  /** Statistics object name: `<table>_<columns>_stats`. */
  readonly name: string;
  readonly schema?: string;
  readonly table: string;
  readonly columns: readonly string[];
  /** The scan in the plan: its relation and alias, to find it again in a new plan. */
  readonly alias?: string;
  /** Rows per loop: what the planner expected, and what the scan returned. */
  readonly estimatedRows: number;
  readonly actualRows?: number;
}

export interface StatisticsTrial {
  readonly kinds: readonly StatisticsKind[];
  /** The scan's rows per loop as planned with these statistics. */
  readonly estimatedRows: number;
  /** The plan's total cost with them. */
  readonly totalCost: number;
}

export function statisticsName(table: string, columns: readonly string[]): string {
  return `${table}_${columns.join('_')}_stats`.slice(0, 63);
}

/** The statements to run: the statistics and an ANALYZE to fill them; ANALYZE alone when no kind is needed. */
export function statisticsDdl(c: StatisticsCandidate, kinds: readonly StatisticsKind[]): string {
  const table = qualifiedName(c.table, c.schema);
  if (kinds.length === 0) return `ANALYZE ${table};`;
  return `CREATE STATISTICS ${quoteIdent(c.name)} (${kinds.join(', ')}) ON ${c.columns.map(quoteIdent).join(', ')} FROM ${table};\nANALYZE ${table};`;
}

/** How far an estimate is from the actual rows, ≥ 1, both floored at one row as the planner does. */
export function estimateFactor(estimated: number, actual: number): number {
  const e = Math.max(estimated, 1);
  const a = Math.max(actual, 1);
  return Math.max(e / a, a / e);
}

/**
 * The trial to offer: the first (simplest) whose estimate is within
 * FIXED_FACTOR of the actual rows; undefined when none is, or when the
 * actual rows are unknown (a plan without ANALYZE cannot say what is right).
 */
export function chooseStatistics(trials: readonly StatisticsTrial[], actualRows: number | undefined): StatisticsTrial | undefined {
  if (actualRows === undefined) return undefined;
  return trials.find((t) => estimateFactor(t.estimatedRows, actualRows) <= FIXED_FACTOR);
}

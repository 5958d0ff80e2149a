/**
 * Whether a candidate index helps, decided from two EXPLAIN (FORMAT JSON)
 * outputs of the same statement: without the index and with it (a
 * hypothetical HypoPG index, or a real one built inside a transaction that
 * is rolled back).
 *
 * The rule: the index **helps** when the planner uses it in the new plan
 * and the plan's total cost drops by at least MIN_COST_DROP (20 %). Cost,
 * not time, decides because it is what the planner itself compares and
 * because HypoPG can give nothing else; a hypothetical index cannot be
 * executed. Requiring the index in the plan keeps out a cost change that
 * comes from something else (a different join order settling by chance).
 * Measured times, where EXPLAIN ANALYZE ran, are shown beside the costs
 * but do not decide: one run of a fast statement is too noisy to judge by.
 */

/** The smallest relative drop in total cost for a candidate to count as helping. */
export const MIN_COST_DROP = 0.2;

export interface PlanMeasure {
  /** The root node's `Total Cost`. */
  readonly totalCost: number;
  /** `Execution Time`, ms, when the plan was executed (EXPLAIN ANALYZE). */
  readonly timeMs?: number;
  /** Every `Index Name` the plan's nodes use. */
  readonly indexes: readonly string[];
}

export interface Verdict {
  readonly helps: boolean;
  /** (after − before) / before: −0.9 is 90 % cheaper. */
  readonly costChange: number;
  readonly usesIndex: boolean;
  /** Why it does not help, in a sentence; absent when it helps. */
  readonly why?: string;
}

/** Cost, time and indexes of a FORMAT JSON output (`[{ "Plan": … }]`); undefined when it holds no plan. */
export function measurePlan(output: unknown): PlanMeasure | undefined {
  const top: unknown = Array.isArray(output) ? output[0] : output;
  if (!isObject(top) || !isObject(top.Plan)) return undefined;
  const cost = top.Plan['Total Cost'];
  if (typeof cost !== 'number' || !Number.isFinite(cost)) return undefined;
  const indexes = new Set<string>();
  const walk = (node: Record<string, unknown>) => {
    if (typeof node['Index Name'] === 'string') indexes.add(node['Index Name']);
    const children = node.Plans;
    if (Array.isArray(children)) for (const c of children) if (isObject(c)) walk(c);
  };
  walk(top.Plan);
  const time = top['Execution Time'];
  return { totalCost: cost, indexes: [...indexes], ...(typeof time === 'number' ? { timeMs: time } : {}) };
}

/**
 * The decision for a candidate in the `after` plan. `indexNames`: the
 * candidate's name, and on a partitioned table the names of the
 * partitions' indexes it created (the plan scans those, never the
 * partitioned table's own index).
 */
export function helps(before: PlanMeasure, after: PlanMeasure, indexNames: string | readonly string[]): Verdict {
  const names = typeof indexNames === 'string' ? [indexNames] : indexNames;
  const costChange = before.totalCost > 0 ? (after.totalCost - before.totalCost) / before.totalCost : 0;
  const usesIndex = after.indexes.some((i) => names.includes(i));
  if (!usesIndex) return { helps: false, costChange, usesIndex, why: 'The planner does not use the index for this statement.' };
  if (costChange > -MIN_COST_DROP) {
    return { helps: false, costChange, usesIndex, why: `The planner uses the index, but the cost drops by ${percent(-costChange)}, less than the ${percent(MIN_COST_DROP)} that would make it worth its upkeep.` };
  }
  return { helps: true, costChange, usesIndex };
}

/** A fraction as a percentage with at most one decimal ("19.9 %", "-42 %", "100 %"), never rounded up to a threshold. */
export function percent(fraction: number): string {
  const tenths = Math.round(fraction * 1000) / 10;
  return `${Math.abs(tenths) >= 100 ? Math.round(tenths) : tenths} %`;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

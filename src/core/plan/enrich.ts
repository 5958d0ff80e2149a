/**
 * Turns a parsed EXPLAIN into the numbers people need, computed once here
 * so that rules, the view model and comparisons agree:
 *
 * - Time. PostgreSQL reports "Actual Total Time" as an average per loop, so a
 *   node's inclusive time is that average × loops. Below a Gather, loops are
 *   summed over the processes that ran the node while each ran in parallel,
 *   so the product is divided by the number of processes (workers launched,
 *   plus the leader unless it does not participate) to get wall time, as pev2
 *   does. Exclusive time is inclusive time minus what the node's children
 *   account for (see attribution.ts for InitPlans, SubPlans and CTEs).
 * - Without ANALYZE (or with TIMING OFF) there are no times: costs take their
 *   place, with the same inclusive/exclusive split, and `metric` says so.
 * - Rows. "Actual Rows", "Plan Rows" and the "Rows Removed by ..." counters
 *   are per-loop averages: totals are × loops. "Heap Fetches", the bitmap
 *   block counts and the buffers are already totals.
 */
import { attributeCost, attributeTime, exclusiveShares, isCte, sum, type Attribution, type TreeNode } from './attribution';
import { emptyBuffers, emptyIoTimings, hasBuffers, hasIoTimings, hasWal, readBuffers, readIoTimings, readWal } from './counters';
import type { Attachment, EnrichedPlan, Metric, Misestimate, PlanNode, RowCounts } from './enriched';
import { nodeLabel, operationName } from './labels';
import { readMemory } from './memory';
import type { RawExplain, RawPlanNode } from './model';
import { placeStatementTime, type StatementTime } from './statementTime';
import { boundInclusive } from './timeBounds';
import { totalsOf } from './totals';

export type { Attachment, EnrichedPlan, JitSummary, Metric, Misestimate, PlanNode, PlanTotals, RowCounts, TimeBreakdown, TriggerTime } from './enriched';

export function enrichPlan(raw: RawExplain): EnrichedPlan {
  const tree = flatten(raw.Plan);
  const analyzed = tree.some((n) => n.raw['Actual Loops'] !== undefined);
  const timed = tree.some((n) => n.raw['Actual Total Time'] !== undefined);
  const metric: Metric = timed ? 'time' : 'cost';
  const settings = raw.Settings ?? {};
  const divisors = parallelDivisors(tree, settings);

  const reportedMs = tree.map((n, i) => timed ? (n.raw['Actual Total Time'] ?? 0) * (n.raw['Actual Loops'] ?? 0) / divisors[i]! : 0);
  const ran = (id: number) => !analyzed || (tree[id]!.raw['Actual Loops'] ?? 0) > 0;
  const byTime = attributeTime(tree, (id) => reportedMs[id]!, ran);
  const byCost = attributeCost(tree);
  const attribution = metric === 'time' ? byTime : byCost;
  const inclusiveMs = timed ? boundInclusive(tree, byTime, reportedMs, divisors) : reportedMs;
  const costs = containedCosts(tree);
  const topLevelMs = sum(byTime.timeParent.flatMap((p, id) => (p === null ? [inclusiveMs[id]!] : [])));
  const placed = timed ? placeStatementTime(raw, tree, inclusiveMs, topLevelMs, divisors) : { triggers: [] };
  const exclusiveMs = withoutStatementTime(exclusiveShares(byTime, inclusiveMs), placed);
  const exclusiveCost = exclusiveShares(byCost, costs);

  const buffered = tree.some((n) => hasBuffers(n.raw));
  const bufferExclusive = buffered ? exclusiveRecords(byTime, tree.map((n) => readBuffers(n.raw)), emptyBuffers) : [];
  const ioTimed = tree.some((n) => hasIoTimings(n.raw));
  const ioExclusive = ioTimed ? exclusiveRecords(byTime, tree.map((n) => readIoTimings(n.raw)), emptyIoTimings) : [];

  const measure = metric === 'time' ? inclusiveMs : costs;
  const timeChildren = childrenByMeasure(tree, attribution);
  const hottest = hottestPath(timeChildren, measure);
  const onPath = new Set(hottest);
  const rootMeasure = measure[0] ?? 0;
  const basis = metric === 'time' ? (raw['Execution Time'] ?? rootMeasure) : rootMeasure;
  const exclusive = metric === 'time' ? exclusiveMs : exclusiveCost;

  const nodes: PlanNode[] = tree.map((n, id) => {
    const r = n.raw;
    const loops = r['Actual Loops'];
    return {
      id,
      parentId: n.parentId,
      childIds: n.childIds,
      depth: n.depth,
      attachment: attachmentOf(r),
      subplanName: r['Subplan Name'],
      nodeType: r['Node Type'],
      operation: operationName(r),
      label: nodeLabel(r),
      relation: r['Relation Name'] !== undefined ? { schema: r.Schema, name: r['Relation Name'], alias: r.Alias } : undefined,
      indexName: r['Index Name'],
      raw: r,
      loops,
      neverExecuted: analyzed && (loops ?? 0) === 0,
      parallelDivisor: divisors[id]!,
      inclusiveMs: timed ? inclusiveMs[id] : undefined,
      roundedUp: timed && inclusiveMs[id]! > reportedMs[id]! + 0.001,
      exclusiveMs: timed ? exclusiveMs[id] : undefined,
      startupMs: timed ? r['Actual Startup Time'] : undefined,
      startupCost: r['Startup Cost'],
      totalCost: r['Total Cost'],
      containedCost: costs[id]!,
      exclusiveCost: r['Total Cost'] !== undefined ? exclusiveCost[id] : undefined,
      share: basis > 0 ? exclusive[id]! / basis : 0,
      rows: rowCounts(r, analyzed),
      buffers: buffered ? { inclusive: readBuffers(r), exclusive: bufferExclusive[id]! } : undefined,
      io: ioTimed ? { inclusive: readIoTimings(r), exclusive: ioExclusive[id]! } : undefined,
      wal: hasWal(r) ? readWal(r) : undefined,
      memory: readMemory(r),
      workers: r['Workers Planned'] !== undefined ? { planned: r['Workers Planned'], launched: r['Workers Launched'] } : undefined,
      onHottestPath: onPath.has(id),
      timeParentId: attribution.timeParent[id] ?? null,
      timeChildIds: timeChildren[id]!,
    };
  });

  return { raw, analyzed, timed, metric, nodes, hottestPath: hottest, totals: totalsOf(raw, nodes, basis, buffered, placed) };
}

/** Preorder flattening, iterative so that deep plans cannot overflow the stack. */
function flatten(root: RawPlanNode): TreeNode[] {
  const out: Array<{ raw: RawPlanNode; parentId: number | null; childIds: number[]; depth: number }> = [];
  const stack: Array<{ raw: RawPlanNode; parentId: number | null; depth: number }> = [{ raw: root, parentId: null, depth: 0 }];
  while (stack.length > 0) {
    const { raw, parentId, depth } = stack.pop()!;
    const id = out.length;
    out.push({ raw, parentId, childIds: [], depth });
    if (parentId !== null) out[parentId]!.childIds.push(id);
    const plans = raw.Plans ?? [];
    for (let i = plans.length - 1; i >= 0; i--) stack.push({ raw: plans[i]!, parentId: id, depth: depth + 1 });
  }
  return out;
}

/**
 * Processes per node. The plan below a Gather (its Outer child) is spread
 * over the launched workers plus the leader, unless
 * parallel_leader_participation is off or the Gather is single-copy; with no
 * worker launched the leader runs everything itself. The Gather's own
 * InitPlans and SubPlans run in the leader alone, and so does any InitPlan;
 * a SubPlan below the Gather runs in every process, like its parent.
 */
function parallelDivisors(tree: readonly TreeNode[], settings: Readonly<Record<string, string>>): number[] {
  const leaderJoins = settings.parallel_leader_participation !== 'off';
  const out = tree.map(() => 1);
  tree.forEach((n, id) => {
    if (n.parentId === null) return;
    const parent = tree[n.parentId]!.raw;
    const relationship = n.raw['Parent Relationship'];
    const separate = relationship === 'InitPlan' || (/^Gather/.test(parent['Node Type']) && relationship !== undefined && relationship !== 'Outer');
    if (/^Gather/.test(parent['Node Type']) && !separate) {
      const launched = parent['Workers Launched'] ?? parent['Workers Planned'] ?? 0;
      const leader = leaderJoins && parent['Single Copy'] !== true ? 1 : 0;
      out[id] = launched === 0 ? 1 : launched + leader;
    } else {
      out[id] = separate ? 1 : out[n.parentId]!;
    }
  });
  return out;
}

function attachmentOf(raw: RawPlanNode): Attachment {
  if (isCte(raw)) return 'cte';
  if (raw['Parent Relationship'] === 'InitPlan') return 'initplan';
  if (raw['Parent Relationship'] === 'SubPlan') return 'subplan';
  return 'child';
}

function rowCounts(r: RawPlanNode, analyzed: boolean): RowCounts {
  const loops = r['Actual Loops'] ?? (analyzed ? 0 : 1);
  const perLoop = (value: number | undefined) => (value === undefined ? undefined : value * loops);
  const actual = r['Actual Rows'];
  const estimated = r['Plan Rows'];
  return {
    estimatedPerLoop: estimated,
    estimatedTotal: estimated === undefined ? undefined : estimated * Math.max(loops, 1),
    actualPerLoop: actual,
    actualTotal: perLoop(actual),
    removedByFilter: perLoop(r['Rows Removed by Filter']),
    removedByJoinFilter: perLoop(r['Rows Removed by Join Filter']),
    removedByIndexRecheck: perLoop(r['Rows Removed by Index Recheck']),
    heapFetches: r['Heap Fetches'],
    indexSearches: r['Index Searches'],
    misestimate: actual !== undefined && estimated !== undefined && loops > 0 ? misestimateOf(estimated, actual) : undefined,
  };
}

/**
 * Per loop, with both sides floored at one row: the planner never estimates
 * fewer than one row per loop, so "estimated 1, actual 0.2 per loop" is as
 * good as an estimate gets, not a five-fold overestimate.
 */
export function misestimateOf(estimated: number, actual: number): Misestimate {
  const e = Math.max(estimated, 1);
  const a = Math.max(actual, 1);
  if (a > e) return { factor: a / e, direction: 'under' };
  if (e > a) return { factor: e / a, direction: 'over' };
  return { factor: 1, direction: 'exact' };
}

function exclusiveRecords<T extends object>(attribution: Attribution, values: readonly T[], empty: () => T): T[] {
  const keys = Object.keys(empty()) as Array<keyof T>;
  const out = values.map(() => empty());
  for (const key of keys) {
    const column = exclusiveShares(attribution, values.map((v) => v[key] as number));
    column.forEach((x, i) => { (out[i]![key] as number) = x; });
  }
  return out;
}

/** A node's own time less the triggers and JIT compilation that ran inside it: those are lines of their own. */
function withoutStatementTime(exclusive: number[], placed: StatementTime): number[] {
  const out = [...exclusive];
  const take = (id: number, ms: number) => { out[id] = Math.max(0, out[id]! - ms); };
  for (const t of placed.triggers) if (t.nodeId !== null) take(t.nodeId, t.timeMs);
  if (placed.jit?.nodeId != null) take(placed.jit.nodeId, placed.jit.compileMs);
  return out;
}

/**
 * Costs as shares of the root's, for plans without timing. The planner
 * charges a Limit (or a join that stops early) only the fraction of its
 * child's cost it expects to pay, so children can cost more than their
 * parent: each child keeps its cost in proportion, scaled so that a node's
 * children never add up to more than the node.
 */
function containedCosts(tree: readonly TreeNode[]): number[] {
  const cost = (id: number) => Math.max(0, tree[id]!.raw['Total Cost'] ?? 0);
  const out = tree.map((n, id) => (n.parentId === null ? cost(id) : 0));
  // Preorder: a parent's figure is final before its children are scaled.
  tree.forEach((n, id) => {
    if (n.childIds.length === 0) return;
    const factor = cost(id) > 0 ? out[id]! / cost(id) : 0;
    const scaled = n.childIds.map((c) => cost(c) * factor);
    const inner = sum(scaled);
    const fit = inner > out[id]! ? out[id]! / inner : 1;
    n.childIds.forEach((c, k) => { out[c] = scaled[k]! * fit; });
  });
  return out;
}


function childrenByMeasure(tree: readonly TreeNode[], attribution: Attribution): number[][] {
  const out: number[][] = tree.map(() => []);
  attribution.timeParent.forEach((parent, id) => { if (parent !== null) out[parent]!.push(id); });
  return out;
}

/** From the root, follow the child with the largest inclusive measure down to a leaf. */
function hottestPath(children: readonly number[][], measure: readonly number[]): number[] {
  if (measure.length === 0) return [];
  const path = [0];
  let current = 0;
  for (;;) {
    const kids = children[current]!;
    if (kids.length === 0) return path;
    current = kids.reduce((best, k) => (measure[k]! > measure[best]! ? k : best));
    path.push(current);
  }
}

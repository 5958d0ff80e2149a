/**
 * Compares two enriched plans of the same statement (before and after an
 * index or a rewrite): matches their nodes, gives per-node time and row
 * deltas, and sums up what changed in a few sentences.
 *
 * Matching walks both trees from the roots. Children of matched nodes are
 * aligned in passes: first the longest common subsequence of (node type,
 * relation, how the child hangs off its parent); then, among the children
 * left, the same key in another place (a join whose sides swapped), the same
 * relation (a Seq Scan that became an Index Scan), and the same position
 * with the same relationship. What is left was removed from the first plan
 * or added in the second. Matched children are aligned in turn.
 */
import { blocksTouched } from './counters';
import type { EnrichedPlan, PlanNode } from './enrich';
import { formatCost, formatCount, formatDuration } from './format';

export type Change = 'same' | 'changed' | 'added' | 'removed';

export interface NodeDelta {
  readonly beforeId: number | null;
  readonly afterId: number | null;
  /** The node's label in the second plan, or in the first when it was removed. */
  readonly label: string;
  /** The first plan's label when the operation changed. */
  readonly beforeLabel?: string;
  readonly change: Change;
  /** Own measure (ms, or cost without timing on either side). */
  readonly before?: number;
  readonly after?: number;
  readonly delta?: number;
  readonly rowsBefore?: number;
  readonly rowsAfter?: number;
}

export interface PlanComparison {
  readonly metric: 'time' | 'cost';
  /** In the second plan's order; removed nodes follow their former siblings. */
  readonly nodes: readonly NodeDelta[];
  readonly totalBefore: number;
  readonly totalAfter: number;
  readonly summary: readonly string[];
  /**
   * The same plan both times (same nodes, same rows, same pages read) with
   * times that differ by less than a run-to-run variation can explain: the
   * difference is noise, not a change.
   */
  readonly sameWork: boolean;
}

/** Between two runs of the same plan doing the same work, time differences under max(2 ms, 50 %) are run-to-run variation. */
export const VARIATION_MS = 2;
export const VARIATION_SHARE = 0.5;

type Pair = readonly [number | null, number | null];

export function comparePlans(before: EnrichedPlan, after: EnrichedPlan): PlanComparison {
  const metric = before.metric === 'time' && after.metric === 'time' ? 'time' : 'cost';
  const own = (n: PlanNode | undefined) => (n === undefined ? undefined : metric === 'time' ? n.exclusiveMs ?? 0 : n.exclusiveCost ?? 0);
  const pairs = alignTrees(before, after);
  const nodes: NodeDelta[] = pairs.map(([b, a]) => {
    const nb = b !== null ? before.nodes[b] : undefined;
    const na = a !== null ? after.nodes[a] : undefined;
    const change: Change = !nb ? 'added' : !na ? 'removed' : nb.label === na.label ? 'same' : 'changed';
    const vb = own(nb);
    const va = own(na);
    return {
      beforeId: b,
      afterId: a,
      label: (na ?? nb)!.label,
      beforeLabel: change === 'changed' ? nb!.label : undefined,
      change,
      before: vb,
      after: va,
      delta: (va ?? 0) - (vb ?? 0),
      rowsBefore: nb?.rows.actualTotal ?? nb?.rows.estimatedTotal,
      rowsAfter: na?.rows.actualTotal ?? na?.rows.estimatedTotal,
    };
  });
  const total = (p: EnrichedPlan) => (metric === 'time' ? p.totals.basis : p.totals.totalCost ?? 0);
  const totalBefore = total(before);
  const totalAfter = total(after);
  const sameWork = metric === 'time' && sameWorkDone(before, after, nodes) &&
    Math.abs(totalAfter - totalBefore) < Math.max(VARIATION_MS, VARIATION_SHARE * Math.min(totalBefore, totalAfter));
  return { metric, nodes, totalBefore, totalAfter, sameWork, summary: summarise(before, after, nodes, metric, totalBefore, totalAfter, sameWork) };
}

function alignTrees(before: EnrichedPlan, after: EnrichedPlan): Pair[] {
  const out: Pair[] = [];
  const visit = (b: number | null, a: number | null) => {
    out.push([b, a]);
    if (b === null || a === null) {
      // An added or removed node brings its whole subtree with it.
      const plan = b === null ? after : before;
      for (const c of plan.nodes[(b ?? a)!]!.childIds) visit(b === null ? null : c, b === null ? c : null);
      return;
    }
    for (const [cb, ca] of alignChildren(before.nodes[b]!.childIds.map((id) => before.nodes[id]!), after.nodes[a]!.childIds.map((id) => after.nodes[id]!))) visit(cb, ca);
  };
  visit(0, 0);
  return out;
}

const strictKey = (n: PlanNode) => `${n.nodeType}|${n.relation?.name ?? n.raw['CTE Name'] ?? ''}|${n.attachment}`;

function alignChildren(bs: readonly PlanNode[], as: readonly PlanNode[]): Pair[] {
  const matchOf = new Map<number, number>(); // after id → before id
  const usedB = new Set<number>();
  const pair = (b: PlanNode, a: PlanNode) => { matchOf.set(a.id, b.id); usedB.add(b.id); };
  for (const [i, j] of lcs(bs.map(strictKey), as.map(strictKey))) pair(bs[i]!, as[j]!);
  // What the common subsequence left (children that swapped places, changed operation or moved):
  // the same key anywhere, then the same relation, then the same position and relationship.
  const passes: Array<(b: PlanNode, a: PlanNode) => boolean> = [
    (b, a) => strictKey(b) === strictKey(a),
    (b, a) => b.relation !== undefined && b.relation.name === a.relation?.name,
    (b, a) => bs.indexOf(b) === as.indexOf(a) && b.attachment === a.attachment,
  ];
  for (const test of passes) {
    for (const a of as) {
      if (matchOf.has(a.id)) continue;
      const b = bs.find((x) => !usedB.has(x.id) && test(x, a));
      if (b) pair(b, a);
    }
  }
  const pairs: Pair[] = as.map((a) => [matchOf.get(a.id) ?? null, a.id]);
  for (const b of bs) if (!usedB.has(b.id)) pairs.push([b.id, null]);
  return pairs;
}

/** Index pairs of a longest common subsequence, in order. */
function lcs(x: readonly string[], y: readonly string[]): Array<readonly [number, number]> {
  const table = Array.from({ length: x.length + 1 }, () => new Array<number>(y.length + 1).fill(0));
  for (let i = x.length - 1; i >= 0; i--) {
    for (let j = y.length - 1; j >= 0; j--) {
      table[i]![j] = x[i] === y[j] ? table[i + 1]![j + 1]! + 1 : Math.max(table[i + 1]![j]!, table[i]![j + 1]!);
    }
  }
  const out: Array<readonly [number, number]> = [];
  let i = 0;
  let j = 0;
  while (i < x.length && j < y.length) {
    if (x[i] === y[j]) { out.push([i, j]); i++; j++; } else if (table[i + 1]![j]! >= table[i]![j + 1]!) i++; else j++;
  }
  return out;
}

/** Same nodes in the same places, the same rows out of each, the same pages touched. */
function sameWorkDone(before: EnrichedPlan, after: EnrichedPlan, nodes: readonly NodeDelta[]): boolean {
  if (nodes.some((d) => d.change !== 'same') || before.nodes.length !== after.nodes.length) return false;
  if (nodes.some((d) => d.rowsBefore !== d.rowsAfter)) return false;
  const pages = (p: EnrichedPlan) => (p.totals.buffers ? blocksTouched(p.totals.buffers) : undefined);
  return pages(before) === pages(after);
}

function summarise(before: EnrichedPlan, after: EnrichedPlan, nodes: readonly NodeDelta[], metric: 'time' | 'cost', tb: number, ta: number, sameWork: boolean): string[] {
  const lines: string[] = [];
  const show = (v: number) => (metric === 'time' ? formatDuration(v) : formatCost(v));
  const ratio = tb > 0 && ta > 0 ? (ta < tb ? `${(tb / ta).toFixed(1)}× faster` : ta > tb ? `${(ta / tb).toFixed(1)}× slower` : 'unchanged') : '';
  if (sameWork && ta !== tb) {
    lines.push(`The same plan doing the same work: execution time ${show(tb)} → ${show(ta)}, within run-to-run variation.`);
  } else {
    lines.push(`${metric === 'time' ? 'Execution time' : 'Total cost'} ${show(tb)} → ${show(ta)}${ratio ? ` (${ratio})` : ''}.`);
  }
  if (before.totals.planningMs !== undefined && after.totals.planningMs !== undefined) {
    lines.push(`Planning time ${formatDuration(before.totals.planningMs)} → ${formatDuration(after.totals.planningMs)}.`);
  }
  for (const n of nodes.filter((d) => d.change === 'changed').slice(0, 5)) lines.push(`${n.beforeLabel} became ${n.label}.`);
  const added = nodes.filter((d) => d.change === 'added');
  const removed = nodes.filter((d) => d.change === 'removed');
  if (removed.length > 0) lines.push(`Gone: ${list(removed.map((d) => d.label))}.`);
  if (added.length > 0) lines.push(`New: ${list(added.map((d) => d.label))}.`);
  const moved = nodes.filter((d) => d.change !== 'added' && d.change !== 'removed' && Math.abs(d.delta ?? 0) > 0).sort((x, y) => Math.abs(y.delta!) - Math.abs(x.delta!)).slice(0, 3);
  for (const d of moved) {
    if (Math.abs(d.delta!) < Math.max(tb, ta) * 0.05) continue;
    lines.push(`${d.label}: ${show(d.before ?? 0)} → ${show(d.after ?? 0)} of its own.`);
  }
  const blocks = (p: EnrichedPlan) => (p.totals.buffers ? blocksTouched(p.totals.buffers) : undefined);
  const bb = blocks(before);
  const ba = blocks(after);
  if (bb !== undefined && ba !== undefined && bb !== ba) lines.push(`Pages read ${formatCount(bb)} → ${formatCount(ba)}.`);
  const filtered = (p: EnrichedPlan) => p.nodes.reduce((s, n) => s + (n.rows.removedByFilter ?? 0) + (n.rows.removedByIndexRecheck ?? 0) + (n.rows.removedByJoinFilter ?? 0), 0);
  const fb = filtered(before);
  const fa = filtered(after);
  if (fb !== fa && (before.analyzed && after.analyzed)) lines.push(`Rows read and thrown away ${formatCount(fb)} → ${formatCount(fa)}.`);
  const spills = (p: EnrichedPlan) => p.nodes.filter((n) => n.memory.spilled).length;
  if (spills(before) !== spills(after)) lines.push(`Operations spilling to disk ${spills(before)} → ${spills(after)}.`);
  if (before.nodes.length !== after.nodes.length) lines.push(`Plan nodes ${before.nodes.length} → ${after.nodes.length}.`);
  return lines;
}

function list(labels: readonly string[]): string {
  return labels.length <= 3 ? labels.join('; ') : `${labels.slice(0, 3).join('; ')} and ${labels.length - 3} more`;
}

/**
 * An icicle (top-down flame) layout of the plan by inclusive time, or cost
 * without timing: each node gets a horizontal slice of its parent's width in
 * proportion to its share of the parent's measure, one row per level. The
 * tree used is the one of measured time (see attribution.ts), so an InitPlan
 * sits under the node that ran it and a CTE under the scan that read it
 * most. Where children's measures add up to more than their parent's (a CTE
 * read by several scans, rounding in per-loop averages), they are scaled
 * down to fit, so slices never overlap.
 */
import type { EnrichedPlan } from './enrich';

export interface IcicleCell {
  readonly nodeId: number;
  /** 0..1, from the left edge of the whole chart. */
  readonly x: number;
  /** 0..1 of the whole chart's width. */
  readonly width: number;
  /** Row, 0 at the top. */
  readonly depth: number;
}

export interface IcicleLayout {
  readonly cells: readonly IcicleCell[];
  readonly maxDepth: number;
}

export function icicleLayout(plan: EnrichedPlan): IcicleLayout {
  const measure = (id: number): number => {
    const n = plan.nodes[id]!;
    return Math.max(0, (plan.metric === 'time' ? n.inclusiveMs : n.totalCost) ?? 0);
  };
  const tops = plan.nodes.filter((n) => n.timeParentId === null).map((n) => n.id);
  const total = tops.reduce((s, id) => s + measure(id), 0);
  const cells: IcicleCell[] = [];
  let maxDepth = 0;
  // Iterative, so that deep plans cannot overflow the stack.
  const stack: Array<{ ids: readonly number[]; x: number; width: number; budget: number; depth: number }> = [
    { ids: tops, x: 0, width: 1, budget: total, depth: 0 },
  ];
  while (stack.length > 0) {
    const { ids, x, width, budget, depth } = stack.pop()!;
    const sum = ids.reduce((s, id) => s + measure(id), 0);
    // Zero-measure siblings (never executed, or no timing at all) share the space equally.
    const scale = sum > 0 ? width / Math.max(budget, sum) : 0;
    const even = sum > 0 ? 0 : width / Math.max(ids.length, 1);
    let cursor = x;
    for (const id of ids) {
      const w = sum > 0 ? measure(id) * scale : even;
      cells.push({ nodeId: id, x: cursor, width: w, depth });
      maxDepth = Math.max(maxDepth, depth);
      const children = plan.nodes[id]!.timeChildIds;
      if (children.length > 0) stack.push({ ids: children, x: cursor, width: w, budget: measure(id), depth: depth + 1 });
      cursor += w;
    }
  }
  cells.sort((a, b) => a.nodeId - b.nodeId);
  return { cells, maxDepth };
}

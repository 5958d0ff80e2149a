/**
 * Time the statement spent outside the plan's nodes, or inside a node
 * without being that node's work: triggers and JIT compilation. EXPLAIN
 * reports both once for the statement; where they actually ran decides
 * whose time they are part of.
 *
 * - Triggers. AFTER triggers (and every foreign key's check or cascade) fire
 *   once the plan has finished, so their time is in "Execution Time" but in
 *   no node. BEFORE and INSTEAD OF row triggers fire inside the
 *   ModifyTable node, whose measured time then contains them. EXPLAIN does
 *   not say which kind ran, but the figures do: time the root's measure and
 *   the execution time leave no room for can only be inside the plan.
 * - JIT. Generation happens while the executor starts (outside every node);
 *   inlining, optimisation and emission happen when the first compiled
 *   expression is evaluated, inside that node's startup time. The node is
 *   the deepest one whose startup time holds the compilation; in a parallel
 *   plan the workers compile too and the summary adds their times, so no
 *   single node may hold it: then it is left in place and said to overlap.
 */
import type { TreeNode } from './attribution';
import type { RawExplain } from './model';

export interface PlacedTrigger {
  /** Index into the statement's Triggers. */
  readonly index: number;
  /** The node whose time contains it; null when it ran after the plan. */
  readonly nodeId: number | null;
  readonly timeMs: number;
}

export interface PlacedJit {
  /** Inlining + optimisation + emission: the part timed inside a node. */
  readonly compileMs: number;
  /** The node whose startup contains the compilation; null when none can (parallel plans). */
  readonly nodeId: number | null;
}

export interface StatementTime {
  readonly triggers: readonly PlacedTrigger[];
  readonly jit?: PlacedJit;
}

/** Figures within this much of each other are equal (printing rounds each to the microsecond). */
function tolerance(executionMs: number): number {
  return Math.max(0.05, executionMs * 0.01);
}

export function placeStatementTime(
  raw: RawExplain,
  tree: readonly TreeNode[],
  inclusiveMs: readonly number[],
  topLevelMs: number,
  divisors: readonly number[],
): StatementTime {
  const executionMs = raw['Execution Time'];
  return { triggers: placeTriggers(raw, tree, topLevelMs, executionMs), jit: placeJit(raw, tree, inclusiveMs, divisors, executionMs) };
}

function placeTriggers(raw: RawExplain, tree: readonly TreeNode[], topLevelMs: number, executionMs: number | undefined): PlacedTrigger[] {
  const triggers = (raw.Triggers ?? []).map((t, index) => ({ index, t, timeMs: t.Time ?? 0 }));
  if (executionMs === undefined || triggers.length === 0) return triggers.map(({ index, timeMs }) => ({ index, nodeId: null, timeMs }));
  let room = executionMs - topLevelMs + tolerance(executionMs);
  // Constraint triggers are always AFTER triggers: they take the room first.
  const order = [...triggers].sort((a, b) => Number(b.t['Constraint Name'] !== undefined) - Number(a.t['Constraint Name'] !== undefined));
  const placed = new Map<number, PlacedTrigger>();
  for (const { index, t, timeMs } of order) {
    if (t['Constraint Name'] !== undefined || timeMs <= room) {
      room -= timeMs;
      placed.set(index, { index, nodeId: null, timeMs });
    } else {
      placed.set(index, { index, nodeId: modifyingNode(tree, t.Relation), timeMs });
    }
  }
  return triggers.map(({ index }) => placed.get(index)!);
}

/** The ModifyTable node writing the trigger's table, else the first one, else the root. */
function modifyingNode(tree: readonly TreeNode[], relation: string | undefined): number {
  let first: number | undefined;
  for (let id = 0; id < tree.length; id++) {
    const r = tree[id]!.raw;
    if (r['Node Type'] !== 'ModifyTable') continue;
    if (relation !== undefined && r['Relation Name'] === relation) return id;
    first ??= id;
  }
  return first ?? 0;
}

function placeJit(raw: RawExplain, tree: readonly TreeNode[], inclusiveMs: readonly number[], divisors: readonly number[], executionMs: number | undefined): PlacedJit | undefined {
  const t = raw.JIT?.Timing;
  if (!t) return undefined;
  const compileMs = (t.Inlining ?? 0) + (t.Optimization ?? 0) + (t.Emission ?? 0);
  if (compileMs <= 0) return { compileMs: 0, nodeId: null };
  const slack = tolerance(executionMs ?? compileMs);
  let nodeId: number | null = null;
  let depth = -1;
  tree.forEach((n, id) => {
    const startup = n.raw['Actual Startup Time'];
    if (startup === undefined || divisors[id] !== 1 || (n.raw['Actual Loops'] ?? 0) === 0) return;
    if (startup + slack < compileMs || inclusiveMs[id]! + slack < compileMs) return;
    if (n.depth > depth) {
      nodeId = id;
      depth = n.depth;
    }
  });
  return { compileMs, nodeId };
}

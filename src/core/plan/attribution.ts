/**
 * Which node's measured time contains which other node's time.
 *
 * PostgreSQL times each node from the moment it is asked for a row until it
 * returns one, so a node's time includes everything that ran inside it. For
 * ordinary children (Outer, Inner, Member, Subquery) and for SubPlans (run
 * while the node evaluates an expression) that is the parent. Two cases are
 * different, and getting them wrong counts time twice:
 *
 * - An InitPlan runs the first time its value is needed, inside whichever node
 *   evaluates the expression that references it ("(InitPlan 1).col1", or "$0"
 *   before PostgreSQL 17). That is often a descendant of the node it hangs
 *   off, so its time sits in that descendant. We attribute it to the deepest
 *   referencing node, or to the node it hangs off when nothing references it
 *   (or when that node is a Gather, whose leader runs InitPlans before
 *   starting the workers).
 * - A CTE runs lazily while its CTE Scans read it, so its time sits in those
 *   scans. Like pev2, we split it between the scans in proportion to their
 *   own measure. A CTE nobody scans (a data-modifying CTE) runs at the end of
 *   the statement, outside the plan's root: it becomes a top-level piece.
 *
 * Costs follow the planner's bookkeeping instead: a node's total cost
 * includes its InitPlans' and CTEs' costs, so the JSON tree is used as is.
 */
import type { RawPlanNode } from './model';

export interface TreeNode {
  readonly raw: RawPlanNode;
  readonly parentId: number | null;
  readonly childIds: readonly number[];
  readonly depth: number;
}

export interface Attribution {
  /** Per node: children whose whole measure is inside the node's. */
  readonly full: number[][];
  /** CTE node id → the CTE Scans that read it (the CTE's measure is split between them). */
  readonly cteScans: ReadonlyMap<number, readonly number[]>;
  /** Per node: the node whose measure contains it, for layouts; null for top-level pieces. */
  readonly timeParent: Array<number | null>;
}

export function isCte(raw: RawPlanNode): boolean {
  return raw['Parent Relationship'] === 'InitPlan' && (raw['Subplan Name'] ?? '').startsWith('CTE ');
}

export function isInitPlan(raw: RawPlanNode): boolean {
  return raw['Parent Relationship'] === 'InitPlan' && !isCte(raw);
}

/** The planner's view: every child's cost is inside its JSON parent's. */
export function attributeCost(nodes: readonly TreeNode[]): Attribution {
  return {
    full: nodes.map((n) => [...n.childIds]),
    cteScans: new Map(),
    timeParent: nodes.map((n) => n.parentId),
  };
}

/** The executor's view, for measured time and buffers (see the file comment). */
export function attributeTime(nodes: readonly TreeNode[], measure: (id: number) => number): Attribution {
  const full: number[][] = nodes.map(() => []);
  const cteScans = new Map<number, number[]>();
  const timeParent: Array<number | null> = nodes.map(() => null);

  nodes.forEach((node, id) => {
    if (node.parentId === null) return;
    if (isCte(node.raw)) {
      const name = (node.raw['Subplan Name'] ?? '').slice('CTE '.length);
      const scans = nodes.flatMap((n, i) => (n.raw['Node Type'] === 'CTE Scan' && n.raw['CTE Name'] === name ? [i] : []));
      if (scans.length === 0) return; // runs on its own at the end of the statement
      cteScans.set(id, scans);
      timeParent[id] = scans.reduce((best, s) => (measure(s) > measure(best) ? s : best));
      return;
    }
    const owner = isInitPlan(node.raw) ? initPlanOwner(nodes, id) : node.parentId;
    full[owner]!.push(id);
    timeParent[id] = owner;
  });
  return { full, cteScans, timeParent };
}

/** The node that evaluates an InitPlan's value first: the deepest one that references it. */
function initPlanOwner(nodes: readonly TreeNode[], initPlanId: number): number {
  const attachedTo = nodes[initPlanId]!.parentId!;
  const gatherLike = /^Gather/.test(nodes[attachedTo]!.raw['Node Type']);
  const pattern = referencePattern(nodes[initPlanId]!.raw['Subplan Name']);
  if (gatherLike || !pattern) return attachedTo;
  let owner = attachedTo;
  let ownerDepth = -1;
  const stack = [attachedTo];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (id === initPlanId) continue;
    const node = nodes[id]!;
    if (node.depth > ownerDepth && references(node.raw, pattern)) {
      owner = id;
      ownerDepth = node.depth;
    }
    for (let i = node.childIds.length - 1; i >= 0; i--) stack.push(node.childIds[i]!);
  }
  return owner;
}

/** "InitPlan 3" is referenced as "(InitPlan 3)"; "InitPlan 3 (returns $1,$2)" (before 17) as "$1" or "$2". */
function referencePattern(subplanName: string | undefined): RegExp | undefined {
  if (!subplanName) return undefined;
  const returns = /\(returns ([^)]*)\)/.exec(subplanName);
  if (returns) {
    const params = returns[1]!.split(',').map((p) => p.trim().replace(/[$]/g, '\\$')).filter(Boolean);
    return params.length > 0 ? new RegExp(`(?:${params.join('|')})(?!\\d)`) : undefined;
  }
  const m = /^InitPlan (\d+)/.exec(subplanName);
  return m ? new RegExp(`\\(InitPlan ${m[1]}\\)`) : undefined;
}

/** Keys naming the node rather than holding expressions. */
const NAME_KEYS = new Set(['Node Type', 'Parent Relationship', 'Subplan Name', 'Relation Name', 'Schema', 'Alias', 'Index Name', 'CTE Name', 'Function Name']);

function references(raw: RawPlanNode, pattern: RegExp): boolean {
  for (const [key, value] of Object.entries(raw)) {
    if (NAME_KEYS.has(key) || key === 'Plans' || key === 'Workers') continue;
    if (typeof value === 'string' && pattern.test(value)) return true;
    if (Array.isArray(value) && value.some((v) => typeof v === 'string' && pattern.test(v))) return true;
  }
  return false;
}

/**
 * A node's own share of a measure: its value minus what its attributed
 * children and CTEs account for, never below zero (rounding in the server's
 * per-loop averages can make children add up to slightly more).
 */
export function exclusiveShares(attribution: Attribution, values: readonly number[]): number[] {
  const out = values.map((v, id) => v - sum(attribution.full[id]!.map((c) => values[c] ?? 0)));
  for (const [cte, scans] of attribution.cteScans) {
    const scanTotal = sum(scans.map((s) => values[s] ?? 0));
    for (const s of scans) {
      const share = scanTotal > 0 ? (values[s] ?? 0) / scanTotal : 1 / scans.length;
      out[s] = out[s]! - (values[cte] ?? 0) * share;
    }
  }
  return out.map((v) => Math.max(0, v));
}

function sum(xs: readonly number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return s;
}

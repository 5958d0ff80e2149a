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
 *   referencing node, or to the node it hangs off when nothing references it.
 *   A Gather's leader evaluates the values its workers need before starting
 *   them, so a reference below a Gather makes the Gather the owner; and a
 *   node that never ran, or ran for less time than the InitPlan, cannot hold
 *   it (the nearest ancestor that can does). All references are indexed in
 *   one pass, so this stays linear in the plan's size.
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

/**
 * The executor's view, for measured time and buffers (see the file comment).
 * `ran` says whether a node executed at all: a node that never ran cannot
 * hold an InitPlan's time. Linear in the plan's size: references are indexed
 * in one pass, and preorder ids make "is inside this subtree" a comparison.
 */
export function attributeTime(nodes: readonly TreeNode[], measure: (id: number) => number, ran: (id: number) => boolean = () => true): Attribution {
  const full: number[][] = nodes.map(() => []);
  const cteScans = new Map<number, number[]>();
  const timeParent: Array<number | null> = nodes.map(() => null);
  const ends = subtreeEnds(nodes);
  const refs = referenceIndex(nodes);
  const scansByCte = new Map<string, number[]>();
  nodes.forEach((n, i) => {
    if (n.raw['Node Type'] !== 'CTE Scan' || n.raw['CTE Name'] === undefined) return;
    const list = scansByCte.get(n.raw['CTE Name']) ?? [];
    list.push(i);
    scansByCte.set(n.raw['CTE Name'], list);
  });

  nodes.forEach((node, id) => {
    if (node.parentId === null) return;
    if (isCte(node.raw)) {
      const scans = scansByCte.get((node.raw['Subplan Name'] ?? '').slice('CTE '.length)) ?? [];
      if (scans.length === 0) return; // runs on its own at the end of the statement
      cteScans.set(id, scans);
      timeParent[id] = scans.reduce((best, s) => (measure(s) > measure(best) ? s : best));
      return;
    }
    const owner = isInitPlan(node.raw) ? initPlanOwner(nodes, id, { ends, refs, measure, ran }) : node.parentId;
    full[owner]!.push(id);
    timeParent[id] = owner;
  });
  return { full, cteScans, timeParent };
}

interface OwnerFacts {
  readonly ends: readonly number[];
  readonly refs: ReadonlyMap<string, readonly number[]>;
  readonly measure: (id: number) => number;
  readonly ran: (id: number) => boolean;
}

/**
 * The node that evaluates an InitPlan's value first: the deepest one that
 * references it, with two corrections. Below a Gather, the leader evaluates
 * the value before it starts the workers ("Params Evaluated"), so the time is
 * the Gather's, not the parallel scan's. And a node that never ran, or whose
 * time is shorter than the InitPlan's, cannot contain it: the time belongs to
 * the nearest ancestor that can.
 */
function initPlanOwner(nodes: readonly TreeNode[], initPlanId: number, facts: OwnerFacts): number {
  const attachedTo = nodes[initPlanId]!.parentId!;
  const inside = (id: number, root: number) => id >= root && id < facts.ends[root]!;
  let owner = attachedTo;
  if (!isGatherLike(nodes[attachedTo]!.raw)) {
    let ownerDepth = -1;
    for (const key of referenceKeys(nodes[initPlanId]!.raw['Subplan Name'])) {
      for (const id of facts.refs.get(key) ?? []) {
        if (id === attachedTo || !inside(id, attachedTo) || inside(id, initPlanId)) continue;
        const depth = nodes[id]!.depth;
        if (depth > ownerDepth || (depth === ownerDepth && id < owner)) {
          owner = id;
          ownerDepth = depth;
        }
      }
    }
  }
  // The nearest Gather between the referencing node and the attachment point evaluates the value.
  for (let id: number | null = owner; id !== null && id !== attachedTo; id = nodes[id]!.parentId) {
    if (isGatherLike(nodes[id]!.raw)) {
      owner = id;
      break;
    }
  }
  const needed = facts.measure(initPlanId) - ROUNDING_MS;
  while (owner !== attachedTo && (!facts.ran(owner) || facts.measure(owner) < needed)) owner = nodes[owner]!.parentId!;
  return owner;
}

/** Per-loop times are printed to the microsecond: within this, two figures are equal. */
const ROUNDING_MS = 0.001;

function isGatherLike(raw: RawPlanNode): boolean {
  return /^Gather/.test(raw['Node Type']);
}

/** Preorder ids: the subtree of `id` is [id, ends[id]). */
function subtreeEnds(nodes: readonly TreeNode[]): number[] {
  const ends = nodes.map((_, i) => i + 1);
  for (let i = nodes.length - 1; i >= 0; i--) {
    const parent = nodes[i]!.parentId;
    if (parent !== null && ends[i]! > ends[parent]!) ends[parent] = ends[i]!;
  }
  return ends;
}

/**
 * "InitPlan 3" is referenced as "(InitPlan 3)" (keys "i3"); "InitPlan 3
 * (returns $1,$2)" (before 17) as "$1" or "$2" (keys "p1", "p2").
 */
function referenceKeys(subplanName: string | undefined): string[] {
  if (!subplanName) return [];
  const returns = /\(returns ([^)]*)\)/.exec(subplanName);
  if (returns) return returns[1]!.split(',').map((p) => p.trim().replace(/^\$/, '')).filter((p) => /^\d+$/.test(p)).map((p) => `p${p}`);
  const m = /^InitPlan (\d+)/.exec(subplanName);
  return m ? [`i${m[1]}`] : [];
}

const REFERENCE = /\(InitPlan (\d+)\)|\$(\d+)/g;

/** Every node's references to InitPlan values, in one pass over the plan's expressions. */
function referenceIndex(nodes: readonly TreeNode[]): Map<string, number[]> {
  const index = new Map<string, number[]>();
  nodes.forEach((node, id) => {
    const seen = new Set<string>();
    forEachExpression(node.raw, (text) => {
      if (text.indexOf('$') < 0 && text.indexOf('InitPlan') < 0) return;
      for (const m of text.matchAll(REFERENCE)) seen.add(m[1] !== undefined ? `i${m[1]}` : `p${m[2]}`);
    });
    for (const key of seen) {
      const list = index.get(key);
      if (list) list.push(id);
      else index.set(key, [id]);
    }
  });
  return index;
}

/** Keys naming the node rather than holding expressions. */
const NAME_KEYS = new Set(['Node Type', 'Parent Relationship', 'Subplan Name', 'Relation Name', 'Schema', 'Alias', 'Index Name', 'CTE Name', 'Function Name']);

function forEachExpression(raw: RawPlanNode, visit: (text: string) => void): void {
  for (const [key, value] of Object.entries(raw)) {
    if (NAME_KEYS.has(key) || key === 'Plans' || key === 'Workers') continue;
    if (typeof value === 'string') visit(value);
    else if (Array.isArray(value)) for (const v of value) if (typeof v === 'string') visit(v);
  }
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

export function sum(xs: readonly number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return s;
}

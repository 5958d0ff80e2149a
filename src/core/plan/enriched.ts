/**
 * The shape of an enriched plan: what enrich.ts computes once, and what the
 * rules, the view model and comparisons read.
 */
import type { Buffers, IoTimings, Wal } from './counters';
import type { MemoryDetails } from './memory';
import type { RawExplain, RawPlanNode } from './model';

export type Metric = 'time' | 'cost';
export type Attachment = 'child' | 'initplan' | 'subplan' | 'cte';

export interface Misestimate {
  /** ≥ 1: how many times larger the bigger of estimate and actual is. */
  readonly factor: number;
  readonly direction: 'under' | 'over' | 'exact';
}

export interface RowCounts {
  /** Estimated rows per loop ("Plan Rows"). */
  readonly estimatedPerLoop?: number;
  /** Estimated rows per loop × actual loops (× 1 without ANALYZE). */
  readonly estimatedTotal?: number;
  readonly actualPerLoop?: number;
  readonly actualTotal?: number;
  readonly removedByFilter?: number;
  readonly removedByJoinFilter?: number;
  readonly removedByIndexRecheck?: number;
  readonly heapFetches?: number;
  readonly indexSearches?: number;
  readonly misestimate?: Misestimate;
}

export interface PlanNode {
  readonly id: number;
  readonly parentId: number | null;
  readonly childIds: readonly number[];
  readonly depth: number;
  /** How the node hangs off its parent. */
  readonly attachment: Attachment;
  /** "InitPlan 1", "SubPlan 2", "CTE totals". */
  readonly subplanName?: string;
  readonly nodeType: string;
  /** The operation as psql names it: "Hash Left Join", "Partial HashAggregate". */
  readonly operation: string;
  /** "Index Scan using users_pkey on users u". */
  readonly label: string;
  readonly relation?: { readonly schema?: string; readonly name: string; readonly alias?: string };
  readonly indexName?: string;
  readonly raw: RawPlanNode;
  /** undefined without ANALYZE. */
  readonly loops?: number;
  readonly neverExecuted: boolean;
  /** Processes that the per-loop averages are spread over (1 outside parallel subtrees). */
  readonly parallelDivisor: number;
  /** ms, inclusive of children, × loops / processes. */
  readonly inclusiveMs?: number;
  readonly exclusiveMs?: number;
  /**
   * The inclusive time was raised above the printed figure: per-loop times
   * are printed to the microsecond, so a node run thousands of times can
   * print less than its children (see timeBounds.ts).
   */
  readonly roundedUp: boolean;
  /** ms until the first row, average per loop (as reported). */
  readonly startupMs?: number;
  readonly startupCost?: number;
  readonly totalCost?: number;
  readonly exclusiveCost?: number;
  /** Total cost scaled so that children never cost more than their parent (a Limit pays a fraction of its child). */
  readonly containedCost: number;
  /** Exclusive measure (time, or cost without timing) over the plan's total, 0..1. */
  readonly share: number;
  readonly rows: RowCounts;
  readonly buffers?: { readonly inclusive: Buffers; readonly exclusive: Buffers };
  readonly io?: { readonly inclusive: IoTimings; readonly exclusive: IoTimings };
  readonly wal?: Wal;
  readonly memory: MemoryDetails;
  readonly workers?: { readonly planned?: number; readonly launched?: number };
  readonly onHottestPath: boolean;
  /** The node whose measure contains this one's (for icicle layouts); null at the top. */
  readonly timeParentId: number | null;
  /** Children by measure: attributed children and CTEs read mainly through this node. */
  readonly timeChildIds: readonly number[];
}

export interface TriggerTime {
  readonly name: string;
  readonly constraint?: string;
  readonly relation?: string;
  readonly timeMs: number;
  readonly calls: number;
  /** The node whose time contains it (a BEFORE row trigger inside its ModifyTable); null when it ran after the plan. */
  readonly insideNodeId: number | null;
}

export interface JitSummary {
  readonly functions?: number;
  readonly options: Readonly<Record<string, boolean>>;
  readonly generationMs?: number;
  readonly inliningMs?: number;
  readonly optimizationMs?: number;
  readonly emissionMs?: number;
  readonly totalMs?: number;
  /** Inlining + optimisation + emission: compiled when first evaluated, inside a node's startup. */
  readonly compileMs?: number;
  /** The node whose startup holds the compilation; null when no node can (the workers compiled too). */
  readonly insideNodeId: number | null;
}

/** Where the execution time went; the parts add up to executionMs. */
export interface TimeBreakdown {
  /** The nodes' own times, triggers and JIT compilation taken out. */
  readonly nodesMs: number;
  readonly triggersMs: number;
  /** JIT compilation placed in a node (the rest of the JIT time is in executor start-up or in workers). */
  readonly jitMs: number;
  /** Executor start-up and shutdown, JIT generation, the rest. */
  readonly otherMs: number;
}

export interface PlanTotals {
  readonly planningMs?: number;
  readonly executionMs?: number;
  readonly jit?: JitSummary;
  readonly triggers: readonly TriggerTime[];
  readonly triggersMs: number;
  /** With ANALYZE and timing. */
  readonly breakdown?: TimeBreakdown;
  readonly totalCost?: number;
  /** What `share` is relative to: execution time, else the root's time, else the root's cost. */
  readonly basis: number;
  readonly nodeCount: number;
  readonly maxDepth: number;
  readonly buffers?: Buffers;
  readonly planningBuffers?: Buffers;
  readonly settings: Readonly<Record<string, string>>;
  readonly queryId?: string;
}

export interface EnrichedPlan {
  readonly raw: RawExplain;
  /** EXPLAIN ANALYZE: actual rows and loops are known. */
  readonly analyzed: boolean;
  /** Actual times are known (ANALYZE without TIMING OFF). */
  readonly timed: boolean;
  readonly metric: Metric;
  /** Preorder; nodes[0] is the root. */
  readonly nodes: readonly PlanNode[];
  readonly hottestPath: readonly number[];
  readonly totals: PlanTotals;
}

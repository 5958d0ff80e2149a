/**
 * The shape of `EXPLAIN (FORMAT JSON)` output, as PostgreSQL emits it.
 *
 * Every key is optional except "Node Type": which keys appear depends on the
 * server version, the EXPLAIN options (ANALYZE, BUFFERS, VERBOSE, SETTINGS,
 * WAL, TIMING) and the node type. Key names are PostgreSQL's own, so the
 * fixtures can be read side by side with this file. The index signatures keep
 * keys this file does not name (newer servers add some every release): the
 * text renderer prints them and nothing else depends on them.
 */

/** Buffer counters. In the JSON they are totals over all loops, inclusive of children. */
export interface RawBufferCounters {
  'Shared Hit Blocks'?: number;
  'Shared Read Blocks'?: number;
  'Shared Dirtied Blocks'?: number;
  'Shared Written Blocks'?: number;
  'Local Hit Blocks'?: number;
  'Local Read Blocks'?: number;
  'Local Dirtied Blocks'?: number;
  'Local Written Blocks'?: number;
  'Temp Read Blocks'?: number;
  'Temp Written Blocks'?: number;
  /** PostgreSQL 17 and later split I/O timings per buffer kind. */
  'Shared I/O Read Time'?: number;
  'Shared I/O Write Time'?: number;
  'Local I/O Read Time'?: number;
  'Local I/O Write Time'?: number;
  'Temp I/O Read Time'?: number;
  'Temp I/O Write Time'?: number;
  /** PostgreSQL 16 and earlier: shared and local together. */
  'I/O Read Time'?: number;
  'I/O Write Time'?: number;
}

export interface RawWalCounters {
  'WAL Records'?: number;
  'WAL FPI'?: number;
  'WAL Bytes'?: number;
  /** PostgreSQL 18. */
  'WAL Buffers Full'?: number;
}

/** Per-worker figures, present with VERBOSE on parallel nodes. */
export interface RawWorker extends RawBufferCounters, RawWalCounters {
  'Worker Number'?: number;
  'Actual Startup Time'?: number;
  'Actual Total Time'?: number;
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  'Sort Method'?: string;
  'Sort Space Used'?: number;
  'Sort Space Type'?: string;
  'Peak Memory Usage'?: number;
  'Disk Usage'?: number;
  'HashAgg Batches'?: number;
  [key: string]: unknown;
}

export interface RawSortGroups {
  'Group Count'?: number;
  'Sort Methods Used'?: string[];
  'Sort Space Memory'?: { 'Average Sort Space Used'?: number; 'Peak Sort Space Used'?: number };
  'Sort Space Disk'?: { 'Average Sort Space Used'?: number; 'Peak Sort Space Used'?: number };
  [key: string]: unknown;
}

export interface RawPlanNode extends RawBufferCounters, RawWalCounters {
  'Node Type': string;
  /** Outer, Inner, Member, Subquery, InitPlan or SubPlan. */
  'Parent Relationship'?: string;
  /** "InitPlan 1", "InitPlan 1 (returns $0)" (16 and earlier), "SubPlan 2", "CTE name". */
  'Subplan Name'?: string;
  /** Aggregate: Plain, Sorted, Hashed, Mixed. SetOp: Sorted, Hashed. */
  Strategy?: string;
  /** Aggregate: Simple, Partial, Finalize. */
  'Partial Mode'?: string;
  /** ModifyTable: Insert, Update, Delete, Merge. */
  Operation?: string;
  /** Joins: Inner, Left, Full, Right, Semi, Anti, Right Semi, Right Anti. */
  'Join Type'?: string;
  /** SetOp: Intersect, Intersect All, Except, Except All. */
  Command?: string;
  'Custom Plan Provider'?: string;
  'Parallel Aware'?: boolean;
  'Async Capable'?: boolean;
  'Relation Name'?: string;
  Schema?: string;
  Alias?: string;
  'Index Name'?: string;
  /** Forward, Backward, NoMovement. */
  'Scan Direction'?: string;
  'CTE Name'?: string;
  'Function Name'?: string;
  'Table Function Name'?: string;
  'Tuplestore Name'?: string;
  'Startup Cost'?: number;
  'Total Cost'?: number;
  /** Estimated rows per loop. */
  'Plan Rows'?: number;
  'Plan Width'?: number;
  /** Average per loop, in ms. */
  'Actual Startup Time'?: number;
  'Actual Total Time'?: number;
  /** Average per loop (fractional from PostgreSQL 18). */
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  /** PostgreSQL 18: the node was chosen although an enable_* setting disabled it. */
  Disabled?: boolean;
  Output?: string[];
  'Inner Unique'?: boolean;
  Filter?: string;
  'Index Cond'?: string;
  'Recheck Cond'?: string;
  'Join Filter'?: string;
  'Hash Cond'?: string;
  'Merge Cond'?: string;
  'One-Time Filter'?: string;
  'TID Cond'?: string;
  'Order By'?: string;
  'Run Condition'?: string;
  /** Average per loop, like Actual Rows. */
  'Rows Removed by Filter'?: number;
  'Rows Removed by Join Filter'?: number;
  'Rows Removed by Index Recheck'?: number;
  /** Total over all loops. */
  'Heap Fetches'?: number;
  /** PostgreSQL 18, total over all loops. */
  'Index Searches'?: number;
  'Exact Heap Blocks'?: number;
  'Lossy Heap Blocks'?: number;
  'Sort Key'?: string[];
  'Presorted Key'?: string[];
  'Sort Method'?: string;
  /** kB. */
  'Sort Space Used'?: number;
  /** Memory or Disk. */
  'Sort Space Type'?: string;
  'Full-sort Groups'?: RawSortGroups;
  'Pre-sorted Groups'?: RawSortGroups;
  'Group Key'?: string[];
  'Planned Partitions'?: number;
  'HashAgg Batches'?: number;
  /** kB. */
  'Peak Memory Usage'?: number;
  /** kB. */
  'Disk Usage'?: number;
  'Hash Buckets'?: number;
  'Original Hash Buckets'?: number;
  'Hash Batches'?: number;
  'Original Hash Batches'?: number;
  'Workers Planned'?: number;
  'Workers Launched'?: number;
  'Single Copy'?: boolean;
  Workers?: RawWorker[];
  /** PostgreSQL 18: Material, CTE Scan, WindowAgg, Recursive Union storage. */
  Storage?: string;
  'Maximum Storage'?: number;
  'Cache Key'?: string;
  'Cache Mode'?: string;
  'Cache Hits'?: number;
  'Cache Misses'?: number;
  'Cache Evictions'?: number;
  'Cache Overflows'?: number;
  Plans?: RawPlanNode[];
  [key: string]: unknown;
}

export interface RawTrigger {
  'Trigger Name': string;
  'Constraint Name'?: string;
  Relation?: string;
  /** ms, total over all calls. */
  Time?: number;
  Calls?: number;
}

export interface RawJit {
  Functions?: number;
  Options?: Record<string, boolean>;
  /** ms. From PostgreSQL 17, "Generation" may be an object with "Deform" and "Total". */
  Timing?: {
    Generation?: number | { Deform?: number; Total?: number };
    Inlining?: number;
    Optimization?: number;
    Emission?: number;
    Total?: number;
  };
  [key: string]: unknown;
}

/** One element of the array EXPLAIN (FORMAT JSON) returns. */
export interface RawExplain {
  Plan: RawPlanNode;
  'Query Identifier'?: number | string;
  Planning?: RawBufferCounters & { 'Memory Used'?: number; 'Memory Allocated'?: number; [key: string]: unknown };
  'Planning Time'?: number;
  Triggers?: RawTrigger[];
  JIT?: RawJit;
  'Execution Time'?: number;
  /** Non-default planner settings (EXPLAIN SETTINGS). */
  Settings?: Record<string, string>;
  Serialization?: Record<string, unknown>;
  [key: string]: unknown;
}

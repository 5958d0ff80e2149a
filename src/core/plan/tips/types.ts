/**
 * Tips: findings on an enriched plan, each with the action that fixes it and
 * an estimate of the time it could save. One rule per file in this folder;
 * a rule is data plus a pure `evaluate`, called once per node.
 */
import type { StatisticsCandidate } from '../../advice/statistics';
import type { EnrichedPlan, PlanNode } from '../enrich';

export type Severity = 'info' | 'warning' | 'critical';

export interface TipAction {
  /** What to do, in one or two sentences. */
  readonly text: string;
  /** Ready-to-run SQL when the action is a statement (a setting, ANALYZE, VACUUM). */
  readonly sql?: string;
}

/**
 * An index worth trying. The index advice engine verifies candidates
 * (hypothetical or rolled-back indexes) before anything is proposed; tips
 * only say which columns the plan points at.
 */
export interface IndexCandidate {
  readonly schema?: string;
  readonly table: string;
  readonly columns: readonly string[];
  /** A predicate for a partial index. */
  readonly where?: string;
}

export interface Tip {
  /** The rule id, also the docs page name (docs/tips/<id>.md). */
  readonly id: string;
  /** The node the tip is about; null for statement-level tips (JIT, triggers). */
  readonly nodeId: number | null;
  readonly severity: Severity;
  readonly title: string;
  /** One sentence, with the numbers that triggered the rule. */
  readonly message: string;
  readonly action: TipAction;
  /**
   * How much time fixing it could save, in ms, as the rule estimates it (each
   * rule states its estimate). null when the plan has no timing, or when the
   * tip points at something without a measurable saving (a slow node, stale
   * statistics).
   */
  readonly estimatedSavingMs: number | null;
  readonly indexCandidate?: IndexCandidate;
  /** Extended statistics worth trying (correlated columns); the index advice measures which kind fixes the estimate. */
  readonly statisticsCandidate?: StatisticsCandidate;
  /** Relative path of the rule's documentation page. */
  readonly docs: string;
}

/** A row of pg_stat_user_tables, as the db layer reads it. */
export interface TableStats {
  readonly schema: string;
  readonly table: string;
  /** n_live_tup. */
  readonly liveTuples: number;
  /** n_mod_since_analyze. */
  readonly modsSinceAnalyze: number;
  /** last_analyze, ISO 8601, or null when never analysed by hand. */
  readonly lastAnalyze: string | null;
  /** last_autoanalyze, ISO 8601, or null. */
  readonly lastAutoanalyze: string | null;
}

/** A foreign key from pg_constraint: `table (columns)` references `referencedTable`. */
export interface ForeignKey {
  readonly constraintName: string;
  readonly schema: string;
  readonly table: string;
  readonly columns: readonly string[];
  readonly referencedSchema: string;
  readonly referencedTable: string;
  /** A valid index leads with the referencing columns (unknown when absent). */
  readonly indexed?: boolean;
}

/** A partition the plan reads, and the partitioned table at the top of its tree. */
export interface PartitionOf {
  readonly schema: string;
  readonly table: string;
  readonly rootSchema: string;
  readonly rootTable: string;
  /** Leaf partitions under the root: an index on the root needs one on each. */
  readonly leafPartitions: number;
}

/** Facts from the catalog that some rules need; every field is optional. */
export interface PlanContext {
  readonly tableStats?: readonly TableStats[];
  readonly foreignKeys?: readonly ForeignKey[];
  readonly partitions?: readonly PartitionOf[];
  /** When the plan was taken, ISO 8601 (for "analysed 3 days ago"). */
  readonly now?: string;
}

export interface TipRule {
  readonly id: string;
  readonly title: string;
  /** Relative path of the documentation page, docs/tips/<id>.md. */
  readonly docs: string;
  /** Called for every node; statement-level rules act on the root (node.id === 0) only. */
  evaluate(node: PlanNode, plan: EnrichedPlan, context: PlanContext): Tip[];
}

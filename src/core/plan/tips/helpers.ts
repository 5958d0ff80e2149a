/** Small helpers shared by the tip rules. */
import type { EnrichedPlan, PlanNode } from '../enrich';
import { qualifiedName } from '../sql';
import type { Severity, Tip, TipAction, TipRule } from './types';

export function docsPath(id: string): string {
  return `docs/tips/${id}.md`;
}

/** The severity for `value` against ascending thresholds [info, warning, critical], or undefined below the first. */
export function band(value: number, thresholds: readonly [number, number, number]): Severity | undefined {
  if (value >= thresholds[2]) return 'critical';
  if (value >= thresholds[1]) return 'warning';
  if (value >= thresholds[0]) return 'info';
  return undefined;
}

const ORDER: Severity[] = ['info', 'warning', 'critical'];

export function severityRank(s: Severity): number {
  return ORDER.indexOf(s);
}

export function raise(s: Severity): Severity {
  return ORDER[Math.min(ORDER.indexOf(s) + 1, ORDER.length - 1)]!;
}

export interface TipFields {
  readonly severity: Severity;
  readonly message: string;
  readonly action: TipAction;
  readonly estimatedSavingMs: number | null;
  readonly indexCandidate?: Tip['indexCandidate'];
  readonly statisticsCandidate?: Tip['statisticsCandidate'];
}

export function tip(rule: TipRule, nodeId: number | null, fields: TipFields): Tip {
  return { id: rule.id, nodeId, title: rule.title, docs: rule.docs, ...fields };
}

/** The saving estimate only means something when the plan was timed. */
export function saving(plan: EnrichedPlan, ms: number): number | null {
  return plan.timed ? Math.max(0, ms) : null;
}

export const HEAP_SCANS = new Set(['Seq Scan', 'Bitmap Heap Scan', 'Tid Scan', 'Tid Range Scan', 'Sample Scan']);
export const INDEX_SCANS = new Set(['Index Scan', 'Index Only Scan']);

/** The node's table for SQL: schema-qualified when the plan says the schema (VERBOSE). */
export function tableSql(node: PlanNode): string | undefined {
  return node.relation ? qualifiedName(node.relation.name, node.relation.schema) : undefined;
}

/** The table as people name it in a sentence: "orders", or "audit.orders" outside public. */
export function tableName(node: PlanNode): string {
  const r = node.relation;
  if (!r) return node.label;
  return r.schema && r.schema !== 'public' ? `${r.schema}.${r.name}` : r.name;
}

/** Rows the node looked at: what it returned plus what its filters and rechecks threw away. */
export function rowsExamined(node: PlanNode): number {
  const r = node.rows;
  return (r.actualTotal ?? 0) + (r.removedByFilter ?? 0) + (r.removedByIndexRecheck ?? 0);
}

/** Children that feed rows (not InitPlans, SubPlans or CTEs). */
export function inputChildren(plan: EnrichedPlan, node: PlanNode): PlanNode[] {
  return node.childIds.map((id) => plan.nodes[id]!).filter((c) => c.attachment === 'child');
}

export function ancestors(plan: EnrichedPlan, node: PlanNode): PlanNode[] {
  const out: PlanNode[] = [];
  for (let p = node.parentId; p !== null; p = plan.nodes[p]!.parentId) out.push(plan.nodes[p]!);
  return out;
}

/** The current value of a setting when EXPLAIN (SETTINGS) reported it (only non-default values are). */
export function setting(plan: EnrichedPlan, name: string): string | undefined {
  return plan.totals.settings[name];
}

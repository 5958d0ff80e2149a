/**
 * One tip for a finding repeated on sibling partitions.
 *
 * A query on a partitioned table reads each partition through its own scan
 * under an Append (or Merge Append). A filter no index serves, a spill or a
 * misestimate is then reported once per partition: twelve critical tips for
 * one missing index. Tips of the same rule on scans of the same Append are
 * merged into one: on the scan with the largest saving (so that it still
 * lands on the right place in the SQL text), with the savings added up, the
 * highest severity, and the index candidate moved to the partitioned table
 * when the plan context says which one it is (an index created on the
 * partitioned table reaches every partition, present and future).
 */
import type { EnrichedPlan, PlanNode } from './enrich';
import { severityRank } from './tips/helpers';
import type { PartitionOf, PlanContext, Tip } from './tips/types';

const APPENDS = new Set(['Append', 'Merge Append']);

export function mergePartitionSiblings(tips: readonly Tip[], plan: EnrichedPlan, context: PlanContext): Tip[] {
  const groups = new Map<string, Tip[]>();
  const out: Array<Tip | string> = [];
  for (const t of tips) {
    const key = siblingKey(t, plan);
    if (key === undefined) {
      out.push(t);
      continue;
    }
    const group = groups.get(key);
    if (group) group.push(t);
    else {
      groups.set(key, [t]);
      out.push(key);
    }
  }
  return out.map((entry) => (typeof entry === 'string' ? merged(groups.get(entry)!, plan, context) : entry));
}

/** Rule and Append for a tip on a scan of a partition (or any table) directly under an Append. */
function siblingKey(t: Tip, plan: EnrichedPlan): string | undefined {
  if (t.nodeId === null) return undefined;
  const node = plan.nodes[t.nodeId]!;
  const append = appendAbove(plan, node);
  return append === undefined || !node.relation ? undefined : `${t.id}@${append.id}`;
}

/** The Append a scan feeds, looking through the one-child wrappers partitions get (Result, Sort, Materialize). */
function appendAbove(plan: EnrichedPlan, node: PlanNode): PlanNode | undefined {
  let current = node;
  for (let hops = 0; hops < 3 && current.parentId !== null && current.attachment === 'child'; hops++) {
    const parent = plan.nodes[current.parentId]!;
    if (APPENDS.has(parent.nodeType)) return parent;
    if (parent.childIds.length !== 1) return undefined;
    current = parent;
  }
  return undefined;
}

function merged(group: readonly Tip[], plan: EnrichedPlan, context: PlanContext): Tip {
  if (group.length === 1) return group[0]!;
  const lead = [...group].sort((a, b) => (b.estimatedSavingMs ?? 0) - (a.estimatedSavingMs ?? 0))[0]!;
  const savings = group.map((t) => t.estimatedSavingMs);
  const saving = savings.every((s) => s === null) ? null : savings.reduce<number>((a, s) => a + (s ?? 0), 0);
  const severity = group.reduce((best, t) => (severityRank(t.severity) > severityRank(best) ? t.severity : best), lead.severity);
  const roots = group.map((t) => rootOf(plan.nodes[t.nodeId!]!, context));
  const root = roots.every((r) => r !== undefined && r.rootTable === roots[0]!.rootTable && r.rootSchema === roots[0]!.rootSchema) ? roots[0] : undefined;
  const names = group.map((t) => plan.nodes[t.nodeId!]!.relation!.name);
  const list = names.length <= 4 ? names.join(', ') : `${names.slice(0, 3).join(', ')} and ${names.length - 3} more`;
  const where = root ? `${group.length} partitions of ${displayName(root.rootSchema, root.rootTable)} (${list})` : `${group.length} sibling scans under one Append (${list})`;
  const message = `The same on ${where}. The largest: ${lead.message}`;
  const candidate = lead.indexCandidate && root
    ? { ...lead.indexCandidate, schema: root.rootSchema, table: root.rootTable }
    : lead.indexCandidate;
  const action = root && lead.indexCandidate
    ? { text: `Index the partitioned table ${displayName(root.rootSchema, root.rootTable)} on (${lead.indexCandidate.columns.join(', ')}): an index on the partitioned table exists on all ${root.leafPartitions} partitions, and on those added later.` }
    : lead.action;
  return { ...lead, severity, message, action, estimatedSavingMs: saving, indexCandidate: candidate };
}

function rootOf(node: PlanNode, context: PlanContext): PartitionOf | undefined {
  const r = node.relation!;
  return context.partitions?.find((p) => p.table === r.name && (r.schema === undefined || p.schema === r.schema));
}

function displayName(schema: string, table: string): string {
  return schema === 'public' ? table : `${schema}.${table}`;
}

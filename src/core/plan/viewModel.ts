/**
 * The finished, serialisable model the plan webview renders: nodes flattened
 * in plan order with their depth, labels and formatted figures, bar widths,
 * flags, detail rows, the ranked tips, header totals and an icicle layout.
 * Everything is computed here so that the webview only lays it out; every
 * string is plain text (the webview sets it with textContent), so names
 * such as `<script>` arrive as the characters they are.
 */
import { buffersText, clip, nodeDetails, type ViewDetail } from './details';
import type { EnrichedPlan, PlanNode } from './enrich';
import { formatCost, formatCount, formatDuration, formatFactor, formatShare } from './format';
import { icicleLayout, type IcicleCell } from './icicle';
import { band } from './tips/helpers';
import { SHARE_BANDS } from './tips/slow-node';
import { FACTOR_BANDS } from './tips/row-misestimate';
import type { IndexCandidate, Severity, Tip } from './tips/types';

export type { ViewDetail } from './details';

/** Bumped when the shape changes, so that a restored view can tell it is stale. */
export const VIEW_MODEL_VERSION = 1;
/** The one-line summary under a node's label is cut here; the detail rows hold the full text. */
export const SUMMARY_CHARS = 160;

export interface ViewNode {
  readonly id: number;
  readonly parentId: number | null;
  readonly childIds: readonly number[];
  readonly depth: number;
  /** "InitPlan 1", "SubPlan 2", "CTE totals" for nodes that start a subplan. */
  readonly title?: string;
  readonly label: string;
  readonly operation: string;
  /** The node's main condition or key, one line. */
  readonly summary?: string;
  /** Formatted own and inclusive measure: "12.3 ms", or a cost without timing. */
  readonly exclusive: string;
  readonly inclusive: string;
  /** Own measure over the total, formatted. */
  readonly share: string;
  /** Own measure over the total, 0..1. */
  readonly bar: number;
  /** Inclusive measure over the total, 0..1. */
  readonly inclusiveBar: number;
  readonly rows: {
    readonly actual?: string;
    readonly estimated?: string;
    readonly loops?: string;
    readonly misestimate?: { readonly factor: string; readonly direction: 'under' | 'over'; readonly severity: Severity };
  };
  readonly flags: {
    /** The node with the largest own measure. */
    readonly hottest: boolean;
    readonly onHottestPath: boolean;
    readonly misestimated: boolean;
    readonly spilled: boolean;
    readonly neverExecuted: boolean;
    readonly parallel: boolean;
    /** Share band of the own measure (10/40/90%), when above the first. */
    readonly slow?: Severity;
  };
  /** Positions in `tips`. */
  readonly tipIndexes: readonly number[];
  readonly details: readonly ViewDetail[];
}

export interface ViewTip {
  readonly id: string;
  readonly nodeId: number | null;
  readonly nodeLabel?: string;
  readonly severity: Severity;
  readonly title: string;
  readonly message: string;
  readonly action: string;
  readonly sql?: string;
  /** "≈ 12.3 ms", or undefined when the rule gives no estimate. */
  readonly saving?: string;
  readonly savingMs: number | null;
  readonly docs: string;
  readonly indexCandidate?: IndexCandidate;
}

export interface ViewIcicleCell extends IcicleCell {
  readonly label: string;
  readonly value: string;
  readonly onHottestPath: boolean;
}

export interface PlanViewModel {
  readonly version: number;
  readonly metric: 'time' | 'cost';
  readonly analyzed: boolean;
  readonly header: readonly ViewDetail[];
  readonly settings: readonly ViewDetail[];
  readonly triggers: ReadonlyArray<{ readonly name: string; readonly detail: string; readonly time: string; readonly calls: string; readonly share: string }>;
  readonly nodes: readonly ViewNode[];
  readonly hottestNodeId: number | null;
  readonly hottestPath: readonly number[];
  readonly tips: readonly ViewTip[];
  readonly icicle: { readonly maxDepth: number; readonly cells: readonly ViewIcicleCell[] };
}

export function buildViewModel(plan: EnrichedPlan, tips: readonly Tip[]): PlanViewModel {
  const timed = plan.metric === 'time';
  const measureText = (value: number | undefined) => (timed ? formatDuration(value ?? 0) : formatCost(value ?? 0));
  const total = plan.totals.basis;
  const own = (n: PlanNode) => (timed ? n.exclusiveMs : n.exclusiveCost) ?? 0;
  const incl = (n: PlanNode) => (timed ? n.inclusiveMs : n.totalCost) ?? 0;
  const hottest = plan.nodes.reduce<PlanNode | undefined>((best, n) => (!best || own(n) > own(best) ? n : best), undefined);
  const tipIndexes = new Map<number, number[]>();
  tips.forEach((t, i) => { if (t.nodeId !== null) tipIndexes.set(t.nodeId, [...(tipIndexes.get(t.nodeId) ?? []), i]); });

  const nodes: ViewNode[] = plan.nodes.map((n) => {
    const m = n.rows.misestimate;
    const misestimateBand = m && m.direction !== 'exact' ? band(m.factor, FACTOR_BANDS) : undefined;
    return {
      id: n.id,
      parentId: n.parentId,
      childIds: n.childIds,
      depth: n.depth,
      title: n.subplanName,
      label: n.label,
      operation: n.operation,
      summary: summaryOf(n),
      exclusive: measureText(own(n)),
      inclusive: measureText(incl(n)),
      share: formatShare(n.share),
      bar: clamp01(n.share),
      inclusiveBar: total > 0 ? clamp01(incl(n) / total) : 0,
      rows: {
        actual: n.rows.actualTotal !== undefined ? formatCount(n.rows.actualTotal) : undefined,
        estimated: n.rows.estimatedTotal !== undefined ? formatCount(n.rows.estimatedTotal) : undefined,
        loops: n.loops !== undefined ? formatCount(n.loops) : undefined,
        misestimate: m && misestimateBand && m.direction !== 'exact' ? { factor: formatFactor(m.factor), direction: m.direction, severity: misestimateBand } : undefined,
      },
      flags: {
        hottest: hottest !== undefined && n.id === hottest.id && own(n) > 0,
        onHottestPath: n.onHottestPath,
        misestimated: misestimateBand !== undefined,
        spilled: n.memory.spilled,
        neverExecuted: n.neverExecuted,
        parallel: n.parallelDivisor > 1 || n.raw['Parallel Aware'] === true,
        slow: timed ? band(n.share, SHARE_BANDS) : undefined,
      },
      tipIndexes: tipIndexes.get(n.id) ?? [],
      details: nodeDetails(n),
    };
  });

  const layout = icicleLayout(plan);
  return {
    version: VIEW_MODEL_VERSION,
    metric: plan.metric,
    analyzed: plan.analyzed,
    header: headerItems(plan),
    settings: Object.entries(plan.totals.settings).map(([label, value]) => ({ label, value })),
    triggers: plan.totals.triggers.map((t) => ({
      name: t.name,
      detail: [t.constraint ? `constraint ${t.constraint}` : '', t.relation ? `on ${t.relation}` : ''].filter(Boolean).join(' '),
      time: formatDuration(t.timeMs),
      calls: formatCount(t.calls),
      share: plan.totals.executionMs ? formatShare(t.timeMs / plan.totals.executionMs) : '',
    })),
    nodes,
    hottestNodeId: hottest && own(hottest) > 0 ? hottest.id : null,
    hottestPath: plan.hottestPath,
    tips: tips.map((t) => ({
      id: t.id,
      nodeId: t.nodeId,
      nodeLabel: t.nodeId !== null ? plan.nodes[t.nodeId]?.label : undefined,
      severity: t.severity,
      title: t.title,
      message: t.message,
      action: t.action.text,
      sql: t.action.sql,
      saving: t.estimatedSavingMs !== null ? `≈ ${formatDuration(t.estimatedSavingMs)}` : undefined,
      savingMs: t.estimatedSavingMs,
      docs: t.docs,
      indexCandidate: t.indexCandidate,
    })),
    icicle: {
      maxDepth: layout.maxDepth,
      cells: layout.cells.map((c) => {
        const n = plan.nodes[c.nodeId]!;
        return { ...c, label: n.label, value: measureText(incl(n)), onHottestPath: n.onHottestPath };
      }),
    },
  };
}

function headerItems(plan: EnrichedPlan): ViewDetail[] {
  const t = plan.totals;
  const items: ViewDetail[] = [];
  if (t.executionMs !== undefined) items.push({ label: 'Execution', value: formatDuration(t.executionMs) });
  if (t.planningMs !== undefined) items.push({ label: 'Planning', value: formatDuration(t.planningMs) });
  if (t.jit?.totalMs !== undefined) {
    const share = t.executionMs ? ` (${formatShare(t.jit.totalMs / t.executionMs)})` : '';
    items.push({ label: 'JIT', value: `${formatDuration(t.jit.totalMs)}${share}${t.jit.functions !== undefined ? `, ${t.jit.functions} functions` : ''}` });
  }
  if (t.triggers.length > 0) items.push({ label: 'Triggers', value: `${formatDuration(t.triggersMs)} in ${t.triggers.length} trigger${t.triggers.length === 1 ? '' : 's'}` });
  // Where the execution went, when something besides the nodes took part of it: the parts add up.
  const b = t.breakdown;
  if (b && (b.triggersMs > 0 || b.jitMs > 0)) {
    const parts = [`nodes ${formatDuration(b.nodesMs)}`];
    if (b.triggersMs > 0) parts.push(`triggers ${formatDuration(b.triggersMs)}`);
    if (b.jitMs > 0) parts.push(`JIT compilation ${formatDuration(b.jitMs)}`);
    parts.push(`other ${formatDuration(b.otherMs)}`);
    items.push({ label: 'Time', value: parts.join(' + ') });
  }
  const root = plan.nodes[0];
  if (root?.rows.actualTotal !== undefined) items.push({ label: 'Rows', value: formatCount(root.rows.actualTotal) });
  if (t.totalCost !== undefined) items.push({ label: 'Total cost', value: formatCost(t.totalCost) });
  if (t.buffers) items.push({ label: 'Buffers', value: buffersText(t.buffers) });
  if (t.planningBuffers && Object.values(t.planningBuffers).some((v) => v > 0)) items.push({ label: 'Planning buffers', value: buffersText(t.planningBuffers) });
  items.push({ label: 'Nodes', value: formatCount(t.nodeCount) });
  if (t.queryId !== undefined) items.push({ label: 'Query identifier', value: t.queryId });
  return items;
}

/** The condition or key that says most about what the node does, on one line. */
function summaryOf(n: PlanNode): string | undefined {
  const r = n.raw;
  const text =
    r['Index Cond'] ?? r['Hash Cond'] ?? r['Merge Cond'] ?? r['Recheck Cond'] ?? r.Filter ?? r['Join Filter'] ?? r['One-Time Filter'] ??
    (r['Sort Key'] ? `by ${r['Sort Key'].join(', ')}` : undefined) ??
    (r['Group Key'] ? `by ${r['Group Key'].join(', ')}` : undefined) ??
    r['Cache Key'];
  return text === undefined ? undefined : clip(text.replace(/\s+/g, ' '), SUMMARY_CHARS);
}

function clamp01(x: number): number {
  return Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0;
}

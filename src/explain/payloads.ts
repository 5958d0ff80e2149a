/**
 * Turns history records into what the plan webview renders: the plan
 * engine's view model plus the statement, the circumstances of the run and
 * the raw text and JSON; or, for two records, a side-by-side comparison
 * with every figure formatted. Pure: no editor, no database.
 */
import { analysePlan, comparePlans, enrichPlan, parseExplain, type AnalysedPlan, type EnrichedPlan } from '../core/plan';
import { formatCost, formatCount, formatDuration } from '../core/plan/format';
import type { ViewDetail } from '../core/plan/details';
import type { CompareRow, ComparePayload, CompareSide, PlanPayload } from '../shared/protocol';
import type { PlanRecord } from './history';

export function planTitle(record: PlanRecord): string {
  return record.options.analyze ? 'EXPLAIN ANALYZE' : 'EXPLAIN';
}

/** "ANALYZE, BUFFERS, TIMING": the options that were on. */
export function optionsText(record: PlanRecord): string {
  const o = record.options;
  const on = ([['ANALYZE', o.analyze], ['VERBOSE', o.verbose], ['SETTINGS', o.settings], ['GENERIC_PLAN', o.genericPlan], ['BUFFERS', o.buffers], ['SERIALIZE', o.serialize], ['WAL', o.wal], ['TIMING', o.analyze && o.timing !== false], ['MEMORY', o.memory]] as const)
    .filter(([, v]) => v === true)
    .map(([k]) => k);
  return on.length > 0 ? on.join(', ') : 'none';
}

function parametersText(record: PlanRecord): string | undefined {
  if (record.parameters === 'generic') return 'generic plan (no values)';
  if (record.parameters !== 'values' || !record.values) return undefined;
  return record.values.map((v, i) => `$${i + 1} = ${v === null ? 'NULL' : `'${v}'`}`).join(', ');
}

function when(at: string): string {
  const d = new Date(at);
  return Number.isNaN(d.getTime()) ? at : d.toLocaleString();
}

function meta(record: PlanRecord): ViewDetail[] {
  const items: ViewDetail[] = [{ label: 'Connection', value: record.connection }];
  if (record.serverVersion) items.push({ label: 'Server', value: `PostgreSQL ${record.serverVersion}` });
  items.push({ label: 'When', value: when(record.at) });
  items.push({ label: 'Options', value: optionsText(record) });
  const params = parametersText(record);
  if (params) items.push({ label: 'Parameters', value: params });
  items.push({ label: 'Round trip', value: formatDuration(record.durationMs) });
  return items;
}

/** `analysed`: the record's analysis when the caller has it (it is computed once per plan, see analyses.ts). */
export function planPayload(record: PlanRecord, historyCount: number, analysed: AnalysedPlan = analysePlan(record.plan, record.context ?? {})): PlanPayload {
  const notes: string[] = [];
  if (record.rolledBack) notes.push(`The ${record.statementType} ran inside a transaction that was rolled back: no change was kept.`);
  if (!record.options.analyze) notes.push('Not executed: the figures are the planner\'s estimates (costs), not measured times.');
  else if (analysed.view.metric === 'cost') notes.push('No timing was collected (TIMING off): the view ranks nodes by cost.');
  return {
    kind: 'plan',
    ref: { kind: 'plan', recordId: record.id },
    title: planTitle(record),
    statement: record.sql,
    meta: meta(record),
    notes,
    view: analysed.view,
    text: analysed.text,
    // Compact: the page indents it when the JSON tab is first shown (indentation is most of a deep plan's bytes).
    json: JSON.stringify(record.plan),
    historyCount,
  };
}

function side(record: PlanRecord, plan: EnrichedPlan, metric: 'time' | 'cost'): CompareSide {
  const total = metric === 'time' ? formatDuration(plan.totals.basis) : formatCost(plan.totals.totalCost ?? 0);
  return { recordId: record.id, title: `${planTitle(record)} · ${when(record.at)}`, statement: record.sql, total, meta: meta(record) };
}

function signed(delta: number, metric: 'time' | 'cost'): string {
  if (delta === 0) return '';
  const text = metric === 'time' ? formatDuration(Math.abs(delta)) : formatCost(Math.abs(delta));
  return `${delta > 0 ? '+' : '−'}${text}`;
}

/** `before` is the older plan unless the caller says otherwise. */
export function comparePayload(
  before: PlanRecord,
  after: PlanRecord,
  pb: EnrichedPlan = enrichPlan(parseExplain(before.plan)),
  pa: EnrichedPlan = enrichPlan(parseExplain(after.plan)),
): ComparePayload {
  const c = comparePlans(pb, pa);
  const show = (v: number | undefined) => (v === undefined ? undefined : c.metric === 'time' ? formatDuration(v) : formatCost(v));
  const scale = Math.max(c.totalBefore, c.totalAfter);
  // Small moves (under 5% of the larger total) are noise, not a trend.
  const noise = scale * 0.05;
  const rows: CompareRow[] = c.nodes.map((d) => {
    const node = d.afterId !== null ? pa.nodes[d.afterId] : d.beforeId !== null ? pb.nodes[d.beforeId] : undefined;
    const delta = d.delta ?? 0;
    return {
      depth: node?.depth ?? 0,
      change: d.change,
      label: d.label,
      beforeLabel: d.beforeLabel,
      before: d.beforeId !== null ? show(d.before) : undefined,
      after: d.afterId !== null ? show(d.after) : undefined,
      delta: d.beforeId !== null && d.afterId !== null ? signed(delta, c.metric) : '',
      trend: c.sameWork || Math.abs(delta) <= noise || d.beforeId === null || d.afterId === null ? 0 : delta < 0 ? -1 : 1,
      rowsBefore: d.rowsBefore !== undefined && d.beforeId !== null ? formatCount(d.rowsBefore) : undefined,
      rowsAfter: d.rowsAfter !== undefined && d.afterId !== null ? formatCount(d.rowsAfter) : undefined,
      beforeBar: scale > 0 && d.before !== undefined ? Math.min(1, Math.max(0, d.before / scale)) : 0,
      afterBar: scale > 0 && d.after !== undefined ? Math.min(1, Math.max(0, d.after / scale)) : 0,
    };
  });
  const diff = c.totalAfter - c.totalBefore;
  return {
    kind: 'compare',
    ref: { kind: 'compare', beforeId: before.id, afterId: after.id },
    metric: c.metric,
    before: side(before, pb, c.metric),
    after: side(after, pa, c.metric),
    sameStatement: before.fingerprint === after.fingerprint,
    summary: c.summary,
    trend: c.sameWork || Math.abs(diff) <= noise ? 0 : diff < 0 ? -1 : 1,
    rows,
  };
}

/**
 * Judging bloat, shared by the table-bloat and index-bloat checks. Each
 * relation comes with an estimate from planner statistics and, when
 * pgstattuple could be used, a measurement that replaces it.
 */
import { formatBytes, formatPercent, plural } from './format';
import { above, statusOf } from './outcome';
import { bool, num0, text } from './rows';
import type { HealthThresholds } from './thresholds';
import type { CheckOutcome, EvaluationContext, Finding, Limitation, Remediation, Row, Rows } from './types';

/** Relations larger than this are left to the estimate: pgstattuple reads them whole. */
export const EXACT_MAX_BYTES = 1024 ** 3;
/** How many relations are measured with pgstattuple at most. */
export const EXACT_MAX_RELATIONS = 20;

export interface BloatRelation {
  readonly schema: string;
  readonly table: string;
  /** The index name for index bloat; undefined for tables. */
  readonly index?: string;
  readonly bytes: number;
  readonly wastedBytes: number;
  readonly wastedPercent: number;
  readonly method: 'estimate' | 'pgstattuple';
}

/** Whether pgstattuple can measure here, and if not, why (for the limitations). */
export function exactAvailability(ctx: EvaluationContext, failed: boolean): { usable: boolean; limitation?: Limitation } {
  if (!ctx.extensions.has('pgstattuple')) {
    return { usable: false, limitation: { reason: 'Sizes are estimates from planner statistics; pgstattuple is not installed to measure them.', fix: 'CREATE EXTENSION pgstattuple;' } };
  }
  if (!ctx.privileges.statScanTables) {
    return {
      usable: false,
      limitation: { reason: 'pgstattuple is installed but this role may not run it, so sizes are estimates.', fix: 'GRANT pg_stat_scan_tables TO <role>;' },
    };
  }
  if (failed) return { usable: false, limitation: { reason: `pgstattuple failed (${text(ctx.failures.exact?.message)}); sizes are estimates.` } };
  return { usable: true };
}

/** Estimates, with measured relations replacing their estimate. */
export function mergeBloat(estimates: readonly BloatRelation[], measured: readonly BloatRelation[]): BloatRelation[] {
  const key = (r: BloatRelation) => `${r.schema}\u0000${r.table}\u0000${r.index ?? ''}`;
  const byKey = new Map(estimates.map((r) => [key(r), r]));
  for (const m of measured) byKey.set(key(m), m);
  return [...byKey.values()].sort((a, b) => b.wastedBytes - a.wastedBytes);
}

/** Estimates that the statistics cannot support (no statistics, `name` columns) are counted, not judged. */
export function estimatedRelations(rows: Rows, withIndex: boolean): { relations: BloatRelation[]; notEstimated: number } {
  const relations: BloatRelation[] = [];
  let notEstimated = 0;
  for (const r of rows) {
    notEstimated = Math.max(notEstimated, num0(r.not_estimated));
    if (bool(r.is_na)) continue;
    relations.push(fromRow(r, withIndex, 'estimate'));
  }
  return { relations, notEstimated };
}

export function fromRow(r: Row, withIndex: boolean, method: BloatRelation['method']): BloatRelation {
  return {
    schema: text(r.schema),
    table: text(r.table),
    ...(withIndex ? { index: text(r.index) } : {}),
    bytes: num0(r.bytes),
    wastedBytes: Math.max(0, num0(r.wasted_bytes)),
    wastedPercent: Math.max(0, num0(r.wasted_percent)),
    method,
  };
}

export interface BloatWording {
  readonly noun: 'table' | 'index';
  name(r: BloatRelation): string;
  remediation(r: BloatRelation): Remediation;
}

export function judgeBloat(
  relations: readonly BloatRelation[],
  t: HealthThresholds,
  wording: BloatWording,
  limitations: Limitation[],
  notEstimated: number,
): CheckOutcome {
  const findings: Finding[] = [];
  for (const r of relations) {
    if (r.wastedBytes < t.bloatMinBytes) continue;
    const severity = above(r.wastedPercent, t.bloatWarningPercent, t.bloatCriticalPercent);
    if (!severity) continue;
    findings.push({
      severity,
      object: wording.name(r),
      relation: { schema: r.schema, table: r.table },
      message: `${wording.name(r)} wastes about ${formatBytes(r.wastedBytes)} of ${formatBytes(r.bytes)} (${formatPercent(r.wastedPercent)}, ${r.method === 'pgstattuple' ? 'measured with pgstattuple' : 'estimated from statistics'}).`,
      remediation: wording.remediation(r),
    });
  }
  if (notEstimated > 0) {
    limitations.push({
      reason: `${plural(notEstimated, wording.noun, wording.noun === 'table' ? 'tables' : 'indexes')} could not be estimated: never analysed, or their statistics are not readable by this role.`,
      fix: 'ANALYZE the tables (statistics are only visible for columns the role may SELECT).',
    });
  }
  const total = relations.reduce((s, r) => s + r.wastedBytes, 0);
  return {
    status: statusOf(findings),
    summary:
      findings.length === 0
        ? `No ${wording.noun} wastes both more than ${formatPercent(t.bloatWarningPercent)} of its size and ${formatBytes(t.bloatMinBytes)} or more (about ${formatBytes(total)} reclaimable in all).`
        : `${plural(findings.length, wording.noun, wording.noun === 'table' ? 'tables' : 'indexes')} bloated by more than ${formatPercent(t.bloatWarningPercent)}.`,
    findings,
    details: [
      {
        columns: [
          { label: wording.noun === 'table' ? 'Table' : 'Index' },
          { label: 'Size', kind: 'bytes' },
          { label: 'Wasted', kind: 'bytes' },
          { label: 'Wasted share', kind: 'percent' },
          { label: 'Method' },
        ],
        rows: relations.slice(0, 20).map((r) => [wording.name(r), r.bytes, Math.round(r.wastedBytes), Number(r.wastedPercent.toFixed(1)), r.method]),
      },
    ],
    limitations,
  };
}

/**
 * Judging bloat, shared by the table-bloat and index-bloat checks. Each
 * relation comes with an estimate from planner statistics and, when
 * pgstattuple could be used, a measurement that replaces it.
 */
import { formatBytes, formatPercent, plural } from './format';
import { above, statusOf } from './outcome';
import { bool, num0, text } from './rows';
import type { HealthThresholds } from './thresholds';
import type { CheckOutcome, EvaluationContext, Finding, Limitation, Remediation, Row, Rows, Severity } from './types';

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

/** The predefined role allowed to run pgstattuple's functions (1.5+). */
const STAT_SCAN_TABLES = 'pg_stat_scan_tables';

/** Whether pgstattuple can measure here, and if not, why (for the limitations). */
export function exactAvailability(ctx: EvaluationContext, failed: boolean): { usable: boolean; limitation?: Limitation } {
  if (!ctx.extensions.has('pgstattuple')) {
    return { usable: false, limitation: { reason: 'Sizes are estimates from planner statistics; pgstattuple is not installed to measure them.', fix: 'CREATE EXTENSION pgstattuple;' } };
  }
  // With pgstattuple installed, an estimate stands in for a measurement the server could make: bloat it underrates is missed.
  if (!ctx.privileges.statScanTables) {
    return {
      usable: false,
      limitation: { reason: 'pgstattuple is installed but this role may not run it, so sizes are estimates.', fix: `GRANT ${STAT_SCAN_TABLES} TO <role>;`, needs: STAT_SCAN_TABLES },
    };
  }
  if (failed) {
    const refused = ctx.failures.exact?.code === '42501';
    return {
      usable: false,
      limitation: {
        reason: `pgstattuple failed (${text(ctx.failures.exact?.message)}); sizes are estimates.`,
        ...(refused ? { fix: `GRANT ${STAT_SCAN_TABLES} TO <role>;`, needs: STAT_SCAN_TABLES } : {}),
      },
    };
  }
  return { usable: true };
}

/** Estimates, with measured relations replacing their estimate. */
export function mergeBloat(estimates: readonly BloatRelation[], measured: readonly BloatRelation[]): BloatRelation[] {
  const key = (r: BloatRelation) => `${r.schema}\u0000${r.table}\u0000${r.index ?? ''}`;
  const byKey = new Map(estimates.map((r) => [key(r), r]));
  for (const m of measured) byKey.set(key(m), m);
  return [...byKey.values()].sort((a, b) => b.wastedBytes - a.wastedBytes);
}

/**
 * Estimates that the statistics cannot support (no statistics, `name`
 * columns) are counted, not judged; `notReadable` of them lack statistics
 * because the role may not read them.
 */
export function estimatedRelations(rows: Rows, withIndex: boolean): { relations: BloatRelation[]; notEstimated: number; notReadable: number } {
  const relations: BloatRelation[] = [];
  let notEstimated = 0;
  let notReadable = 0;
  for (const r of rows) {
    notEstimated = Math.max(notEstimated, num0(r.not_estimated));
    notReadable = Math.max(notReadable, num0(r.not_readable));
    if (bool(r.is_na)) continue;
    relations.push(fromRow(r, withIndex, 'estimate'));
  }
  return { relations, notEstimated, notReadable };
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

const SEVERITY_RANK: Readonly<Record<Severity, number>> = { info: 0, warning: 1, critical: 2 };

export interface BloatWording {
  readonly noun: 'table' | 'index';
  name(r: BloatRelation): string;
  remediation(r: BloatRelation): Remediation;
  /** What else the reader needs to weigh the finding, and the highest severity it deserves given that. */
  context?(r: BloatRelation): { readonly note: string; readonly cap: Severity } | undefined;
}

export function judgeBloat(
  relations: readonly BloatRelation[],
  t: HealthThresholds,
  wording: BloatWording,
  limitations: Limitation[],
  notEstimated: number,
  notReadable = 0,
): CheckOutcome {
  const findings: Finding[] = [];
  for (const r of relations) {
    if (r.wastedBytes < t.bloatMinBytes) continue;
    const measured = above(r.wastedPercent, t.bloatWarningPercent, t.bloatCriticalPercent);
    if (!measured) continue;
    const context = wording.context?.(r);
    const severity = context && SEVERITY_RANK[context.cap] < SEVERITY_RANK[measured] ? context.cap : measured;
    findings.push({
      severity,
      object: wording.name(r),
      relation: { schema: r.schema, table: r.table },
      message: `${wording.name(r)} wastes about ${formatBytes(r.wastedBytes)} of ${formatBytes(r.bytes)} (${formatPercent(r.wastedPercent)}, ${r.method === 'pgstattuple' ? 'measured with pgstattuple' : 'estimated from statistics'}).${context ? ` ${context.note}` : ''}`,
      remediation: wording.remediation(r),
    });
  }
  const nouns = (n: number) => plural(n, wording.noun, wording.noun === 'table' ? 'tables' : 'indexes');
  if (notReadable > 0) {
    limitations.push({
      reason: `${nouns(notReadable)} could not be estimated because the statistics of ${wording.noun === 'table' ? 'their columns' : 'the columns they index'} are hidden from this role (pg_stats shows only columns it may SELECT, and none under row security).`,
      fix: 'GRANT SELECT ON <table> TO <role>;  -- or GRANT pg_read_all_data (PostgreSQL 14+)',
      needs: 'SELECT on the tables',
    });
  }
  if (notEstimated > notReadable) {
    limitations.push({
      reason: `${nouns(notEstimated - notReadable)} could not be estimated: never analysed, or with a column of type name, whose width the statistics misreport.`,
      fix: 'ANALYZE the tables.',
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

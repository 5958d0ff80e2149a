/**
 * What the SQL rules report, before and after mapping back to the source.
 * A rule works in the offsets of the text it analysed (prepared SQL, or a
 * source file for ORM calls) and returns `Advice`; `toFinding` maps it to a
 * `CodeFinding` of the file, the type every code rule reports, plus the
 * severity the rule chose (offline schemas know no row counts, so their
 * findings are informational).
 */
import type { CodeFinding } from '../code/findings';
import type { IndexProposal } from '../advice/candidate';
import { displayName, type TableInfo } from '../schema/model';

export type Severity = 'error' | 'warning' | 'information';

/** A code finding with the severity its rule gives it (a per-rule setting may override it at the edge). */
export interface SqlFinding extends CodeFinding {
  readonly severity: Severity;
}

export type FindingData = Readonly<Record<string, string | number | boolean | readonly string[]>>;

export interface Advice {
  readonly ruleId: string;
  readonly start: number;
  readonly end: number;
  readonly message: string;
  readonly severity: Severity;
  readonly related: readonly { readonly start: number; readonly end: number; readonly message: string }[];
  readonly data?: FindingData;
}

export interface SqlRuleOptions {
  /** Tables with at most this many estimated rows are not worth an index (default 10,000). */
  readonly rowThreshold?: number;
}

export const DEFAULT_ROW_THRESHOLD = 10_000;

/**
 * Whether a table is large enough to matter, and how loudly: a warning over
 * the threshold, information when the row count is unknown (offline).
 */
export function severityFor(table: TableInfo, options: SqlRuleOptions): Severity | undefined {
  if (table.rowEstimate === null) return 'information';
  return table.rowEstimate > (options.rowThreshold ?? DEFAULT_ROW_THRESHOLD) ? 'warning' : undefined;
}

/** Maps an advice's offsets to the file through `span` (which never returns an empty range). */
export function toFinding(advice: Advice, path: string, span: (start: number, end: number) => { start: number; end: number }): SqlFinding {
  const at = span(advice.start, advice.end);
  return {
    ruleId: advice.ruleId,
    path,
    start: at.start,
    end: at.end,
    message: advice.message,
    severity: advice.severity,
    related: advice.related.map((r) => ({ path, ...span(r.start, r.end), message: r.message })),
    ...(advice.data ? { data: advice.data } : {}),
  };
}

/** "≈1.2M rows", "≈20,000 rows", or the reason there is no count. */
export function rowsText(table: TableInfo): string {
  const n = table.rowEstimate;
  if (n === null) return 'row count unknown without a database';
  if (n >= 1_000_000) return `≈${(n / 1_000_000).toFixed(1).replace(/\.0$/, '')}M rows`;
  return `≈${Math.round(n).toLocaleString('en-US')} rows`;
}

/** The facts a quick fix needs about a proposed index. */
export function proposalData(table: TableInfo, p: IndexProposal): FindingData {
  return {
    ddl: p.ddl,
    table: displayName(table),
    indexName: p.name,
    method: p.method,
    columns: p.serves.map((n) => n.column),
    ...(p.predicate ? { predicate: p.predicate } : {}),
    ...(p.extension ? { extension: p.extension } : {}),
    ...(table.rowEstimate !== null ? { rows: Math.round(table.rowEstimate) } : {}),
  };
}

/**
 * Values for a statement's `$n` parameters taken from the planner's own
 * column statistics, so that a plan can be made for a realistic value
 * without typing one: each parameter's column is the one it is compared to
 * in the parse tree (`col = $1`, `col > $2`, `col IN ($3)`, `SET col = $4`,
 * `VALUES` of an INSERT), its type and statistics come from the catalog
 * (`pg_stats`, read by src/db/columnSamples.ts).
 *
 * The value: the most common value when the column has any (the value the
 * plan will most often be made for), else the median histogram bound (a
 * typical value of a column whose values are all distinct). `LIMIT $n`
 * takes 10 and `OFFSET $n` 0: any small number gives the plan the
 * application runs. Parameters that cannot be placed are listed with the
 * reason, for the caller to ask for.
 *
 * The parser must be loaded (`loadSqlParser()`).
 */
import { parseSql } from './parser';
import { mapStatement, type ParameterUse } from './statementMap';

export interface ColumnRequest {
  /** The candidate tables, in order (several when an unqualified column sits in a join). */
  readonly tables: ReadonlyArray<{ readonly schema?: string; readonly name: string }>;
  readonly column: string;
}

export interface ParameterColumns {
  /** Per parameter (1-based index), the column it was compared to, or the LIMIT/OFFSET it is. */
  readonly uses: ReadonlyMap<number, ParameterUse>;
  /** The columns whose statistics to read, one per distinct column. */
  readonly requests: readonly ColumnRequest[];
  /** Parameters that are neither, with why. */
  readonly unplaced: ReadonlyMap<number, string>;
}

/** What the catalog says of one column (src/db/columnSamples.ts). */
export interface ColumnStatistics {
  readonly schema: string;
  readonly table: string;
  readonly column: string;
  /** format_type(): "text", "integer", "timestamp with time zone". */
  readonly type: string;
  /** The most common value, as text; null when pg_stats has no most common values. */
  readonly mostCommon: string | null;
  /** histogram_bounds as text; null when there is none. */
  readonly histogram: readonly string[] | null;
  /** False when pg_stats has no row at all (the table was never analysed, or no privilege). */
  readonly analysed: boolean;
}

export type SampledParameter =
  | { readonly index: number; readonly value: string; readonly source: string }
  | { readonly index: number; readonly value: undefined; readonly reason: string };

export const LIMIT_SAMPLE = '10';
export const OFFSET_SAMPLE = '0';

export function inferParameterColumns(sql: string, parameterCount: number): ParameterColumns {
  const uses = new Map<number, ParameterUse>();
  const unplaced = new Map<number, string>();
  const parsed = parseSql(sql);
  if (!parsed.ok || parsed.statements.length !== 1) {
    for (let i = 1; i <= parameterCount; i++) unplaced.set(i, 'the statement does not parse');
    return { uses, requests: [], unplaced };
  }
  const map = mapStatement(sql, parsed.statements[0]!.node);
  // The first use of a parameter decides its column (a value compared to two columns is rare).
  for (const use of map.parameters) if (!uses.has(use.index) && (use.kind !== 'column' || use.column.items.length > 0)) uses.set(use.index, use);
  const requests: ColumnRequest[] = [];
  const seen = new Set<string>();
  for (let i = 1; i <= parameterCount; i++) {
    const use = uses.get(i);
    if (!use) {
      const lost = map.parameters.find((p) => p.index === i && p.kind === 'column');
      unplaced.set(i, lost?.kind === 'column' ? `no table in scope has a column "${lost.column.column}"` : 'it is not compared to a column');
      continue;
    }
    if (use.kind !== 'column') continue;
    const request = requestOf(use);
    const key = requestKey(request);
    if (!seen.has(key)) {
      seen.add(key);
      requests.push(request);
    }
  }
  return { uses, requests, unplaced };
}

function requestOf(use: Extract<ParameterUse, { kind: 'column' }>): ColumnRequest {
  return { column: use.column.column, tables: use.column.items.map((i) => ({ schema: i.schema, name: i.relname })) };
}

function requestKey(r: ColumnRequest): string {
  return JSON.stringify([r.column, r.tables.map((t) => [t.schema ?? '', t.name])]);
}

/** The statistics of the first candidate table that has the column (a table named without schema: any schema). */
export function statisticsFor(request: ColumnRequest, stats: readonly ColumnStatistics[]): ColumnStatistics | undefined {
  for (const t of request.tables) {
    const found = stats.find((s) => s.column === request.column && s.table === t.name && (t.schema === undefined || s.schema === t.schema));
    if (found) return found;
  }
  return undefined;
}

/** The representative value of a column: its most common value, else its median histogram bound. */
export function representativeValue(stats: ColumnStatistics): { value: string; source: string } | undefined {
  if (stats.mostCommon !== null) return { value: stats.mostCommon, source: 'most common value' };
  const h = stats.histogram;
  if (h && h.length > 0) return { value: h[Math.floor(h.length / 2)]!, source: 'median of the histogram' };
  return undefined;
}

/** One value per parameter, or why there is none. */
export function sampleParameters(columns: ParameterColumns, stats: readonly ColumnStatistics[], parameterCount: number): SampledParameter[] {
  const out: SampledParameter[] = [];
  for (let index = 1; index <= parameterCount; index++) {
    const use = columns.uses.get(index);
    if (!use) {
      out.push({ index, value: undefined, reason: columns.unplaced.get(index) ?? 'it is not compared to a column' });
      continue;
    }
    if (use.kind !== 'column') out.push({ index, value: use.kind === 'limit' ? LIMIT_SAMPLE : OFFSET_SAMPLE, source: use.kind.toUpperCase() });
    else {
      const request = requestOf(use);
      const s = statisticsFor(request, stats);
      const where = `${request.tables.map((t) => t.name).join(' or ')}.${request.column}`;
      if (!s) {
        out.push({ index, value: undefined, reason: `the catalog has no column ${where}` });
        continue;
      }
      const picked = representativeValue(s);
      out.push(picked
        ? { index, value: picked.value, source: `${s.table}.${s.column} ${s.type}, ${picked.source}` }
        : { index, value: undefined, reason: s.analysed ? `${s.table}.${s.column} has no common values or histogram in pg_stats` : `${s.table} has no statistics (run ANALYZE ${s.table})` });
    }
  }
  return out;
}

/**
 * The figures a CodeLens shows above code that issues a statement: calls,
 * mean time and share of the database's execution time, summed over every
 * pg_stat_statements entry the code matches (several roles, or statements
 * the fingerprint does not tell apart).
 */

export interface StatementFigures {
  readonly calls: number;
  readonly totalMs: number;
  /** Share of all statements' execution time, 0–100; null when unknown. */
  readonly pctOfTotal: number | null;
}

export function sumFigures(rows: readonly StatementFigures[]): StatementFigures {
  let calls = 0;
  let totalMs = 0;
  let pct: number | null = null;
  for (const r of rows) {
    calls += r.calls;
    totalMs += r.totalMs;
    if (r.pctOfTotal !== null) pct = (pct ?? 0) + r.pctOfTotal;
  }
  return { calls, totalMs, pctOfTotal: pct };
}

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** "12,340 calls · mean 23.1 ms · 9 % of DB time"; a likely (ORM) match starts with "≈". */
export function lensTitle(f: StatementFigures, likely: boolean): string {
  const parts = [`${integer.format(f.calls)} ${f.calls === 1 ? 'call' : 'calls'}`];
  if (f.calls > 0) parts.push(`mean ${duration(f.totalMs / f.calls)}`);
  if (f.pctOfTotal !== null) parts.push(`${share(f.pctOfTotal)} of DB time`);
  return `${likely ? '≈ ' : ''}${parts.join(' · ')}`;
}

export function duration(valueMs: number): string {
  if (valueMs < 1) return `${valueMs.toFixed(3)} ms`;
  if (valueMs < 10) return `${valueMs.toFixed(2)} ms`;
  if (valueMs < 1000) return `${valueMs.toFixed(1)} ms`;
  if (valueMs < 60_000) return `${(valueMs / 1000).toFixed(2)} s`;
  return `${(valueMs / 60_000).toFixed(1)} min`;
}

function share(pct: number): string {
  if (pct >= 1) return `${Math.round(pct)} %`;
  if (pct >= 0.1) return `${pct.toFixed(1)} %`;
  return pct > 0 ? '<0.1 %' : '0 %';
}

/**
 * The figures the report draws as small charts: cache hit ratios, connection
 * use and the largest tables. Check results carry sentences and detail
 * tables, not metrics, so the figures are read back from the summaries the
 * checks write (their wording is fixed by the checks' unit tests) and from
 * the size table. A figure that cannot be read is simply not drawn.
 */
import type { ReportDocument } from './report';

export interface ReportCharts {
  /** Cache hit ratio in percent, by kind ("tables", "indexes"). */
  readonly cacheHit: readonly { readonly kind: string; readonly percent: number }[];
  readonly connections?: { readonly used: number; readonly max: number };
  /** Largest tables with their total size in bytes, largest first. */
  readonly sizes: readonly { readonly name: string; readonly bytes: number }[];
}

export function reportCharts(doc: ReportDocument, topSizes = 8): ReportCharts {
  const byId = (id: string) => doc.results.find((r) => r.id === id && r.status !== 'skipped' && r.status !== 'error');
  const cacheHit = [...(byId('cache-hit-ratio')?.summary ?? '').matchAll(/\b(tables|indexes) (\d+(?:\.\d+)?) %/g)].map((m) => ({ kind: m[1] ?? '', percent: Number(m[2]) }));
  const conn = /^(\d+) of (\d+) connections/.exec(byId('connections')?.summary ?? '');
  const sizeTable = byId('relation-sizes')?.details[0];
  const sizes = (sizeTable?.rows ?? [])
    .map((r) => ({ name: String(r[0] ?? ''), bytes: typeof r[1] === 'number' ? r[1] : 0 }))
    .filter((s) => s.bytes > 0)
    .slice(0, topSizes);
  return { cacheHit, connections: conn ? { used: Number(conn[1]), max: Number(conn[2]) } : undefined, sizes };
}

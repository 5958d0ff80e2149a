/**
 * Memory use and spills of sorts, hashes, hash aggregates, bitmaps,
 * tuplestores and memoize caches. Parallel workers report their own sort and
 * hash-aggregate figures (with VERBOSE): a spill in any worker counts.
 */
import type { RawPlanNode, RawSortGroups } from './model';

export interface SortDetails {
  readonly method?: string;
  /** kB, the largest over the leader and workers. */
  readonly spaceKb?: number;
  /** "Memory" or "Disk"; "Disk" when any process went to disk. */
  readonly spaceType?: string;
  readonly key?: readonly string[];
}

export interface HashDetails {
  readonly buckets?: number;
  readonly originalBuckets?: number;
  readonly batches?: number;
  readonly originalBatches?: number;
  readonly peakMemoryKb?: number;
}

export interface HashAggDetails {
  readonly plannedPartitions?: number;
  readonly batches?: number;
  readonly peakMemoryKb?: number;
  readonly diskKb?: number;
}

export interface MemoryDetails {
  readonly sort?: SortDetails;
  readonly hash?: HashDetails;
  readonly hashAgg?: HashAggDetails;
  readonly bitmap?: { readonly exactBlocks: number; readonly lossyBlocks: number };
  /** Material, CTE Scan, WindowAgg, Recursive Union (PostgreSQL 18). */
  readonly storage?: { readonly type: string; readonly maxKb?: number };
  readonly memoize?: { readonly hits: number; readonly misses: number; readonly evictions: number; readonly overflows: number; readonly peakKb?: number };
  /** Something went to disk, or a hash needed more than one batch. */
  readonly spilled: boolean;
}

export function readMemory(r: RawPlanNode): MemoryDetails {
  const sort = sortDetails(r);
  const hash = r['Hash Batches'] !== undefined
    ? { buckets: r['Hash Buckets'], originalBuckets: r['Original Hash Buckets'], batches: r['Hash Batches'], originalBatches: r['Original Hash Batches'], peakMemoryKb: r['Peak Memory Usage'] }
    : undefined;
  const hashAgg = hashAggDetails(r);
  const bitmap = r['Exact Heap Blocks'] !== undefined || r['Lossy Heap Blocks'] !== undefined
    ? { exactBlocks: r['Exact Heap Blocks'] ?? 0, lossyBlocks: r['Lossy Heap Blocks'] ?? 0 }
    : undefined;
  const storage = r.Storage !== undefined ? { type: r.Storage, maxKb: r['Maximum Storage'] } : undefined;
  const memoize = r['Cache Hits'] !== undefined
    ? { hits: r['Cache Hits'], misses: r['Cache Misses'] ?? 0, evictions: r['Cache Evictions'] ?? 0, overflows: r['Cache Overflows'] ?? 0, peakKb: r['Peak Memory Usage'] }
    : undefined;
  const spilled =
    sort?.spaceType === 'Disk' ||
    (hash?.batches ?? 1) > 1 ||
    (hashAgg?.diskKb ?? 0) > 0 ||
    (hashAgg?.batches ?? 1) > 1 ||
    storage?.type === 'Disk' ||
    groupsSpilled(r['Full-sort Groups']) ||
    groupsSpilled(r['Pre-sorted Groups']);
  return { sort, hash, hashAgg, bitmap, storage, memoize, spilled };
}

function sortDetails(r: RawPlanNode): SortDetails | undefined {
  const workers = (r.Workers ?? []).filter((w) => w['Sort Method'] !== undefined);
  if (r['Sort Method'] === undefined && workers.length === 0) {
    return r['Sort Key'] !== undefined && r['Node Type'].endsWith('Sort') ? { key: r['Sort Key'] } : undefined;
  }
  const all = [{ method: r['Sort Method'], space: r['Sort Space Used'], type: r['Sort Space Type'] }, ...workers.map((w) => ({ method: w['Sort Method'], space: w['Sort Space Used'], type: w['Sort Space Type'] }))];
  const disk = all.find((s) => s.type === 'Disk');
  const largest = all.reduce((best, s) => ((s.space ?? 0) > (best.space ?? 0) ? s : best));
  return {
    method: disk?.method ?? r['Sort Method'] ?? largest.method,
    spaceKb: disk?.space ?? largest.space,
    spaceType: disk ? 'Disk' : r['Sort Space Type'] ?? largest.type,
    key: r['Sort Key'],
  };
}

function hashAggDetails(r: RawPlanNode): HashAggDetails | undefined {
  if (r['HashAgg Batches'] === undefined && r['Planned Partitions'] === undefined) return undefined;
  const workers = r.Workers ?? [];
  const max = (own: number | undefined, key: 'HashAgg Batches' | 'Peak Memory Usage' | 'Disk Usage') =>
    workers.reduce<number | undefined>((m, w) => (w[key] !== undefined ? Math.max(m ?? 0, w[key]) : m), own);
  return {
    plannedPartitions: r['Planned Partitions'],
    batches: max(r['HashAgg Batches'], 'HashAgg Batches'),
    peakMemoryKb: max(r['Peak Memory Usage'], 'Peak Memory Usage'),
    diskKb: max(r['Disk Usage'], 'Disk Usage'),
  };
}

function groupsSpilled(groups: RawSortGroups | undefined): boolean {
  return groups?.['Sort Space Disk'] !== undefined;
}

/**
 * The detail rows of one node in the plan view: every figure the enrichment
 * computed, formatted, with a label, in the order people read a node
 * (what it reads, how long, how many rows, conditions, memory, I/O).
 * Values are plain strings: the webview sets them with textContent.
 */
import type { Buffers, IoTimings } from './counters';
import type { PlanNode } from './enrich';
import { formatBlocks, formatBytes, formatCost, formatCount, formatDuration, formatFactor, formatKb, formatShare } from './format';

export interface ViewDetail {
  readonly label: string;
  readonly value: string;
}

/** Detail values are cut here so that a pathological expression cannot stall the view. */
export const MAX_DETAIL_CHARS = 5000;

const CONDITION_KEYS = ['Index Cond', 'Recheck Cond', 'TID Cond', 'Hash Cond', 'Merge Cond', 'Join Filter', 'Filter', 'One-Time Filter', 'Run Condition', 'Order By', 'Cache Key'] as const;
const LIST_KEYS = ['Sort Key', 'Presorted Key', 'Group Key', 'Output'] as const;

export function nodeDetails(node: PlanNode): ViewDetail[] {
  const rows: ViewDetail[] = [];
  const add = (label: string, value: string | undefined) => {
    if (value !== undefined && value !== '') rows.push({ label, value: clip(value) });
  };
  const r = node.raw;
  if (node.relation) add('Relation', `${node.relation.schema ? `${node.relation.schema}.` : ''}${node.relation.name}${node.relation.alias && node.relation.alias !== node.relation.name ? ` (alias ${node.relation.alias})` : ''}`);
  add('Index', node.indexName);
  if (node.neverExecuted) add('Executed', 'never (a branch the executor did not need)');
  if (r.Disabled === true) add('Disabled', 'yes: chosen although an enable_* setting was off');

  if (node.inclusiveMs !== undefined) {
    add('Exclusive time', `${formatDuration(node.exclusiveMs ?? 0)} (${formatShare(node.share)} of the total)`);
    add('Inclusive time', formatDuration(node.inclusiveMs));
    add('First row after', `${formatDuration(node.startupMs ?? 0)}${(node.loops ?? 0) > 1 ? ' per loop' : ''}`);
  }
  if (node.parallelDivisor > 1) add('Parallel', `times are per process, over ${node.parallelDivisor} processes`);
  if (node.totalCost !== undefined) add('Cost', `${formatCost(node.startupCost ?? 0)}..${formatCost(node.totalCost)} (own ${formatCost(node.exclusiveCost ?? 0)})`);

  const rc = node.rows;
  if (rc.actualTotal !== undefined) {
    const perLoop = (node.loops ?? 0) > 1 ? ` (${formatCount(rc.actualPerLoop ?? 0)} per loop)` : '';
    add('Actual rows', formatCount(rc.actualTotal) + perLoop);
  }
  if (rc.estimatedTotal !== undefined) {
    const perLoop = (node.loops ?? 0) > 1 ? ` (${formatCount(rc.estimatedPerLoop ?? 0)} per loop)` : '';
    add('Estimated rows', formatCount(rc.estimatedTotal) + perLoop);
  }
  if (rc.misestimate && rc.misestimate.direction !== 'exact' && rc.misestimate.factor >= 2) {
    add('Estimate', `${formatFactor(rc.misestimate.factor)} ${rc.misestimate.direction === 'under' ? 'too low' : 'too high'}`);
  }
  if (node.loops !== undefined) add('Loops', formatCount(node.loops));
  const read = (rc.actualTotal ?? 0) + (rc.removedByFilter ?? 0) + (rc.removedByIndexRecheck ?? 0);
  const removed = (label: string, n: number | undefined, of: number) => {
    if (n) add(label, `${formatCount(n)}${of > 0 ? ` (${formatShare(n / of)} of the rows read)` : ''}`);
  };
  removed('Removed by filter', rc.removedByFilter, read);
  removed('Removed by index recheck', rc.removedByIndexRecheck, read);
  removed('Removed by join filter', rc.removedByJoinFilter, (rc.actualTotal ?? 0) + (rc.removedByJoinFilter ?? 0));
  if (rc.heapFetches !== undefined) add('Heap fetches', formatCount(rc.heapFetches));
  if (rc.indexSearches !== undefined) add('Index searches', formatCount(rc.indexSearches));

  for (const key of CONDITION_KEYS) add(key, typeof r[key] === 'string' ? r[key] : undefined);
  for (const key of LIST_KEYS) add(key, Array.isArray(r[key]) ? r[key].join(', ') : undefined);

  memoryDetails(node, add);
  if (node.workers) add('Workers', `${node.workers.planned ?? '?'} planned${node.workers.launched !== undefined ? `, ${node.workers.launched} launched` : ''}`);
  if (node.buffers) {
    add('Buffers (own)', buffersText(node.buffers.exclusive));
    add('Buffers (with children)', buffersText(node.buffers.inclusive));
  }
  if (node.io) add('I/O time (own)', ioText(node.io.exclusive));
  if (node.wal && node.wal.records > 0) add('WAL', `${formatCount(node.wal.records)} records, ${formatBytes(node.wal.bytes)}${node.wal.fpi > 0 ? `, ${formatCount(node.wal.fpi)} full-page images` : ''}`);
  if (node.subplanName) add('Runs as', node.subplanName);
  return rows;
}

function memoryDetails(node: PlanNode, add: (label: string, value: string | undefined) => void): void {
  const m = node.memory;
  if (m.sort?.method) add('Sort', `${m.sort.method}, ${formatKb(m.sort.spaceKb ?? 0)} ${m.sort.spaceType === 'Disk' ? 'on disk' : 'in memory'}`);
  if (m.hash) {
    const h = m.hash;
    const buckets = h.originalBuckets !== undefined && h.originalBuckets !== h.buckets ? ` (planned ${formatCount(h.originalBuckets)})` : '';
    const batches = h.originalBatches !== undefined && h.originalBatches !== h.batches ? ` (planned ${formatCount(h.originalBatches)})` : '';
    add('Hash', `${formatCount(h.buckets ?? 0)} buckets${buckets}, ${formatCount(h.batches ?? 0)} batch${h.batches === 1 ? '' : 'es'}${batches}, ${formatKb(h.peakMemoryKb ?? 0)} peak`);
  }
  if (m.hashAgg) {
    const a = m.hashAgg;
    const parts = [a.batches !== undefined ? `${formatCount(a.batches)} batch${a.batches === 1 ? '' : 'es'}` : undefined, a.peakMemoryKb !== undefined ? `${formatKb(a.peakMemoryKb)} peak` : undefined, a.diskKb ? `${formatKb(a.diskKb)} on disk` : undefined, a.plannedPartitions ? `${a.plannedPartitions} partitions planned` : undefined];
    add('Hash aggregate', parts.filter(Boolean).join(', '));
  }
  if (m.bitmap) add('Heap blocks', `${formatCount(m.bitmap.exactBlocks)} exact, ${formatCount(m.bitmap.lossyBlocks)} lossy`);
  if (m.storage) add('Storage', `${m.storage.type}${m.storage.maxKb !== undefined ? `, ${formatKb(m.storage.maxKb)}` : ''}`);
  if (m.memoize) {
    const c = m.memoize;
    const lookups = c.hits + c.misses;
    add('Cache', `${formatCount(c.hits)} hits, ${formatCount(c.misses)} misses${lookups > 0 ? ` (${formatShare(c.hits / lookups)} hit rate)` : ''}, ${formatCount(c.evictions)} evictions${c.peakKb !== undefined ? `, ${formatKb(c.peakKb)} peak` : ''}`);
  }
}

export function buffersText(b: Buffers): string {
  const part = (label: string, pairs: Array<[string, number]>) => {
    const kept = pairs.filter(([, n]) => n > 0).map(([k, n]) => `${k} ${formatBlocks(n)}`);
    return kept.length > 0 ? `${label} ${kept.join(', ')}` : undefined;
  };
  const parts = [
    part('shared', [['hit', b.sharedHit], ['read', b.sharedRead], ['dirtied', b.sharedDirtied], ['written', b.sharedWritten]]),
    part('local', [['hit', b.localHit], ['read', b.localRead], ['dirtied', b.localDirtied], ['written', b.localWritten]]),
    part('temp', [['read', b.tempRead], ['written', b.tempWritten]]),
  ].filter(Boolean);
  return parts.length > 0 ? parts.join('; ') : 'none';
}

function ioText(io: IoTimings): string | undefined {
  const parts = ([['shared read', io.sharedRead], ['shared write', io.sharedWrite], ['local read', io.localRead], ['local write', io.localWrite], ['temp read', io.tempRead], ['temp write', io.tempWrite]] as const)
    .filter(([, ms]) => ms > 0)
    .map(([label, ms]) => `${label} ${formatDuration(ms)}`);
  return parts.length > 0 ? parts.join(', ') : undefined;
}

export function clip(text: string, max = MAX_DETAIL_CHARS): string {
  return text.length > max ? `${text.slice(0, max)}… (${formatCount(text.length - max)} more characters)` : text;
}

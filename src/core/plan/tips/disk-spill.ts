/**
 * disk-spill: a sort, hash or hash aggregate did not fit in work_mem and
 * went to temporary files (or a hash split its input into batches).
 */
import type { EnrichedPlan, PlanNode } from '../enrich';
import { formatKb, formatShare } from '../format';
import { quoteLiteral, settingToKb, suggestWorkMem } from '../sql';
import { band, docsPath, saving, setting, tip } from './helpers';
import type { Severity, TipRule } from './types';

/** Severity by the time share of the spilling operation: under 10% info, then warning, 40% critical. */
export const SHARE_BANDS = [0, 0.1, 0.4] as const;

interface Spill {
  readonly what: string;
  /** kB the operation would need in memory. */
  readonly neededKb: number;
  readonly hash: boolean;
  /** ms of work the spill is part of. */
  readonly timeMs: number;
}

export const diskSpill: TipRule = {
  id: 'disk-spill',
  title: 'Spilled to disk (work_mem)',
  docs: docsPath('disk-spill'),
  evaluate(node, plan) {
    if (!node.memory.spilled) return [];
    const spill = describeSpill(plan, node);
    if (!spill) return [];
    const current = setting(plan, 'work_mem');
    const currentKb = settingToKb(current) ?? 4096;
    const value = suggestWorkMem(spill.neededKb, currentKb);
    const share = plan.totals.basis > 0 ? spill.timeMs / plan.totals.basis : 0;
    const severity: Severity = band(share, SHARE_BANDS) ?? 'info';
    const message = `${node.label} ${spill.what}, with work_mem = ${current ?? '4MB (the default)'}${plan.timed ? `; the operation takes ${formatShare(share)} of the time` : ''}.`;
    const hashNote = spill.hash ? ' Hash tables may use work_mem × hash_mem_multiplier (default 2), so raising hash_mem_multiplier is an alternative.' : '';
    const action = {
      text: `Raise work_mem for this statement (SET LOCAL in its transaction) or for the role that runs it, not server-wide: every sort and hash of every connection may use that much.${hashNote}`,
      sql: `SET work_mem = ${quoteLiteral(value)};`,
    };
    // Saving: the temporary-file I/O time when track_io_timing measured it, but at least
    // half of the operation's time: in memory there are no merge passes or batch reloads,
    // while the rows still have to be sorted or hashed.
    const io = node.io ? node.io.exclusive.tempRead + node.io.exclusive.tempWrite : 0;
    return [tip(diskSpill, node.id, { severity, message, action, estimatedSavingMs: saving(plan, Math.max(io, spill.timeMs * 0.5)) })];
  },
};

function describeSpill(plan: EnrichedPlan, node: PlanNode): Spill | undefined {
  const m = node.memory;
  const own = node.exclusiveMs ?? 0;
  if (m.sort?.spaceType === 'Disk') {
    const kb = m.sort.spaceKb ?? 0;
    return { what: `went to disk (${m.sort.method ?? 'external sort'}, ${formatKb(kb)})`, neededKb: kb, hash: false, timeMs: own };
  }
  if ((m.hash?.batches ?? 1) > 1) {
    const h = m.hash!;
    // The batching work shows up in the join that probes the hash as much as in the Hash node.
    const parent = node.parentId !== null ? plan.nodes[node.parentId]! : undefined;
    const original = h.originalBatches !== undefined && h.originalBatches !== h.batches ? ` (planned ${h.originalBatches})` : '';
    return {
      what: `split its hash table into ${h.batches} batches${original} of ${formatKb(h.peakMemoryKb ?? 0)}`,
      neededKb: (h.peakMemoryKb ?? 0) * h.batches!,
      hash: true,
      timeMs: own + (parent?.exclusiveMs ?? 0),
    };
  }
  if ((m.hashAgg?.diskKb ?? 0) > 0 || (m.hashAgg?.batches ?? 1) > 1) {
    const a = m.hashAgg!;
    return {
      what: `wrote ${formatKb(a.diskKb ?? 0)} to disk in ${a.batches ?? 1} batches`,
      neededKb: (a.diskKb ?? 0) + (a.peakMemoryKb ?? 0),
      hash: true,
      timeMs: own,
    };
  }
  if (m.storage?.type === 'Disk') {
    return { what: `kept ${formatKb(m.storage.maxKb ?? 0)} of rows on disk`, neededKb: m.storage.maxKb ?? 0, hash: false, timeMs: own };
  }
  const groups = node.raw['Full-sort Groups']?.['Sort Space Disk'] ?? node.raw['Pre-sorted Groups']?.['Sort Space Disk'];
  if (groups) {
    const kb = groups['Peak Sort Space Used'] ?? 0;
    return { what: `sorted groups on disk (up to ${formatKb(kb)})`, neededKb: kb, hash: false, timeMs: own };
  }
  return undefined;
}

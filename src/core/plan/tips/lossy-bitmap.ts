/**
 * lossy-bitmap: the bitmap of matching rows did not fit in work_mem, so it
 * remembered whole pages instead of rows, and every row of those pages had
 * to be checked again ("Rows Removed by Index Recheck").
 */
import { formatCount, formatShare } from '../format';
import { quoteLiteral, settingToKb, suggestWorkMem } from '../sql';
import { band, docsPath, rowsExamined, saving, setting, tip } from './helpers';
import type { TipRule } from './types';

/** Share of heap blocks that went lossy: any is info, 10% warning, 50% critical. */
export const LOSSY_BANDS = [Number.MIN_VALUE, 0.1, 0.5] as const;
/**
 * Bytes of work_mem one exact page takes in a TID bitmap: a PagetableEntry
 * (about 48 bytes for 8 kB pages) plus hash-table overhead, as
 * tbm_calculate_entries() in tidbitmap.c counts it.
 */
export const BYTES_PER_PAGE = 64;

export const lossyBitmap: TipRule = {
  id: 'lossy-bitmap',
  title: 'Lossy bitmap: rows rechecked',
  docs: docsPath('lossy-bitmap'),
  evaluate(node, plan) {
    const bitmap = node.memory.bitmap;
    if (!bitmap || bitmap.lossyBlocks === 0) return [];
    const blocks = bitmap.exactBlocks + bitmap.lossyBlocks;
    const lossyShare = bitmap.lossyBlocks / blocks;
    const severity = band(lossyShare, LOSSY_BANDS);
    if (!severity) return [];
    const rechecked = node.rows.removedByIndexRecheck ?? 0;
    const examined = rowsExamined(node);
    const current = setting(plan, 'work_mem');
    const value = suggestWorkMem((blocks * BYTES_PER_PAGE) / 1024, settingToKb(current) ?? 4096);
    const message =
      `${node.label} kept ${formatCount(bitmap.lossyBlocks)} of ${formatCount(blocks)} heap blocks (${formatShare(lossyShare)}) as whole pages, ` +
      `and rechecking them discarded ${formatCount(rechecked)} rows.`;
    const action = {
      text: `Give the bitmap enough work_mem to keep one entry per page (about ${BYTES_PER_PAGE} bytes each${current ? `; it is ${current} now` : ''}), for this statement or its role.`,
      sql: `SET work_mem = ${quoteLiteral(value)};`,
    };
    // Saving: the node's exclusive time × the share of examined rows that the recheck
    // discarded (they were read and tested only because their page was lossy).
    const share = examined > 0 ? rechecked / examined : 0;
    return [tip(lossyBitmap, node.id, { severity, message, action, estimatedSavingMs: saving(plan, (node.exclusiveMs ?? 0) * share) })];
  },
};

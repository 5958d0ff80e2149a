/**
 * seq-scan-filter: a sequential scan that reads the whole table to keep a
 * small part of it. An index on the filtered columns reads only the rows
 * that match.
 */
import { formatCount, formatShare } from '../format';
import { indexableColumns } from '../predicate';
import { band, docsPath, saving, tableName, tip } from './helpers';
import type { TipRule } from './types';

/**
 * Share of scanned rows removed by the filter: 75% info, 95% warning, 99%
 * critical. An index only wins when it lets the scan skip most of the table:
 * when half the rows are kept, reading the table in order is as fast.
 */
export const REMOVED_BANDS = [0.75, 0.95, 0.99] as const;
/** Tables smaller than this are read faster whole than through an index. */
export const MIN_REMOVED_ROWS = 1000;

export const seqScanFilter: TipRule = {
  id: 'seq-scan-filter',
  title: 'Sequential scan discards most rows',
  docs: docsPath('seq-scan-filter'),
  evaluate(node, plan) {
    if (node.nodeType !== 'Seq Scan' || !node.relation) return [];
    const removed = node.rows.removedByFilter ?? 0;
    const kept = node.rows.actualTotal ?? 0;
    if (removed < MIN_REMOVED_ROWS) return [];
    const share = removed / (removed + kept);
    const severity = band(share, REMOVED_BANDS);
    if (!severity) return [];
    const columns = indexableColumns([node.raw.Filter], [node.relation.alias, node.relation.name]);
    const message =
      `${node.label} read ${formatCount(removed + kept)} rows and its filter discarded ${formatCount(removed)} of them (${formatShare(share)}) to keep ${formatCount(kept)}.`;
    const action = columns.length > 0
      ? { text: `Index ${tableName(node)} on (${columns.join(', ')}) so that only matching rows are read; a partial index fits when the condition is a fixed value.` }
      : { text: `Rewrite the filter so that an index can serve it (compare the bare column, not an expression of it), then index ${tableName(node)} on that column.` };
    // Saving: the node's exclusive time × the share of rows the filter removed; an
    // index skips reading those rows, the kept rows still cost what they cost.
    return [tip(seqScanFilter, node.id, {
      severity,
      message,
      action,
      estimatedSavingMs: saving(plan, (node.exclusiveMs ?? 0) * share),
      indexCandidate: columns.length > 0 ? { schema: node.relation.schema, table: node.relation.name, columns } : undefined,
    })];
  },
};

/**
 * inefficient-index-scan: an index narrows the rows, then a filter throws
 * most of them away after they were fetched from the table. An index that
 * also covers the filtered columns fetches only the rows that are kept.
 */
import { formatCount, formatShare } from '../format';
import { indexableColumns } from '../predicate';
import { band, docsPath, saving, tableName, tip } from './helpers';
import type { TipRule } from './types';

/** Share of the rows fetched through the index that the filter removes: 75% info, 95% warning, 99% critical. */
export const REMOVED_BANDS = [0.75, 0.95, 0.99] as const;
export const MIN_REMOVED_ROWS = 1000;

const SCANS = new Set(['Index Scan', 'Index Only Scan', 'Bitmap Heap Scan']);

export const inefficientIndexScan: TipRule = {
  id: 'inefficient-index-scan',
  title: 'Index scan followed by a large filter',
  docs: docsPath('inefficient-index-scan'),
  evaluate(node, plan) {
    if (!SCANS.has(node.nodeType) || !node.relation) return [];
    const removed = node.rows.removedByFilter ?? 0;
    const kept = node.rows.actualTotal ?? 0;
    if (removed < MIN_REMOVED_ROWS) return [];
    const share = removed / (removed + kept);
    const severity = band(share, REMOVED_BANDS);
    if (!severity) return [];
    const names = [node.relation.alias, node.relation.name];
    const indexCond = node.raw['Index Cond'] ?? node.raw['Recheck Cond'];
    const columns = indexableColumns([node.raw.Filter, indexCond], names);
    const via = node.indexName ? `the index ${node.indexName}` : 'the index';
    const message =
      `${node.label} fetched ${formatCount(removed + kept)} rows through ${via}, then its filter discarded ${formatCount(removed)} (${formatShare(share)}).`;
    const action = {
      text: columns.length > 0
        ? `Index ${tableName(node)} on (${columns.join(', ')}): the filtered columns first when they are equalities, so the index returns only the rows that are kept.`
        : `Extend the index with the columns of the filter so that it returns only the rows that are kept.`,
    };
    // Saving: the node's exclusive time × the share of fetched rows the filter removed
    // (each of those was read from the table for nothing).
    return [tip(inefficientIndexScan, node.id, {
      severity,
      message,
      action,
      estimatedSavingMs: saving(plan, (node.exclusiveMs ?? 0) * share),
      indexCandidate: columns.length > 0 ? { schema: node.relation.schema, table: node.relation.name, columns } : undefined,
    })];
  },
};

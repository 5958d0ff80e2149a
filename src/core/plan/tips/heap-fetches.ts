/**
 * heap-fetches: an index-only scan that still visits the table, because the
 * visibility map does not mark those pages all-visible. VACUUM sets it.
 */
import { formatCount, formatShare } from '../format';
import { band, docsPath, saving, tableName, tableSql, tip } from './helpers';
import type { TipRule } from './types';

/** Heap fetches per row the scan looked at: 10% info, 40% warning, 90% critical (pev2 uses 0/40/90). */
export const FETCH_BANDS = [0.1, 0.4, 0.9] as const;
export const MIN_FETCHES = 100;

export const heapFetches: TipRule = {
  id: 'heap-fetches',
  title: 'Index-only scan visits the table',
  docs: docsPath('heap-fetches'),
  evaluate(node, plan) {
    if (node.nodeType !== 'Index Only Scan' || !node.relation) return [];
    const fetches = node.rows.heapFetches ?? 0;
    if (fetches < MIN_FETCHES) return [];
    const examined = (node.rows.actualTotal ?? 0) + (node.rows.removedByFilter ?? 0);
    // Dead index entries also cost a fetch, so there can be more fetches than rows.
    const ratio = Math.min(1, fetches / Math.max(examined, 1));
    const severity = band(ratio, FETCH_BANDS);
    if (!severity) return [];
    const message = `${node.label} fetched ${formatCount(fetches)} table rows for ${formatCount(examined)} index entries (${formatShare(ratio)}): those pages are not marked all-visible.`;
    const table = tableSql(node)!;
    const action = {
      text: `VACUUM ${tableName(node)} to mark its pages all-visible. If it keeps happening, vacuum it more often (autovacuum_vacuum_scale_factor, or autovacuum_vacuum_insert_scale_factor for tables that only grow).`,
      sql: `VACUUM (ANALYZE) ${table};`,
    };
    // Saving: half of the node's exclusive time × the share of rows that needed a fetch,
    // a rough split between reading the index and visiting the table.
    return [tip(heapFetches, node.id, { severity, message, action, estimatedSavingMs: saving(plan, (node.exclusiveMs ?? 0) * ratio * 0.5) })];
  },
};

/**
 * read-efficiency: a scan touched many more pages than the rows it looked at
 * need. For a table scan that means mostly dead space (bloat); for an index
 * scan, a bloated index or rows scattered over many pages.
 */
import { blocksTouched } from '../counters';
import { formatBytes, formatCount } from '../format';
import { HEAP_SCANS, INDEX_SCANS, band, docsPath, rowsExamined, saving, tableName, tableSql, tip } from './helpers';
import type { TipRule } from './types';

/** Scans that touched fewer pages than this (8 MB) are not scored. */
export const MIN_BLOCKS = 1000;
/**
 * Table scans: bytes read per row examined. Values over about 2 kB are moved
 * to TOAST, so a page of live rows holds at least four; more than 4 kB per
 * row (fewer than two rows per page) means mostly dead space. Bands: 4 kB
 * info, 16 kB warning, 64 kB critical; never below 4 × the row width.
 */
export const HEAP_BYTES_BANDS = [4096, 16384, 65536] as const;
/** Index scans: pages per row examined. A lookup costs about 3 to 5; bands 10, 30, 100. */
export const INDEX_BLOCKS_BANDS = [10, 30, 100] as const;

export const readEfficiency: TipRule = {
  id: 'read-efficiency',
  title: 'Many pages read per row',
  docs: docsPath('read-efficiency'),
  evaluate(node, plan) {
    if (!node.buffers || !node.relation || node.neverExecuted) return [];
    const heap = HEAP_SCANS.has(node.nodeType);
    if (!heap && !INDEX_SCANS.has(node.nodeType)) return [];
    const blocks = blocksTouched(node.buffers.exclusive);
    if (blocks < MIN_BLOCKS) return [];
    // Each loop looks at least at one row's worth of pages, even when it finds none.
    const examined = Math.max(rowsExamined(node), node.loops ?? 1, 1);
    const table = tableSql(node)!;
    if (heap) {
      const bytesPerRow = (blocks * 8192) / examined;
      const width = node.raw['Plan Width'] ?? 0;
      if (bytesPerRow < 4 * width) return [];
      const severity = band(bytesPerRow, HEAP_BYTES_BANDS);
      if (!severity) return [];
      const message = `${node.label} read ${formatCount(blocks)} pages (${formatBytes(blocks * 8192)}) for ${formatCount(examined)} rows, ${formatBytes(bytesPerRow)} per row: the table is probably bloated with dead rows.`;
      const action = {
        text: `VACUUM ${tableName(node)} so that its dead rows are reclaimed, and check why autovacuum fell behind. To give the space back and shrink the table, VACUUM FULL (it locks the table) or pg_repack.`,
        sql: `VACUUM (ANALYZE, VERBOSE) ${table};`,
      };
      // Saving: the node's exclusive time × the share of pages beyond what 4 kB per row
      // (the loosest healthy density) would need.
      return [tip(readEfficiency, node.id, { severity, message, action, estimatedSavingMs: saving(plan, (node.exclusiveMs ?? 0) * (1 - 4096 / bytesPerRow)) })];
    }
    const perRow = blocks / examined;
    const severity = band(perRow, INDEX_BLOCKS_BANDS);
    if (!severity) return [];
    const message = `${node.label} read ${formatCount(blocks)} pages for ${formatCount(examined)} rows, ${perRow.toFixed(1)} pages per row.`;
    // No SQL: the pages may be a bloated index (REINDEX fixes it) or rows scattered over the table
    // (it does not); the plan cannot tell which, and a rebuild that changes nothing is not a fix.
    const action = {
      text: node.indexName
        ? `If ${node.indexName} is bloated (the health report's index-bloat check says so), rebuild it with REINDEX INDEX CONCURRENTLY; if the rows are scattered over the table, a covering index (INCLUDE the selected columns) or CLUSTER on this index keeps them together.`
        : 'Rebuild the index if it is bloated, or make it covering so that the table is not visited.',
    };
    // Saving: the node's exclusive time × the share of pages beyond 5 per row (a normal lookup).
    return [tip(readEfficiency, node.id, { severity, message, action, estimatedSavingMs: saving(plan, (node.exclusiveMs ?? 0) * (1 - 5 / perRow)) })];
  },
};

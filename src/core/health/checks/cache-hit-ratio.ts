/**
 * Share of table and index block reads served from shared buffers since the
 * statistics were reset. PgHero's table_hit_rate / index_hit_rate: an OLTP
 * database whose working set fits in memory stays above 99 %.
 */
import { formatBytes, formatCount, formatPercent } from '../format';
import { num0, text } from '../rows';
import { below, statusOf } from '../outcome';
import type { Finding, MultiQueryCheck, Rows } from '../types';

type CacheRows = { totals: Rows; tables: Rows; memory?: Rows };

export const cacheHitRatio: MultiQueryCheck<CacheRows> = {
  id: 'cache-hit-ratio',
  title: 'Cache hit ratio',
  category: 'performance',
  level: 'database',
  minVersion: 90600,
  privileges: 'Any role: statistics of all tables are readable.',
  thresholds: ['cacheHitWarningPercent', 'cacheHitCriticalPercent', 'cacheHitMinBlocks'],
  sql: {
    totals: `SELECT 'tables' AS kind,
       coalesce(sum(heap_blks_hit), 0) AS hit,
       coalesce(sum(heap_blks_read), 0) AS read
FROM pg_statio_user_tables
UNION ALL
SELECT 'indexes',
       coalesce(sum(idx_blks_hit), 0),
       coalesce(sum(idx_blks_read), 0)
FROM pg_statio_user_indexes`,
    // The tables that read the most from outside shared buffers explain a low ratio.
    tables: `SELECT schemaname AS schema, relname AS table,
       heap_blks_hit AS hit, heap_blks_read AS read,
       coalesce(idx_blks_hit, 0) AS index_hit, coalesce(idx_blks_read, 0) AS index_read,
       current_setting('block_size')::int AS block_size
FROM pg_statio_user_tables
WHERE heap_blks_read + coalesce(idx_blks_read, 0) > 0
ORDER BY heap_blks_read + coalesce(idx_blks_read, 0) DESC
LIMIT 10`,
    // A database smaller than shared_buffers fits in it: its misses are first reads, not a small cache.
    memory: `SELECT pg_database_size(current_database()) AS database_bytes,
       pg_size_bytes(current_setting('shared_buffers')) AS shared_buffers_bytes,
       current_setting('shared_buffers') AS shared_buffers`,
  },
  optional: ['memory'],
  evaluate(rows, t) {
    const findings: Finding[] = [];
    const memory = rows.memory?.[0];
    const databaseBytes = num0(memory?.database_bytes);
    const sharedBuffers = text(memory?.shared_buffers);
    const fits = memory !== undefined && databaseBytes > 0 && databaseBytes <= num0(memory.shared_buffers_bytes);
    const parts: string[] = [];
    for (const row of rows.totals) {
      const kind = text(row.kind);
      const hit = num0(row.hit);
      const read = num0(row.read);
      const total = hit + read;
      if (total < t.cacheHitMinBlocks) {
        parts.push(`${kind}: too little activity to judge (${formatCount(total)} block reads)`);
        continue;
      }
      const ratio = (100 * hit) / total;
      parts.push(`${kind} ${formatPercent(ratio)}`);
      const severity = below(ratio, t.cacheHitWarningPercent, t.cacheHitCriticalPercent);
      if (severity) {
        findings.push({
          severity,
          object: kind,
          message: `${formatPercent(ratio)} of ${kind === 'tables' ? 'table' : 'index'} block reads were served from shared buffers (${formatCount(read)} of ${formatCount(total)} came from disk or the OS cache).`,
          // No size is written for shared_buffers: the right one depends on the server's RAM, which SQL cannot see.
          remediation: {
            text: fits
              ? `The whole database (${formatBytes(databaseBytes)}) fits in shared_buffers (${sharedBuffers}), so these reads are first reads since the server started, not a cache too small; look at the tables below if it stays low.`
              : 'If the working set should fit in memory, raise shared_buffers to about 25 % of the server\'s RAM (ALTER SYSTEM SET shared_buffers = \'<size>\'; then restart) and check effective_cache_size. ' +
                'Otherwise look at the tables below: a missing index or a query reading a whole table often explains it.',
          },
        });
      }
    }
    const blockSize = num0(rows.tables[0]?.block_size) || 8192;
    return {
      status: statusOf(findings),
      summary: `Cache hit ratio: ${parts.join('; ')}.`,
      findings,
      details: [
        {
          title: 'Tables reading the most blocks from outside shared buffers',
          columns: [
            { label: 'Table' },
            { label: 'Heap hit ratio', kind: 'percent' },
            { label: 'Heap read', kind: 'bytes' },
            { label: 'Index read', kind: 'bytes' },
          ],
          rows: rows.tables.map((r) => {
            const hit = num0(r.hit);
            const read = num0(r.read);
            return [
              `${text(r.schema)}.${text(r.table)}`,
              hit + read > 0 ? Number(((100 * hit) / (hit + read)).toFixed(2)) : null,
              read * blockSize,
              num0(r.index_read) * blockSize,
            ];
          }),
        },
      ],
    };
  },
};


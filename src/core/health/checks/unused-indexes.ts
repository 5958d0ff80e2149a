/**
 * Indexes that no scan has used since the statistics were last reset. They
 * cost space, slow every write and lengthen VACUUM. Unique indexes and those
 * backing a constraint are kept out: they enforce rules even when never read.
 * How long the statistics have been collected is part of the answer: after a
 * reset yesterday, an index used by a monthly report looks unused.
 */
import { formatBytes, formatDuration, plural } from '../format';
import { qualified } from '../ident';
import { statusOf } from '../outcome';
import { bool, first, num0, text } from '../rows';
import type { Finding, Limitation, MultiQueryCheck, Rows } from '../types';

type UnusedRows = { indexes: Rows; stats: Rows };

export const unusedIndexes: MultiQueryCheck<UnusedRows> = {
  id: 'unused-indexes',
  title: 'Unused indexes',
  category: 'indexes',
  level: 'table',
  minVersion: 90600,
  privileges: 'Any role.',
  thresholds: ['unusedIndexMinBytes', 'unusedIndexMinStatsDays'],
  sql: {
    indexes: `SELECT s.schemaname AS schema, s.relname AS table, s.indexrelname AS index,
       s.idx_scan AS scans,
       pg_relation_size(s.indexrelid) AS bytes,
       pg_get_indexdef(s.indexrelid) AS definition
FROM pg_stat_user_indexes s
JOIN pg_index x ON x.indexrelid = s.indexrelid
WHERE s.idx_scan = 0
  AND x.indisvalid
  AND NOT x.indisunique
  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = s.indexrelid)
ORDER BY pg_relation_size(s.indexrelid) DESC, s.schemaname, s.relname, s.indexrelname`,
    // Since PostgreSQL 15 statistics survive a clean restart, so a NULL
    // stats_reset means "since the database was created"; the server start
    // is then a lower bound.
    stats: `SELECT coalesce(stats_reset, pg_postmaster_start_time())::text AS since,
       stats_reset IS NOT NULL AS was_reset,
       extract(epoch FROM now() - coalesce(stats_reset, pg_postmaster_start_time()))::float8 AS seconds
FROM pg_stat_database
WHERE datname = current_database()`,
  },
  evaluate(rows, t, ctx) {
    const stats = first(rows.stats);
    const statsSeconds = num0(stats.seconds);
    const young = statsSeconds < t.unusedIndexMinStatsDays * 86400;
    const window = `${formatDuration(statsSeconds)} (since ${text(stats.since, 'unknown')}${bool(stats.was_reset) ? ', when statistics were reset' : ''})`;
    const big = rows.indexes.filter((r) => num0(r.bytes) >= t.unusedIndexMinBytes);
    const findings: Finding[] = big.map((r) => {
      const schema = text(r.schema);
      const table = text(r.table);
      const index = qualified(schema, text(r.index));
      return {
        severity: young ? 'info' : 'warning',
        object: index,
        relation: { schema, table },
        message: `Index ${index} on ${qualified(schema, table)} (${formatBytes(num0(r.bytes))}) has not been scanned in ${formatDuration(statsSeconds)}.`,
        remediation: {
          text:
            'Drop it if no query needs it. Scans on replicas are counted there, not here: check pg_stat_user_indexes on each replica first.' +
            (young ? ' Statistics are recent, so wait for a full business cycle before deciding.' : ''),
          sql: `DROP INDEX CONCURRENTLY ${index};  -- to restore: ${text(r.definition)};`,
        },
      };
    });
    const wasted = big.reduce((sum, r) => sum + num0(r.bytes), 0);
    const limitations: Limitation[] = ctx.inRecovery
      ? [{ reason: 'This server is a replica: its statistics count only the scans run here, not on the primary.' }]
      : [];
    return {
      status: statusOf(findings),
      summary:
        findings.length === 0
          ? `No unused index of ${formatBytes(t.unusedIndexMinBytes)} or more; statistics cover ${window}.`
          : `${plural(findings.length, 'index', 'indexes')} (${formatBytes(wasted)}) unused in ${window}.`,
      findings,
      details: [
        {
          title: 'Indexes never scanned (all sizes)',
          columns: [{ label: 'Index' }, { label: 'Table' }, { label: 'Size', kind: 'bytes' }, { label: 'Definition' }],
          rows: rows.indexes.slice(0, 50).map((r) => [qualified(text(r.schema), text(r.index)), qualified(text(r.schema), text(r.table)), num0(r.bytes), text(r.definition)]),
        },
      ],
      limitations,
    };
  },
};

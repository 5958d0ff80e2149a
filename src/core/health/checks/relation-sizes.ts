/**
 * Where the space goes: the database size, and the largest tables (with their
 * indexes and TOAST) and indexes. Informational: it never warns, but it is
 * the first thing to read when a disk fills up.
 */
import { formatBytes } from '../format';
import { qualified } from '../ident';
import { first, num0, text } from '../rows';
import { userSchema } from '../catalog';
import type { MultiQueryCheck, Rows } from '../types';

type SizeRows = { database: Rows; tables: Rows; indexes: Rows };

export const relationSizes: MultiQueryCheck<SizeRows> = {
  id: 'relation-sizes',
  title: 'Database, table and index sizes',
  category: 'storage',
  level: 'table',
  minVersion: 90600,
  privileges: 'Any role with CONNECT on the database.',
  thresholds: ['relationSizesTopN'],
  sql: {
    database: `SELECT pg_database_size(current_database()) AS bytes`,
    tables: `SELECT n.nspname AS schema, c.relname AS table,
       pg_total_relation_size(c.oid) AS total_bytes,
       pg_relation_size(c.oid) AS heap_bytes,
       pg_indexes_size(c.oid) AS index_bytes,
       pg_total_relation_size(c.oid) - pg_relation_size(c.oid) - pg_indexes_size(c.oid) AS toast_bytes,
       greatest(c.reltuples, 0)::bigint AS estimated_rows
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'm')
  AND ${userSchema('n')}
ORDER BY pg_total_relation_size(c.oid) DESC
LIMIT 50`,
    indexes: `SELECT n.nspname AS schema, t.relname AS table, i.relname AS index,
       pg_relation_size(i.oid) AS bytes
FROM pg_index x
JOIN pg_class i ON i.oid = x.indexrelid
JOIN pg_class t ON t.oid = x.indrelid
JOIN pg_namespace n ON n.oid = t.relnamespace
WHERE ${userSchema('n')}
ORDER BY pg_relation_size(i.oid) DESC
LIMIT 50`,
  },
  evaluate(rows, t) {
    const top = Math.max(1, Math.min(50, Math.floor(t.relationSizesTopN)));
    const dbBytes = num0(first(rows.database).bytes);
    const largest = rows.tables[0];
    return {
      status: 'ok',
      summary:
        `The database takes ${formatBytes(dbBytes)}` +
        (largest ? `; the largest table is ${qualified(text(largest.schema), text(largest.table))} at ${formatBytes(num0(largest.total_bytes))} with its indexes.` : '.'),
      findings: [],
      details: [
        {
          title: `Largest tables (top ${top})`,
          columns: [
            { label: 'Table' },
            { label: 'Total', kind: 'bytes' },
            { label: 'Heap', kind: 'bytes' },
            { label: 'Indexes', kind: 'bytes' },
            { label: 'TOAST', kind: 'bytes' },
            { label: 'Rows (estimate)', kind: 'number' },
          ],
          rows: rows.tables.slice(0, top).map((r) => [
            qualified(text(r.schema), text(r.table)),
            num0(r.total_bytes),
            num0(r.heap_bytes),
            num0(r.index_bytes),
            num0(r.toast_bytes),
            num0(r.estimated_rows),
          ]),
        },
        {
          title: `Largest indexes (top ${top})`,
          columns: [{ label: 'Index' }, { label: 'Table' }, { label: 'Size', kind: 'bytes' }],
          rows: rows.indexes.slice(0, top).map((r) => [qualified(text(r.schema), text(r.index)), qualified(text(r.schema), text(r.table)), num0(r.bytes)]),
        },
      ],
    };
  },
};

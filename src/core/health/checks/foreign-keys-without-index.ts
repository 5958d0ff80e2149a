/**
 * Foreign keys whose referencing columns do not lead any index. Deleting or
 * updating a referenced row then scans the whole referencing table (under a
 * lock), and joins from parent to children have nothing to use. An index
 * qualifies when its first columns are exactly the key's columns, in any order.
 * On partitioned tables the key is reported once, on the parent
 * (partitions inherit it: conparentid points to the parent's constraint).
 */
import { formatCount, plural } from '../format';
import { qualified, quoteIdent } from '../ident';
import { statusOf } from '../outcome';
import { num0, text } from '../rows';
import { userSchema } from '../catalog';
import type { Finding, SingleQueryCheck } from '../types';

export const foreignKeysWithoutIndex: SingleQueryCheck = {
  id: 'foreign-keys-without-index',
  title: 'Foreign keys without an index',
  category: 'indexes',
  level: 'table',
  minVersion: 110000,
  privileges: 'Any role.',
  thresholds: ['fkWithoutIndexMinRows'],
  sql: `SELECT n.nspname AS schema, t.relname AS table, c.conname AS constraint,
       (SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY k.ord)
          FROM unnest(c.conkey) WITH ORDINALITY AS k(attnum, ord)
          JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum) AS columns,
       c.confrelid::regclass::text AS referenced_table,
       greatest(t.reltuples, coalesce(s.n_live_tup, 0))::bigint AS rows
FROM pg_constraint c
JOIN pg_class t ON t.oid = c.conrelid
JOIN pg_namespace n ON n.oid = t.relnamespace
LEFT JOIN pg_stat_user_tables s ON s.relid = t.oid
WHERE c.contype = 'f'
  AND c.conparentid = 0
  AND ${userSchema('n')}
  AND NOT EXISTS (
    SELECT 1
    FROM pg_index x
    WHERE x.indrelid = c.conrelid
      AND x.indisvalid
      AND x.indpred IS NULL
      AND (string_to_array(x.indkey::text, ' ')::int2[])[1:cardinality(c.conkey)] @> c.conkey
      AND (string_to_array(x.indkey::text, ' ')::int2[])[1:cardinality(c.conkey)] <@ c.conkey)
ORDER BY 6 DESC, n.nspname, t.relname, c.conname`,
  evaluate(rows, t) {
    const findings: Finding[] = rows.map((r) => {
      const schema = text(r.schema);
      const table = text(r.table);
      const rowCount = num0(r.rows);
      const columns = text(r.columns);
      return {
        severity: rowCount >= t.fkWithoutIndexMinRows ? 'warning' : 'info',
        object: `${qualified(schema, table)} (${columns})`,
        relation: { schema, table },
        message: `Foreign key ${quoteIdent(text(r.constraint))} on ${qualified(schema, table)} (${columns}) references ${text(r.referenced_table)} but no index starts with those columns (${formatCount(rowCount)} rows): deleting or updating a referenced row scans the table.`,
        remediation: {
          text: 'Index the referencing columns. CONCURRENTLY builds it without blocking writes (it cannot run inside a transaction block).',
          sql: `CREATE INDEX CONCURRENTLY ON ${qualified(schema, table)} (${columns});`,
        },
      };
    });
    return {
      status: statusOf(findings),
      summary: findings.length === 0 ? 'Every foreign key has a supporting index.' : `${plural(findings.length, 'foreign key has', 'foreign keys have')} no supporting index.`,
      findings,
      details: [
        {
          columns: [{ label: 'Table' }, { label: 'Columns' }, { label: 'References' }, { label: 'Rows', kind: 'number' }],
          rows: rows.map((r) => [qualified(text(r.schema), text(r.table)), text(r.columns), text(r.referenced_table), num0(r.rows)]),
        },
      ],
    };
  },
};

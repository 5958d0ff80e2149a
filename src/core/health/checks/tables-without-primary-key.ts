/**
 * Tables with no primary key. Rows cannot be addressed reliably (duplicates
 * creep in), ORMs and tools assume one, and logical replication cannot
 * replicate UPDATE or DELETE on them without REPLICA IDENTITY FULL. A table
 * with a unique index on NOT NULL columns can promote it; that case is info.
 */
import { formatCount, plural } from '../format';
import { qualified, quoteIdent } from '../ident';
import { statusOf } from '../outcome';
import { bool, num0, str, text } from '../rows';
import { truncateName } from '../../schema/indexDefinition';
import { notExtensionMember, userSchema } from '../catalog';
import type { Finding, SingleQueryCheck } from '../types';

export const tablesWithoutPrimaryKey: SingleQueryCheck = {
  id: 'tables-without-primary-key',
  title: 'Tables without a primary key',
  category: 'schema',
  level: 'table',
  minVersion: 100000,
  privileges: 'Any role.',
  thresholds: [],
  // Partitions are reported through their parent; the candidate key is the
  // smallest valid, non-partial unique index whose columns are all NOT NULL.
  sql: `SELECT n.nspname AS schema, c.relname AS table, c.relkind AS kind,
       greatest(c.reltuples, 0)::bigint AS estimated_rows,
       pg_total_relation_size(c.oid) AS bytes,
       cand.index AS candidate_index, cand.columns AS candidate_columns, cand.constraint_name AS candidate_constraint,
       EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'id' AND NOT a.attisdropped) AS has_id
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN LATERAL (
  SELECT i.relname AS index,
         (SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY k.n)
            FROM unnest(x.indkey::int2[]) WITH ORDINALITY k(attnum, n)
            JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum) AS columns,
         -- An index that backs a UNIQUE constraint cannot be promoted: it belongs to the constraint.
         (SELECT k.conname FROM pg_constraint k WHERE k.conindid = x.indexrelid AND k.conrelid = c.oid AND k.contype = 'u') AS constraint_name
  FROM pg_index x
  JOIN pg_class i ON i.oid = x.indexrelid
  WHERE x.indrelid = c.oid AND x.indisunique AND x.indisvalid AND x.indpred IS NULL AND x.indexprs IS NULL
    AND NOT EXISTS (SELECT 1 FROM pg_attribute a
                     WHERE a.attrelid = c.oid AND a.attnum = ANY (x.indkey) AND NOT a.attnotnull)
  ORDER BY x.indnatts, i.relname
  LIMIT 1) cand ON true
WHERE c.relkind IN ('r', 'p')
  AND NOT c.relispartition
  AND ${userSchema('n')}
  AND ${notExtensionMember('c.oid')}
  AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conrelid = c.oid AND k.contype = 'p')
ORDER BY pg_total_relation_size(c.oid) DESC, n.nspname, c.relname`,
  evaluate(rows) {
    const findings: Finding[] = rows.map((r) => {
      const schema = text(r.schema);
      const table = text(r.table);
      const name = qualified(schema, table);
      const candidate = str(r.candidate_index);
      // PostgreSQL refuses ADD CONSTRAINT ... USING INDEX on a partitioned table.
      if (candidate && text(r.kind) !== 'p') {
        const constraint = str(r.candidate_constraint);
        const pkey = quoteIdent(truncateName(table, '_pkey'));
        return {
          severity: 'info',
          object: name,
          relation: { schema, table },
          message: `${name} has no primary key, but its unique index ${quoteIdent(candidate)} on NOT NULL columns could become one.`,
          // A constraint's index cannot change hands: a twin index is built without
          // blocking writes and promoted; the UNIQUE constraint is then redundant.
          remediation: constraint
            ? {
                text: `Build the same unique index concurrently and promote it (a brief lock). The UNIQUE constraint ${quoteIdent(constraint)} is then redundant: drop it once no foreign key references it.`,
                sql: `CREATE UNIQUE INDEX CONCURRENTLY ${pkey} ON ${name} (${text(r.candidate_columns)});\nALTER TABLE ${name} ADD CONSTRAINT ${pkey} PRIMARY KEY USING INDEX ${pkey};`,
              }
            : { text: 'Promote the unique index; this only takes a brief lock.', sql: `ALTER TABLE ${name} ADD PRIMARY KEY USING INDEX ${quoteIdent(candidate)};` },
        };
      }
      const column = bool(r.has_id) ? `${table}_id` : 'id';
      return {
        severity: 'warning',
        object: name,
        relation: { schema, table },
        message: `${name} (${formatCount(num0(r.estimated_rows))} rows) has no primary key: duplicate rows cannot be prevented, and logical replication cannot replicate its updates and deletes.`,
        remediation:
          text(r.kind) === 'p'
            ? { text: 'Add a key that includes the partition key columns (PostgreSQL requires it on a partitioned table), for example the natural key plus the partitioning column.' }
            : {
                text: `Add a key. An identity column works when no natural key exists${column !== 'id' ? ` (named ${column}, as the table already has a column id)` : ''}; adding it rewrites the table under an ACCESS EXCLUSIVE lock, so plan it for a quiet moment on large tables.`,
                sql: `ALTER TABLE ${name} ADD COLUMN ${quoteIdent(column)} bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY;`,
              },
      };
    });
    return {
      status: statusOf(findings),
      summary: findings.length === 0 ? 'Every table has a primary key.' : `${plural(findings.length, 'table has', 'tables have')} no primary key.`,
      findings,
      details: [
        {
          columns: [{ label: 'Table' }, { label: 'Rows (estimate)', kind: 'number' }, { label: 'Size', kind: 'bytes' }, { label: 'Unique index that could be the key' }],
          rows: rows.map((r) => [qualified(text(r.schema), text(r.table)), num0(r.estimated_rows), num0(r.bytes), text(r.candidate_index)]),
        },
      ],
    };
  },
};

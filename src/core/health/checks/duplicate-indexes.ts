/**
 * Indexes another index on the same table makes redundant: an identical one,
 * or one whose key columns are a leading prefix of a wider btree index with
 * the same method, operator classes, expressions and predicate (PgHero's
 * rule). The redundant index is never the one enforcing uniqueness or backing
 * a constraint; of two identical ones, the newer is reported.
 */
import { formatBytes, plural } from '../format';
import { qualified } from '../ident';
import { num0, text } from '../rows';
import { userSchema } from '../catalog';
import type { Finding, SingleQueryCheck } from '../types';

export const duplicateIndexes: SingleQueryCheck = {
  id: 'duplicate-indexes',
  title: 'Duplicate and redundant indexes',
  category: 'indexes',
  level: 'table',
  minVersion: 110000,
  privileges: 'Any role.',
  thresholds: [],
  // int2vector and oidvector are turned into ordinary 1-based arrays so
  // prefixes can be compared with slices. Definitions and sizes are read only
  // for the indexes reported: on thousands of indexes they are the costly part.
  sql: `WITH idx AS (
  SELECT x.indexrelid, x.indrelid, n.nspname AS schema, t.relname AS table, i.relname AS index,
         i.relam, x.indisunique,
         EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid) AS backs_constraint,
         x.indnkeyatts AS key_count,
         string_to_array(x.indkey::text, ' ')::int2[] AS columns,
         string_to_array(x.indclass::text, ' ')::oid[] AS opclasses,
         string_to_array(x.indcollation::text, ' ')::oid[] AS collations,
         string_to_array(x.indoption::text, ' ')::int2[] AS options,
         pg_get_expr(x.indexprs, x.indrelid) AS expressions,
         pg_get_expr(x.indpred, x.indrelid) AS predicate
  FROM pg_index x
  JOIN pg_class i ON i.oid = x.indexrelid
  JOIN pg_class t ON t.oid = x.indrelid
  JOIN pg_namespace n ON n.oid = t.relnamespace
  WHERE x.indisvalid
    AND ${userSchema('n')}
), pairs AS (
  SELECT a.*, b.index AS covering_index, am.amname AS method,
         b.indisunique AS covering_unique, b.backs_constraint AS covering_backs_constraint, b.indexrelid AS covering_oid,
         a.columns = b.columns AND a.opclasses = b.opclasses AND a.collations = b.collations AND a.options = b.options AS same_columns,
         a.key_count <= b.key_count
           AND a.columns[1:a.key_count] = b.columns[1:a.key_count]
           AND a.opclasses = b.opclasses[1:a.key_count]
           AND a.collations = b.collations[1:a.key_count]
           AND a.options = b.options[1:a.key_count]
           AND cardinality(a.columns) = a.key_count AS leading_prefix
  FROM idx a
  JOIN idx b ON b.indrelid = a.indrelid AND b.indexrelid <> a.indexrelid
  JOIN pg_am am ON am.oid = a.relam
  WHERE a.relam = b.relam
    AND a.expressions IS NOT DISTINCT FROM b.expressions
    AND a.predicate IS NOT DISTINCT FROM b.predicate
)
SELECT schema, "table", index, covering_index,
       pg_get_indexdef(indexrelid) AS definition,
       pg_relation_size(indexrelid) AS bytes,
       pg_get_indexdef(covering_oid) AS covering_definition,
       CASE WHEN same_columns AND indisunique = covering_unique THEN 'identical' ELSE 'prefix' END AS kind
FROM pairs
WHERE (same_columns AND indisunique = covering_unique
       AND NOT backs_constraint AND (covering_backs_constraint OR indexrelid > covering_oid))
   OR (method = 'btree' AND leading_prefix AND NOT indisunique AND NOT backs_constraint
       AND (NOT same_columns OR covering_unique))
ORDER BY bytes DESC, schema, "table", index`,
  evaluate(rows) {
    // One finding per redundant index, naming the first index that covers it.
    const seen = new Set<string>();
    const findings: Finding[] = [];
    for (const r of rows) {
      const schema = text(r.schema);
      const table = text(r.table);
      const index = qualified(schema, text(r.index));
      if (seen.has(index)) continue;
      seen.add(index);
      const covering = qualified(schema, text(r.covering_index));
      const identical = text(r.kind) === 'identical';
      findings.push({
        severity: 'warning',
        object: index,
        relation: { schema, table },
        message: identical
          ? `Index ${index} (${formatBytes(num0(r.bytes))}) is identical to ${covering}.`
          : `Index ${index} (${formatBytes(num0(r.bytes))}) is covered by ${covering}: its columns are a leading prefix of that index's.`,
        remediation: {
          text: `Queries that use ${index} can use ${covering} instead. Drop it to save space and write work. (${text(r.covering_definition)})`,
          sql: `DROP INDEX CONCURRENTLY ${index};  -- to restore: ${text(r.definition)};`,
        },
      });
    }
    const wasted = [...new Map(rows.map((r) => [`${text(r.schema)}.${text(r.index)}`, num0(r.bytes)])).values()].reduce((a, b) => a + b, 0);
    return {
      status: findings.length > 0 ? 'warning' : 'ok',
      summary: findings.length === 0 ? 'No duplicate or redundant indexes.' : `${plural(findings.length, 'redundant index', 'redundant indexes')} (${formatBytes(wasted)}).`,
      findings,
      details: [
        {
          columns: [{ label: 'Redundant index' }, { label: 'Size', kind: 'bytes' }, { label: 'Covered by' }, { label: 'Kind' }],
          rows: rows.map((r) => [text(r.definition), num0(r.bytes), text(r.covering_definition), text(r.kind)]),
        },
      ],
    };
  },
};

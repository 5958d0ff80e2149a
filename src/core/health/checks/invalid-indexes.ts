/**
 * Indexes marked invalid: usually left behind by a CREATE INDEX CONCURRENTLY
 * or REINDEX CONCURRENTLY that failed (a unique violation, a deadlock, a
 * cancel). The planner ignores them; writes maintain them once the build
 * got past its first phase (indisready). An index being built concurrently
 * right now is also invalid until it finishes; those are excluded via
 * pg_stat_progress_create_index.
 *
 * The fix depends on how the build failed, since the obvious one (REINDEX)
 * fails again on a unique index over duplicate values and leaves a second
 * invalid index behind:
 * - `..._ccnew` / `..._ccold`: the leftovers of a failed REINDEX
 *   CONCURRENTLY, beside the original index, which is valid: drop them;
 * - a unique index: its build most likely met duplicates. Drop it; the
 *   duplicates query and the CREATE statement to run after removing them are
 *   given as text, since no SQL can choose which duplicate rows to keep;
 * - any other index: REINDEX INDEX CONCURRENTLY (PostgreSQL 12+).
 */
import { formatBytes, plural } from '../format';
import { qualified } from '../ident';
import { bool, num0, text } from '../rows';
import { userSchema } from '../catalog';
import type { CheckContext, Finding, SingleQueryCheck } from '../types';

function invalidIndexesSql(ctx: CheckContext): string {
  // The progress view exists from PostgreSQL 12; before that no build can be told apart.
  const notBeingBuilt =
    ctx.versionNum >= 120000
      ? '\n  AND NOT EXISTS (SELECT 1 FROM pg_stat_progress_create_index p WHERE p.index_relid = x.indexrelid)'
      : '';
  return `SELECT n.nspname AS schema, t.relname AS table, i.relname AS index,
       x.indisunique AS is_unique, x.indisready AS is_ready,
       (SELECT string_agg(pg_get_indexdef(x.indexrelid, k, true), ', ' ORDER BY k)
        FROM generate_series(1, ${ctx.versionNum >= 110000 ? 'x.indnkeyatts' : 'x.indnatts'}) k) AS keys,
       pg_relation_size(i.oid) AS bytes,
       pg_get_indexdef(i.oid) AS definition
FROM pg_index x
JOIN pg_class i ON i.oid = x.indexrelid
JOIN pg_class t ON t.oid = x.indrelid
JOIN pg_namespace n ON n.oid = i.relnamespace
WHERE NOT x.indisvalid
  AND ${userSchema('n')}${notBeingBuilt}
ORDER BY n.nspname, t.relname, i.relname`;
}

/** The names REINDEX CONCURRENTLY gives its transient copies: `<name>_ccnew`, `<name>_ccold`, with a number when taken. */
const REINDEX_LEFTOVER = /_cc(new|old)\d*$/;

export const invalidIndexes: SingleQueryCheck = {
  id: 'invalid-indexes',
  title: 'Invalid indexes',
  category: 'indexes',
  level: 'table',
  minVersion: 90600,
  privileges:
    "Any role. Without pg_read_all_stats, an index another role is building concurrently right now cannot be recognised and is reported too.",
  thresholds: [],
  sql: invalidIndexesSql,
  evaluate(rows, _t, ctx) {
    const findings: Finding[] = rows.map((r) => {
      const schema = text(r.schema);
      const table = text(r.table);
      const indexName = text(r.index);
      const index = qualified(schema, indexName);
      const tableName = qualified(schema, table);
      const definition = text(r.definition);
      const concurrently = definition.replace(/^CREATE (UNIQUE )?INDEX /, 'CREATE $1INDEX CONCURRENTLY ');
      const maintained = bool(r.is_ready) ? 'queries cannot use it but writes still maintain it' : 'queries cannot use it (writes do not maintain it yet)';
      const head = `Index ${index} on ${tableName} is invalid (${formatBytes(num0(r.bytes))}): ${maintained}.`;
      const leftover = REINDEX_LEFTOVER.exec(indexName);
      if (leftover) {
        return {
          severity: 'warning',
          object: index,
          relation: { schema, table },
          message: `${head} It is left over from a REINDEX CONCURRENTLY that failed${leftover[1] === 'new' ? ' (the copy it was building)' : ' (the old index it was about to drop)'}.`,
          remediation: {
            text: leftover[1] === 'new' ? 'Drop it. The original index is still in place; run the REINDEX again once its cause is fixed.' : 'Drop it: the rebuilt index already replaced it.',
            sql: `DROP INDEX CONCURRENTLY ${index};`,
          },
        };
      }
      if (bool(r.is_unique)) {
        const keys = text(r.keys);
        return {
          severity: 'warning',
          object: index,
          relation: { schema, table },
          message: `${head} A unique index build usually fails on duplicate values, and a REINDEX fails on them again.`,
          remediation: {
            text:
              `Drop it, find the duplicates with SELECT ${keys}, count(*) FROM ${tableName} GROUP BY ${keys} HAVING count(*) > 1; ` +
              `remove or merge them, then build it again: ${concurrently};`,
            sql: `DROP INDEX CONCURRENTLY ${index};`,
          },
        };
      }
      return {
        severity: 'warning',
        object: index,
        relation: { schema, table },
        message: head,
        remediation: {
          text: 'Rebuild it (it was probably cancelled or met a deadlock while it was built).',
          // REINDEX CONCURRENTLY arrived in PostgreSQL 12; before that, drop and build again.
          sql: ctx.versionNum >= 120000 ? `REINDEX INDEX CONCURRENTLY ${index};` : `DROP INDEX CONCURRENTLY ${index};\n${concurrently};`,
        },
      };
    });
    return {
      status: findings.length > 0 ? 'warning' : 'ok',
      summary: findings.length === 0 ? 'No invalid indexes.' : `${plural(findings.length, 'invalid index', 'invalid indexes')}.`,
      findings,
      details: [
        {
          columns: [{ label: 'Index' }, { label: 'Table' }, { label: 'Size', kind: 'bytes' }, { label: 'Definition' }],
          rows: rows.map((r) => [qualified(text(r.schema), text(r.index)), qualified(text(r.schema), text(r.table)), num0(r.bytes), text(r.definition)]),
        },
      ],
    };
  },
};

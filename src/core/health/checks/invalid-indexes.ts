/**
 * Indexes marked invalid: usually left behind by a CREATE INDEX CONCURRENTLY
 * or REINDEX CONCURRENTLY that failed (a unique violation, a deadlock, a
 * cancel). The planner ignores them, yet every write still maintains them.
 * An index being built concurrently right now is also invalid until it
 * finishes; those are excluded via pg_stat_progress_create_index.
 */
import { formatBytes, plural } from '../format';
import { qualified } from '../ident';
import { num0, text } from '../rows';
import { userSchema } from '../catalog';
import type { CheckContext, Finding, SingleQueryCheck } from '../types';

function invalidIndexesSql(ctx: CheckContext): string {
  // The progress view exists from PostgreSQL 12; before that no build can be told apart.
  const notBeingBuilt =
    ctx.versionNum >= 120000
      ? '\n  AND NOT EXISTS (SELECT 1 FROM pg_stat_progress_create_index p WHERE p.index_relid = x.indexrelid)'
      : '';
  return `SELECT n.nspname AS schema, t.relname AS table, i.relname AS index,
       x.indisunique AS is_unique,
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
      const index = qualified(schema, text(r.index));
      const definition = text(r.definition);
      return {
        severity: 'warning',
        object: index,
        relation: { schema, table },
        message: `Index ${index} on ${qualified(schema, table)} is invalid (${formatBytes(num0(r.bytes))}): queries cannot use it but writes still maintain it.`,
        remediation: {
          text:
            'Rebuild it, or drop it and create it again. If the build failed on duplicate values (unique index), remove the duplicates first.',
          // REINDEX CONCURRENTLY arrived in PostgreSQL 12; before that, drop and build again.
          sql:
            ctx.versionNum >= 120000
              ? `REINDEX INDEX CONCURRENTLY ${index};`
              : `DROP INDEX CONCURRENTLY ${index};\n${definition.replace(/^CREATE (UNIQUE )?INDEX /, 'CREATE $1INDEX CONCURRENTLY ')};`,
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

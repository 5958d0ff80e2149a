/**
 * Helpers for the SQL rule tests: a schema from DDL text with chosen row
 * counts (as if the catalog had given them), and a compact view of findings.
 */
import { schemaFromMigrations } from '../../../src/core/schema/migrations';
import type { ColumnStats, SchemaModel } from '../../../src/core/schema/model';
import { checkSql, type SqlRuleId } from '../../../src/core/sqlrules/check';
import type { SqlFinding } from '../../../src/core/sqlrules/finding';
import { sourceFromFile } from '../../../src/core/sqlrules/source';

/** The schema the DDL creates; `rows` sets row estimates (others stay unknown, as offline). */
export function schemaOf(ddl: string, rows: Record<string, number> = {}, stats: Record<string, ColumnStats> = {}): SchemaModel {
  const { model, problems } = schemaFromMigrations([{ path: 'schema.sql', text: ddl }]);
  if (problems.length > 0) throw new Error(`test schema has problems: ${JSON.stringify(problems)}`);
  return {
    ...model,
    source: Object.keys(rows).length > 0 ? 'catalog' : model.source,
    tables: model.tables.map((t) => ({
      ...t,
      rowEstimate: rows[t.name] ?? t.rowEstimate,
      columns: t.columns.map((c) => {
        const s = stats[`${t.name}.${c.name}`];
        return s ? { ...c, stats: s } : c;
      }),
    })),
  };
}

/** A compact line per finding: rule, severity and the text it underlines. */
export function brief(text: string, findings: readonly SqlFinding[]): string[] {
  return findings.map((f) => `${f.ruleId} ${f.severity} ${JSON.stringify(text.slice(f.start, f.end))}`);
}

/** Findings of `sql` checked as a file of its own. */
export function check(sql: string, schema: SchemaModel | undefined, rules?: SqlRuleId[]): SqlFinding[] {
  return checkSql(sourceFromFile('query.sql', sql), schema, rules ? { rules } : {});
}

export const SHOP_DDL = `
CREATE TABLE users (id bigserial PRIMARY KEY, email text NOT NULL, name text, tenant_id int, created_at timestamptz, deleted_at timestamptz);
CREATE INDEX users_email_idx ON users (email);
CREATE TABLE orders (id bigserial PRIMARY KEY, user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  status text NOT NULL, total numeric, created_at timestamptz, placed_on timestamp);
CREATE INDEX orders_created_at_idx ON orders (created_at);
CREATE TABLE tags (id serial PRIMARY KEY, label text);
`;

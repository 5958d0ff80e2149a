/**
 * A picture of a test database taken behind the runner's back: row contents
 * of every user table and the catalog entries (relations, columns, indexes,
 * functions). Two equal pictures prove that nothing changed.
 */
import type { Client } from 'pg';

export interface Snapshot {
  readonly rows: Record<string, string>;
  readonly relations: string[];
  readonly columns: string[];
  readonly indexes: string[];
}

export async function snapshot(c: Client): Promise<Snapshot> {
  const relations = (
    await c.query<{ r: string }>(
      `SELECT relname || ':' || relkind::text AS r FROM pg_class WHERE relnamespace = 'public'::regnamespace ORDER BY 1`,
    )
  ).rows.map((r) => r.r);
  const columns = (
    await c.query<{ c: string }>(
      `SELECT attrelid::regclass || '.' || attname || ':' || format_type(atttypid, atttypmod) AS c
         FROM pg_attribute a JOIN pg_class k ON k.oid = a.attrelid
        WHERE k.relnamespace = 'public'::regnamespace AND attnum > 0 AND NOT attisdropped ORDER BY 1`,
    )
  ).rows.map((r) => r.c);
  const indexes = (await c.query<{ d: string }>(`SELECT indexdef AS d FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1`)).rows.map((r) => r.d);
  const tables = (await c.query<{ t: string }>(`SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`)).rows.map((r) => r.t);
  const rows: Record<string, string> = {};
  for (const t of tables) {
    const r = await c.query<{ n: string; content: string | null }>(`SELECT count(*) AS n, string_agg(x::text, '|' ORDER BY x::text) AS content FROM "${t}" x`);
    rows[t] = `${r.rows[0]?.n} rows: ${r.rows[0]?.content ?? ''}`;
  }
  return { rows, relations, columns, indexes };
}

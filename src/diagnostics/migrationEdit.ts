/**
 * Where a proposed index goes as a migration, decided from the workspace
 * layout: a Prisma project gets `@@index([...])` in its model; otherwise a
 * new timestamped file in the plain SQL migrations folder. Pure text work,
 * unit tested; the code action applies it.
 */
import { schemaFromPrisma } from '../core/schema';

/** Plain SQL migration folders, most specific first. */
export const MIGRATION_FOLDERS: readonly string[] = ['db/migrations', 'database/migrations', 'migrations', 'sql/migrations', 'supabase/migrations'];

/** `20261123121500` for the time given, the prefix most migration tools sort by. */
export function migrationTimestamp(at: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${at.getUTCFullYear()}${p(at.getUTCMonth() + 1)}${p(at.getUTCDate())}${p(at.getUTCHours())}${p(at.getUTCMinutes())}${p(at.getUTCSeconds())}`;
}

export function migrationFileName(at: Date, indexName: string): string {
  return `${migrationTimestamp(at)}_add_${indexName.replace(/[^A-Za-z0-9_]+/g, '_')}.sql`;
}

export function migrationText(ddl: string): string {
  // CONCURRENTLY cannot run inside a transaction block: say so where the tool's settings live.
  return `-- Added by PG Insight (missing-index). CREATE INDEX CONCURRENTLY cannot run inside a\n-- transaction: run this migration without one.\n${ddl.trim().replace(/;?$/, ';')}\n`;
}

/**
 * `schema.prisma` with `@@index([fields])` added to the model stored in
 * `table`; undefined when no model maps to the table or a column has no field.
 */
export function addPrismaIndex(prismaText: string, table: string, columns: readonly string[]): string | undefined {
  const bare = table.replace(/^public\./, '').replace(/"/g, '');
  const entity = schemaFromPrisma(prismaText).entities.find((e) => e.table === bare || `${e.schema}.${e.table}` === bare);
  if (!entity) return undefined;
  const fields: string[] = [];
  for (const column of columns) {
    const field = [...entity.fields].find(([, c]) => c === column)?.[0];
    if (!field) return undefined;
    fields.push(field);
  }
  const start = new RegExp(`^model\\s+${entity.model}\\s*\\{`, 'm').exec(prismaText);
  if (!start) return undefined;
  const close = /^\}/m.exec(prismaText.slice(start.index));
  if (!close) return undefined;
  const at = start.index + close.index;
  return `${prismaText.slice(0, at)}  @@index([${fields.join(', ')}])\n${prismaText.slice(at)}`;
}

/** The line to insert above `lineText` to silence `ruleId` there, with the same indentation. */
export function suppressionLine(lineText: string, comment: string): string {
  const indent = /^\s*/.exec(lineText)?.[0] ?? '';
  return `${indent}${comment}\n`;
}

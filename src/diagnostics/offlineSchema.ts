/**
 * The schema without a database: the workspace's SQL migrations applied in
 * order, or its Prisma schema. Row counts are unknown, so `missing-index`
 * reports at Information severity.
 */
import { loadSqlParser } from '../core/sql/parser';
import { schemaFromMigrations, schemaFromPrisma, type SchemaModel } from '../core/schema';

export interface WorkspaceText {
  readonly path: string;
  readonly text: string;
}

/** Folders whose `.sql` files are migrations, as the common tools lay them out. */
const MIGRATION_PATH = /(^|\/)(db\/)?(migrations?|migrate|flyway|sql\/migrations)\//i;

export function isMigrationPath(path: string): boolean {
  return /\.sql$/i.test(path) && MIGRATION_PATH.test(path);
}

export function isPrismaSchema(path: string): boolean {
  return /(^|\/)schema\.prisma$/.test(path);
}

/** Prisma wins when present (its schema is the source of truth there); else the migrations; else nothing. */
export async function offlineSchema(files: readonly WorkspaceText[]): Promise<SchemaModel | undefined> {
  // Migrations are split into statements by the SQL parser.
  await loadSqlParser();
  const prisma = files.find((f) => isPrismaSchema(f.path));
  if (prisma) return schemaFromPrisma(prisma.text);
  const migrations = files.filter((f) => isMigrationPath(f.path));
  if (migrations.length === 0) return undefined;
  return schemaFromMigrations(migrations).model;
}

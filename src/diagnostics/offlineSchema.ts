/**
 * The schema without a database: the workspace's SQL migrations, `.sql`
 * files that create tables and Prisma schemas, one per package root
 * (`core/schema/workspaceSchema.ts`). Row counts are unknown, so
 * `missing-index` reports at Information severity.
 */
import { loadSqlParser } from '../core/sql/parser';
import { isDjangoModelsPath } from '../core/schema/django';
import { isRailsSchemaPath } from '../core/schema/rails';
import { isMigrationPath, isPrismaSchema, schemaFileKind, workspaceSchema, type SchemaFile, type WorkspaceSchema } from '../core/schema/workspaceSchema';

export { isMigrationPath, isPrismaSchema };
export type WorkspaceText = SchemaFile;

/** True for a file that may describe the schema (worth reading, and worth a refresh when saved). */
export function isSchemaFile(path: string): boolean {
  return /\.sql$/i.test(path) || isPrismaSchema(path) || isDjangoModelsPath(path) || isRailsSchemaPath(path);
}

export async function offlineSchema(files: readonly WorkspaceText[]): Promise<WorkspaceSchema | undefined> {
  // Migrations are split into statements by the SQL parser.
  await loadSqlParser();
  return workspaceSchema(files.filter((f) => schemaFileKind(f) !== undefined));
}

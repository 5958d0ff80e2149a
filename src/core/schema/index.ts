/**
 * Schema knowledge: one model of tables, columns, indexes and constraints,
 * built from the live catalog's rows, from SQL migrations or from a Prisma
 * schema.
 */
export * from './model';
export { schemaFromCatalog, type CatalogRows } from './catalog';
export { schemaFromMigrations, orderMigrations, isDownMigration, type MigrationFile, type MigrationProblem, type MigrationSchema } from './migrations';
export { schemaFromPrisma } from './prisma';

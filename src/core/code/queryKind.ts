/**
 * Whether a recognised database call writes rows (INSERT, UPDATE, DELETE,
 * MERGE, or an ORM's create/save/update/delete), from its SQL text or the
 * methods of its call chain. A loop of writes is batched differently from a
 * loop of reads (one multi-row INSERT, `createMany`, `bulkCreate`,
 * `insert_all`, `executemany` rather than `WHERE id = ANY`), so the advice
 * follows this.
 */

/** Statement starts, after comments and a WITH list, that change rows. */
const WRITE_SQL = /^(?:\s|--[^\n]*\n|\/\*[\s\S]*?\*\/)*(?:\(\s*)?(insert|update|delete|merge|upsert|replace)\b/i;
const WITH_THEN_WRITE = /^(?:\s|--[^\n]*\n|\/\*[\s\S]*?\*\/)*with\b[\s\S]*\)\s*(insert|update|delete|merge)\b/i;

/** Methods of the ORMs and clients in queryApis.ts that change rows (one row or one object per call). */
const WRITE_METHODS = new Set([
  // JavaScript / TypeScript: Prisma, TypeORM, MikroORM, Sequelize, Knex, Drizzle, Kysely
  'create', 'insert', 'save', 'update', 'upsert', 'delete', 'del', 'destroy', 'remove', 'softDelete', 'softRemove', 'restore',
  'increment', 'decrement', 'nativeInsert', 'nativeUpdate', 'nativeDelete', 'insertInto', 'updateTable', 'deleteFrom', 'mergeInto',
  'persistAndFlush',
  // Python: Django, SQLAlchemy
  'add', 'merge', 'update_or_create', 'get_or_create',
  // Go: GORM, database/sql, sqlx, xorm
  'Insert', 'InsertOne', 'InsertMulti', 'Create', 'Save', 'Update', 'Updates', 'UpdateColumn', 'UpdateColumns', 'Delete', 'Exec', 'ExecContext', 'NamedExec', 'NamedExecContext', 'MustExec',
  // Ruby: ActiveRecord
  'save!', 'create!', 'update!', 'destroy!', 'update_column', 'update_columns', 'update_attribute', 'touch', 'increment!', 'decrement!',
]);

export function writesRows(sql: string | undefined, methods: readonly string[]): boolean {
  if (sql !== undefined) return WRITE_SQL.test(sql) || WITH_THEN_WRITE.test(sql);
  return methods.some((m) => WRITE_METHODS.has(m));
}

/**
 * SQL fragments shared by the table-level checks, kept here so every check
 * agrees on what a "user relation" is.
 */

/**
 * True for schemas that hold the user's own objects: not the system catalogs,
 * not TOAST, and not another session's temporary schema. `ns` is an alias of
 * pg_namespace.
 */
export function userSchema(ns: string): string {
  return `${ns}.nspname NOT IN ('pg_catalog', 'information_schema')
    AND ${ns}.nspname NOT LIKE 'pg\\_toast%'
    AND NOT pg_is_other_temp_schema(${ns}.oid)`;
}

/**
 * True for relations that do not belong to an extension (PostGIS's
 * spatial_ref_sys and the like are not the user's to fix). `rel` is the
 * relation's oid expression.
 */
export function notExtensionMember(rel: string): string {
  return `NOT EXISTS (
      SELECT 1 FROM pg_depend d
      WHERE d.classid = 'pg_class'::regclass AND d.objid = ${rel} AND d.deptype = 'e')`;
}

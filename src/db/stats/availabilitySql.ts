/**
 * The catalog reads behind the pg_stat_statements diagnosis. Each works on
 * every version from 13 to 18 and for any role: settings a role may not see
 * come back as NULL rather than as an error.
 */
import { tagStatement } from '../../core/stats/ownTag';

/**
 * Everything that can be learned without touching the view itself. The
 * setting shared_preload_libraries is visible in pg_settings only to
 * superusers and pg_read_all_settings; for others it is NULL.
 */
export const AVAILABILITY_FACTS_SQL = tagStatement(`SELECT pg_catalog.current_setting('server_version_num')::int AS "versionNum",
       pg_catalog.current_database() AS database,
       current_user AS "user",
       coalesce((SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = current_user), false) AS superuser,
       (SELECT default_version FROM pg_catalog.pg_available_extensions WHERE name = 'pg_stat_statements') AS "availableVersion",
       e.extversion AS "installedVersion",
       n.nspname AS schema,
       (SELECT setting FROM pg_catalog.pg_settings WHERE name = 'shared_preload_libraries') AS "preloadLibraries",
       pg_catalog.pg_has_role('pg_read_all_stats', 'USAGE') AS "canReadAll",
       coalesce((SELECT bool_or(pg_catalog.has_function_privilege(p.oid, 'EXECUTE'))
                   FROM pg_catalog.pg_proc p
                  WHERE p.proname = 'pg_stat_statements_reset' AND p.pronamespace = e.extnamespace), false) AS "canReset",
       ARRAY(SELECT a.attname::text
               FROM pg_catalog.pg_attribute a
              WHERE a.attrelid = v.oid AND a.attnum > 0 AND NOT a.attisdropped
              ORDER BY a.attnum) AS columns,
       i.oid IS NOT NULL AS "hasInfo"
FROM (SELECT 1) AS one
LEFT JOIN pg_catalog.pg_extension e ON e.extname = 'pg_stat_statements'
LEFT JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace
LEFT JOIN pg_catalog.pg_class v ON v.relname = 'pg_stat_statements' AND v.relnamespace = e.extnamespace
LEFT JOIN pg_catalog.pg_class i ON i.relname = 'pg_stat_statements_info' AND i.relnamespace = e.extnamespace`);

/**
 * Reads the entries without their texts (cheap): it fails with 55000 when
 * the library was not preloaded, and counts the entries this role sees
 * without a queryid (other roles' statements without pg_read_all_stats).
 */
export function entriesProbeSql(qualifiedFunction: string): string {
  return tagStatement(`SELECT count(*)::int AS total,
       (count(*) FILTER (WHERE s.queryid IS NULL))::int AS hidden
FROM ${qualifiedFunction}(false) s`);
}

/**
 * The facts every check may depend on, read in one statement before the
 * checks run: version, database, standby or not, installed extensions and the
 * role's monitoring privileges.
 */
import { bool, first, num, text } from './rows';
import type { CheckContext, Rows } from './types';

/**
 * pg_has_role() with USAGE follows inheritance, as privilege checks do, and
 * is true for superusers. The predefined roles used here exist since
 * PostgreSQL 10.
 */
export const CONTEXT_SQL = `SELECT current_setting('server_version_num')::int AS version_num,
       current_database() AS database,
       pg_is_in_recovery() AS in_recovery,
       (SELECT string_agg(extname || '=' || extversion, ',') FROM pg_extension) AS extensions,
       (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AS superuser,
       pg_has_role(current_user, 'pg_read_all_stats', 'USAGE') AS read_all_stats,
       pg_has_role(current_user, 'pg_read_all_settings', 'USAGE') AS read_all_settings,
       pg_has_role(current_user, 'pg_stat_scan_tables', 'USAGE') AS stat_scan_tables`;

export function contextFromRows(rows: Rows, fallbackVersionNum: number): CheckContext {
  const row = first(rows);
  const extensions = new Map<string, string>();
  for (const item of text(row.extensions).split(',')) {
    const [name, version] = item.split('=');
    if (name) extensions.set(name, version ?? '');
  }
  return {
    versionNum: num(row.version_num) ?? fallbackVersionNum,
    database: text(row.database),
    inRecovery: bool(row.in_recovery),
    extensions,
    privileges: {
      superuser: bool(row.superuser),
      readAllStats: bool(row.read_all_stats),
      readAllSettings: bool(row.read_all_settings),
      statScanTables: bool(row.stat_scan_tables),
    },
  };
}

/** 150004 -> "15.4", 170000 -> "17", 90624 -> "9.6.24", 90600 -> "9.6" (the pre-10 numbering). */
export function versionLabel(versionNum: number): string {
  const major = Math.floor(versionNum / 10000);
  if (major >= 10) return versionNum % 10000 === 0 ? `${major}` : `${major}.${versionNum % 10000}`;
  const minor = `${major}.${Math.floor(versionNum / 100) % 100}`;
  return versionNum % 100 === 0 ? minor : `${minor}.${versionNum % 100}`;
}

/** Compares dotted extension versions ("1.10" > "1.9"). */
export function extensionAtLeast(ctx: CheckContext, name: string, minimum: string): boolean {
  const installed = ctx.extensions.get(name);
  if (installed === undefined) return false;
  const a = installed.split('.').map(Number);
  const b = minimum.split('.').map(Number);
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    if (x !== y) return x > y;
  }
  return true;
}

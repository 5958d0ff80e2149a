/**
 * Where the CLI connects: a connection profile from `--db` (or
 * DATABASE_URL), with the parts it leaves out taken from the libpq
 * variables and then libpq's defaults, and the password from the URL,
 * PGPASSWORD or the password file, in libpq's order.
 */
import { promises as fs } from 'node:fs';
import { userInfo } from 'node:os';
import { libpqEnvParts, type Env } from '../core/connection/env';
import { findPgpassPassword, pgpassModeIsSecure } from '../core/connection/pgpass';
import type { ConnectionProfile } from '../core/connection/profile';
import { formatPostgresUrl, parsePostgresUrl, type UrlParts } from '../core/connection/url';
import { pgpassPath } from '../connections/pgpassFile';

export interface CliTarget {
  readonly profile: ConnectionProfile;
  readonly password: string | undefined;
  /** The URL without its password, for messages and the report header. */
  readonly display: string;
  readonly warnings: readonly string[];
}

export type TargetResult = { readonly ok: true; readonly target: CliTarget } | { readonly ok: false; readonly error: string };

function osUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'postgres';
  }
}

export async function resolveTarget(db: string | undefined, env: Env): Promise<TargetResult> {
  const warnings: string[] = [];
  const url = db ?? (env.DATABASE_URL?.trim() || undefined);
  let parts: UrlParts = {};
  if (url !== undefined) {
    const parsed = parsePostgresUrl(url);
    if (!parsed.ok) return { ok: false, error: `The database URL is not valid: ${parsed.error}` };
    parts = parsed.parts;
    warnings.push(...parsed.warnings);
  }
  const fromEnv = libpqEnvParts(env, 'environment', warnings);
  if (url === undefined && Object.keys(fromEnv).filter((k) => k !== 'password').length === 0) {
    return { ok: false, error: 'No database given: pass --db postgresql://user@host:port/database, or set DATABASE_URL or PGHOST/PGDATABASE.' };
  }
  const user = parts.user ?? fromEnv.user ?? osUser();
  const merged = {
    host: parts.host ?? fromEnv.host ?? 'localhost',
    port: parts.port ?? fromEnv.port ?? 5432,
    database: parts.database ?? fromEnv.database ?? user,
    user,
    sslmode: parts.sslmode ?? fromEnv.sslmode,
    sslrootcert: parts.sslrootcert ?? fromEnv.sslrootcert,
  };
  const display = formatPostgresUrl(merged);
  const profile: ConnectionProfile = { id: 'cli', name: display, source: 'environment', ...merged, readOnly: true };
  const password = parts.password ?? fromEnv.password ?? (await pgpassPassword(merged, env, warnings));
  return { ok: true, target: { profile, password, display, warnings } };
}

async function pgpassPassword(target: { host: string; port: number; database: string; user: string }, env: Env, warnings: string[]): Promise<string | undefined> {
  const path = pgpassPath(env);
  try {
    const stat = await fs.stat(path);
    if (!stat.isFile()) return undefined;
    if (process.platform !== 'win32' && !pgpassModeIsSecure(stat.mode)) {
      warnings.push(`Password file "${path}" has group or world access: ignored. Restrict it with chmod 0600 "${path}".`);
      return undefined;
    }
    return findPgpassPassword(await fs.readFile(path, 'utf8'), target);
  } catch {
    // No password file is the common case; libpq is silent about it too.
    return undefined;
  }
}

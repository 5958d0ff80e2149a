/**
 * Connections described by environment variables, from the process
 * environment or from a workspace `.env` file:
 *
 * - `DATABASE_URL` (a postgres:// URL), with the libpq variables filling the
 *   parts it leaves out, as libpq does for any connection string;
 * - the libpq variables PGHOST, PGPORT, PGDATABASE, PGUSER, PGSSLMODE,
 *   PGSSLROOTCERT and PGPASSWORD, when at least one of host, port, database
 *   or user is set (a lone PGPASSWORD names no server).
 *
 * A password that arrives this way is kept in `sourcePassword`, in memory only.
 */
import { completeProfile, type ProfileDefaults, type ProfileOrigin } from './complete';
import type { ConnectionProfile, ProfileSource } from './profile';
import { isSslMode, looksLikePostgresUrl, parsePostgresUrl, SSL_MODES, type UrlParts } from './url';

export type Env = Readonly<Record<string, string | undefined>>;

export interface EnvOrigin {
  readonly source: Extract<ProfileSource, 'environment' | 'workspace-dotenv'>;
  /** Where the variables came from, e.g. "environment" or "app/.env". */
  readonly where: string;
}

export interface EnvProfiles {
  readonly profiles: ConnectionProfile[];
  readonly warnings: string[];
}

function value(env: Env, name: string): string | undefined {
  const v = env[name];
  return v === undefined || v.trim() === '' ? undefined : v.trim();
}

/** The libpq variables as URL parts; invalid values are reported and left out. */
export function libpqEnvParts(env: Env, where: string, warnings: string[]): UrlParts {
  const parts: UrlParts = {};
  const host = value(env, 'PGHOST');
  if (host !== undefined) {
    // libpq accepts a comma-separated list; the editor talks to the first server.
    parts.host = host.split(',')[0] ?? host;
    if (host.includes(',')) warnings.push(`PGHOST in ${where} lists several hosts: only the first is used.`);
  }
  const port = value(env, 'PGPORT');
  if (port !== undefined) {
    const first = port.split(',')[0] ?? port;
    const n = Number(first);
    if (/^\d+$/.test(first) && n >= 1 && n <= 65535) parts.port = n;
    else warnings.push(`PGPORT in ${where} is not a port number ("${first}"): ignored.`);
  }
  const database = value(env, 'PGDATABASE');
  if (database !== undefined) parts.database = database;
  const user = value(env, 'PGUSER');
  if (user !== undefined) parts.user = user;
  const sslmode = value(env, 'PGSSLMODE');
  if (sslmode !== undefined) {
    if (isSslMode(sslmode)) parts.sslmode = sslmode;
    else warnings.push(`PGSSLMODE in ${where} is "${sslmode}", not one of ${SSL_MODES.join(', ')}: ignored.`);
  }
  const rootcert = value(env, 'PGSSLROOTCERT');
  if (rootcert !== undefined) parts.sslrootcert = rootcert;
  // PGPASSWORD is taken as is: spaces may be part of a password.
  const password = env.PGPASSWORD;
  if (password !== undefined && password !== '') parts.password = password;
  return parts;
}

function hasServerVariable(env: Env): boolean {
  return ['PGHOST', 'PGPORT', 'PGDATABASE', 'PGUSER'].some((n) => value(env, n) !== undefined);
}

/** Fields of `over` win; `under` fills the gaps (libpq: explicit parameters over environment defaults). */
function overlay(under: UrlParts, over: UrlParts): UrlParts {
  const out: UrlParts = { ...under };
  for (const [k, v] of Object.entries(over) as [keyof UrlParts, UrlParts[keyof UrlParts]][]) {
    if (v !== undefined && v !== '') (out as Record<string, unknown>)[k] = v;
  }
  return out;
}

function origin(o: EnvOrigin, variable: string): ProfileOrigin {
  const key = o.source === 'environment' ? variable : `${o.where}#${variable}`;
  const what = variable === 'PG*' ? 'PG* variables' : variable;
  const sourceDetail = o.source === 'environment' ? `${what} in the environment` : `${what} in ${o.where}`;
  return { source: o.source, sourceDetail, key };
}

export function profilesFromEnv(env: Env, o: EnvOrigin, defaults: ProfileDefaults): EnvProfiles {
  const warnings: string[] = [];
  const profiles: ConnectionProfile[] = [];
  const libpq = libpqEnvParts(env, o.where, warnings);

  const url = value(env, 'DATABASE_URL');
  // DATABASE_URL names other databases too (mysql://, sqlite:); those are not ours to offer.
  if (url !== undefined && looksLikePostgresUrl(url)) {
    const parsed = parsePostgresUrl(url);
    if (parsed.ok) {
      for (const w of parsed.warnings) warnings.push(`DATABASE_URL in ${o.where}: ${w}`);
      profiles.push(completeProfile(overlay(libpq, parsed.parts), undefined, origin(o, 'DATABASE_URL'), defaults));
    } else {
      warnings.push(`DATABASE_URL in ${o.where}: ${parsed.error}`);
    }
  }
  if (hasServerVariable(env)) {
    profiles.push(completeProfile(libpq, undefined, origin(o, 'PG*'), defaults));
  }
  return { profiles, warnings };
}

/**
 * Turns partial connection fields into a full ConnectionProfile with libpq's
 * defaults: port 5432, the operating-system user name as user, and the user
 * name as database. The host defaults to `localhost` (node-postgres connects
 * over TCP there; a Unix socket is named by a directory path as host).
 */
import type { ConnectionProfile, ProfileSource } from './profile';
import type { UrlParts } from './url';

export const DEFAULT_PORT = 5432;

export interface ProfileDefaults {
  /** The operating-system user name (libpq's default user). */
  readonly user: string;
}

export interface ProfileOrigin {
  readonly source: ProfileSource;
  /** Human detail, e.g. "DATABASE_URL in app/.env". */
  readonly sourceDetail: string;
  /** Part of the id after the source, stable across sessions (a name, a file and variable). */
  readonly key: string;
}

export interface ProfileFlags {
  readonly readOnly?: boolean;
  readonly production?: boolean;
}

export function profileId(source: ProfileSource, key: string): string {
  return `${source}:${key}`;
}

/** `db@host` (with the port when it is not 5432): a short name for discovered connections. */
export function defaultProfileName(host: string, port: number, database: string): string {
  const where = host.startsWith('/') ? 'local socket' : host.includes(':') ? `[${host}]` : host;
  return `${database}@${where}${port === DEFAULT_PORT ? '' : `:${port}`}`;
}

export function completeProfile(
  parts: UrlParts,
  name: string | undefined,
  origin: ProfileOrigin,
  defaults: ProfileDefaults,
  flags: ProfileFlags = {},
): ConnectionProfile {
  const host = parts.host && parts.host !== '' ? parts.host : 'localhost';
  const port = parts.port ?? DEFAULT_PORT;
  const user = parts.user && parts.user !== '' ? parts.user : defaults.user;
  const database = parts.database && parts.database !== '' ? parts.database : user;
  const profile: ConnectionProfile = {
    id: profileId(origin.source, origin.key),
    name: name && name.trim() !== '' ? name.trim() : defaultProfileName(host, port, database),
    source: origin.source,
    sourceDetail: origin.sourceDetail,
    host,
    port,
    database,
    user,
    ...(parts.sslmode ? { sslmode: parts.sslmode } : {}),
    ...(parts.sslrootcert ? { sslrootcert: parts.sslrootcert } : {}),
    ...(flags.readOnly ? { readOnly: true } : {}),
    ...(flags.production ? { production: true } : {}),
    ...(parts.password !== undefined && parts.password !== '' ? { sourcePassword: parts.password } : {}),
  };
  return profile;
}

/** `user@host:port/database`, for tooltips and pickers. Never includes a password. */
export function describeTarget(p: Pick<ConnectionProfile, 'host' | 'port' | 'database' | 'user'>): string {
  const host = p.host.includes(':') && !p.host.startsWith('/') ? `[${p.host}]` : p.host;
  return `${p.user}@${host}:${p.port}/${p.database}`;
}

const SOURCE_LABELS: Record<ProfileSource, string> = {
  'user-settings': 'User settings',
  'workspace-settings': 'Workspace settings',
  environment: 'Environment',
  'workspace-dotenv': 'Workspace .env',
};

export function sourceLabel(source: ProfileSource): string {
  return SOURCE_LABELS[source];
}

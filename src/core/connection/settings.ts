/**
 * Entries of the `pgInsight.connections` setting as profiles. Settings are
 * typed by hand in JSON, so every entry is validated and a bad entry is
 * reported and skipped rather than breaking the list.
 *
 * Settings never hold passwords: a `password` property, or a password inside
 * `url`, is ignored with a warning that points at the password prompt (which
 * stores it in VS Code's secret storage).
 */
import { completeProfile, type ProfileDefaults } from './complete';
import type { ConnectionProfile, ProfileSource } from './profile';
import { isSslMode, parsePostgresUrl, SSL_MODES, type UrlParts } from './url';

/** One entry as a user writes it (see package.json for the JSON schema). */
export interface ConnectionSetting {
  name: string;
  url?: string;
  host?: string;
  port?: number;
  database?: string;
  user?: string;
  sslmode?: string;
  sslrootcert?: string;
  readOnly?: boolean;
  production?: boolean;
}

export interface SettingsOrigin {
  readonly source: Extract<ProfileSource, 'user-settings' | 'workspace-settings'>;
  /** e.g. "User settings", "Workspace settings", "Folder settings (app)". */
  readonly where: string;
  /** Distinguishes folder-level entries in a multi-root workspace; '' otherwise. */
  readonly scopeKey: string;
}

export interface SettingsProfiles {
  readonly profiles: ConnectionProfile[];
  readonly warnings: string[];
}

export const PASSWORD_IN_SETTINGS_WARNING =
  'passwords are not read from settings: run "PG Insight: Select Connection…" and enter it when asked, so it is kept in VS Code\'s secret storage';

function str(entry: Record<string, unknown>, key: string, label: string, warnings: string[]): string | undefined {
  const v = entry[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v.trim() === '' ? undefined : v.trim();
  warnings.push(`${label}: "${key}" must be a string.`);
  return undefined;
}

function bool(entry: Record<string, unknown>, key: string, label: string, warnings: string[]): boolean | undefined {
  const v = entry[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'boolean') return v;
  warnings.push(`${label}: "${key}" must be true or false.`);
  return undefined;
}

function parseEntry(entry: unknown, index: number, o: SettingsOrigin, defaults: ProfileDefaults, warnings: string[]): ConnectionProfile | undefined {
  const at = `pgInsight.connections[${index}] in ${o.where}`;
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
    warnings.push(`${at}: expected an object with a "name".`);
    return undefined;
  }
  const e = entry as Record<string, unknown>;
  const name = str(e, 'name', at, warnings);
  if (name === undefined) {
    warnings.push(`${at}: "name" is required.`);
    return undefined;
  }
  const label = `Connection "${name}" (${o.where})`;
  if ('password' in e) warnings.push(`${label}: the "password" property is ignored; ${PASSWORD_IN_SETTINGS_WARNING}.`);

  let parts: UrlParts = {};
  const url = str(e, 'url', label, warnings);
  if (url !== undefined) {
    const parsed = parsePostgresUrl(url);
    if (!parsed.ok) {
      warnings.push(`${label}: ${parsed.error}`);
      return undefined;
    }
    for (const w of parsed.warnings) warnings.push(`${label}: ${w}`);
    const { password, ...rest } = parsed.parts;
    if (password !== undefined) warnings.push(`${label}: the password in "url" is ignored; ${PASSWORD_IN_SETTINGS_WARNING}.`);
    parts = rest;
  }

  // Separate fields override the URL, like keywords after a URI in libpq.
  const host = str(e, 'host', label, warnings);
  if (host !== undefined) parts.host = host;
  const port = e.port;
  if (port !== undefined && port !== null) {
    const n = typeof port === 'string' && /^\d+$/.test(port.trim()) ? Number(port) : port;
    if (typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= 65535) parts.port = n;
    else warnings.push(`${label}: "port" must be a number from 1 to 65535.`);
  }
  const database = str(e, 'database', label, warnings);
  if (database !== undefined) parts.database = database;
  const user = str(e, 'user', label, warnings);
  if (user !== undefined) parts.user = user;
  const sslmode = str(e, 'sslmode', label, warnings);
  if (sslmode !== undefined) {
    if (isSslMode(sslmode)) parts.sslmode = sslmode;
    else warnings.push(`${label}: "sslmode" must be one of ${SSL_MODES.join(', ')}.`);
  }
  const sslrootcert = str(e, 'sslrootcert', label, warnings);
  if (sslrootcert !== undefined) parts.sslrootcert = sslrootcert;

  const key = o.scopeKey === '' ? name : `${o.scopeKey}/${name}`;
  const flags = { readOnly: bool(e, 'readOnly', label, warnings), production: bool(e, 'production', label, warnings) };
  return completeProfile(parts, name, { source: o.source, sourceDetail: o.where, key }, defaults, flags);
}

export function profilesFromSettings(value: unknown, o: SettingsOrigin, defaults: ProfileDefaults): SettingsProfiles {
  const warnings: string[] = [];
  if (value === undefined || value === null) return { profiles: [], warnings };
  if (!Array.isArray(value)) return { profiles: [], warnings: [`pgInsight.connections in ${o.where} must be an array.`] };
  const profiles: ConnectionProfile[] = [];
  value.forEach((entry, i) => {
    const p = parseEntry(entry, i, o, defaults, warnings);
    if (p) profiles.push(p);
  });
  return { profiles, warnings };
}

/** The settings entry for a new connection: separate fields, never a password. */
export function settingForProfile(name: string, parts: Omit<UrlParts, 'password'>): ConnectionSetting {
  const entry: ConnectionSetting = { name };
  if (parts.host !== undefined) entry.host = parts.host;
  if (parts.port !== undefined) entry.port = parts.port;
  if (parts.database !== undefined) entry.database = parts.database;
  if (parts.user !== undefined) entry.user = parts.user;
  if (parts.sslmode !== undefined) entry.sslmode = parts.sslmode;
  if (parts.sslrootcert !== undefined) entry.sslrootcert = parts.sslrootcert;
  return entry;
}

/**
 * A connection the user can pick: where it came from and how to reach the
 * server. Passwords typed by the user never live here (they are in VS Code's
 * SecretStorage); a password that arrived with the source itself (PGPASSWORD,
 * a DATABASE_URL with a password) is carried in `sourcePassword` in memory only.
 */
export type SslMode = 'disable' | 'allow' | 'prefer' | 'require' | 'verify-ca' | 'verify-full';

/** Where a profile came from. Workspace sources are ignored in Restricted Mode. */
export type ProfileSource =
  | 'user-settings'
  | 'workspace-settings'
  | 'environment'
  | 'workspace-dotenv';

export interface ConnectionProfile {
  /** Stable across sessions: derived from source and name. */
  readonly id: string;
  readonly name: string;
  readonly source: ProfileSource;
  /** Human detail of the source, e.g. the `.env` file path or `DATABASE_URL`. */
  readonly sourceDetail?: string;
  readonly host: string;
  readonly port: number;
  readonly database: string;
  readonly user: string;
  readonly sslmode?: SslMode;
  /** CA certificate file for verify-ca / verify-full. */
  readonly sslrootcert?: string;
  /** Never run statements that could write, even rolled back. */
  readonly readOnly?: boolean;
  /** A production server: no EXPLAIN ANALYZE of writing statements, ever. */
  readonly production?: boolean;
  /** In memory only; never written to settings, logs or webview state. */
  readonly sourcePassword?: string;
  /**
   * Ids of discovered profiles that pointed at the same server and were
   * merged into this one, so that a saved password or a remembered active
   * connection found under one of them still applies.
   */
  readonly aliases?: readonly string[];
}

/** Workspace-provided sources must not be used in an untrusted workspace. */
export function isWorkspaceSource(source: ProfileSource): boolean {
  return source === 'workspace-settings' || source === 'workspace-dotenv';
}

/** The profiles usable in a workspace of the given trust: workspace sources only when trusted. */
export function filterForTrust<P extends Pick<ConnectionProfile, 'source'>>(profiles: readonly P[], trusted: boolean): P[] {
  return trusted ? [...profiles] : profiles.filter((p) => !isWorkspaceSource(p.source));
}

/** Whether `id` names this profile, directly or through a merged alias. */
export function profileHasId(profile: ConnectionProfile, id: string): boolean {
  return profile.id === id || (profile.aliases ?? []).includes(id);
}

/**
 * Where a connection's password comes from, in this order:
 *
 * 1. a password typed during this session (the user's latest word, so it
 *    wins over a stale stored one when the user chose not to save it);
 * 2. VS Code's SecretStorage, one entry per profile id (or a merged alias);
 * 3. the source itself (PGPASSWORD, a password inside DATABASE_URL);
 * 4. the libpq password file (~/.pgpass or PGPASSFILE), matched as libpq does;
 * 5. otherwise none: the caller connects without one and asks the user only
 *    if the server wants a password.
 *
 * SecretStorage cannot list its keys on every VS Code version we support, so
 * the ids with a stored password are also kept in global state (ids only).
 */
import type { ConnectionProfile } from '../core/connection/profile';
import type { Log } from '../log';

export interface SecretStore {
  get(key: string): PromiseLike<string | undefined>;
  store(key: string, value: string): PromiseLike<void>;
  delete(key: string): PromiseLike<void>;
}

export interface KeyValueStore {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): PromiseLike<void>;
}

export type PasswordOrigin = 'typed' | 'secret-storage' | 'source' | 'pgpass';

export interface ResolvedPassword {
  readonly value: string;
  readonly origin: PasswordOrigin;
}

/** Reads the password file at the edge; undefined when absent, insecure or without a match. */
export type PgpassLookup = (profile: ConnectionProfile) => Promise<string | undefined>;

const SECRET_PREFIX = 'pgInsight.password:';
const INDEX_KEY = 'pgInsight.savedPasswordIds';

export const ORIGIN_TEXT: Record<PasswordOrigin, string> = {
  typed: 'typed in this session',
  'secret-storage': "VS Code's secret storage",
  source: 'the connection source',
  pgpass: 'the password file',
};

export class Passwords {
  private readonly session = new Map<string, string>();

  constructor(
    private readonly secrets: SecretStore,
    private readonly index: KeyValueStore,
    private readonly pgpass: PgpassLookup,
    private readonly log: Log,
  ) {}

  async resolve(profile: ConnectionProfile): Promise<ResolvedPassword | undefined> {
    const ids = [profile.id, ...(profile.aliases ?? [])];
    const found = (value: string | undefined, origin: PasswordOrigin): ResolvedPassword | undefined => {
      if (value === undefined || value === '') return undefined;
      this.log.addSecret(value);
      return { value, origin };
    };
    for (const id of ids) {
      const typed = found(this.session.get(id), 'typed');
      if (typed) return typed;
    }
    for (const id of ids) {
      const stored = found(await this.secrets.get(SECRET_PREFIX + id), 'secret-storage');
      if (stored) return stored;
    }
    return found(profile.sourcePassword, 'source') ?? found(await this.pgpass(profile), 'pgpass');
  }

  /** Keeps a typed password in memory for the rest of the session. */
  rememberForSession(profileId: string, password: string): void {
    this.log.addSecret(password);
    this.session.set(profileId, password);
  }

  async save(profileId: string, password: string): Promise<void> {
    this.rememberForSession(profileId, password);
    await this.secrets.store(SECRET_PREFIX + profileId, password);
    const ids = this.savedIds();
    if (!ids.includes(profileId)) await this.index.update(INDEX_KEY, [...ids, profileId]);
  }

  async forget(profileId: string): Promise<void> {
    this.session.delete(profileId);
    await this.secrets.delete(SECRET_PREFIX + profileId);
    await this.index.update(INDEX_KEY, this.savedIds().filter((id) => id !== profileId));
  }

  /** Ids of profiles with a password in SecretStorage. */
  savedIds(): string[] {
    const ids = this.index.get<unknown>(INDEX_KEY);
    return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string') : [];
  }
}

/**
 * The active connection: which profile, its Database (pool and safe runner),
 * and its state for the status bar and `when` clauses.
 *
 * - The active profile id is remembered per workspace and reconnected in the
 *   background on the next start, without prompts.
 * - A connection is proven by reading the server's version and identity, so
 *   "connected" means the server answered.
 * - Passwords: see passwords.ts. The user is asked only when the server wants
 *   a password and none is known (and only for interactive connects); a typed
 *   password that worked is offered for saving in SecretStorage.
 * - Failures are DbErrors with next steps; the manager records them and the
 *   UI shows them. Nothing here throws a stack at the user.
 * - After the server restarts, the Database's pool replaces broken clients
 *   by itself; if a 'connection-lost' still reaches us, the Database is
 *   recreated so that the next use starts from a fresh pool.
 *
 * No `vscode` import: the editor services arrive through ManagerDeps, so the
 * whole state machine is unit-tested with fakes.
 */
import { describeTarget } from '../core/connection/complete';
import { isWorkspaceSource, profileHasId, type ConnectionProfile } from '../core/connection/profile';
import { redact } from '../core/connection/redact';
import { DbError, type Database, type DatabaseFactory, type DbLimits, type ServerInfo } from '../db/types';
import type { Log } from '../log';
import { Emitter, type Event } from './emitter';
import { ORIGIN_TEXT, type KeyValueStore, type Passwords, type ResolvedPassword } from './passwords';

export type ConnectionState =
  | { readonly kind: 'disconnected' }
  | { readonly kind: 'connecting'; readonly profile: ConnectionProfile }
  | { readonly kind: 'connected'; readonly profile: ConnectionProfile; readonly server: ServerInfo }
  /** A failed connect, or a lost connection that the next use re-establishes. */
  | { readonly kind: 'error'; readonly profile: ConnectionProfile; readonly error: DbError; readonly server?: ServerInfo };

export interface PasswordUi {
  /** Asks for a password; undefined when the user cancels. */
  ask(profile: ConnectionProfile, reason: 'needed' | 'rejected'): Promise<string | undefined>;
  /** Offers to keep a password that worked in SecretStorage; true to save. */
  offerSave(profile: ConnectionProfile): Promise<boolean>;
}

export interface ManagerDeps {
  readonly factory: DatabaseFactory;
  /** Read on every (re)creation, so changed settings apply to the next pool. */
  readonly limits: () => DbLimits;
  readonly log: Log;
  readonly passwords: Passwords;
  /** Per-workspace memory (VS Code's workspaceState). */
  readonly workspaceState: KeyValueStore;
  readonly ui: PasswordUi;
}

export interface ConnectOptions {
  /** May ask the user (password prompt, save offer). False for background reconnects. */
  readonly interactive?: boolean;
  /** A password just typed by the user; it takes precedence over every source. */
  readonly password?: string;
}

const ACTIVE_KEY = 'pgInsight.activeConnection';
/** Set once the workspace's only own connection was connected automatically. */
const AUTO_CONNECTED_KEY = 'pgInsight.autoConnected';

/** The fields that decide where a Database connects; a change means reconnecting. */
function targetFingerprint(p: ConnectionProfile): string {
  return JSON.stringify([p.host, p.port, p.database, p.user, p.sslmode, p.sslrootcert, p.sourcePassword, p.readOnly, p.production]);
}

export function asDbError(e: unknown): DbError {
  if (e instanceof DbError) return e;
  const message = e instanceof Error ? e.message : String(e);
  return new DbError('other', `Unexpected error: ${message}`, ['open-log']);
}

export class ConnectionManager {
  private profiles: readonly ConnectionProfile[] = [];
  private current: { db: Database; profile: ConnectionProfile; password: string | undefined } | undefined;
  private stateValue: ConnectionState = { kind: 'disconnected' };
  private pending: Promise<ConnectionState> | undefined;
  /** Bumped by every connect/disconnect, so a superseded attempt discards its result. */
  private generation = 0;
  private lastError: DbError | undefined;
  private readonly stateEmitter: Emitter<ConnectionState>;
  private readonly profilesEmitter: Emitter<readonly ConnectionProfile[]>;

  readonly onDidChangeState: Event<ConnectionState>;
  readonly onDidChangeProfiles: Event<readonly ConnectionProfile[]>;

  constructor(private readonly deps: ManagerDeps) {
    const onError = (e: unknown) => deps.log.error(`listener failed: ${asDbError(e).message}`);
    this.stateEmitter = new Emitter(onError);
    this.profilesEmitter = new Emitter(onError);
    this.onDidChangeState = this.stateEmitter.event;
    this.onDidChangeProfiles = this.profilesEmitter.event;
  }

  get state(): ConnectionState {
    return this.stateValue;
  }

  /** The message of the latest failure (connect or use), redacted; for tests and tooltips. */
  get lastErrorMessage(): string | undefined {
    return this.lastError?.message;
  }

  listProfiles(): readonly ConnectionProfile[] {
    return this.profiles;
  }

  profile(id: string): ConnectionProfile | undefined {
    return this.profiles.find((p) => p.id === id) ?? this.profiles.find((p) => profileHasId(p, id));
  }

  /** The profile the user chose (connected or not), or undefined. */
  activeProfile(): ConnectionProfile | undefined {
    return this.stateValue.kind === 'disconnected' ? undefined : this.stateValue.profile;
  }

  /** The id remembered for this workspace. */
  persistedId(): string | undefined {
    return this.deps.workspaceState.get<string>(ACTIVE_KEY);
  }

  /** Replaces the list (from discovery); follows changes to the active profile. */
  setProfiles(profiles: readonly ConnectionProfile[]): void {
    this.profiles = profiles;
    this.profilesEmitter.fire(profiles);
    const active = this.activeProfile();
    if (!active) return;
    const updated = this.profile(active.id);
    if (!updated) {
      // The remembered id stays: the entry may come back (a settings file being edited).
      this.deps.log.info(`Connection "${active.name}" is no longer configured: disconnected.`);
      this.generation++;
      void this.close('disconnected');
    } else if (targetFingerprint(updated) !== targetFingerprint(active)) {
      this.deps.log.info(`Connection "${updated.name}" changed: reconnecting.`);
      void this.connect(updated.id, { interactive: false });
    } else if (updated !== active) {
      // Same target, new details (name, source): keep the connection, refresh the view.
      this.setState({ ...this.stateValue, profile: updated } as ConnectionState);
    }
  }

  /**
   * Reconnects the remembered profile in the background, if it exists and
   * nothing is active. A workspace that has never chosen a connection and
   * names exactly one database itself (its settings or a `.env` file)
   * connects to that one, once: the project said where its database is.
   * From then on the choice is remembered as usual, and a Disconnect holds.
   */
  restore(): void {
    if (this.stateValue.kind !== 'disconnected') return;
    const id = this.persistedId();
    if (id === undefined) {
      this.connectSoleWorkspaceProfileOnce();
      return;
    }
    const profile = this.profile(id);
    if (!profile) return;
    this.deps.log.info(`Reconnecting to "${profile.name}", the connection last used in this workspace.`);
    void this.connect(profile.id, { interactive: false });
  }

  private connectSoleWorkspaceProfileOnce(): void {
    const own = this.profiles.filter((p) => isWorkspaceSource(p.source));
    const profile = own.length === 1 ? own[0] : undefined;
    if (!profile || this.deps.workspaceState.get<boolean>(AUTO_CONNECTED_KEY)) return;
    void this.deps.workspaceState.update(AUTO_CONNECTED_KEY, true);
    this.deps.log.info(`Connecting to "${profile.name}", the only connection this workspace names (${profile.sourceDetail ?? profile.source}).`);
    void this.connect(profile.id, { interactive: false });
  }

  /** Connects to a profile and makes it active. Never throws: the resulting state says how it went. */
  connect(id: string, options: ConnectOptions = {}): Promise<ConnectionState> {
    const attempt = this.doConnect(id, options, ++this.generation);
    this.pending = attempt;
    void attempt.finally(() => {
      if (this.pending === attempt) this.pending = undefined;
    });
    return attempt;
  }

  async disconnect(): Promise<void> {
    this.generation++;
    await this.deps.workspaceState.update(ACTIVE_KEY, undefined);
    await this.close('disconnected');
  }

  /**
   * Runs `fn` with the active Database. Waits for a connect in progress;
   * throws a DbError (with next steps) when there is no usable connection.
   */
  async use<T>(fn: (db: Database) => Promise<T>): Promise<T> {
    if (this.pending) await this.pending;
    const current = this.current;
    if (!current) {
      if (this.stateValue.kind === 'error') throw this.stateValue.error;
      throw new DbError('other', 'No database connection: select one first.', ['select-connection']);
    }
    try {
      const result = await fn(current.db);
      if (this.current === current && this.stateValue.kind === 'error' && this.stateValue.server) {
        this.deps.log.info(`Connection to "${current.profile.name}" is back.`);
        this.setState({ kind: 'connected', profile: current.profile, server: this.stateValue.server });
      }
      return result;
    } catch (e) {
      const error = asDbError(e);
      if (error.kind === 'connection-lost' && this.current === current) this.renew(current, error);
      throw error;
    }
  }

  /** Settings for timeouts or pool size changed: the next statements use a fresh pool with them. */
  limitsChanged(): void {
    const current = this.current;
    if (!current) return;
    this.current = { ...current, db: this.deps.factory({ profile: current.profile, password: current.password }, this.deps.limits(), this.deps.log) };
    this.closeQuietly(current.db);
  }

  async dispose(): Promise<void> {
    this.generation++;
    const current = this.current;
    this.current = undefined;
    this.stateEmitter.dispose();
    this.profilesEmitter.dispose();
    if (current) await current.db.close().catch(() => undefined);
  }

  private async doConnect(id: string, options: ConnectOptions, generation: number): Promise<ConnectionState> {
    const profile = this.profile(id);
    if (!profile) {
      const error = new DbError('other', `There is no connection "${id}" any more.`, ['select-connection']);
      this.lastError = error;
      return this.stateValue;
    }
    const previous = this.current;
    this.current = undefined;
    if (previous) this.closeQuietly(previous.db);
    this.setState({ kind: 'connecting', profile });
    await this.deps.workspaceState.update(ACTIVE_KEY, profile.id);

    let password: ResolvedPassword | undefined = options.password !== undefined ? { value: options.password, origin: 'typed' } : await this.deps.passwords.resolve(profile);
    if (options.password !== undefined) this.deps.log.addSecret(options.password);
    this.deps.log.info(`Connecting to "${profile.name}" (${describeTarget(profile)}, ${profile.sourceDetail ?? profile.source}), ${password ? `password from ${ORIGIN_TEXT[password.origin]}` : 'no password known'}.`);
    let result = await this.attempt(profile, password?.value);
    // Saving is offered for a password typed for this very attempt, not one remembered from earlier.
    let typedNow = options.password !== undefined;

    if (!result.ok && result.error.kind === 'password-needed' && options.interactive && generation === this.generation) {
      const typed = await this.deps.ui.ask(profile, 'needed');
      if (typed !== undefined && generation === this.generation) {
        password = { value: typed, origin: 'typed' };
        typedNow = true;
        this.deps.log.addSecret(typed);
        result = await this.attempt(profile, typed);
      }
    }

    if (generation !== this.generation) {
      // Another connect or a disconnect came first: this attempt's pool is not wanted.
      if (result.ok) this.closeQuietly(result.db);
      return this.stateValue;
    }
    if (!result.ok) {
      this.lastError = result.error;
      this.deps.log.warn(`Could not connect to "${profile.name}": ${result.error.message}`);
      this.setState({ kind: 'error', profile, error: result.error });
      return this.stateValue;
    }
    this.current = { db: result.db, profile, password: password?.value };
    this.lastError = undefined;
    const s = result.server;
    this.deps.log.info(`Connected to "${profile.name}": PostgreSQL ${s.version} as ${s.user}${s.inRecovery ? ' (a replica)' : ''}.`);
    this.setState({ kind: 'connected', profile, server: s });
    if (password?.origin === 'typed') this.deps.passwords.rememberForSession(profile.id, password.value);
    if (password && typedNow && options.interactive) void this.offerToSave(profile, password.value);
    return this.stateValue;
  }

  private async attempt(profile: ConnectionProfile, password: string | undefined): Promise<{ ok: true; db: Database; server: ServerInfo } | { ok: false; error: DbError }> {
    let db: Database | undefined;
    try {
      db = this.deps.factory({ profile, password }, this.deps.limits(), this.deps.log);
      const server = await db.serverInfo();
      return { ok: true, db, server };
    } catch (e) {
      if (db) this.closeQuietly(db);
      const error = asDbError(e);
      return { ok: false, error: new DbError(error.kind, redact(error.message, password ? [password] : []), error.nextSteps, error.code, error.position) };
    }
  }

  private async offerToSave(profile: ConnectionProfile, password: string): Promise<void> {
    try {
      if (await this.deps.ui.offerSave(profile)) {
        await this.deps.passwords.save(profile.id, password);
        this.deps.log.info(`Saved the password for "${profile.name}" in VS Code's secret storage.`);
      }
    } catch (e) {
      this.deps.log.error(`Could not save the password for "${profile.name}": ${asDbError(e).message}`);
    }
  }

  /** Swaps in a fresh Database after a lost connection; the next use connects anew. */
  private renew(current: NonNullable<ConnectionManager['current']>, error: DbError): void {
    this.lastError = error;
    this.deps.log.warn(`Lost the connection to "${current.profile.name}": ${error.message} The next use reconnects.`);
    this.current = { ...current, db: this.deps.factory({ profile: current.profile, password: current.password }, this.deps.limits(), this.deps.log) };
    this.closeQuietly(current.db);
    const server = this.stateValue.kind === 'connected' || this.stateValue.kind === 'error' ? this.stateValue.server : undefined;
    this.setState({ kind: 'error', profile: current.profile, error, ...(server ? { server } : {}) });
  }

  private async close(kind: 'disconnected'): Promise<void> {
    const current = this.current;
    this.current = undefined;
    this.setState({ kind });
    if (current) {
      this.deps.log.info(`Disconnected from "${current.profile.name}".`);
      await current.db.close().catch((e: unknown) => this.deps.log.warn(`Closing the pool failed: ${asDbError(e).message}`));
    }
  }

  private closeQuietly(db: Database): void {
    void db.close().catch((e: unknown) => this.deps.log.warn(`Closing a pool failed: ${asDbError(e).message}`));
  }

  private setState(state: ConnectionState): void {
    this.stateValue = state;
    this.stateEmitter.fire(state);
  }
}

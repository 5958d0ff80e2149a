/**
 * The contract of the database layer. Everything outside src/db talks to
 * PostgreSQL only through these types; only src/db imports `pg`.
 */
import type { ConnectionProfile } from '../core/connection/profile';
import type { PlanContext } from '../core/plan';

/** Limits applied to every transaction the extension opens. */
export interface DbLimits {
  /** `statement_timeout`, ms (setting pgInsight.statementTimeoutMs, default 30000). */
  readonly statementTimeoutMs: number;
  /** `lock_timeout`, ms (setting pgInsight.lockTimeoutMs, default 5000). */
  readonly lockTimeoutMs: number;
  /** TCP connect + startup timeout, ms (default 10000). */
  readonly connectTimeoutMs: number;
  /** Pool size per connection (default 3: the editor is one user). */
  readonly poolMax: number;
}

/**
 * Where statement lines go (the "PG Insight" log). Implementations must not
 * receive secrets: the runner sends only the first line of each statement and
 * never a connection string or password.
 */
export interface DbLog {
  statement(firstLine: string, durationMs: number, rowCount: number | null): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** A connection target with its password resolved (SecretStorage, pgpass, source). */
export interface ResolvedConnection {
  readonly profile: ConnectionProfile;
  /** undefined: none known (the server may not need one). */
  readonly password: string | undefined;
}

/** Why something failed, in words a user can act on. Never a stack trace. */
export type DbFailureKind =
  | 'auth' // wrong password / no such role / pg_hba rejects
  | 'password-needed' // server asked for a password and none is known
  | 'unreachable' // ECONNREFUSED, EHOSTUNREACH, ENOTFOUND
  | 'connect-timeout'
  | 'busy' // no connection to be had: the server at max_connections (53300), or every connection of the pool in use
  | 'database-missing' // 3D000
  | 'tls-required' // server requires SSL, client sent none
  | 'tls-refused' // client requires SSL, server does not support it / cert invalid
  | 'connection-lost' // server closed the connection / restarted
  | 'statement-timeout' // 57014 after statement_timeout
  | 'lock-timeout' // 55P03
  | 'cancelled' // cancelled by the user (57014 after our cancel)
  | 'privilege' // 42501
  | 'syntax' // 42601 and parse errors
  | 'refused' // the runner refused the statement (multi-statement, unsafe for ANALYZE, production)
  | 'read-only' // 25006: a write in a read-only transaction
  | 'other';

/** Suggested next steps, which the UI turns into buttons. */
export type DbNextStep = 'edit-connection' | 'enter-password' | 'retry' | 'open-log' | 'select-connection' | 'open-settings';

export class DbError extends Error {
  constructor(
    readonly kind: DbFailureKind,
    /** One or two sentences for a notification; no stack, no secrets. */
    message: string,
    readonly nextSteps: readonly DbNextStep[] = ['open-log'],
    /** SQLSTATE or Node error code when there was one. */
    readonly code?: string,
    /** Character offset (UTF-16, 0-based) in the statement text for syntax errors. */
    readonly position?: number,
  ) {
    super(message);
    this.name = 'DbError';
  }
}

export interface ServerInfo {
  /** e.g. "18.4" */
  readonly version: string;
  /** server_version_num, e.g. 180004 */
  readonly versionNum: number;
  readonly database: string;
  readonly user: string;
  readonly isSuperuser: boolean;
  /** True on a replica (pg_is_in_recovery()). */
  readonly inRecovery: boolean;
}

/** A handle to run statements inside one transaction opened by the runner. */
export interface Tx {
  /** One statement by the extended protocol, which refuses a text holding two. */
  query<R extends Record<string, unknown> = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<{ rows: R[]; rowCount: number | null }>;
  /**
   * By the simple protocol, for the one statement that must go that way
   * (EXPLAIN GENERIC_PLAN, whose `$n` have no values). The caller has parsed
   * the text as exactly one statement, and the transaction pins
   * standard_conforming_strings so that the server reads it the same way.
   */
  querySimple<R extends Record<string, unknown> = Record<string, unknown>>(sql: string): Promise<{ rows: R[]; rowCount: number | null }>;
}

export interface RunOptions {
  /** Aborting cancels the statement on the server (pg_cancel_backend), not just the wait. */
  readonly signal?: AbortSignal;
  /** Overrides the statement timeout for this call, ms. */
  readonly statementTimeoutMs?: number;
}

export interface TrialOptions extends RunOptions {
  /** The trial writes (builds an index): READ WRITE, refused on production and read-only connections. */
  readonly write?: boolean;
}

/** EXPLAIN options; the runner always adds FORMAT JSON. */
export interface ExplainOptions {
  readonly analyze: boolean;
  readonly buffers?: boolean;
  readonly verbose?: boolean;
  readonly settings?: boolean;
  readonly wal?: boolean;
  readonly timing?: boolean;
  /** PostgreSQL 17+. */
  readonly memory?: boolean;
  /** PostgreSQL 17+, ANALYZE only. */
  readonly serialize?: boolean;
  /** PostgreSQL 16+, not with ANALYZE: plan `$n` statements without values. */
  readonly genericPlan?: boolean;
}

/** What the runner decided about a statement before running EXPLAIN ANALYZE. */
export interface StatementSafety {
  /** e.g. "SELECT", "INSERT", "UPDATE", "CREATE TABLE", "VACUUM". */
  readonly statementType: string;
  /** 'read': no side effects; 'write': undone by rollback; 'refuse': cannot be made safe. */
  readonly verdict: 'read' | 'write' | 'refuse';
  /** Why (for 'write' and 'refuse'), in a sentence. */
  readonly reason?: string;
  /**
   * What the catalog showed the statement executes that matters, e.g.
   * "calls public.audit_log(), a VOLATILE user function, through view
   * public.v_orders", for the confirmation. Empty when only its text was read.
   */
  readonly findings?: readonly string[];
  /** Effects that stay after the rollback (sequence values taken), for the confirmation. */
  readonly kept?: readonly string[];
  /** 'write' only because the text calls a function its name does not vouch for; the catalog decides. */
  readonly namesOnly?: boolean;
}

export interface ExplainHooks extends RunOptions {
  /**
   * Asked before ANALYZE of a statement that writes (it will be rolled back).
   * Return false to abort. Omitted: the runner refuses writes.
   */
  readonly confirmWrite?: (safety: StatementSafety) => Promise<boolean>;
  /**
   * Also read the plan's context (table statistics and foreign keys of the
   * tables it touches, for the tips) in the EXPLAIN's own transaction, right
   * after the EXPLAIN and before the rollback: one round trip instead of a
   * transaction of its own. Not read when the EXPLAIN fails; a failed read
   * leaves `context` undefined, logged as a warning, and keeps the plan.
   */
  readonly withContext?: boolean;
}

export interface ExplainResult {
  /** The parsed FORMAT JSON output: an array with one object holding `Plan`. */
  readonly plan: unknown;
  readonly safety: StatementSafety;
  /** True when the statement ran inside a transaction that was rolled back. */
  readonly rolledBack: boolean;
  /** Wall time of the round trip, ms. */
  readonly durationMs: number;
  /** The exact EXPLAIN statement sent (for the log and the "raw" tab). */
  readonly explainSql: string;
  /** With `withContext`: the catalog facts for the plan's tips, unless their read failed. */
  readonly context?: PlanContext;
}

/**
 * One live connection target: a small pool plus the safe runner. Recreated
 * when the profile or limits change; reconnects by itself after a server
 * restart (a broken pooled client is discarded and the call retried once when
 * nothing had been sent yet).
 */
export interface Database {
  readonly profile: ConnectionProfile;
  /** Connects (if needed) and reads version and identity. */
  serverInfo(options?: RunOptions): Promise<ServerInfo>;
  /** Catalog and statistics reads: one READ ONLY transaction, always ended. */
  read<T>(label: string, fn: (tx: Tx) => Promise<T>, options?: RunOptions): Promise<T>;
  /**
   * Server actions that are not reads but change no data: cancelling or
   * terminating a backend, resetting statistics. They run like `read`, in a
   * READ ONLY transaction with the same limits (signals and statistics are
   * not data, so READ ONLY guarantees the action cannot write any), but are
   * logged as actions and kept apart from reads for callers and reviewers.
   */
  admin<T>(label: string, fn: (tx: Tx) => Promise<T>, options?: RunOptions): Promise<T>;
  /**
   * Statements whose effects must not be kept (trying an index before
   * proposing it): one transaction that always rolls back. READ ONLY
   * unless `write` is set; a writing trial is refused on production and
   * read-only connections.
   */
  trial<T>(label: string, fn: (tx: Tx) => Promise<T>, options?: TrialOptions): Promise<T>;
  /**
   * One statement that cannot run inside a transaction block (`CREATE INDEX
   * CONCURRENTLY`), on a session of its own with the runner's timeouts;
   * cancellable like the rest. It changes the database for good, so it is
   * refused on production and read-only connections.
   */
  outsideTransaction(label: string, sql: string, options?: RunOptions): Promise<void>;
  /** EXPLAIN of exactly one statement, with the safety rules of the runner. */
  explain(sql: string, params: readonly unknown[], options: ExplainOptions, hooks?: ExplainHooks): Promise<ExplainResult>;
  /** Ends the pool. */
  close(): Promise<void>;
}

/** Creates a Database; the only constructor other layers call. */
export type DatabaseFactory = (target: ResolvedConnection, limits: DbLimits, log: DbLog) => Database;

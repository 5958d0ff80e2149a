/**
 * Turns what `pg` and Node throw into a DbError a user can act on: a kind, one
 * or two sentences without secrets or stack traces, and next steps for the UI.
 * The classification reads SQLSTATE codes first, then Node error codes, then
 * the few driver messages that carry no code.
 */
import { DbError, type DbFailureKind, type DbNextStep } from './types';
import { redact } from './redact';

export interface FailureContext {
  /** "host:port/database" for messages. */
  readonly where: string;
  readonly host: string;
  readonly user: string;
  readonly database: string;
  readonly password: string | undefined;
  /** True when the user (or our signal) cancelled: 57014 then means "cancelled", not "timeout". */
  readonly cancelRequested: boolean;
  readonly statementTimeoutMs: number;
  readonly lockTimeoutMs: number;
  readonly connectTimeoutMs: number;
  /** Size of PG Insight's pool for this connection, named when all of it is in use. */
  readonly poolMax?: number;
  /** Offset of the statement in the user's text, to turn a server error position into one there. */
  readonly mapPosition?: (serverPosition: number) => number | undefined;
}

interface ErrorShape {
  message?: unknown;
  code?: unknown;
  position?: unknown;
  cause?: unknown;
}

const tlsCertificateCodes = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'CERT_HAS_EXPIRED',
  'UNABLE_TO_GET_ISSUER_CERT', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'ERR_TLS_CERT_ALTNAME_INVALID', 'CERT_UNTRUSTED',
  'CERT_NOT_YET_VALID', 'HOSTNAME_MISMATCH',
]);

export function classifyFailure(error: unknown, ctx: FailureContext): DbError {
  if (error instanceof DbError) return error;
  const e = (typeof error === 'object' && error !== null ? error : { message: String(error) }) as ErrorShape;
  const cause = (typeof e.cause === 'object' && e.cause !== null ? e.cause : {}) as ErrorShape;
  const code = typeof e.code === 'string' ? e.code : typeof cause.code === 'string' ? cause.code : undefined;
  const raw = typeof e.message === 'string' ? e.message : String(error);
  const message = redact(raw, ctx.password);
  const make = (kind: DbFailureKind, text: string, steps: readonly DbNextStep[], position?: number) =>
    new DbError(kind, redact(text, ctx.password), steps, code, position);

  switch (code) {
    case '28P01':
      // libpq says "no password supplied" here; pg sends an empty one and the server rejects it.
      if (!ctx.password) return make('password-needed', `The server asks for a password for user "${ctx.user}" and none is known.`, ['enter-password', 'edit-connection']);
      return make('auth', `Password authentication failed for user "${ctx.user}" on ${ctx.where}.`, ['enter-password', 'edit-connection']);
    case '28000':
      if (/no encryption/i.test(raw)) {
        return make('tls-required', `The server at ${ctx.where} accepts only encrypted (SSL) connections for this user and database. Set sslmode to "require" (or stricter).`, ['edit-connection']);
      }
      return make('auth', `The server at ${ctx.where} rejected user "${ctx.user}": ${message}.`, ['edit-connection']);
    case '3D000':
      return make('database-missing', `Database "${ctx.database}" does not exist on ${hostPort(ctx)}.`, ['edit-connection', 'select-connection']);
    case '57014':
      if (ctx.cancelRequested || /user request/i.test(raw)) return make('cancelled', 'The query was cancelled.', []);
      return make('statement-timeout', `The statement ran longer than the statement timeout (${ctx.statementTimeoutMs} ms) and was stopped.`, ['open-settings', 'open-log']);
    case '55P03':
      return make('lock-timeout', `The statement waited longer than the lock timeout (${ctx.lockTimeoutMs} ms) for a lock another session holds.`, ['retry', 'open-settings']);
    case '42501':
      return make('privilege', `${capitalise(message)} (user "${ctx.user}").`, ['open-log']);
    case '25006':
      return make('read-only', `The statement tried to change data in a read-only transaction: ${message}.`, ['open-log']);
    case '42601':
      return make('syntax', `Syntax error: ${message}.`, ['open-log'], serverPosition(e, ctx));
    case '53300':
      return serverFull();
    case '57P01':
    case '57P02':
    case '57P03':
      return make('connection-lost', `The server at ${ctx.where} closed the connection or is restarting (${message}). Try again.`, ['retry', 'open-log']);
    case 'ECONNREFUSED':
      return make('unreachable', `Nothing is listening at ${hostPort(ctx)} (connection refused). Is the server running?`, ['retry', 'edit-connection']);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return make('unreachable', `The host "${ctx.host}" was not found.`, ['edit-connection', 'retry']);
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'EHOSTDOWN':
      return make('unreachable', `The host ${ctx.host} cannot be reached from this machine.`, ['retry', 'edit-connection']);
    case 'ETIMEDOUT':
      return connectTimeout();
    case 'ECONNRESET':
    case 'EPIPE':
      return connectionLost();
    default:
      break;
  }
  if (code && tlsCertificateCodes.has(code)) {
    return make('tls-refused', `The server's SSL certificate is not trusted (${message}). Give the CA certificate file (sslrootcert) or change sslmode.`, ['edit-connection']);
  }
  if (/does not support SSL/i.test(raw)) {
    return make('tls-refused', `The server at ${hostPort(ctx)} does not support SSL, but the connection requires it. Set sslmode to "prefer" or "disable" if that is acceptable.`, ['edit-connection']);
  }
  if (/self[- ]signed certificate|certificate/i.test(raw) && /verify|trust|signed|expired/i.test(raw)) {
    return make('tls-refused', `The server's SSL certificate is not trusted (${message}). Give the CA certificate file (sslrootcert) or change sslmode.`, ['edit-connection']);
  }
  if (/password must be a string|password must be a non-empty string|no password (was )?(supplied|provided)/i.test(raw)) {
    return make('password-needed', `The server asks for a password for user "${ctx.user}" and none is known.`, ['enter-password', 'edit-connection']);
  }
  // PgBouncer and other poolers refuse with their own words (and often 08P01).
  if (/too many clients|no more connections allowed|remaining connection slots are reserved/i.test(raw)) return serverFull();
  // pg-pool's wait for one of its own connections to come free: the server was never asked, so "no answer" would mislead.
  if (/timeout exceeded when trying to connect/i.test(raw)) return poolFull();
  if (/connection timeout|timeout expired/i.test(raw)) return connectTimeout();
  if (/Connection terminated|connection is closed|Client has encountered a connection error|not queryable/i.test(raw)) return connectionLost();
  // Class 08 is about the connection, except 08P01 (a protocol violation, which leaves the connection usable).
  if (code && /^08/.test(code) && code !== '08P01') return connectionLost();
  const suffix = code ? ` (${code})` : '';
  return make('other', `${message}${suffix}`, ['open-log'], serverPosition(e, ctx));

  function connectTimeout(): DbError {
    return make('connect-timeout', `No answer from ${hostPort(ctx)} within ${seconds(ctx.connectTimeoutMs)}.`, ['retry', 'edit-connection']);
  }
  function serverFull(): DbError {
    return make('busy', `The server at ${hostPort(ctx)} has no free connection slots (${message}). Close idle sessions or wait for some to end, or raise max_connections.`, ['retry', 'open-log']);
  }
  function poolFull(): DbError {
    const where = `PG Insight's pool to ${hostPort(ctx)}`;
    const subject =
      ctx.poolMax === undefined ? `All connections of ${where} are` : ctx.poolMax === 1 ? `The 1 connection of ${where} is` : `All ${ctx.poolMax} connections of ${where} are`;
    return make(
      'busy',
      `${subject} in use by statements still running, and no connection came free within ${seconds(ctx.connectTimeoutMs)}. Try again when they finish, or raise pgInsight.poolMax.`,
      ['retry', 'open-settings'],
    );
  }
  function connectionLost(): DbError {
    return make('connection-lost', `The connection to ${hostPort(ctx)} was closed (the server may have restarted). Try again.`, ['retry', 'open-log']);
  }
}

/** True for failures after which a fresh connection may well succeed. */
export function isConnectionLoss(error: DbError): boolean {
  return error.kind === 'connection-lost';
}

function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function hostPort(ctx: FailureContext): string {
  return ctx.where.replace(/\/[^/]*$/, '');
}

function serverPosition(e: ErrorShape, ctx: FailureContext): number | undefined {
  const p = typeof e.position === 'string' ? Number(e.position) : typeof e.position === 'number' ? e.position : NaN;
  if (!Number.isFinite(p) || p <= 0) return undefined;
  return ctx.mapPosition ? ctx.mapPosition(p) : p - 1;
}

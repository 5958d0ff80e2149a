/**
 * Parses a PostgreSQL connection URI the way libpq does
 * (https://www.postgresql.org/docs/current/libpq-connect.html#LIBPQ-CONNSTRING-URIS):
 *
 *   postgresql://[user[:password]@][host][:port][,...][/dbname][?param=value&...]
 *
 * libpq does not treat `+` as a space and rejects `%00`; so do we. Query
 * parameters override the parts before them (`?host=/var/run/postgresql` is
 * how a Unix socket directory is usually written). Only the first host of a
 * multi-host URI is used: the editor talks to one server.
 *
 * A password with an unencoded `/` or `?` moves its end into the host, port
 * or path (`postgres://u:pa/ss@h` reads host "u", port "pa"). So when a URL
 * holds user info, no message quotes anything taken from the URL: errors and
 * warnings name the problem and how to encode the password, never a piece of
 * it. For the same reason a path holding `@` is refused (write it `%40`):
 * it is almost always the rest of such a password, which would otherwise
 * become the database name and be echoed by every connection message.
 */
import type { SslMode } from './profile';

export const SSL_MODES: readonly SslMode[] = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'];

export function isSslMode(value: string): value is SslMode {
  return (SSL_MODES as readonly string[]).includes(value);
}

/** The fields a URI can set; absent fields fall back to defaults later. */
export interface UrlParts {
  host?: string;
  port?: number;
  database?: string;
  user?: string;
  password?: string;
  sslmode?: SslMode;
  sslrootcert?: string;
}

export type UrlParseResult =
  | { readonly ok: true; readonly parts: UrlParts; readonly warnings: readonly string[] }
  | { readonly ok: false; readonly error: string };

const SCHEMES = ['postgresql://', 'postgres://'];

/** Query parameters libpq accepts that have no meaning for this extension: accepted silently. */
const IGNORED_PARAMS = new Set([
  'application_name', 'fallback_application_name', 'connect_timeout', 'options', 'keepalives',
  'keepalives_idle', 'keepalives_interval', 'keepalives_count', 'tcp_user_timeout', 'target_session_attrs',
  'load_balance_hosts', 'client_encoding', 'channel_binding', 'gssencmode', 'sslcompression', 'sslcert', 'sslkey',
  'sslpassword', 'sslcrl', 'sslcrldir', 'sslsni', 'ssl_min_protocol_version', 'ssl_max_protocol_version',
  'requirepeer', 'krbsrvname', 'gsslib', 'service', 'passfile', 'replication', 'hostaddr', 'require_auth',
  'sslnegotiation', 'sslcertmode', 'gssdelegation',
]);

export function looksLikePostgresUrl(text: string): boolean {
  const lower = text.trim().toLowerCase();
  return SCHEMES.some((s) => lower.startsWith(s));
}

/**
 * A parse error. `plain` says the same as the message without quoting any
 * part of the URL, for URLs that hold user info (see above).
 */
class UriError extends Error {
  constructor(
    message: string,
    readonly plain: string = message,
  ) {
    super(message);
  }
}

/** What a message says instead of a quoted piece of a URL that holds user info. */
const ENCODING_HINT = 'characters such as "/", "?", "@", ":" and "%" in a user name or password must be percent-encoded ("/" as %2F, "?" as %3F, "@" as %40, ":" as %3A, "%" as %25)';

/** libpq's percent-decoding: `%XX` only, `%00` forbidden, `+` stays `+`. */
function decode(text: string): string {
  if (!text.includes('%')) return text;
  const encoder = new TextEncoder();
  const bytes: number[] = [];
  let literal = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text.charAt(i);
    if (ch !== '%') {
      literal += ch;
      continue;
    }
    const hex = text.slice(i + 1, i + 3);
    if (!/^[0-9a-fA-F]{2}$/.test(hex)) throw new UriError(`invalid percent-encoded token "${text.slice(i, i + 3)}"`, 'invalid percent-encoded token');
    const byte = parseInt(hex, 16);
    if (byte === 0) throw new UriError('forbidden value %00 in percent-encoded value');
    bytes.push(...encoder.encode(literal), byte);
    literal = '';
    i += 2;
  }
  bytes.push(...encoder.encode(literal));
  return new TextDecoder().decode(new Uint8Array(bytes));
}

function parsePort(text: string): number {
  if (!/^\d+$/.test(text)) throw new UriError(`invalid port "${text}"`, 'invalid port');
  const port = Number(text);
  if (port < 1 || port > 65535) throw new UriError(`port ${port} is out of range`, 'port out of range');
  return port;
}

/** Splits `host[:port]` (or `[v6]:port`) and returns the rest of the host list after the first entry. */
function firstHost(hostList: string): { host: string; port?: string; more: boolean } {
  if (hostList.startsWith('[')) {
    const close = hostList.indexOf(']');
    if (close < 0) throw new UriError('missing "]" after an IPv6 host address');
    const host = hostList.slice(1, close);
    if (host === '') throw new UriError('empty IPv6 host address');
    const rest = hostList.slice(close + 1);
    if (rest === '') return { host, more: false };
    if (rest.startsWith(',')) return { host, more: true };
    if (!rest.startsWith(':')) throw new UriError(`unexpected "${rest.charAt(0)}" after the IPv6 host address`, 'unexpected text after the IPv6 host address');
    const comma = rest.indexOf(',');
    return { host, port: comma < 0 ? rest.slice(1) : rest.slice(1, comma), more: comma >= 0 };
  }
  const comma = hostList.indexOf(',');
  const first = comma < 0 ? hostList : hostList.slice(0, comma);
  const colon = first.indexOf(':');
  if (colon < 0) return { host: first, more: comma >= 0 };
  return { host: first.slice(0, colon), port: first.slice(colon + 1), more: comma >= 0 };
}

function applyParam(parts: UrlParts, key: string, value: string, warnings: string[], quote: boolean): void {
  switch (key) {
    case 'host':
      // A comma list in ?host= is a multi-host target as well.
      parts.host = value.split(',')[0] ?? '';
      if (value.includes(',')) warnings.push('Only the first host of the list is used.');
      return;
    case 'port': {
      const first = value.split(',')[0] ?? '';
      if (first !== '') parts.port = parsePort(first);
      return;
    }
    case 'user':
      parts.user = value;
      return;
    case 'dbname':
      parts.database = value;
      return;
    case 'password':
      parts.password = value;
      return;
    case 'sslmode':
      if (!isSslMode(value)) throw new UriError(`invalid sslmode "${value}" (use one of ${SSL_MODES.join(', ')})`, `invalid sslmode (use one of ${SSL_MODES.join(', ')})`);
      parts.sslmode = value;
      return;
    case 'ssl':
      // libpq accepts the JDBC spelling `ssl=true` as sslmode=require.
      if (value !== 'true') throw new UriError(`invalid ssl value "${value}" (only "true" is accepted)`, 'invalid ssl value (only "true" is accepted)');
      parts.sslmode = 'require';
      return;
    case 'sslrootcert':
      parts.sslrootcert = value;
      return;
    default:
      if (!IGNORED_PARAMS.has(key)) warnings.push(quote ? `Unknown URL parameter "${key}" is ignored.` : 'An unknown URL parameter is ignored.');
  }
}

/** Parses a postgres:// or postgresql:// URI into profile fields. */
export function parsePostgresUrl(input: string): UrlParseResult {
  const text = input.trim();
  const scheme = SCHEMES.find((s) => text.toLowerCase().startsWith(s));
  if (!scheme) return { ok: false, error: 'A connection URL starts with postgresql:// or postgres://.' };
  const warnings: string[] = [];
  const parts: UrlParts = {};
  // Any '@' may end user info, wherever an unencoded character has moved it.
  const quote = !text.slice(scheme.length).includes('@');
  try {
    let rest = text.slice(scheme.length);
    const queryAt = rest.indexOf('?');
    const query = queryAt < 0 ? '' : rest.slice(queryAt + 1);
    if (queryAt >= 0) rest = rest.slice(0, queryAt);

    // The user info ends at the last '@' before the path, as in libpq.
    const slashAt = rest.indexOf('/');
    const authority = slashAt < 0 ? rest : rest.slice(0, slashAt);
    const path = slashAt < 0 ? '' : rest.slice(slashAt + 1);
    const at = authority.lastIndexOf('@');
    const userInfo = at < 0 ? undefined : authority.slice(0, at);
    const hostList = at < 0 ? authority : authority.slice(at + 1);

    if (userInfo !== undefined) {
      const colon = userInfo.indexOf(':');
      const user = decode(colon < 0 ? userInfo : userInfo.slice(0, colon));
      if (user !== '') parts.user = user;
      if (colon >= 0) parts.password = decode(userInfo.slice(colon + 1));
    }
    if (hostList !== '') {
      const first = firstHost(hostList);
      if (first.more) warnings.push('Only the first host of the list is used.');
      const host = decode(first.host);
      if (host !== '') parts.host = host;
      if (first.port !== undefined && first.port !== '') parts.port = parsePort(first.port);
    }
    if (path.includes('@')) throw new UriError('"@" in the database name');
    if (path !== '') parts.database = decode(path);

    if (query !== '') {
      for (const pair of query.split('&')) {
        if (pair === '') continue;
        const eq = pair.indexOf('=');
        if (eq < 0) throw new UriError(`missing "=" in URL parameter "${decode(pair)}"`, 'missing "=" in a URL parameter');
        applyParam(parts, decode(pair.slice(0, eq)), decode(pair.slice(eq + 1)), warnings, quote);
      }
    }
  } catch (e) {
    if (e instanceof UriError) return { ok: false, error: quote ? `Invalid connection URL: ${e.message}.` : `Invalid connection URL: ${e.plain}; ${ENCODING_HINT}.` };
    throw e;
  }
  return { ok: true, parts, warnings };
}

/** Percent-encodes one URI component so that `parsePostgresUrl` gives it back unchanged. */
function encode(text: string): string {
  return encodeURIComponent(text);
}

/** Builds a URI without any password, e.g. for display or for saving in settings. */
export function formatPostgresUrl(parts: Omit<UrlParts, 'password'>): string {
  const host = parts.host ?? '';
  const socket = host.startsWith('/');
  const hostPart = socket ? '' : host.includes(':') ? `[${host}]` : encode(host);
  const user = parts.user ? `${encode(parts.user)}@` : '';
  const port = parts.port !== undefined && !socket ? `:${parts.port}` : '';
  const db = parts.database ? `/${encode(parts.database)}` : '';
  const params: string[] = [];
  if (socket) params.push(`host=${encode(host)}`);
  if (socket && parts.port !== undefined) params.push(`port=${parts.port}`);
  if (parts.sslmode) params.push(`sslmode=${parts.sslmode}`);
  if (parts.sslrootcert) params.push(`sslrootcert=${encode(parts.sslrootcert)}`);
  return `postgresql://${user}${hostPart}${port}${db}${params.length ? `?${params.join('&')}` : ''}`;
}

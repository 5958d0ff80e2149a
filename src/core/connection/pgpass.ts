/**
 * The libpq password file (https://www.postgresql.org/docs/current/libpq-pgpass.html),
 * matched exactly as libpq's `passwordFromFile` does in fe-connect.c:
 *
 * - each line is `hostname:port:database:username:password`; lines starting
 *   with `#` are comments; a trailing CR/LF is ignored;
 * - a field that is exactly `*` matches anything; `\:` and `\\` escape a
 *   colon and a backslash (any `\x` stands for `x`);
 * - the first matching line wins;
 * - `localhost` in the file matches a connection without a host and one
 *   through the default Unix socket directory;
 * - an empty database or user name never matches.
 *
 * Reading the file, and ignoring it unless its permissions are 0600 or
 * stricter, happens at the edge (src/connections/pgpassFile.ts); see
 * `pgpassModeIsSecure` below for the rule itself.
 */

export interface PgpassTarget {
  /** Host name, IP address or Unix socket directory; '' for libpq's default. */
  readonly host: string;
  readonly port: number | string;
  readonly database: string;
  readonly user: string;
}

/**
 * Socket directories that count as "the default" and therefore as
 * `localhost`. libpq compares with its compiled-in DEFAULT_PGSOCKET_DIR,
 * which is /tmp upstream and /var/run/postgresql on Debian and derivatives.
 */
export const DEFAULT_SOCKET_DIRS: readonly string[] = ['/tmp', '/var/run/postgresql', '/run/postgresql'];

/**
 * libpq's `pwdfMatchesString`: if the field starting at `from` matches
 * `token`, returns the index just after the field's terminating colon,
 * otherwise -1. The wildcard is the one-character field `*`.
 */
function matchField(line: string, from: number, token: string): number {
  if (from < 0) return -1;
  if (line.charAt(from) === '*' && line.charAt(from + 1) === ':') return from + 2;
  let i = from;
  let t = 0;
  let escaped = false;
  while (i < line.length) {
    if (line.charAt(i) === '\\' && !escaped) {
      i++;
      escaped = true;
      // libpq reads the terminating NUL here and stops; so do we.
      if (i >= line.length) return -1;
    }
    if (line.charAt(i) === ':' && t === token.length && !escaped) return i + 1;
    escaped = false;
    if (t === token.length) return -1;
    if (line.charAt(i) !== token.charAt(t)) return -1;
    i++;
    t++;
  }
  return -1;
}

/** The password part of a matching line: up to the next unescaped colon, escapes removed. */
function passwordField(line: string, from: number): string {
  let out = '';
  for (let i = from; i < line.length; i++) {
    let ch = line.charAt(i);
    if (ch === ':') break;
    if (ch === '\\' && i + 1 < line.length) {
      i++;
      ch = line.charAt(i);
    }
    out += ch;
  }
  return out;
}

/** Whether a socket path (or empty host) stands for `localhost` in the file. */
function pgpassHost(host: string, defaultSocketDirs: readonly string[]): string {
  if (host === '') return 'localhost';
  const isSocket = host.startsWith('/') || host.startsWith('@');
  if (isSocket && defaultSocketDirs.includes(host.replace(/(.)\/+$/, '$1'))) return 'localhost';
  return host;
}

/**
 * Looks up the password for `target` in the text of a password file.
 * Returns undefined when no line matches, or when the first matching line
 * has an empty password (libpq then behaves as if none was given).
 */
export function findPgpassPassword(text: string, target: PgpassTarget, defaultSocketDirs: readonly string[] = DEFAULT_SOCKET_DIRS): string | undefined {
  if (target.database === '' || target.user === '') return undefined;
  const host = pgpassHost(target.host, defaultSocketDirs);
  const port = String(target.port === '' ? 5432 : target.port);
  for (const raw of text.split('\n')) {
    if (raw.startsWith('#')) continue;
    const line = raw.replace(/[\r\n]+$/, '');
    if (line === '') continue;
    let at = matchField(line, 0, host);
    at = matchField(line, at, port);
    at = matchField(line, at, target.database);
    at = matchField(line, at, target.user);
    if (at < 0) continue;
    const password = passwordField(line, at);
    return password === '' ? undefined : password;
  }
  return undefined;
}

/**
 * libpq ignores the file when group or others have any permission on it
 * (`st_mode & (S_IRWXG | S_IRWXO)`), and when it is not a regular file.
 * Windows has no such check (the profile directory is private).
 */
export function pgpassModeIsSecure(mode: number): boolean {
  return (mode & 0o077) === 0;
}

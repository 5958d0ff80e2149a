/**
 * Removes passwords from any text before it is logged or shown. Two layers:
 *
 * 1. Shapes that carry a password whatever its value: the user-info part of
 *    a URL (`scheme://user:secret@host`, also when the password holds an
 *    unencoded `/` or `?`), `password=...` / `PGPASSWORD=...` pairs
 *    (conninfo strings, .env lines, query parameters), `"password": "..."`
 *    in JSON, and SQL's `PASSWORD '...'` (CREATE/ALTER ROLE, user mapping
 *    options), which other sessions' statements show verbatim.
 * 2. Literal passwords the extension knows about (typed, stored, or read from
 *    a source), wherever they appear, e.g. echoed inside a driver message.
 *    Very short secrets are left to the first layer: replacing every "ab" in
 *    a log would make it unreadable and guessing them from context is easy
 *    anyway.
 */

export const REDACTED = '***';

/** Secrets shorter than this are not replaced literally (see above). */
export const MIN_LITERAL_SECRET_LENGTH = 3;

// scheme://user:password@. The password is first read up to a '/', '?' or '#' (the usual
// case); failing that, up to the last '@' before a blank or a quote, because an unencoded
// '/' or '?' in a password is a common mistake and that password is still a password.
// A URL with a port and an '@' in its path is redacted too: the lesser evil.
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s:/?#@]*):([^\s/?#]*|[^\s"'`<>]*)@/gi;

// password=value, PGPASSWORD=value, sslpassword='value', "password": "value" ...
// A bare colon is not enough (`wrong-password: Password authentication failed`
// is a connection name and a message); only a quoted key may use one, as in JSON.
// A statement parameter is no secret: `WHERE password = $1` and
// `password = crypt($1, password)` (pg_stat_statements' normalised texts) stay
// as they are, so that the statement can still be explained and found in code.
const KEY_VALUE = /(\b[a-z_]*pass(?:word|wd)?\s*=\s*|["'][a-z_]*pass(?:word|wd)?["']\s*:\s*)("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|(?!\$\d|[a-z_][a-z0-9_]*\(\$\d)[^\s&;,'"}]+)/gi;

// PASSWORD 'secret' in SQL: CREATE ROLE ... PASSWORD '...', OPTIONS (password '...').
// An E'' string takes backslash escapes; a standard one only doubles its quotes.
const SQL_PASSWORD = /(\bpassword\s+)(E'(?:[^'\\]|''|\\.)*'|'(?:[^']|'')*')/gi;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function redact(text: string, secrets: Iterable<string> = []): string {
  let out = text.replace(URL_USERINFO, (_m, scheme: string, user: string) => `${scheme}${user}:${REDACTED}@`);
  // A quoted value keeps its quotes, so that redacted JSON and conninfo stay well-formed.
  out = out.replace(KEY_VALUE, (_m, key: string, value: string) => {
    const quote = value.startsWith('"') || value.startsWith("'") ? value.charAt(0) : '';
    return `${key}${quote}${REDACTED}${quote}`;
  });
  out = out.replace(SQL_PASSWORD, (_m, key: string) => `${key}'${REDACTED}'`);
  const literal = [...new Set(secrets)].filter((s) => s.length >= MIN_LITERAL_SECRET_LENGTH).sort((a, b) => b.length - a.length);
  if (literal.length > 0) out = out.replace(new RegExp(literal.map(escapeRegExp).join('|'), 'g'), REDACTED);
  return out;
}

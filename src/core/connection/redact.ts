/**
 * Removes passwords from any text before it is logged or shown. Two layers:
 *
 * 1. Shapes that carry a password whatever its value: the user-info part of
 *    a URL (`scheme://user:secret@host`), `password=...` / `PGPASSWORD=...`
 *    pairs (conninfo strings, .env lines, query parameters) and
 *    `"password": "..."` in JSON.
 * 2. Literal passwords the extension knows about (typed, stored, or read from
 *    a source), wherever they appear, e.g. echoed inside a driver message.
 *    Very short secrets are left to the first layer: replacing every "ab" in
 *    a log would make it unreadable and guessing them from context is easy
 *    anyway.
 */

export const REDACTED = '***';

/** Secrets shorter than this are not replaced literally (see above). */
export const MIN_LITERAL_SECRET_LENGTH = 3;

// scheme://user:password@  (the password may contain anything but whitespace and '/').
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s:/?#@]*):([^\s/?#]*)@/gi;

// password=value, PGPASSWORD=value, sslpassword='value', "password": "value" ...
// A bare colon is not enough (`wrong-password: Password authentication failed`
// is a connection name and a message); only a quoted key may use one, as in JSON.
const KEY_VALUE = /(\b[a-z_]*pass(?:word|wd)?\s*=\s*|["'][a-z_]*pass(?:word|wd)?["']\s*:\s*)("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|[^\s&;,'"}]+)/gi;

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
  const literal = [...new Set(secrets)].filter((s) => s.length >= MIN_LITERAL_SECRET_LENGTH).sort((a, b) => b.length - a.length);
  if (literal.length > 0) out = out.replace(new RegExp(literal.map(escapeRegExp).join('|'), 'g'), REDACTED);
  return out;
}

/**
 * Keeps secrets out of everything the database layer says: log lines, error
 * messages and the statement lines of the log.
 */
import { redact as redactShapes } from '../core/connection/redact';

/**
 * Removes the connection's password and anything shaped like a credential
 * (URL user info, `password=...`, SQL's `PASSWORD '...'`) from a text. The
 * connection's own password goes whatever its length: a driver message
 * quoting it is short and read by the user.
 */
export function redact(text: string, password: string | undefined): string {
  const out = redactShapes(text);
  return password ? out.split(password).join('***') : out;
}

/** The first non-blank line of a statement, shortened for the log. */
export function firstLine(sql: string, max = 200): string {
  const line = sql.split('\n').map((l) => l.trim()).find((l) => l !== '') ?? '';
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/**
 * Keeps secrets out of everything the database layer says: log lines, error
 * messages and the statement lines of the log.
 */

/** Removes a password and any URL credentials from a text. */
export function redact(text: string, password: string | undefined): string {
  let out = text.replace(/(postgres(?:ql)?:\/\/[^:/@\s]*):[^@\s]*@/gi, '$1:***@');
  out = out.replace(/\bpassword\s*=\s*('[^']*'|\S+)/gi, 'password=***');
  if (password) out = out.split(password).join('***');
  return out;
}

/** The first non-blank line of a statement, shortened for the log. */
export function firstLine(sql: string, max = 200): string {
  const line = sql.split('\n').map((l) => l.trim()).find((l) => l !== '') ?? '';
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

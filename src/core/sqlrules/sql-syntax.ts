/**
 * `sql-syntax`: SQL that PostgreSQL would reject, found by its own grammar
 * (libpg-query), with the parser's message at the token it stopped on,
 * mapped back through the placeholder rewrite and the source map.
 *
 * SQL assembled from code is checked only where the code cannot be the
 * cause: when every placeholder that stands for interpolated code is
 * replaced by a plain name and the text then parses, the interpolation may
 * well be a table name, a column list or a whole clause, and nothing is said.
 */
import { segments } from '../sql/lexer';
import { parseSql, type ParseOutcome } from '../sql/parser';
import { splitStatements } from '../sql/statements';
import type { Advice } from './finding';
import type { PreparedSql } from './source';

export const RULE_ID = 'sql-syntax';

/**
 * The syntax errors of the prepared text, as advice in its offsets: one per
 * statement that does not parse (a broken statement does not hide the next).
 */
export function sqlSyntax(sql: PreparedSql, whole: ParseOutcome = parseSql(sql.text)): Advice[] {
  if (whole.ok) return [];
  let broken = splitStatements(sql.text).statements.flatMap((s) => (s.error ? [{ error: s.error, text: s.text }] : []));
  if (broken.length === 0) broken = [{ error: whole.error, text: sql.text }];
  return broken
    .filter((b) => !(sql.source.dynamic && parseSql(withNamesForPlaceholders(b.text)).ok))
    .map(({ error }) => {
      const { start, end } = tokenSpan(sql.text, error.position);
      return {
        ruleId: RULE_ID,
        start,
        end,
        severity: 'error' as const,
        message: `PostgreSQL would reject this SQL: ${error.message}.`,
        related: [],
        data: { parserMessage: error.message },
      };
    });
}

/** `$3` → `_3` outside strings and comments: a name fits wherever a value, a table or a clause could. */
export function withNamesForPlaceholders(text: string): string {
  let out = '';
  for (const seg of segments(text)) {
    const part = text.slice(seg.start, seg.end);
    out += seg.kind === 'code' ? part.replace(/(?<![\w$])\$(\d+)/g, '_$1') : part;
  }
  return out;
}

/** The word or symbol at `position`; at the end of the text, the last visible character. */
export function tokenSpan(text: string, position: number): { start: number; end: number } {
  let at = Math.min(Math.max(0, position), text.length);
  if (at >= text.length || /\s/.test(text[at] ?? '')) {
    // "at end of input": point at the last thing written, from the start of its word.
    let back = at - 1;
    while (back > 0 && /\s/.test(text[back] ?? '')) back--;
    while (back > 0 && /[\p{L}\p{N}_$]/u.test(text[back - 1] ?? '') && /[\p{L}\p{N}_$]/u.test(text[back] ?? '')) back--;
    at = Math.max(0, back);
  }
  const word = /^[\p{L}\p{N}_$]+/u.exec(text.slice(at));
  if (word) return { start: at, end: at + word[0].length };
  // An unterminated string runs to the end of its line.
  const quoted = /^("(?:[^"\n]|"")*"?|'(?:[^'\n]|'')*'?)/.exec(text.slice(at));
  if (quoted) return { start: at, end: at + quoted[0].length };
  return { start: at, end: at + 1 };
}

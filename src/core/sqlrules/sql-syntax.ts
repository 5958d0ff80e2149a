/**
 * `sql-syntax`: SQL that PostgreSQL would reject, found by its own grammar
 * (libpg-query), with the parser's message at the token it stopped on,
 * mapped back through the placeholder rewrite and the source map.
 *
 * An error is reported only when it is certain, because at `error` level
 * it fails a build:
 * - the text is executed as written: a `.sql` file or a string handed to a
 *   query API (a string that merely looks like SQL may be a RegExp source,
 *   a fragment or a test's expected text);
 * - the parser stops before the first part that code or a template fills in
 *   at run time (a hole). The parser reads left to right, so text it
 *   rejects before a hole is rejected whatever the hole holds; after a hole,
 *   the hole may be a name, a list, a clause or the start of a comment;
 * - the text starts like a statement (an expression handed to a query
 *   builder, `knex.raw('DENSE_RANK() OVER (…)')`, is a piece of one);
 * - nothing in the text, its path or the function sending it marks it as
 *   written for another database (SQLite, MySQL, SQL Server).
 */
import { isOtherDialectPath, otherDialectMarker } from './dialect';
import { startsLikeStatement } from './statementStart';
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
  if (whole.ok || !sql.source.executed || !startsLikeStatement(sql.text)) return [];
  if (sql.source.otherDatabase || isOtherDialectPath(sql.source.path) || otherDialectMarker(sql.text) !== undefined) return [];
  let broken = splitStatements(sql.text).statements.flatMap((s) => (s.error ? [{ error: s.error, text: s.text }] : []));
  if (broken.length === 0) broken = [{ error: whole.error, text: sql.text }];
  const hole = sql.firstHole ?? Infinity;
  return broken
    .map(({ error }) => ({ error, span: tokenSpan(sql.text, error.position) }))
    // Strictly before: a hole right after a word may continue it (`logto_${name}`);
    // "at end of input" is never before a hole.
    .filter(({ error, span }) => error.position < hole && span.end < hole)
    // A `:name` where no value can stand may be a psql variable (`CREATE DATABASE :db`).
    .filter(({ span }) => !sql.named.some((n) => n.start < span.end && span.start < n.end))
    .map(({ error, span: { start, end } }) => {
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

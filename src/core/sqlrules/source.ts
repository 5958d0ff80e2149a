/**
 * SQL text as the SQL rules take it, with the way back to the source file.
 * Code analysis hands in `SqlText` (already `$n` placeholders, with a map to
 * the source); a `.sql` file is its own source. Remaining `?` and `:name`
 * placeholders are rewritten here, and every offset the rules report goes
 * back through that rewrite and then through the source map, so a
 * diagnostic lands on the characters the user wrote (UTF-16 throughout).
 */
import { sqlOffsetToSource } from '../code/mappedText';
import type { SqlText } from '../code/types';
import { rewritePlaceholders } from '../sql/placeholders';

export interface SqlSource {
  readonly path: string;
  readonly text: string;
  /** Offset in `text` → offset in the source file. */
  toSource(offset: number): number;
  /** Parts came from code (template substitutions): a placeholder may stand for a name or a whole clause. */
  readonly dynamic: boolean;
}

/** A SQL string found in code, from the file summary's `sql` entries. */
export function sourceFromSqlText(path: string, sql: SqlText): SqlSource {
  return { path, text: sql.text, dynamic: sql.dynamic, toSource: (offset) => sqlOffsetToSource(sql.map, sql.text.length, offset) };
}

/** A whole `.sql` file, or any text that is its own source. */
export function sourceFromFile(path: string, text: string, offsetInFile = 0): SqlSource {
  return { path, text, dynamic: false, toSource: (offset) => offsetInFile + offset };
}

export interface PreparedSql {
  readonly source: SqlSource;
  /** The text with `$n` placeholders only, as the parser takes it. */
  readonly text: string;
  /** Offset in `text` → offset in the source file. */
  toSource(offset: number): number;
}

export function prepareSql(source: SqlSource): PreparedSql {
  const rewrite = rewritePlaceholders(source.text);
  if (rewrite.placeholders.length === 0) return { source, text: source.text, toSource: (o) => source.toSource(o) };
  return { source, text: rewrite.text, toSource: (o) => source.toSource(rewrite.toOriginal(o)) };
}

/** Source span of `[start, end)` in the prepared text; never empty, so an editor can show it. */
export function sourceSpan(sql: PreparedSql, start: number, end: number): { start: number; end: number } {
  const s = sql.toSource(start);
  const e = end > start ? sql.toSource(end - 1) + 1 : s;
  return { start: s, end: Math.max(e, s + 1) };
}

/**
 * SQL text as the SQL rules take it, with the way back to the source file.
 * Code analysis hands in `SqlText` (already `$n` placeholders, with a map to
 * the source); a `.sql` file is its own source. Remaining `?` and `:name`
 * placeholders are rewritten here, and every offset the rules report goes
 * back through that rewrite and then through the source map, so a
 * diagnostic lands on the characters the user wrote (UTF-16 throughout).
 *
 * A source also says how much of the text is known: the spans that code
 * fills in at run time (holes) and whether the text is passed to a query
 * API at all. `sql-syntax` only speaks about what is known.
 */
import { sqlOffsetToSource } from '../code/mappedText';
import type { SqlText } from '../code/types';
import { segments } from '../sql/lexer';
import { rewritePlaceholders } from '../sql/placeholders';

export interface Span {
  readonly start: number;
  readonly end: number;
}

export interface SqlSource {
  readonly path: string;
  readonly text: string;
  /** Offset in `text` → offset in the source file. */
  toSource(offset: number): number;
  /** Parts came from code (template substitutions): a placeholder may stand for a name or a whole clause. */
  readonly dynamic: boolean;
  /** Spans of `text` that code or a template fills in at run time, in order. */
  readonly holes: readonly Span[];
  /**
   * The text is executed as it is: a `.sql` file, or a string handed to a
   * query API. A string that only looks like SQL (a RegExp source, a test's
   * expected text, a fragment) is not.
   */
  readonly executed: boolean;
  /** The code around it names SQLite or MySQL: the text is written for that database. */
  readonly otherDatabase?: boolean;
}

/** A SQL string found in code, from the file summary's `sql` entries. */
export function sourceFromSqlText(path: string, sql: SqlText): SqlSource {
  return {
    path,
    text: sql.text,
    dynamic: sql.dynamic,
    holes: placeholderSpans(sql.text, sql.holes ?? []),
    executed: sql.origin !== 'sql-like',
    ...(sql.otherDatabase ? { otherDatabase: true } : {}),
    toSource: (offset) => sqlOffsetToSource(sql.map, sql.text.length, offset),
  };
}

/** A whole `.sql` file, or any text that is its own source. */
export function sourceFromFile(path: string, text: string, offsetInFile = 0): SqlSource {
  const holes = templateHoles(text);
  return { path, text, dynamic: holes.length > 0, holes, executed: true, toSource: (offset) => offsetInFile + offset };
}

/** Where the `$n` placeholders numbered in `numbers` stand in `text` (code and strings alike: a hole may be quoted). */
export function placeholderSpans(text: string, numbers: readonly number[]): Span[] {
  if (numbers.length === 0) return [];
  const wanted = new Set(numbers);
  const out: Span[] = [];
  // A hole may follow a word directly (`logto_${name}` became `logto_$1`).
  for (const m of text.matchAll(/(?<!\$)\$(\d+)(?!\d)/g)) {
    if (wanted.has(Number(m[1]))) out.push({ start: m.index ?? 0, end: (m.index ?? 0) + m[0].length });
  }
  return out;
}

/**
 * The parts of a `.sql` file that a template engine or psql fills in before
 * PostgreSQL sees it: `${name}`, `{{ name }}`, `{% … %}`, `<%= … %>`,
 * `{name}`, psql's `:'name'`, `:"name"` and backslash commands. Strings
 * and comments are left alone: a brace inside a literal is data. A bare
 * `:name` is taken for a bound parameter, as ORMs and query files use it;
 * `sql-syntax` does not report an error found at one (it may be psql's).
 */
export function templateHoles(text: string): Span[] {
  const out: Span[] = [];
  for (const seg of segments(text)) {
    if (seg.kind !== 'code') continue;
    const part = text.slice(seg.start, seg.end);
    for (const m of part.matchAll(/\$\{[^}\n]*\}?|\{\{[\s\S]*?(?:\}\}|$)|\{%[\s\S]*?(?:%\}|$)|<%[\s\S]*?(?:%>|$)|\{[A-Za-z_][\w.]*\}|^[ \t]*\\[a-z!?].*$/gm)) {
      out.push({ start: seg.start + (m.index ?? 0), end: seg.start + (m.index ?? 0) + m[0].length });
    }
  }
  // psql's quoted variables, `:'name'` and `:"name"`: the lexer sees a colon before a literal.
  for (const m of text.matchAll(/(?<!:):(['"])[A-Za-z_]\w*\1/g)) out.push({ start: m.index ?? 0, end: (m.index ?? 0) + m[0].length });
  return out.sort((a, b) => a.start - b.start);
}

export interface PreparedSql {
  readonly source: SqlSource;
  /** The text with `$n` placeholders only, as the parser takes it. */
  readonly text: string;
  /** Offset in `text` → offset in the source file. */
  toSource(offset: number): number;
  /** Where the first hole starts in `text`; undefined when the text is fully known. */
  readonly firstHole?: number;
  /** Spans in `text` of the `$n` that a `:name` became. */
  readonly named: readonly Span[];
}

export function prepareSql(source: SqlSource): PreparedSql {
  const rewrite = rewritePlaceholders(source.text);
  const hole = source.holes[0]?.start;
  if (rewrite.placeholders.length === 0) return { source, text: source.text, named: [], toSource: (o) => source.toSource(o), ...(hole !== undefined ? { firstHole: hole } : {}) };
  return {
    source,
    text: rewrite.text,
    named: rewrite.placeholders.filter((p) => p.name !== null).map((p) => {
      const start = rewrite.toRewritten(p.start);
      return { start, end: start + `$${p.index}`.length };
    }),
    toSource: (o) => source.toSource(rewrite.toOriginal(o)),
    ...(hole !== undefined ? { firstHole: rewrite.toRewritten(hole) } : {}),
  };
}

/** Source span of `[start, end)` in the prepared text; never empty, so an editor can show it. */
export function sourceSpan(sql: PreparedSql, start: number, end: number): { start: number; end: number } {
  const s = sql.toSource(start);
  const e = end > start ? sql.toSource(end - 1) + 1 : s;
  return { start: s, end: Math.max(e, s + 1) };
}

/**
 * Offsets from the SQL that was explained back to the document it came
 * from, and how those offsets move when the document is edited. Plain
 * functions (no vscode), so that they are unit-tested on their own.
 *
 * The explained SQL is the target's text (a selection, the statement under
 * the cursor, or a string literal's content with its escapes resolved),
 * with `?` and `:name` rewritten to `$n`, trimmed. Each of those steps
 * moves offsets; the map undoes them in reverse order.
 */
import type { PlaceholderRewrite } from '../core/sql/placeholders';

export interface StatementSource {
  /** Document offset where the target's range starts. */
  readonly rangeStart: number;
  /** The document's text in the target's range, as written (escapes and all). */
  readonly rawText: string;
  /** The target's text: equal to rawText except for string literals with escapes or interpolations. */
  readonly targetText: string;
  /** The placeholder rewrite of targetText. */
  readonly rewrite: PlaceholderRewrite;
}

/** A function from an offset in the explained (trimmed, rewritten) SQL to a document offset. */
export function statementToDocument(source: StatementSource): (sqlOffset: number) => number {
  const leading = source.rewrite.text.length - source.rewrite.text.trimStart().length;
  const toRaw = decodedToRaw(source.targetText, source.rawText);
  return (offset) => source.rangeStart + toRaw(source.rewrite.toOriginal(offset + leading));
}

/**
 * Offsets in a string literal's decoded content → offsets in its source
 * text. Escapes (`\n`, `\'`, `\x41`, `\u00e9`, `\u{1F600}`, a backslash
 * before a line break) take several source characters for one (or none);
 * a template interpolation `${expr}` became `$n`.
 */
export function decodedToRaw(decoded: string, raw: string): (offset: number) => number {
  if (decoded === raw) return (offset) => Math.max(0, Math.min(offset, raw.length));
  const map = new Array<number>(decoded.length + 1);
  let i = 0;
  let j = 0;
  while (i < decoded.length && j < raw.length) {
    map[i] = j;
    if (raw[j] === '\\') {
      const after = raw[j + 1];
      if (after === '\n' || after === '\r') {
        // A line continuation decodes to nothing: the same decoded offset, further in the source.
        j += raw.startsWith('\r\n', j + 1) ? 3 : 2;
        continue;
      }
      const length = escapeLength(raw, j);
      // `\u{1F600}` is one code point: two UTF-16 units in the decoded text.
      const unit = decoded.charCodeAt(i);
      i += raw[j + 1] === 'u' && raw[j + 2] === '{' && unit >= 0xd800 && unit <= 0xdbff ? 2 : 1;
      j += length;
      continue;
    }
    if (raw.startsWith('${', j) && decoded[i] === '$') {
      j = interpolationEnd(raw, j);
      i += /^\$\d+/.exec(decoded.slice(i))?.[0].length ?? 1;
      continue;
    }
    i++;
    j++;
  }
  for (; i <= decoded.length; i++) map[i] = j;
  return (offset) => map[Math.max(0, Math.min(offset, decoded.length))] ?? raw.length;
}

function escapeLength(raw: string, at: number): number {
  const rest = raw.slice(at, at + 12);
  const m = /^\\(?:u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|U[0-9a-fA-F]{8}|[0-7]{1,3}|[\s\S])/.exec(rest);
  return m ? m[0].length : 1;
}

/** The offset after the `}` that closes the `${` at `at`. */
function interpolationEnd(raw: string, at: number): number {
  let depth = 0;
  for (let k = at + 1; k < raw.length; k++) {
    if (raw[k] === '{') depth++;
    else if (raw[k] === '}' && --depth === 0) return k + 1;
  }
  return raw.length;
}

export interface Span {
  readonly start: number;
  readonly end: number;
}

/** A document change: the replaced offsets (before the change) and the length of the new text. */
export interface TextChange {
  readonly start: number;
  readonly end: number;
  readonly insertedLength: number;
}

/**
 * Where `span` is after `change`: moved when the change is before it,
 * unchanged when after it, and undefined when the change touches it (an
 * insertion at either edge changes the statement's text too).
 */
export function spanAfterChange(span: Span, change: TextChange): Span | undefined {
  if (change.end < span.start) {
    const delta = change.insertedLength - (change.end - change.start);
    return { start: span.start + delta, end: span.end + delta };
  }
  if (change.start > span.end) return span;
  return undefined;
}

/** Whether two spans share a character or touch. */
export function touches(a: Span, b: Span): boolean {
  return a.start <= b.end && b.start <= a.end;
}

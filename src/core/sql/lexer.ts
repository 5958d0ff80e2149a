/**
 * A small lexical scanner for SQL that PostgreSQL's own parser cannot take
 * yet: text with `?` or `:name` placeholders, or text with a syntax error
 * while the user is typing. It only tells code apart from the places where
 * `?`, `:` and `;` mean nothing: string literals (including E'' escapes and
 * dollar quotes), quoted identifiers and comments.
 */

export type SegmentKind = 'code' | 'string' | 'quoted-identifier' | 'comment';

export interface Segment {
  readonly kind: SegmentKind;
  /** UTF-16 offsets, end exclusive. */
  readonly start: number;
  readonly end: number;
}

const identChar = /[A-Za-z0-9_$\u0080-\uffff]/;
const identStart = /[A-Za-z_\u0080-\uffff]/;

/** Splits `text` into code and non-code segments covering it completely. */
export function segments(text: string): Segment[] {
  const out: Segment[] = [];
  let codeStart = 0;
  let i = 0;
  const push = (kind: SegmentKind, start: number, end: number) => {
    if (start > codeStart) out.push({ kind: 'code', start: codeStart, end: start });
    out.push({ kind, start, end });
    codeStart = end;
  };
  while (i < text.length) {
    const c = text[i];
    const next = text[i + 1];
    if (c === '-' && next === '-') {
      const eol = text.indexOf('\n', i);
      const end = eol < 0 ? text.length : eol;
      push('comment', i, end);
      i = end;
    } else if (c === '/' && next === '*') {
      const end = blockCommentEnd(text, i);
      push('comment', i, end);
      i = end;
    } else if (c === "'") {
      const escapes = isEscapeStringPrefix(text, i);
      const start = escapes ? i - 1 : stringPrefixStart(text, i);
      const end = quotedEnd(text, i, "'", escapes);
      // An E/U&/B/X prefix belongs to the literal, not to the code before it.
      push('string', start, end);
      i = end;
    } else if (c === '"') {
      const end = quotedEnd(text, i, '"', false);
      push('quoted-identifier', i, end);
      i = end;
    } else if (c === '$' && !(i > 0 && identChar.test(text[i - 1] ?? ''))) {
      const tag = dollarTag(text, i);
      if (tag === null) {
        i++;
        continue;
      }
      const close = text.indexOf(tag, i + tag.length);
      const end = close < 0 ? text.length : close + tag.length;
      push('string', i, end);
      i = end;
    } else i++;
  }
  if (codeStart < text.length) out.push({ kind: 'code', start: codeStart, end: text.length });
  return out;
}

/** Ranges between top-level semicolons (in code), trimmed of blanks; empty pieces dropped. */
export function splitOnSemicolons(text: string): { start: number; end: number }[] {
  const pieces: { start: number; end: number }[] = [];
  let from = 0;
  const close = (to: number) => {
    const range = trimRange(text, from, to);
    if (range.end > range.start) pieces.push(range);
  };
  for (const s of segments(text)) {
    if (s.kind !== 'code') continue;
    for (let i = s.start; i < s.end; i++) {
      if (text[i] === ';') {
        close(i);
        from = i + 1;
      }
    }
  }
  close(text.length);
  return pieces;
}

/** Shrinks a range past whitespace and comments at both ends. */
export function trimRange(text: string, start: number, end: number): { start: number; end: number } {
  const inner = segments(text.slice(start, end)).filter((s) => s.kind !== 'comment' && text.slice(start + s.start, start + s.end).trim() !== '');
  const first = inner[0];
  const last = inner[inner.length - 1];
  if (!first || !last) return { start, end: start };
  let a = start + first.start;
  let b = start + last.end;
  while (a < b && /\s/.test(text[a] ?? '')) a++;
  while (b > a && /\s/.test(text[b - 1] ?? '')) b--;
  return { start: a, end: b };
}

function blockCommentEnd(text: string, from: number): number {
  // PostgreSQL block comments nest.
  let depth = 0;
  let i = from;
  while (i < text.length) {
    if (text[i] === '/' && text[i + 1] === '*') {
      depth++;
      i += 2;
    } else if (text[i] === '*' && text[i + 1] === '/') {
      depth--;
      i += 2;
      if (depth === 0) return i;
    } else i++;
  }
  return text.length;
}

/** True when the quote at `i` opens an E'...' string (backslash escapes). */
function isEscapeStringPrefix(text: string, i: number): boolean {
  const p = text[i - 1];
  return (p === 'E' || p === 'e') && !identChar.test(text[i - 2] ?? '');
}

/** The start of a U&'', B'' or X'' prefix before the quote at `i`, else `i`. */
function stringPrefixStart(text: string, i: number): number {
  const p = text[i - 1];
  if ((p === 'B' || p === 'b' || p === 'X' || p === 'x' || p === 'N' || p === 'n') && !identChar.test(text[i - 2] ?? '')) return i - 1;
  if (p === '&' && (text[i - 2] === 'U' || text[i - 2] === 'u') && !identChar.test(text[i - 3] ?? '')) return i - 2;
  return i;
}

/** End (exclusive) of a quoted token opened at `from`; doubled quotes stay inside. */
function quotedEnd(text: string, from: number, quote: string, backslashEscapes: boolean): number {
  let i = from + 1;
  while (i < text.length) {
    const c = text[i];
    if (backslashEscapes && c === '\\') i += 2;
    else if (c === quote) {
      if (text[i + 1] === quote) i += 2;
      else return i + 1;
    } else i++;
  }
  return text.length;
}

/** `$tag$` or `$$` starting at `i`, or null when `$` starts something else (`$1`). */
function dollarTag(text: string, i: number): string | null {
  if (text[i + 1] === '$') return '$$';
  if (!identStart.test(text[i + 1] ?? '')) return null;
  let j = i + 2;
  while (j < text.length && /[A-Za-z0-9_\u0080-\uffff]/.test(text[j] ?? '')) j++;
  return text[j] === '$' ? text.slice(i, j + 1) : null;
}

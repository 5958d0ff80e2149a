/**
 * The string literal under the cursor in application code, for "explain the
 * query I am looking at" without selecting it. Deliberately small: a
 * scanner that knows the quoting of the common languages (single, double
 * and back quotes, Python's triple quotes, backslash escapes, comments) and
 * nothing of their grammar. A template literal's `${…}` interpolations
 * become `$n` parameters, which is what tagged SQL templates send.
 * Whether the text is SQL at all is for the caller to decide (it parses it).
 */

export interface CodeString {
  /** Offsets of the literal's content (quotes excluded) in the document text. */
  readonly start: number;
  readonly end: number;
  /** The content with escapes resolved and interpolations as `$n`. */
  readonly text: string;
  /** How many `${…}` interpolations became parameters. */
  readonly interpolations: number;
}

type CommentStyle = 'c' | 'hash' | 'both';

const HASH_COMMENTS = new Set(['python', 'ruby', 'shellscript', 'yaml', 'perl', 'r', 'elixir', 'toml', 'dockerfile', 'makefile']);
const BOTH_COMMENTS = new Set(['php']);
const TRIPLE_QUOTES = new Set(['python']);
/** Languages where a back quote opens a string (raw in Go, template in JS/TS). */
const BACKTICK_STRINGS = new Set(['javascript', 'typescript', 'javascriptreact', 'typescriptreact', 'go', 'vue', 'svelte', 'astro', 'kotlin']);
const INTERPOLATING_BACKTICKS = new Set(['javascript', 'typescript', 'javascriptreact', 'typescriptreact', 'vue', 'svelte', 'astro']);
/** Languages whose strings take no backslash escapes in back quotes. */
const RAW_BACKTICKS = new Set(['go']);

const SIMPLE_ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '0': '\0', b: '\b', f: '\f', v: '\v' };

/** The literal whose content contains `offset` (or touches it), or undefined. */
export function stringLiteralAt(text: string, offset: number, languageId: string): CodeString | undefined {
  const comments: CommentStyle = HASH_COMMENTS.has(languageId) ? 'hash' : BOTH_COMMENTS.has(languageId) ? 'both' : 'c';
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    const next = text[i + 1];
    if ((comments !== 'hash' && c === '/' && next === '/') || (comments !== 'c' && c === '#')) {
      const eol = text.indexOf('\n', i);
      i = eol < 0 ? text.length : eol;
      continue;
    }
    if (comments !== 'hash' && c === '/' && next === '*') {
      const close = text.indexOf('*/', i + 2);
      i = close < 0 ? text.length : close + 2;
      continue;
    }
    let literal: Literal | undefined;
    if (TRIPLE_QUOTES.has(languageId) && (c === '"' || c === "'") && next === c && text[i + 2] === c) literal = scanQuoted(text, i, c.repeat(3), true, false);
    else if (c === '"' || c === "'") literal = scanQuoted(text, i, c, true, false);
    else if (c === '`' && BACKTICK_STRINGS.has(languageId)) literal = scanQuoted(text, i, '`', !RAW_BACKTICKS.has(languageId), INTERPOLATING_BACKTICKS.has(languageId));
    if (!literal) {
      i++;
      continue;
    }
    if (literal.contentStart <= offset && offset <= literal.contentEnd) {
      return { start: literal.contentStart, end: literal.contentEnd, text: withParameters(literal.value, literal.interpolations), interpolations: literal.interpolations };
    }
    if (literal.contentStart > offset) return undefined;
    i = literal.end;
  }
  return undefined;
}

interface Literal {
  readonly contentStart: number;
  readonly contentEnd: number;
  /** After the closing quote. */
  readonly end: number;
  readonly value: string;
  readonly interpolations: number;
}

function scanQuoted(text: string, open: number, quote: string, escapes: boolean, interpolates: boolean): Literal {
  const contentStart = open + quote.length;
  let value = '';
  let interpolations = 0;
  let i = contentStart;
  while (i < text.length) {
    if (text.startsWith(quote, i)) return { contentStart, contentEnd: i, end: i + quote.length, value, interpolations };
    const c = text[i]!;
    // A one-quote string ends at the line's end when unclosed: the user is typing.
    if (c === '\n' && quote.length === 1 && quote !== '`') break;
    if (escapes && c === '\\' && i + 1 < text.length) {
      const e = text[i + 1]!;
      // A backslash before a line break continues the line.
      if (e !== '\n') value += SIMPLE_ESCAPES[e] ?? e;
      i += 2;
      continue;
    }
    if (interpolates && c === '$' && text[i + 1] === '{') {
      i = interpolationEnd(text, i + 2);
      interpolations++;
      value += `\u0000${interpolations}\u0000`;
      continue;
    }
    value += c;
    i++;
  }
  return { contentStart, contentEnd: i, end: i, value, interpolations };
}

/** The offset after the `}` that closes an interpolation, counting nested braces. */
function interpolationEnd(text: string, from: number): number {
  let depth = 1;
  for (let i = from; i < text.length; i++) {
    if (text[i] === '{') depth++;
    else if (text[i] === '}' && --depth === 0) return i + 1;
  }
  return text.length;
}

/**
 * Replaces the interpolation markers with `$n`, numbered after the highest
 * `$n` already in the text, so that `id = ${id} AND x = $1` stays consistent.
 */
function withParameters(value: string, interpolations: number): string {
  if (interpolations === 0) return value;
  const existing = [...value.replace(/\u0000\d+\u0000/g, '').matchAll(/\$(\d+)/g)].reduce((max, m) => Math.max(max, Number(m[1])), 0);
  return value.replace(/\u0000(\d+)\u0000/g, (_, n: string) => `$${existing + Number(n)}`);
}

/**
 * Text placed inside Markdown that VS Code (hovers, tooltips) or a Markdown
 * viewer (exported reports) renders. Names, predicates and messages from a
 * database may contain anything; escaped, `[x](https://…)` stays those
 * characters instead of becoming a link, `![x](…)` never loads an image and
 * `<img …>` never becomes an element.
 */

/** Punctuation with a meaning inline: emphasis, code, links, images, tables, strikethrough. */
const INLINE = /[\\`*_{}[\]()#+!|~]/g;

/**
 * Markers that only mean something at the start of a line, followed by a
 * blank: a list item (`- `, `1. `; `+`, `*` and `)` are escaped anyway) and
 * a setext underline (`===`). Line breaks are turned into spaces, so only
 * the start of the text can be one.
 */
const LIST_DASH = /^(\s*)-(?=\s|$)/;
const LIST_NUMBER = /^(\s*\d{1,9})\.(?=\s|$)/;
const UNDERLINE = /^(\s*)(=+\s*)$/;

/** Escapes text so that any Markdown renderer shows it as the same characters. */
export function escapeMarkdown(text: string): string {
  return text
    .replace(INLINE, (c) => `\\${c}`)
    // Entities rather than backslashes: raw HTML and character references (`&#x202E;`) stay text everywhere.
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\r\n|[\r\n]/g, ' ')
    .replace(LIST_DASH, '$1\\-')
    .replace(LIST_NUMBER, '$1\\.')
    .replace(UNDERLINE, '$1\\$2');
}

/**
 * An inline code span showing the text literally. Nothing is interpreted
 * inside a code span, but a run of backticks as long as the fence would end
 * it: the fence is made longer than any run in the text, and padded with a
 * space when the text starts or ends with a backtick (CommonMark strips one
 * space from each side).
 */
export function markdownCode(text: string): string {
  const oneLine = text.replace(/\r\n|[\r\n]/g, ' ');
  const longest = Math.max(0, ...(oneLine.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = /^[` ]|[` ]$/.test(oneLine) ? ' ' : '';
  return `${fence}${pad}${oneLine}${pad}${fence}`;
}

/**
 * A fenced code block showing the text literally, for statements and DDL.
 * The fence is longer than any run of backticks in the text, so no line of
 * it can close the block early.
 */
export function markdownCodeBlock(code: string, lang = 'sql'): string {
  const longest = Math.max(0, ...(code.match(/`+/g) ?? []).map((run) => run.length));
  const ticks = '`'.repeat(Math.max(3, longest + 1));
  return `${ticks}${lang}\n${code.trimEnd()}\n${ticks}`;
}

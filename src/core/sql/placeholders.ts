/**
 * Rewrites the placeholders application code uses (`?` as in JDBC/mysql
 * drivers, `?1` as in SQLite and JPA, `:name` as in many ORMs) into
 * PostgreSQL's `$n`, so the real parser and EXPLAIN can take the text, with
 * a map back to the original offsets for diagnostics. A numbered `?n`
 * becomes `$n` (so `?1` twice is one parameter); plain `?` and `:name` take
 * numbers after the highest `$n` or `?n` of the text.
 *
 * Left alone: string literals (also E'' and dollar-quoted bodies), quoted
 * identifiers, comments, `::` casts, `:=` named arguments, array slices
 * `[1:2]` (but `ARRAY[:ids]` is a placeholder: a constructor holds values),
 * existing `$n` (new numbers continue after the highest), and the
 * jsonb operators `?|`, `?&` and `?`. A bare `?` counts as the jsonb operator
 * when it follows an identifier, `)` or `]` and is followed by a string
 * literal (`data ? 'key'`); anywhere else it is a placeholder.
 */
import { segments, type Segment } from './lexer';

export interface Placeholder {
  /** The name of a `:name` placeholder; null for `?` and `?n`. */
  readonly name: string | null;
  /** The `$n` number it became. */
  readonly index: number;
  /** UTF-16 offsets of the placeholder in the original text. */
  readonly start: number;
  readonly end: number;
}

export interface PlaceholderRewrite {
  readonly text: string;
  /** In order of appearance. */
  readonly placeholders: readonly Placeholder[];
  /** The highest `$n` in the rewritten text (existing ones included). */
  readonly parameterCount: number;
  /** Offset in the rewritten text -> offset in the original. */
  toOriginal(offset: number): number;
  /** Offset in the original text -> offset in the rewritten. */
  toRewritten(offset: number): number;
}

interface Edit {
  readonly from: number;
  readonly to: number;
  readonly replacement: string;
}

const identChar = /[A-Za-z0-9_$\u0080-\uffff]/;
const nameStart = /[A-Za-z_\u0080-\uffff]/;
const nameChar = /[A-Za-z0-9_\u0080-\uffff]/;
/** Words after which `? 'x'` is still a placeholder followed by a literal, not the jsonb operator. */
const keywordsBeforeValue = new Set([
  'and', 'or', 'not', 'then', 'else', 'when', 'select', 'where', 'like', 'ilike', 'in', 'is', 'by', 'limit', 'offset',
  'values', 'set', 'return', 'returning', 'case', 'between', 'distinct', 'from', 'similar', 'to', 'any', 'all', 'some',
  'array', 'on', 'having', 'as',
]);

export function rewritePlaceholders(text: string): PlaceholderRewrite {
  const segs = segments(text);
  const stringStarts = new Set(segs.filter((s) => s.kind === 'string').map((s) => s.start));
  const codeSegs = segs.filter((s) => s.kind === 'code');
  const highestNumbered = Math.max(highestDollarParameter(text, codeSegs), highestNumberedQuestion(text, codeSegs));
  let next = highestNumbered + 1;
  const byName = new Map<string, number>();
  const placeholders: Placeholder[] = [];
  const edits: Edit[] = [];
  const add = (start: number, end: number, name: string | null, numbered?: number) => {
    let index: number;
    if (numbered !== undefined) index = numbered;
    else if (name !== null && byName.has(name)) index = byName.get(name) ?? next;
    else {
      index = next++;
      if (name !== null) byName.set(name, index);
    }
    placeholders.push({ name, index, start, end });
    edits.push({ from: start, to: end, replacement: `$${index}` });
  };

  // One entry per open `[`: true for an ARRAY[...] constructor, whose
  // elements are values (`ARRAY[:ids]`), false for a subscript, where `:` makes a slice.
  const brackets: boolean[] = [];
  for (const seg of codeSegs) {
    for (let i = seg.start; i < seg.end; i++) {
      const c = text[i];
      if (c === '[') brackets.push(/\barray\s*$/i.test(text.slice(Math.max(0, i - 12), i)));
      else if (c === ']') brackets.pop();
      else if (c === '?') {
        const after = text[i + 1];
        const digits = numberAt(text, i + 1, seg.end);
        if (digits !== '') {
          add(i, i + 1 + digits.length, null, Number(digits));
          i += digits.length;
        } else if ((after === '|' && text[i + 2] !== '|') || after === '&') {
          i++; // the jsonb ?| and ?& operators
        } else if (!isJsonbKeyOperator(text, i, segs, stringStarts)) add(i, i + 1, null);
      } else if (c === ':') {
        const after = text[i + 1] ?? '';
        if (after === ':') i++; // a cast
        else if (after === '=' || brackets[brackets.length - 1] === false || text[i - 1] === ':') continue; // := or a slice
        else if (nameStart.test(after)) {
          let j = i + 2;
          while (j < seg.end && nameChar.test(text[j] ?? '')) j++;
          add(i, j, text.slice(i + 1, j));
          i = j - 1;
        }
      }
    }
  }
  return build(text, edits, placeholders, next - 1);
}

/** The jsonb `?` operator: after an operand, before a string literal. */
function isJsonbKeyOperator(text: string, at: number, segs: readonly Segment[], stringStarts: ReadonlySet<number>): boolean {
  let p = at - 1;
  while (p >= 0 && /\s/.test(text[p] ?? '')) p--;
  const before = text[p] ?? '';
  const operand = before === ')' || before === ']' || before === '"' || identChar.test(before);
  if (!operand) return false;
  if (identChar.test(before)) {
    let w = p;
    while (w > 0 && identChar.test(text[w - 1] ?? '')) w--;
    if (keywordsBeforeValue.has(text.slice(w, p + 1).toLowerCase())) return false;
  }
  let n = at + 1;
  while (n < text.length && /\s/.test(text[n] ?? '')) n++;
  if (stringStarts.has(n)) return true;
  // A string whose segment starts at an E/U&/B/X prefix.
  return segs.some((s) => s.kind === 'string' && s.start === n);
}

/** The digits of a `?n` placeholder starting at `from`, or ''. */
function numberAt(text: string, from: number, end: number): string {
  let j = from;
  while (j < end && j - from < 9 && /[0-9]/.test(text[j] ?? '')) j++;
  return text.slice(from, j);
}

/** The highest `?n` of the text: plain `?` placeholders are numbered after it. */
function highestNumberedQuestion(text: string, codeSegs: readonly Segment[]): number {
  let max = 0;
  for (const seg of codeSegs) {
    for (let i = seg.start; i < seg.end; i++) {
      if (text[i] !== '?') continue;
      const digits = numberAt(text, i + 1, seg.end);
      if (digits !== '') max = Math.max(max, Number(digits));
    }
  }
  return max;
}

function highestDollarParameter(text: string, codeSegs: readonly Segment[]): number {
  let max = 0;
  for (const seg of codeSegs) {
    const re = /\$(\d+)/g;
    const part = text.slice(seg.start, seg.end);
    for (let m = re.exec(part); m; m = re.exec(part)) {
      const before = part[m.index - 1] ?? '';
      if (!identChar.test(before)) max = Math.max(max, Number(m[1]));
    }
  }
  return max;
}

function build(original: string, edits: readonly Edit[], placeholders: readonly Placeholder[], parameterCount: number): PlaceholderRewrite {
  // Each mapped edit records where it sits in both texts.
  const mapped: { from: number; to: number; newFrom: number; newTo: number }[] = [];
  let out = '';
  let last = 0;
  for (const e of edits) {
    out += original.slice(last, e.from);
    const newFrom = out.length;
    out += e.replacement;
    mapped.push({ from: e.from, to: e.to, newFrom, newTo: out.length });
    last = e.to;
  }
  out += original.slice(last);
  return {
    text: out,
    placeholders,
    parameterCount,
    toOriginal(offset) {
      let shift = 0;
      for (const m of mapped) {
        if (offset < m.newFrom) break;
        if (offset < m.newTo) return m.from + Math.min(offset - m.newFrom, m.to - m.from);
        shift = m.to - m.newTo;
      }
      return offset + shift;
    },
    toRewritten(offset) {
      let shift = 0;
      for (const m of mapped) {
        if (offset < m.from) break;
        if (offset < m.to) return m.newFrom + Math.min(offset - m.from, m.newTo - m.newFrom);
        shift = m.newTo - m.to;
      }
      return offset + shift;
    },
  };
}

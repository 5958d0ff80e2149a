/**
 * Normalises the placeholders found in SQL written in application code to
 * PostgreSQL's `$n`. `?` and `:name` go through the SQL core's rewriter
 * (`src/core/sql/placeholders.ts`); this file adds what only code has:
 * Python's DB-API `%s`, `%(name)s` (and psycopg 3's `%b`/`%t`), and the
 * numbering of template substitutions.
 */
import { segments } from '../sql/lexer';
import { rewritePlaceholders } from '../sql/placeholders';
import type { Edit, MappedText } from './mappedText';

export type PlaceholderStyle = 'dollar' | 'question' | 'pyformat' | 'any';

/** Highest `$n` already in the text (outside strings and comments). */
function highestDollar(text: string): number {
  let max = 0;
  for (const seg of segments(text)) {
    if (seg.kind !== 'code') continue;
    const part = text.slice(seg.start, seg.end);
    for (const m of part.matchAll(/(?<![\w$])\$(\d+)/g)) max = Math.max(max, Number(m[1]));
  }
  return max;
}

/**
 * `%s`, `%(name)s`, `%b`, `%t` → `$n`; `%%` → `%`. Same name, same number.
 * The driver formats the whole string before the server sees it, quotes
 * included, so `LIKE 'a%%'` is `LIKE 'a%'`.
 */
export function pyformatEdits(text: string): Edit[] {
  const edits: Edit[] = [];
  let next = highestDollar(text) + 1;
  const byName = new Map<string, number>();
  for (const m of text.matchAll(/%%|%\((\w+)\)[sbt]|%[sbt]/g)) {
    const from = m.index ?? 0;
    const to = from + m[0].length;
    if (m[0] === '%%') {
      edits.push({ from, to, replacement: '%' });
      continue;
    }
    const name = m[1];
    let n: number;
    if (name !== undefined && byName.has(name)) n = byName.get(name) ?? next;
    else {
      n = next++;
      if (name !== undefined) byName.set(name, n);
    }
    edits.push({ from, to, replacement: `$${n}` });
  }
  return edits;
}

/** Rewrites every placeholder of `style` in `sql` to `$n`, keeping the source mapping. */
export function normalisePlaceholders(sql: MappedText, style: PlaceholderStyle): MappedText {
  let out = sql;
  if (style === 'dollar') return out;
  if (style === 'pyformat' || style === 'any') {
    const edits = pyformatEdits(out.text);
    if (edits.length > 0) out = out.replace(edits);
  }
  if (style === 'question' || style === 'any') {
    const rewrite = rewritePlaceholders(out.text);
    if (rewrite.placeholders.length > 0) {
      out = out.replace(rewrite.placeholders.map((p) => ({ from: p.start, to: p.end, replacement: `$${p.index}` })));
    }
  }
  return out;
}

/**
 * Light SQL highlighting with DOM spans: keywords, strings, numbers, `$n`
 * parameters and comments each get a class; everything goes in as text
 * nodes, so a statement holding markup shows as those characters. It is a
 * lexer, not a parser: good enough for colour, never used for meaning.
 */

const KEYWORDS = new Set(
  (
    'select from where and or not in is null as on join left right inner outer full cross lateral group by order having limit offset ' +
    'insert into values update set delete returning with recursive union all except intersect distinct case when then else end ' +
    'exists between like ilike any some create table index drop alter add column primary key foreign references default ' +
    'begin commit rollback savepoint release transaction explain analyze vacuum asc desc nulls first last using natural ' +
    'for share nowait skip locked conflict do nothing true false over partition window filter within cast collate fetch next rows only ' +
    'grant revoke truncate copy show reset lock view materialized refresh concurrently'
  ).split(' '),
);

export type TokenKind = 'keyword' | 'string' | 'number' | 'param' | 'comment' | 'ident' | 'text';

export interface Token {
  readonly kind: TokenKind;
  readonly text: string;
}

const TOKEN = /(--[^\n]*|\/\*[\s\S]*?(?:\*\/|$))|('(?:[^']|'')*'?)|("(?:[^"]|"")*"?)|(\$\d+)|(\b\d+(?:\.\d+)?\b)|([A-Za-z_][A-Za-z0-9_$]*)|(\s+|[\s\S])/gy;

export function tokenize(sql: string): Token[] {
  const out: Token[] = [];
  TOKEN.lastIndex = 0;
  let m: RegExpExecArray | null;
  while (TOKEN.lastIndex < sql.length && (m = TOKEN.exec(sql)) !== null) {
    const [text, comment, str, quoted, param, num, word] = m;
    const kind: TokenKind = comment ? 'comment' : str ? 'string' : quoted ? 'ident' : param ? 'param' : num ? 'number' : word ? (KEYWORDS.has(word.toLowerCase()) ? 'keyword' : 'text') : 'text';
    const last = out[out.length - 1];
    // Plain text runs are merged: fewer nodes per row.
    if (kind === 'text' && last?.kind === 'text') out[out.length - 1] = { kind, text: last.text + text };
    else out.push({ kind, text });
  }
  return out;
}

/** Fills `into` with the highlighted statement (its previous content is replaced). */
export function highlightInto(into: HTMLElement, sql: string): void {
  into.replaceChildren(
    ...tokenize(sql).map((t) => {
      if (t.kind === 'text') return document.createTextNode(t.text);
      const span = document.createElement('span');
      span.className = `sql-${t.kind}`;
      span.textContent = t.text;
      return span;
    }),
  );
}

/** The statement on one line, for a table cell (the full text shows on expand). */
export function oneLine(sql: string, max = 400): string {
  const flat = sql.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

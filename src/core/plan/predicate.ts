/**
 * Reads which columns a plan condition compares, from the deparsed text
 * PostgreSQL prints ("((orders.status)::text = 'paid'::text)",
 * "(users.email = 'x'::text)", "((id >= 100) AND (id <= 200))"). It is a
 * tokenizer, not a parser: enough to name the columns of an index candidate
 * or of CREATE STATISTICS, and it ignores what it does not understand.
 */

export type ComparisonKind = 'equality' | 'range' | 'like' | 'null' | 'other';

export interface ColumnComparison {
  /** The qualifier as printed ("orders", an alias), if any. */
  readonly qualifier?: string;
  readonly column: string;
  readonly kind: ComparisonKind;
  /**
   * Compared with a value the planner cannot know when it plans: an
   * InitPlan's or SubPlan's result, or a `$n` parameter of a generic plan.
   */
  readonly againstUnknown?: true;
}

type Token = { type: 'word' | 'ident' | 'string' | 'number' | 'op' | 'punct' | 'param'; text: string };

const KEYWORDS = new Set(['and', 'or', 'not', 'null', 'true', 'false', 'is', 'in', 'any', 'all', 'some', 'case', 'when', 'then', 'else', 'end', 'like', 'ilike', 'between', 'distinct', 'from', 'array', 'row', 'subplan', 'initplan', 'exists']);
const RANGE_OPS = new Set(['<', '<=', '>', '>=']);
const LIKE_OPS = new Set(['~~', '~~*', '!~~', '!~~*']);

export function comparedColumns(condition: string | undefined): ColumnComparison[] {
  if (!condition) return [];
  const tokens = tokenize(condition);
  const out: ColumnComparison[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const ref = columnRef(tokens, i);
    if (!ref) continue;
    const kind = comparisonAfter(tokens, ref.next);
    if (kind) out.push({ qualifier: ref.qualifier, column: ref.column, kind, ...(unknownAfter(tokens, ref.next + 1) ? { againstUnknown: true as const } : {}) });
    i = ref.next - 1;
  }
  return out;
}

/**
 * Columns of `relation` (matched by alias or name when qualified) worth
 * indexing, in the order an index wants them: equality first, then LIKE
 * patterns, then ranges. `<>` and other comparisons are left out: an index
 * does not help them.
 */
export function indexableColumns(conditions: ReadonlyArray<string | undefined>, names: ReadonlyArray<string | undefined>): string[] {
  const accepted = new Set(names.filter((n): n is string => n !== undefined));
  const all = conditions.flatMap((c) => comparedColumns(c)).filter((c) => c.qualifier === undefined || accepted.has(c.qualifier));
  const order: ComparisonKind[] = ['equality', 'null', 'like', 'range'];
  const columns: string[] = [];
  for (const kind of order) {
    for (const c of all) if (c.kind === kind && !columns.includes(c.column)) columns.push(c.column);
  }
  return columns;
}

function columnRef(tokens: readonly Token[], i: number): { qualifier?: string; column: string; next: number } | undefined {
  // "(col)::type" is how casts of a column print: unwrap the parentheses.
  if (tokens[i]?.text === '(' && isName(tokens[i + 1]) && tokens[i + 2]?.text === ')' && tokens[i + 3]?.text === '::') {
    const inner = columnRef(tokens, i + 1);
    if (inner && inner.next === i + 2) return { ...inner, next: skipCast(tokens, i + 3) };
  }
  if (tokens[i]?.text === '(' && isName(tokens[i + 1]) && tokens[i + 2]?.text === '.' && isName(tokens[i + 3]) && tokens[i + 4]?.text === ')' && tokens[i + 5]?.text === '::') {
    return { qualifier: nameOf(tokens[i + 1]!), column: nameOf(tokens[i + 3]!), next: skipCast(tokens, i + 5) };
  }
  const t = tokens[i];
  if (!isName(t)) return undefined;
  if (tokens[i - 1]?.text === '.' || tokens[i - 1]?.text === '::') return undefined;
  let qualifier: string | undefined;
  let column = nameOf(t);
  let next = i + 1;
  if (tokens[next]?.text === '.' && isName(tokens[next + 1])) {
    qualifier = column;
    column = nameOf(tokens[next + 1]!);
    next += 2;
  }
  if (tokens[next]?.text === '(') return undefined; // a function call, not a column
  if (tokens[next]?.text === '::') next = skipCast(tokens, next);
  return { qualifier, column, next };
}

/** Skips "::type" including multi-word types ("timestamp with time zone") and "[]". */
function skipCast(tokens: readonly Token[], i: number): number {
  let j = i + 1;
  while (tokens[j] && (tokens[j]!.type === 'word' || tokens[j]!.type === 'ident') && !KEYWORDS.has(tokens[j]!.text.toLowerCase())) j++;
  while (tokens[j]?.text === '[' || tokens[j]?.text === ']') j++;
  return j;
}

function comparisonAfter(tokens: readonly Token[], i: number): ComparisonKind | undefined {
  const t = tokens[i];
  if (!t) return undefined;
  const word = t.type === 'word' ? t.text.toLowerCase() : undefined;
  if (t.type === 'op') {
    if (t.text === '=') return 'equality';
    if (RANGE_OPS.has(t.text)) return 'range';
    if (LIKE_OPS.has(t.text)) return t.text.startsWith('!') ? 'other' : 'like';
    return 'other';
  }
  if (word === 'is') return 'null';
  if (word === 'like' || word === 'ilike') return 'like';
  if (word === 'between') return 'range';
  if (word === 'in') return 'equality';
  return undefined;
}

/** `(InitPlan 1).col1`, `(SubPlan 2)`, `$1`: the value compared with is computed at run time. */
function unknownAfter(tokens: readonly Token[], i: number): boolean {
  const t = tokens[i];
  if (t?.type === 'param') return true;
  const next = tokens[i + 1]?.text.toLowerCase();
  return t?.text === '(' && (next === 'initplan' || next === 'subplan');
}

function isName(t: Token | undefined): t is Token {
  return t !== undefined && (t.type === 'ident' || (t.type === 'word' && !KEYWORDS.has(t.text.toLowerCase())));
}

/** Quoted identifiers keep their case; unquoted ones are already folded to lower case by the server. */
function nameOf(t: Token): string {
  return t.text;
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) { i++; continue; }
    if (c === "'") {
      let j = i + 1;
      while (j < text.length && !(text[j] === "'" && text[j + 1] !== "'")) j += text[j] === "'" ? 2 : 1;
      tokens.push({ type: 'string', text: text.slice(i + 1, j).replace(/''/g, "'") });
      i = j + 1;
      continue;
    }
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && !(text[j] === '"' && text[j + 1] !== '"')) j += text[j] === '"' ? 2 : 1;
      tokens.push({ type: 'ident', text: text.slice(i + 1, j).replace(/""/g, '"') });
      i = j + 1;
      continue;
    }
    if (c === ':' && text[i + 1] === ':') { tokens.push({ type: 'punct', text: '::' }); i += 2; continue; }
    if ('(),.[]'.includes(c)) { tokens.push({ type: 'punct', text: c }); i++; continue; }
    const word = /^[A-Za-z_\u0080-\uffff][A-Za-z0-9_$\u0080-\uffff]*/.exec(text.slice(i, i + 200));
    if (word) { tokens.push({ type: 'word', text: word[0] }); i += word[0].length; continue; }
    const num = /^\d+(?:\.\d+)?/.exec(text.slice(i, i + 50));
    if (num) { tokens.push({ type: 'number', text: num[0] }); i += num[0].length; continue; }
    const op = /^[<>=!~*+\-/%^&|#@?]+/.exec(text.slice(i, i + 10));
    if (op) { tokens.push({ type: 'op', text: op[0] }); i += op[0].length; continue; }
    const param = /^\$\d+/.exec(text.slice(i, i + 12));
    if (param) { tokens.push({ type: 'param', text: param[0] }); i += param[0].length; continue; }
    i++; // anything else (stray characters) carries no column
  }
  return tokens;
}

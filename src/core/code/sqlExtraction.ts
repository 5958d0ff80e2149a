/**
 * Turns the expression passed as SQL (a string, a template, a concatenation,
 * `text("…")`, a tagged template, a local constant holding one of those) into
 * SQL text with `$n` placeholders and a map back to source offsets.
 * Interpolated code (`${id}`, f-string `{id}`, `#{id}`, `+ id +`, Python's
 * `"… %s" % x`) becomes a placeholder and marks the text dynamic; the
 * numbers of those placeholders are kept as `holes`, because such a
 * placeholder may stand for anything (a name, a list, a whole clause),
 * while one the SQL itself wrote (`$1`, `?`, `%s` given to the driver) is a
 * value the driver binds.
 */
import type { LanguageAdapter, SyntaxNode } from './languages/adapter';
import { argumentNodes, field, isType, namedKids, typeOf } from './languages/common';
import { MappedText } from './mappedText';
import { normalisePlaceholders, pyformatEdits, type PlaceholderStyle } from './sqlPlaceholders';

/** Calls that only wrap SQL text: SQLAlchemy `text()`, psycopg `sql.SQL()`, sqlx `Rebind()`, `dedent()`. */
const WRAPPER_CALLS = /^(text|SQL|sql|raw|Rebind|dedent|textwrap\.dedent|sql\.SQL|sql\.raw|Prisma\.sql|Prisma\.raw|String\.raw)$/;
/** Methods applied to a string that keep its SQL: Ruby `squish`/`strip`, Python `strip()`. */
const STRING_METHODS = new Set(['squish', 'strip', 'freeze', 'dedent', 'chomp', 'lstrip', 'rstrip', 'trim', 'trimStart', 'trimEnd']);

const SQL_START = /^\s*\(?\s*(SELECT\s+[\s\S]*?\bFROM\s+["\w]|SELECT\s+(\d|\*|\$\d|count\s*\(|exists\s*\(|now\s*\(|current_|pg_|nextval\s*\()|INSERT\s+INTO\s+["\w]|UPDATE\s+["\w.]+\s+SET\s|DELETE\s+FROM\s+["\w]|WITH\s+(RECURSIVE\s+)?["\w]+\s*(\([^)]*\)\s*)?AS\s*(NOT\s+)?(MATERIALIZED\s+)?\(|MERGE\s+INTO\s|TRUNCATE\s+(TABLE\s+)?["\w]|CREATE\s+(UNIQUE\s+)?INDEX\s|COPY\s+["\w.]+\s*(\(|FROM|TO))/i;
/** Words of English prose that SQL rarely contains outside quotes: "Select the file from…". */
const PROSE = /\b(the|your|you|please|this|that|which|will|should|here|there|click|choose|option|item|items)\b/i;

/** True when `text` starts like a SQL statement (and does not read like a sentence). */
export function looksLikeSql(text: string): boolean {
  const m = SQL_START.exec(text);
  if (!m) return false;
  const keyword = /[A-Za-z]+/.exec(text)?.[0] ?? '';
  // "Select a file" (title case) is a UI label; SQL keywords are upper or lower case.
  if (keyword !== keyword.toUpperCase() && keyword !== keyword.toLowerCase()) return false;
  const withoutQuotes = text.replace(/'[^']*'|"[^"]*"/g, ' ');
  return !PROSE.test(withoutQuotes);
}

export interface ExtractedSql {
  readonly mapped: MappedText;
  readonly dynamic: boolean;
  /** The `$n` numbers that stand for code spliced into the text, not for bound values. */
  readonly holes: readonly number[];
  /** The source span of the literal(s) the text came from. */
  readonly start: number;
  readonly end: number;
}

/** Looks a local name up to the expression last assigned to it before `offset`. */
export type NameResolver = (name: string, offset: number) => SyntaxNode | null;
/** True when the name is added to (`query += …`) between two offsets. */
export type AppendCheck = (name: string, from: number, to: number) => boolean;

interface Builder {
  mapped: MappedText;
  dynamic: boolean;
  holes: number[];
  /** Python's `%` operator formats the text before the driver sees it: its `%s` are code, not parameters. */
  percentFormatted: boolean;
  /** The highest `$n` in the literal parts. */
  written: number;
  next: number;
  start: number;
  end: number;
  literal: boolean;
}

/**
 * Extracts SQL from `node`; null when the expression holds no literal text
 * (a variable we cannot resolve, a function call).
 */
export function extractSql(node: SyntaxNode, adapter: LanguageAdapter, style: PlaceholderStyle, resolve?: NameResolver, appended?: AppendCheck): ExtractedSql | null {
  const builder = (next: number): Builder => ({ mapped: MappedText.empty(node.startIndex), dynamic: false, holes: [], percentFormatted: false, written: 0, next, start: Infinity, end: -1, literal: false });
  let b = builder(1);
  collect(node, adapter, b, resolve, 0, appended);
  if (!b.literal) return null;
  // Holes are numbered after the `$n` the SQL itself writes, so `$1` stays the driver's first parameter.
  const written = b.written;
  if (written > 0 && b.holes.length > 0) {
    b = builder(written + 1);
    collect(node, adapter, b, resolve, 0, appended);
  }
  let mapped = b.mapped;
  if (b.percentFormatted) {
    const edits = pyformatEdits(mapped.text);
    for (const e of edits) if (e.replacement !== '%') b.holes.push(Number(e.replacement.slice(1)));
    if (edits.length > 0) {
      mapped = mapped.replace(edits);
      b.dynamic = true;
    }
  }
  mapped = normalisePlaceholders(mapped, style);
  return { mapped, dynamic: b.dynamic, holes: b.holes, start: b.start, end: b.end };
}

function placeholder(b: Builder, start: number, end: number): void {
  b.holes.push(b.next);
  b.mapped = b.mapped.append(`$${b.next++}`, start, end - start);
  b.dynamic = true;
}

function collect(node: SyntaxNode, adapter: LanguageAdapter, b: Builder, resolve: NameResolver | undefined, depth: number, appended?: AppendCheck): void {
  if (depth > 8) return placeholder(b, node.startIndex, node.endIndex);
  const target = adapter.literalTarget ? adapter.literalTarget(node) : node;
  if (!target) return placeholder(b, node.startIndex, node.endIndex);
  const parts = adapter.literal(target);
  if (parts) {
    b.literal = true;
    b.start = Math.min(b.start, target.startIndex);
    b.end = Math.max(b.end, target.endIndex);
    for (const p of parts) {
      if (p.kind === 'text') {
        b.mapped = b.mapped.append(p.text, p.start, p.end - p.start);
        for (const m of p.text.matchAll(/(?<!\$)\$(\d+)(?!\d)/g)) b.written = Math.max(b.written, Number(m[1]));
      }
      else placeholder(b, p.start, p.end);
    }
    return;
  }
  const t = typeOf(node);
  // Concatenation: 'SELECT ' + cols + ' FROM t'; Python's `"… %s" % args` keeps the left side only.
  if (t === 'binary_expression' || t === 'binary_operator' || t === 'binary') {
    const op = field(node, 'operator')?.text;
    const left = field(node, 'left');
    const right = field(node, 'right');
    if (op === '+' && left && right) {
      collect(left, adapter, b, resolve, depth + 1, appended);
      collect(right, adapter, b, resolve, depth + 1, appended);
      return;
    }
    if (op === '%' && left && adapter.language === 'python') {
      b.percentFormatted = true;
      return collect(left, adapter, b, resolve, depth + 1, appended);
    }
    return placeholder(b, node.startIndex, node.endIndex);
  }
  if (t === 'parenthesized_expression' || t === 'expression_list' || t === 'as_expression' || t === 'satisfies_expression') {
    const inner = namedKids(node)[0];
    if (inner) return collect(inner, adapter, b, resolve, depth + 1, appended);
  }
  if (adapter.callTypes.has(t)) {
    const template = field(node, 'arguments');
    // A tagged template: sql`…`, Prisma.sql`…`.
    if (isType(template, 'template_string')) return collect(template, adapter, b, resolve, depth + 1, appended);
    const c = adapter.chain(node);
    const last = c?.links[c.links.length - 1];
    if (c && last) {
      const callee = c.links.length === 1 ? (c.base ? `${c.base}.${last.name}` : last.name) : last.name;
      const firstArg = last.args?.[0];
      if ((WRAPPER_CALLS.test(callee) || WRAPPER_CALLS.test(last.name)) && firstArg) return collect(firstArg, adapter, b, resolve, depth + 1, appended);
      if (STRING_METHODS.has(last.name) && (last.args?.length ?? 0) === 0) {
        const receiver = field(node, 'receiver') ?? objectOf(node);
        if (receiver) return collect(receiver, adapter, b, resolve, depth + 1, appended);
      }
    }
    return placeholder(b, node.startIndex, node.endIndex);
  }
  if (adapter.identifierTypes.has(t) && resolve) {
    const value = resolve(node.text, node.startIndex);
    if (value && value.id !== node.id) {
      collect(value, adapter, b, resolve, depth + 1, appended);
      // `query += " AND …"` in a branch: what was added is not known here.
      if (appended?.(node.text, value.startIndex, node.startIndex)) placeholder(b, node.startIndex, node.endIndex);
      return;
    }
  }
  placeholder(b, node.startIndex, node.endIndex);
}

/** The object a method is called on, for the member-call shapes of JS, Python and Go. */
function objectOf(call: SyntaxNode): SyntaxNode | null {
  const fn = field(call, 'function');
  if (!fn) return null;
  return field(fn, 'object') ?? field(fn, 'operand');
}

/** The argument list of a call as nodes, for callers that only have the call. */
export function callArguments(call: SyntaxNode): SyntaxNode[] {
  return argumentNodes(field(call, 'arguments'));
}

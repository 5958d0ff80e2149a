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
import type { Chain, ChainLink, LanguageAdapter, LiteralPart, SyntaxNode } from './languages/adapter';
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

/**
 * What the code around a SQL text says about the parts it adds at run time,
 * for the variants the index rules read: the values added to a name with
 * `+=` between two offsets, and the items put in a list before an offset
 * (`where = append(where, "memo_id = $1")`, `conds.push(…)`, `conds.append(…)`).
 */
export interface RunTimeParts {
  appendedValues(name: string, from: number, to: number): SyntaxNode[];
  listItems(name: string, offset: number): SyntaxNode[];
  /** The option field an item is added under (`if find.SenderID != nil` → `SenderID`). */
  guardOf?(item: SyntaxNode): string | undefined;
}

/** One variant being built: which item of the first condition list it takes, and what it met. */
interface VariantState {
  readonly parts: RunTimeParts;
  /** The item of the first condition list to read; -1 to count the items only. */
  readonly pick: number;
  joins: number;
  items: number;
  guard?: string;
}

interface Context {
  readonly resolve?: NameResolver;
  readonly appended?: AppendCheck;
  /** Set when building a variant: run-time parts are read instead of left as holes. */
  readonly variant?: VariantState;
}

interface Builder {
  mapped: MappedText;
  dynamic: boolean;
  holes: number[];
  /** Python's `%` operator formats the text before the driver sees it: its `%s` are code, not parameters. */
  percentFormatted: boolean;
  /** The highest `$n` in the literal parts. */
  written: number;
  /** A variant read what `+=` added. */
  readAppends: boolean;
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
  return extractWith(node, adapter, style, { ...(resolve ? { resolve } : {}), ...(appended ? { appended } : {}) });
}

/**
 * Texts the statement can take at run time, for the index rules (never for
 * `sql-syntax`, which speaks only of what is certain): what `+=` adds is
 * read in, and a list of conditions joined into the text
 * (`strings.Join(where, " AND ")`) stands for each of its items in turn, as
 * when a caller sets one optional filter. At most `limit` variants; none
 * when the text has no such parts.
 */
export function extractVariants(node: SyntaxNode, adapter: LanguageAdapter, style: PlaceholderStyle, resolve: NameResolver, parts: RunTimeParts, limit = 32): (ExtractedSql & { guard?: string })[] {
  const probe: VariantState = { parts, pick: -1, joins: 0, items: 0 };
  const first = extractWith(node, adapter, style, { resolve, variant: probe });
  if (!first || (probe.joins === 0 && !first.readAppends)) return [];
  if (probe.items === 0) return [first];
  const out: (ExtractedSql & { guard?: string })[] = [];
  for (let pick = 0; pick < probe.items && out.length < limit; pick++) {
    const variant: VariantState = { parts, pick, joins: 0, items: 0 };
    const v = extractWith(node, adapter, style, { resolve, variant });
    if (v) out.push(variant.guard !== undefined ? { ...v, guard: variant.guard } : v);
  }
  return out;
}

function extractWith(node: SyntaxNode, adapter: LanguageAdapter, style: PlaceholderStyle, ctx: Context): (ExtractedSql & { readAppends: boolean }) | null {
  const builder = (next: number): Builder => ({ mapped: MappedText.empty(node.startIndex), dynamic: false, holes: [], percentFormatted: false, written: 0, readAppends: false, next, start: Infinity, end: -1, literal: false });
  let b = builder(1);
  collect(node, adapter, b, ctx, 0);
  if (!b.literal) return null;
  // Holes are numbered after the `$n` the SQL itself writes, so `$1` stays the driver's first parameter.
  const written = b.written;
  if (written > 0 && b.holes.length > 0) {
    b = builder(written + 1);
    if (ctx.variant) ctx.variant.joins = 0;
    collect(node, adapter, b, ctx, 0);
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
  return { mapped, dynamic: b.dynamic, holes: b.holes, start: b.start, end: b.end, readAppends: b.readAppends };
}

function placeholder(b: Builder, start: number, end: number): void {
  b.holes.push(b.next);
  b.mapped = b.mapped.append(`$${b.next++}`, start, end - start);
  b.dynamic = true;
}

function collect(node: SyntaxNode, adapter: LanguageAdapter, b: Builder, ctx: Context, depth: number): void {
  if (depth > 16) return placeholder(b, node.startIndex, node.endIndex);
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
      else {
        // A variant reads an interpolated list of conditions (`${conds.join(' AND ')}`).
        const inner = ctx.variant ? interpolated(target, p) : undefined;
        if (inner && ctx.variant && isJoinCall(inner, adapter)) collect(inner, adapter, b, ctx, depth + 1);
        else placeholder(b, p.start, p.end);
      }
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
      collect(left, adapter, b, ctx, depth + 1);
      collect(right, adapter, b, ctx, depth + 1);
      return;
    }
    if (op === '%' && left && adapter.language === 'python') {
      b.percentFormatted = true;
      return collect(left, adapter, b, ctx, depth + 1);
    }
    return placeholder(b, node.startIndex, node.endIndex);
  }
  if (t === 'parenthesized_expression' || t === 'expression_list' || t === 'as_expression' || t === 'satisfies_expression') {
    const inner = namedKids(node)[0];
    if (inner) return collect(inner, adapter, b, ctx, depth + 1);
  }
  if (adapter.callTypes.has(t)) {
    const template = field(node, 'arguments');
    // A tagged template: sql`…`, Prisma.sql`…`.
    if (isType(template, 'template_string')) return collect(template, adapter, b, ctx, depth + 1);
    const c = adapter.chain(node);
    const last = c?.links[c.links.length - 1];
    const v = ctx.variant;
    if (v && c && last) {
      const joined = joinedList(c, last, adapter);
      if (joined) {
        const items = initialItems(joined.list, node.startIndex, ctx).concat(v.parts.listItems(joined.list, node.startIndex));
        // The first list of conditions (joined with AND or OR): one variant per item, as when one optional filter is set.
        if (/\b(and|or)\b/i.test(joined.separator) && v.joins++ === 0) {
          v.items = items.length;
          const item = items[v.pick];
          if (item) {
            const guard = v.parts.guardOf?.(item);
            if (guard !== undefined) v.guard = guard;
            return collect(item, adapter, b, ctx, depth + 1);
          }
        } else if (items.length > 0 && !/\b(and|or)\b/i.test(joined.separator)) {
          // Any other list (a select list): all its items, as written; a sort list holds options,
          // usually one at a time, so only its first.
          const chosen = /\border\s+by\s*$/i.test(b.mapped.text) ? items.slice(0, 1) : items;
          chosen.forEach((item, i) => {
            if (i > 0) b.mapped = b.mapped.append(joined.separator, node.startIndex, node.endIndex - node.startIndex);
            collect(item, adapter, b, ctx, depth + 1);
          });
          return;
        }
      }
    }
    // Go's fmt.Sprintf: the format is the text, each verb a part filled in at run time.
    if (adapter.language === 'go' && c && last && c.base === 'fmt' && last.name === 'Sprintf' && c.links.length === 1) {
      const [format, ...values] = last.args ?? [];
      const parts = format ? adapter.literal(format) : null;
      if (format && parts) return collectFormat(format, parts, values, adapter, b, ctx, depth);
    }
    if (c && last) {
      const callee = c.links.length === 1 ? (c.base ? `${c.base}.${last.name}` : last.name) : last.name;
      const firstArg = last.args?.[0];
      if ((WRAPPER_CALLS.test(callee) || WRAPPER_CALLS.test(last.name)) && firstArg) return collect(firstArg, adapter, b, ctx, depth + 1);
      if (STRING_METHODS.has(last.name) && (last.args?.length ?? 0) === 0) {
        const receiver = field(node, 'receiver') ?? objectOf(node);
        if (receiver) return collect(receiver, adapter, b, ctx, depth + 1);
      }
    }
    return placeholder(b, node.startIndex, node.endIndex);
  }
  if (adapter.identifierTypes.has(t) && ctx.resolve) {
    const value = ctx.resolve(node.text, node.startIndex);
    if (value && value.id !== node.id) {
      collect(value, adapter, b, ctx, depth + 1);
      if (ctx.variant) {
        // A variant reads what `+=` added, in order (each branch taken).
        for (const added of ctx.variant.parts.appendedValues(node.text, value.startIndex, node.startIndex)) {
          b.readAppends = true;
          collect(added, adapter, b, ctx, depth + 1);
        }
      } else if (ctx.appended?.(node.text, value.startIndex, node.startIndex)) {
        // `query += " AND …"` in a branch: what was added is not known here.
        placeholder(b, node.startIndex, node.endIndex);
      }
      return;
    }
  }
  placeholder(b, node.startIndex, node.endIndex);
}

const FORMAT_VERB = /%(?:\[(\d+)\])?[-+# 0]*\d*(?:\.\d+)?([a-zA-Z%])/g;

/**
 * A Go format string: its text, and each verb a hole; a variant reads the
 * value a `%s` or `%v` stands for (`fmt.Sprintf("%s LIMIT %d", query, n)`).
 */
function collectFormat(format: SyntaxNode, parts: readonly LiteralPart[], values: readonly SyntaxNode[], adapter: LanguageAdapter, b: Builder, ctx: Context, depth: number): void {
  b.literal = true;
  b.start = Math.min(b.start, format.startIndex);
  b.end = Math.max(b.end, format.endIndex);
  let next = 0;
  for (const p of parts) {
    if (p.kind !== 'text') {
      placeholder(b, p.start, p.end);
      continue;
    }
    // A run of plain text maps character for character; a decoded escape maps as a whole.
    const exact = p.end - p.start === p.text.length;
    const at = (i: number) => (exact ? p.start + i : p.start);
    const len = (i: number, j: number) => (exact ? j - i : p.end - p.start);
    let last = 0;
    for (const m of p.text.matchAll(FORMAT_VERB)) {
      const i = m.index ?? 0;
      if (i > last) b.mapped = b.mapped.append(p.text.slice(last, i), at(last), len(last, i));
      last = i + m[0].length;
      if (m[2] === '%') {
        b.mapped = b.mapped.append('%', at(i), len(i, last));
        continue;
      }
      const index = m[1] !== undefined ? Number(m[1]) - 1 : next;
      next = index + 1;
      const value = values[index];
      if (ctx.variant && value && (m[2] === 's' || m[2] === 'v')) collect(value, adapter, b, ctx, depth + 1);
      else placeholder(b, at(i), at(i) + len(i, last));
    }
    if (last < p.text.length) b.mapped = b.mapped.append(p.text.slice(last), at(last), len(last, p.text.length));
  }
}

/**
 * The list a call joins into text: Go `strings.Join(where, " AND ")`, Python
 * `" AND ".join(where)`, JavaScript `where.join(' AND ')`; the list's name.
 */
function joinedList(c: Chain, last: ChainLink, adapter: LanguageAdapter): { list: string; separator: string } | undefined {
  const args = last.args ?? [];
  if (c.links.length !== 1) return undefined;
  const identifier = (n: SyntaxNode | undefined) => (n && adapter.identifierTypes.has(typeOf(n)) ? n.text : undefined);
  const text = (n: SyntaxNode | undefined) => (n ? adapter.literal(n)?.map((p) => (p.kind === 'text' ? p.text : '')).join('') : undefined);
  let list: string | undefined;
  let separator: string | undefined;
  if (adapter.language === 'go') {
    if (c.base === 'strings' && last.name === 'Join' && args.length === 2) [list, separator] = [identifier(args[0]), text(args[1])];
  } else if (last.name === 'join' && args.length === 1) {
    if (adapter.language === 'python') {
      const m = /^[rRbBuU]?(["'])(.*)\1$/s.exec(c.base);
      if (m) [list, separator] = [identifier(args[0]), m[2]];
    } else if (c.baseKind === 'identifier') [list, separator] = [c.base, text(args[0])];
  }
  return list !== undefined && separator !== undefined ? { list, separator } : undefined;
}

/** The expression inside an interpolation part of a literal. */
function interpolated(literal: SyntaxNode, part: { start: number; end: number }): SyntaxNode | undefined {
  let best: SyntaxNode | undefined;
  for (const kid of namedKids(literal)) {
    for (const n of [kid, ...namedKids(kid)]) {
      if (n.startIndex < part.start - 2 || n.endIndex > part.end + 1 || /substitution|interpolation/.test(typeOf(n))) continue;
      if (!best || n.endIndex - n.startIndex > best.endIndex - best.startIndex) best = n;
    }
  }
  return best;
}

function isJoinCall(node: SyntaxNode, adapter: LanguageAdapter): boolean {
  if (!adapter.callTypes.has(typeOf(node))) return false;
  const c = adapter.chain(node);
  const last = c?.links[c.links.length - 1];
  return c !== null && c !== undefined && last !== undefined && joinedList(c, last, adapter) !== undefined;
}

/** The items a list starts with (`[]string{"1 = 1"}`, `['a = 1']`). */
function initialItems(name: string, offset: number, ctx: Context): SyntaxNode[] {
  const value = ctx.resolve?.(name, offset);
  if (!value) return [];
  const t = typeOf(value);
  if (t === 'composite_literal') return namedKids(field(value, 'body') ?? value).flatMap((e) => (isType(e, 'literal_element') ? namedKids(e) : [e]));
  if (t === 'array' || t === 'list') return namedKids(value);
  return [];
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

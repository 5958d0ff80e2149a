/**
 * Small helpers shared by the language adapters: safe child access, literal
 * decoding and identifier collection. Tree-sitter node indices from
 * web-tree-sitter are UTF-16 offsets (the library parses JavaScript strings
 * as UTF-16), so spans taken from nodes are already editor offsets.
 */
import { Query, type Language, type Tree } from '@vscode/tree-sitter-wasm';
import type { LiteralPart, SyntaxNode } from './adapter';

const TYPE = Symbol('type');
type CachedType = { [TYPE]?: string };

/**
 * A node's type, read once per node object: every `node.type` read crosses
 * into WebAssembly (the node is marshalled each time), and the analysis asks
 * the same node its type many times. The type is kept on the node object
 * itself (a WeakMap costs more in garbage collection than it saves).
 */
export function typeOf(node: SyntaxNode): string;
export function typeOf(node: SyntaxNode | null | undefined): string | undefined;
export function typeOf(node: SyntaxNode | null | undefined): string | undefined {
  if (!node) return undefined;
  const holder = node as SyntaxNode & CachedType;
  return (holder[TYPE] ??= node.type);
}

/**
 * The source text of each tree being analysed. A node knows where it starts
 * without asking the tree, but its end (and so its `text`) costs a call into
 * WebAssembly; with the source at hand, tokens and prefixes are read directly.
 */
const sources = new WeakMap<Tree, string>();

export function registerSource(tree: Tree, text: string): void {
  sources.set(tree, text);
}

const IDENTIFIER_TOKEN = /[A-Za-z_$][\w$]*/y;

/**
 * The text of an identifier-like node (identifier, property name), read from
 * the source at its start. Names with other characters (Unicode, escapes,
 * `#private`) are read from the tree.
 */
export function tokenText(node: SyntaxNode): string {
  const source = sources.get(node.tree);
  if (source !== undefined) {
    IDENTIFIER_TOKEN.lastIndex = node.startIndex;
    const m = IDENTIFIER_TOKEN.exec(source);
    const next = source.charCodeAt(IDENTIFIER_TOKEN.lastIndex);
    if (m && !(next > 0x7f || next === 0x5c)) return m[0];
  }
  return node.text;
}

/** Up to `length` characters of source from the start of `node` (possibly past its end: callers test a prefix). */
export function sourcePrefix(node: SyntaxNode, length: number): string {
  const source = sources.get(node.tree);
  return source !== undefined ? source.slice(node.startIndex, node.startIndex + length) : node.text.slice(0, length);
}

/** The source between two offsets of `node`'s tree. */
export function sourceBetween(node: SyntaxNode, start: number, end: number): string {
  const source = sources.get(node.tree);
  return source !== undefined ? source.slice(start, end) : node.text.slice(start - node.startIndex, end - node.startIndex);
}

declare const checkedType: unique symbol;
/** A node whose type was checked; the brand keeps the negative branch of `isType` from narrowing to `never`. */
export type TypedNode = SyntaxNode & { readonly [checkedType]: true };

/** `typeOf` as a type guard, so `isType(field(n, 'x'), 'identifier')` narrows away null. */
export function isType(node: SyntaxNode | null | undefined, type: string): node is TypedNode {
  return typeOf(node) === type;
}

export function kids(node: SyntaxNode): SyntaxNode[] {
  return node.children.filter((c): c is SyntaxNode => c !== null);
}

export function namedKids(node: SyntaxNode): SyntaxNode[] {
  return node.namedChildren.filter((c): c is SyntaxNode => c !== null);
}

const fieldIds = new WeakMap<object, Map<string, number>>();

/**
 * `node.childForFieldName(name)` with the field id looked up once per
 * grammar (the library searches the list of field names on every call).
 */
export function field(node: SyntaxNode, name: string): SyntaxNode | null {
  const language = node.tree.language;
  let ids = fieldIds.get(language);
  if (!ids) {
    ids = new Map();
    fieldIds.set(language, ids);
  }
  let id = ids.get(name);
  if (id === undefined) {
    id = language.fieldIdForName(name) ?? -1;
    ids.set(name, id);
  }
  return id < 0 ? null : node.childForFieldId(id);
}

/**
 * An argument that opens with a quote, a digit, a bracket or a name directly
 * followed by `,` or `)`. In none of the languages does a comment or a
 * function (arrow, lambda, literal) start like that, so such arguments need
 * not be asked their type, one call into WebAssembly each.
 */
const PLAIN_ARGUMENT = /^(?:['"`\d[{]|[A-Za-z_$][\w$]*\s*[,)])/;

export function isPlainArgument(node: SyntaxNode): boolean {
  return PLAIN_ARGUMENT.test(sourcePrefix(node, 64));
}

/** Arguments of an argument-list node, skipping punctuation and comments. */
export function argumentNodes(list: SyntaxNode | null): SyntaxNode[] {
  if (!list) return [];
  return namedKids(list).filter((c) => isPlainArgument(c) || typeOf(c) !== 'comment');
}

const mentionCache = new WeakMap<Tree, Map<string, boolean>>();

/**
 * Whether the source of `node`'s tree contains `word` anywhere (tested once
 * per tree and word): a file that never spells `require` needs no look at
 * its declarations for one. Without the source at hand, the answer is yes.
 */
export function sourceMentions(node: SyntaxNode, word: string): boolean {
  const source = sources.get(node.tree);
  if (source === undefined) return true;
  let known = mentionCache.get(node.tree);
  if (!known) {
    known = new Map();
    mentionCache.set(node.tree, known);
  }
  let found = known.get(word);
  if (found === undefined) {
    found = source.includes(word);
    known.set(word, found);
  }
  return found;
}

/** Ancestors of `node`, nearest first, up to (excluding) `stop`. */
export function* ancestors(node: SyntaxNode, stop?: SyntaxNode | null): Generator<SyntaxNode> {
  for (let p = node.parent; p && !(stop && p.id === stop.id); p = p.parent) yield p;
}

export function contains(outer: { startIndex: number; endIndex: number }, inner: { startIndex: number; endIndex: number }): boolean {
  return outer.startIndex <= inner.startIndex && inner.endIndex <= outer.endIndex;
}

/** One query per grammar and list of types: compiling costs far more than running. */
const typeQueries = new WeakMap<Language, Map<string, Query | null>>();

/**
 * A query matching named nodes of any of `types` (null when the grammar has
 * none of them). Running it costs a fraction of `descendantsOfType`, whose
 * JavaScript side compares every type name of the grammar on each call, and
 * it skips anonymous tokens, so no node has to be asked whether it is named.
 */
function typesQuery(language: Language, types: ReadonlySet<string>): Query | null {
  let byKey = typeQueries.get(language);
  if (!byKey) {
    byKey = new Map();
    typeQueries.set(language, byKey);
  }
  const key = [...types].join(' ');
  let query = byKey.get(key);
  if (query === undefined) {
    const known = [...types].filter((t) => language.idForNodeType(t, true) !== null);
    query = known.length > 0 ? new Query(language, `[${known.map((t) => `(${t})`).join(' ')}] @n`) : null;
    byKey.set(key, query);
  }
  return query;
}

/** Named nodes of `types` in `node` (itself included), in document order, outer before inner. */
function namedOfTypes(node: SyntaxNode, types: ReadonlySet<string>): SyntaxNode[] {
  const query = typesQuery(node.tree.language, types);
  return query ? query.captures(node).map((c) => c.node) : [];
}

/** Every identifier name (of the given node types) inside `node`, the node itself included. */
export function identifiersIn(node: SyntaxNode | null, types: ReadonlySet<string>, limit = 2000): Set<string> {
  const found = new Set<string>();
  if (!node) return found;
  const hits = namedOfTypes(node, types);
  for (let i = 0; i < hits.length && i < limit; i++) {
    const n = hits[i];
    if (n) found.add(n.text);
  }
  return found;
}

/** Named descendants of `node` whose type is in `types` (itself included), in source order, at most `limit`. */
export function descendants(node: SyntaxNode, types: ReadonlySet<string>, limit = 5000): SyntaxNode[] {
  return namedOfTypes(node, types).slice(0, limit);
}

export interface LiteralSyntax {
  /** Node types of escape sequences, decoded to the character they stand for. */
  readonly escapes: ReadonlySet<string>;
  /** Node types of interpolations, which become code parts. */
  readonly interpolations: ReadonlySet<string>;
  /** Whether backslashes mean anything (false for raw strings). */
  readonly decode: boolean;
}

/**
 * Reads the characters between the opening and closing delimiter children of
 * a string node. Text between special children is copied from the source as
 * is; escapes are decoded and mapped to the escape's first character, so an
 * offset inside the SQL still lands on the right source character.
 */
export function readLiteral(node: SyntaxNode, openEnd: number, closeStart: number, syntax: LiteralSyntax): LiteralPart[] {
  const source = node.text;
  const base = node.startIndex;
  const parts: LiteralPart[] = [];
  const specials: SyntaxNode[] = [];
  const visit = (n: SyntaxNode, depth: number) => {
    for (const c of kids(n)) {
      if (c.endIndex <= openEnd || c.startIndex >= closeStart) continue;
      if (syntax.interpolations.has(typeOf(c)) || (syntax.decode && syntax.escapes.has(typeOf(c)))) specials.push(c);
      else if (depth < 2 && c.childCount > 0) visit(c, depth + 1);
    }
  };
  visit(node, 0);
  let at = openEnd;
  const pushText = (from: number, to: number) => {
    if (to > from) parts.push({ kind: 'text', text: source.slice(from - base, to - base), start: from, end: to });
  };
  for (const s of specials) {
    pushText(at, s.startIndex);
    if (syntax.interpolations.has(typeOf(s))) parts.push({ kind: 'code', start: s.startIndex, end: s.endIndex });
    else parts.push({ kind: 'text', text: decodeEscape(s.text), start: s.startIndex, end: s.endIndex });
    at = s.endIndex;
  }
  pushText(at, closeStart);
  return parts;
}

const simpleEscapes: Record<string, string> = {
  n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', v: '\v', a: '\x07', e: '\x1b', s: ' ', '0': '\0',
};

/** Decodes one backslash escape as JavaScript, Python, Go and Ruby spell them. */
export function decodeEscape(raw: string): string {
  if (!raw.startsWith('\\') || raw.length < 2) return raw;
  const body = raw.slice(1);
  const c = body[0] ?? '';
  if (c === '\n' || c === '\r') return ''; // a line continuation
  const hex = /^(?:x([0-9a-fA-F]{1,2})|u\{([0-9a-fA-F]{1,6})\}|u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8}))$/.exec(body);
  if (hex) {
    const code = parseInt(hex[1] ?? hex[2] ?? hex[3] ?? hex[4] ?? '0', 16);
    return code <= 0x10ffff ? String.fromCodePoint(code) : '\ufffd';
  }
  if (/^[0-7]{1,3}$/.test(body)) return String.fromCharCode(parseInt(body, 8));
  if (body.length === 1 && Object.hasOwn(simpleEscapes, c)) return simpleEscapes[c] ?? c;
  return body;
}

/** `a_b_c` / `aBC` → `abc`: compares an instance name with a class name. */
export function looseName(name: string): string {
  return name.replace(/^[_@$]+/, '').replace(/_/g, '').toLowerCase();
}

/** `Repository<User>` → `Repository`; `psycopg.Connection` → `Connection`; `'asyncpg.Pool'` → `Pool`. */
export function typeName(text: string): string {
  const bare = text.replace(/^['"]|['"]$/g, '').replace(/[<[].*$/s, '').replace(/^\*+/, '').trim();
  return bare.split('.').pop() ?? bare;
}

/** `i += size` with a step other than 1 (`i++`, `i += 1` step one item at a time). */
export function isSteppedUpdate(text: string): boolean {
  const m = /^\s*[\w.]+\s*\+=\s*(.+?)\s*$/s.exec(text);
  return m !== null && m[1] !== '1';
}

export function isCapitalised(name: string): boolean {
  return /^[A-Z]/.test(name);
}

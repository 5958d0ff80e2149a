/**
 * Small helpers shared by the language adapters: safe child access, literal
 * decoding and identifier collection. Tree-sitter node indices from
 * web-tree-sitter are UTF-16 offsets (the library parses JavaScript strings
 * as UTF-16), so spans taken from nodes are already editor offsets.
 */
import type { LiteralPart, SyntaxNode } from './adapter';

export function kids(node: SyntaxNode): SyntaxNode[] {
  return node.children.filter((c): c is SyntaxNode => c !== null);
}

export function namedKids(node: SyntaxNode): SyntaxNode[] {
  return node.namedChildren.filter((c): c is SyntaxNode => c !== null);
}

export function field(node: SyntaxNode, name: string): SyntaxNode | null {
  return node.childForFieldName(name);
}

/** Arguments of an argument-list node, skipping punctuation and comments. */
export function argumentNodes(list: SyntaxNode | null): SyntaxNode[] {
  if (!list) return [];
  return namedKids(list).filter((c) => c.type !== 'comment');
}

/** Ancestors of `node`, nearest first, up to (excluding) `stop`. */
export function* ancestors(node: SyntaxNode, stop?: SyntaxNode | null): Generator<SyntaxNode> {
  for (let p = node.parent; p && !(stop && p.id === stop.id); p = p.parent) yield p;
}

export function contains(outer: { startIndex: number; endIndex: number }, inner: { startIndex: number; endIndex: number }): boolean {
  return outer.startIndex <= inner.startIndex && inner.endIndex <= outer.endIndex;
}

/** Every identifier name (of the given node types) inside `node`. */
export function identifiersIn(node: SyntaxNode | null, types: ReadonlySet<string>, limit = 2000): Set<string> {
  const found = new Set<string>();
  if (!node) return found;
  const cursor = node.walk();
  let visited = 0;
  // A bounded iterative walk: identifier sets feed heuristics, never correctness.
  for (;;) {
    if (++visited > limit) break;
    if (types.has(cursor.nodeType)) found.add(cursor.nodeText);
    if (cursor.gotoFirstChild()) continue;
    while (!cursor.gotoNextSibling()) {
      if (!cursor.gotoParent()) {
        cursor.delete();
        return found;
      }
    }
  }
  cursor.delete();
  return found;
}

/** Descendants of `node` whose type is in `types`, in source order, bounded. */
export function descendants(node: SyntaxNode, types: ReadonlySet<string>, limit = 5000): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  const cursor = node.walk();
  let visited = 0;
  for (;;) {
    if (++visited > limit) break;
    if (types.has(cursor.nodeType)) out.push(cursor.currentNode);
    if (cursor.gotoFirstChild()) continue;
    let done = false;
    while (!cursor.gotoNextSibling()) {
      if (!cursor.gotoParent()) {
        done = true;
        break;
      }
    }
    if (done) break;
  }
  cursor.delete();
  return out;
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
      if (syntax.interpolations.has(c.type) || (syntax.decode && syntax.escapes.has(c.type))) specials.push(c);
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
    if (syntax.interpolations.has(s.type)) parts.push({ kind: 'code', start: s.startIndex, end: s.endIndex });
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
  if (body.length === 1 && c in simpleEscapes) return simpleEscapes[c] ?? c;
  return body;
}

/** `a_b_c` / `aBC` → `abc`: compares an instance name with a class name. */
export function looseName(name: string): string {
  return name.replace(/^[_@$]+/, '').replace(/_/g, '').toLowerCase();
}

export function isCapitalised(name: string): boolean {
  return /^[A-Z]/.test(name);
}

/**
 * Where an expression of the raw parse tree sits in the text. libpg-query
 * gives each node only a start (in UTF-8 bytes); the end is found lexically
 * from the node's kind: an identifier chain for a column, the balancing
 * parenthesis for a call, the type name after `::`. Offsets are UTF-16.
 */
import { utf8ToUtf16 } from './offsets';

export type RawNode = Record<string, unknown>;

/** The node kind and its body: `{ ColumnRef: {...} }` → `['ColumnRef', {...}]`. */
export function unwrapNode(node: unknown): [string, RawNode] | undefined {
  if (!node || typeof node !== 'object' || Array.isArray(node)) return undefined;
  const keys = Object.keys(node);
  if (keys.length !== 1) return undefined;
  const kind = keys[0] as string;
  const body = (node as RawNode)[kind];
  return body && typeof body === 'object' && !Array.isArray(body) ? [kind, body as RawNode] : [kind, {}];
}

/** A string field of a node ('' when absent); numbers are printed as written. */
export function str(value: unknown): string {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';
}

/** The `sval`s of a list of `{ String: { sval } }` nodes (names, qualified names). */
export function stringList(list: unknown): string[] {
  if (!Array.isArray(list)) return [];
  return list.map((item) => {
    const u = unwrapNode(item);
    if (!u) return '';
    if (u[0] === 'String') return str(u[1].sval);
    if (u[0] === 'A_Star') return '*';
    return '';
  });
}

const WORD = /^[A-Za-z_\u0080-\uffff][A-Za-z0-9_$\u0080-\uffff]*/;
/** Words that continue a multi-word type name: `timestamp with time zone`, `double precision`. */
const TYPE_WORDS = new Set(['with', 'without', 'time', 'zone', 'precision', 'varying']);

export class NodeSpans {
  private readonly toUtf16: (byte: number) => number;

  constructor(readonly text: string) {
    this.toUtf16 = utf8ToUtf16(text);
  }

  /** UTF-16 offset of a parser location (UTF-8 bytes). */
  offset(byteLocation: number): number {
    return this.toUtf16(byteLocation);
  }

  /** Start of the expression: its smallest location (a cast's operand comes before the `::`). */
  start(node: unknown): number {
    const min = minLocation(node);
    return min === undefined ? 0 : this.offset(min);
  }

  /** End of the expression, exclusive. */
  end(node: unknown): number {
    const u = unwrapNode(node);
    if (!u) return this.start(node);
    const [kind, body] = u;
    const at = typeof body.location === 'number' && body.location >= 0 ? this.offset(body.location) : this.start(node);
    switch (kind) {
      case 'ColumnRef':
        return this.identifierChainEnd(at);
      case 'ParamRef':
        return at + (/^\$\d+/.exec(this.text.slice(at))?.[0].length ?? 1);
      case 'A_Const':
        return this.constantEnd(at);
      case 'FuncCall':
      case 'CoalesceExpr':
      case 'MinMaxExpr':
        return this.callEnd(at);
      case 'TypeCast': {
        // `CAST(x AS t)` starts at its keyword; `x::t` ends with the type name.
        if (/^cast\s*\(/i.test(this.text.slice(at))) return this.callEnd(at);
        const typeName = body.typeName as RawNode | undefined;
        const typeAt = typeof typeName?.location === 'number' ? this.offset(typeName.location) : at;
        return this.typeNameEnd(typeAt);
      }
      case 'A_Expr':
        return Math.max(this.end(body.rexpr), this.end(body.lexpr));
      case 'NullTest':
      case 'BooleanTest': {
        const m = /^IS\s+(NOT\s+)?\w+/i.exec(this.text.slice(at));
        return m ? at + m[0].length : this.end(body.arg);
      }
      case 'BoolExpr': {
        const args = Array.isArray(body.args) ? body.args : [];
        return Math.max(at + 1, ...args.map((a) => this.end(a)));
      }
      default:
        return Math.max(at + 1, this.start(node) + 1);
    }
  }

  private identifierChainEnd(at: number): number {
    let i = at;
    for (;;) {
      i = this.identifierEnd(i);
      if (this.text[i] !== '.') return i;
      const next = this.identifierEnd(i + 1);
      if (next === i + 1) return i;
      i += 1;
    }
  }

  private identifierEnd(at: number): number {
    if (this.text[at] === '"') {
      let i = at + 1;
      while (i < this.text.length) {
        if (this.text[i] === '"') {
          if (this.text[i + 1] === '"') i += 2;
          else return i + 1;
        } else i++;
      }
      return this.text.length;
    }
    if (this.text[at] === '*') return at + 1;
    return at + (WORD.exec(this.text.slice(at))?.[0].length ?? 0);
  }

  private constantEnd(at: number): number {
    const rest = this.text.slice(at);
    const quote = /^(?:[EeBbXxNn]|U&)?'/.exec(rest);
    if (quote) return this.quotedEnd(at + quote[0].length - 1, "'");
    const m = /^(?:\d[\d_]*(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+|[A-Za-z_]\w*)/.exec(rest);
    return at + (m?.[0].length ?? 1);
  }

  private quotedEnd(open: number, quote: string): number {
    let i = open + 1;
    while (i < this.text.length) {
      if (this.text[i] === quote) {
        if (this.text[i + 1] === quote) i += 2;
        else return i + 1;
      } else i++;
    }
    return this.text.length;
  }

  /** After the parenthesis that balances the first `(` from `at`, skipping strings and quoted names. */
  private callEnd(at: number): number {
    let i = this.text.indexOf('(', at);
    if (i < 0) return this.identifierChainEnd(at);
    let depth = 0;
    while (i < this.text.length) {
      const c = this.text[i];
      if (c === "'" || c === '"') {
        i = this.quotedEnd(i, c);
        continue;
      }
      if (c === '(') depth++;
      else if (c === ')' && --depth === 0) return i + 1;
      i++;
    }
    return this.text.length;
  }

  private typeNameEnd(at: number): number {
    let i = this.identifierChainEnd(at);
    for (;;) {
      const m = /^\s+([A-Za-z]+)/.exec(this.text.slice(i));
      if (!m || !TYPE_WORDS.has((m[1] ?? '').toLowerCase())) break;
      i += m[0].length;
    }
    const mod = /^\s*\(/.exec(this.text.slice(i));
    if (mod) i = this.callEnd(i);
    for (let arr = /^\s*\[\s*\d*\s*\]/.exec(this.text.slice(i)); arr; arr = /^\s*\[\s*\d*\s*\]/.exec(this.text.slice(i))) i += arr[0].length;
    return i;
  }
}

/** The smallest non-negative `location` in a subtree, in bytes. */
export function minLocation(node: unknown): number | undefined {
  let min: number | undefined;
  const visit = (n: unknown) => {
    if (Array.isArray(n)) return n.forEach(visit);
    if (!n || typeof n !== 'object') return;
    for (const [k, v] of Object.entries(n)) {
      if (k === 'location' && typeof v === 'number' && v >= 0) min = min === undefined ? v : Math.min(min, v);
      else if (v && typeof v === 'object') visit(v);
    }
  };
  visit(node);
  return min;
}

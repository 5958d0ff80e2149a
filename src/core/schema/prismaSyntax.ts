/**
 * The syntax of a Prisma schema file, as far as the schema model needs it:
 * blocks (`model`, `enum`, `view`, …), their fields with type and
 * attributes, and block attributes (`@@index([a, b(sort: Desc)], map: "x")`).
 * Tolerant: a line it cannot read is skipped, so a half-typed schema still
 * gives its models.
 */

export type PrismaValue =
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'ident'; readonly value: string }
  | { readonly kind: 'number'; readonly value: string }
  | { readonly kind: 'list'; readonly items: readonly PrismaValue[] }
  | { readonly kind: 'call'; readonly name: string; readonly args: readonly PrismaArg[] };

export interface PrismaArg {
  readonly name?: string;
  readonly value: PrismaValue;
}

export interface PrismaAttribute {
  /** Without the `@`/`@@`: `id`, `db.VarChar`, `index`. */
  readonly name: string;
  readonly args: readonly PrismaArg[];
}

export interface PrismaField {
  readonly name: string;
  readonly type: string;
  readonly list: boolean;
  readonly optional: boolean;
  readonly attributes: readonly PrismaAttribute[];
}

export interface PrismaBlock {
  /** `model`, `enum`, `view`, `type`, `datasource`, `generator`. */
  readonly keyword: string;
  readonly name: string;
  readonly fields: readonly PrismaField[];
  readonly attributes: readonly PrismaAttribute[];
  /** Enum values, for `enum` blocks. */
  readonly values: readonly string[];
}

type Token = { readonly t: 'ident' | 'string' | 'number' | 'punct' | 'newline'; readonly v: string };

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let depth = 0;
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '\n') {
      if (depth === 0) out.push({ t: 'newline', v: '\n' });
      i++;
    } else if (/\s/.test(c)) {
      i++;
    } else if (c === '"') {
      let v = '';
      i++;
      while (i < text.length && text[i] !== '"' && text[i] !== '\n') {
        if (text[i] === '\\') i++;
        v += text[i] ?? '';
        i++;
      }
      i++;
      out.push({ t: 'string', v });
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][\w.]*/.exec(text.slice(i))?.[0] ?? c;
      out.push({ t: 'ident', v: m });
      i += m.length;
    } else if (/[-\d]/.test(c)) {
      const m = /^-?[\d.]+/.exec(text.slice(i))?.[0] ?? c;
      out.push({ t: 'number', v: m });
      i += m.length;
    } else if (c === '@' && text[i + 1] === '@') {
      out.push({ t: 'punct', v: '@@' });
      i += 2;
    } else {
      if (c === '(' || c === '[') depth++;
      else if ((c === ')' || c === ']') && depth > 0) depth--;
      out.push({ t: 'punct', v: c });
      i++;
    }
  }
  return out;
}

class Reader {
  private i = 0;
  constructor(private readonly tokens: readonly Token[]) {}

  peek(offset = 0): Token | undefined {
    return this.tokens[this.i + offset];
  }
  next(): Token | undefined {
    return this.tokens[this.i++];
  }
  is(v: string): boolean {
    return this.peek()?.v === v && this.peek()?.t !== 'string';
  }
  eat(v: string): boolean {
    if (!this.is(v)) return false;
    this.i++;
    return true;
  }
  done(): boolean {
    return this.i >= this.tokens.length;
  }
  skipLine(): void {
    while (!this.done() && this.peek()?.t !== 'newline' && !this.is('}')) this.i++;
  }
}

export function parsePrismaSchema(text: string): PrismaBlock[] {
  const r = new Reader(tokenize(text));
  const blocks: PrismaBlock[] = [];
  while (!r.done()) {
    const keyword = r.next();
    if (keyword?.t !== 'ident') continue;
    const name = r.peek()?.t === 'ident' ? (r.next()?.v ?? '') : '';
    if (!r.eat('{')) continue;
    blocks.push(block(r, keyword.v, name));
  }
  return blocks;
}

function block(r: Reader, keyword: string, name: string): PrismaBlock {
  const fields: PrismaField[] = [];
  const attributes: PrismaAttribute[] = [];
  const values: string[] = [];
  while (!r.done() && !r.eat('}')) {
    const tok = r.peek();
    if (tok?.t === 'newline') {
      r.next();
    } else if (r.eat('@@')) {
      const a = attribute(r);
      if (a) attributes.push(a);
      r.skipLine();
    } else if (tok?.t === 'ident' && keyword === 'enum') {
      values.push(r.next()?.v ?? '');
      while (r.eat('@')) attribute(r);
      r.skipLine();
    } else if (tok?.t === 'ident' && r.peek(1)?.t === 'ident') {
      const f = field(r);
      if (f) fields.push(f);
      r.skipLine();
    } else r.skipLine();
  }
  return { keyword, name, fields, attributes, values };
}

function field(r: Reader): PrismaField | undefined {
  const name = r.next()?.v ?? '';
  let type = r.next()?.v ?? '';
  if (type === 'Unsupported' && r.is('(')) {
    const v = callArgs(r);
    type = `Unsupported(${v.map((a) => (a.value.kind === 'string' ? a.value.value : '')).join('')})`;
  }
  let list = false;
  if (r.eat('[')) {
    r.eat(']');
    list = true;
  }
  const optional = r.eat('?');
  const attributes: PrismaAttribute[] = [];
  while (r.eat('@')) {
    const a = attribute(r);
    if (a) attributes.push(a);
  }
  return { name, type, list, optional, attributes };
}

function attribute(r: Reader): PrismaAttribute | undefined {
  const name = r.next();
  if (name?.t !== 'ident') return undefined;
  return { name: name.v, args: r.is('(') ? callArgs(r) : [] };
}

function callArgs(r: Reader): PrismaArg[] {
  const args: PrismaArg[] = [];
  r.eat('(');
  while (!r.done() && !r.eat(')')) {
    if (r.eat(',')) continue;
    let argName: string | undefined;
    if (r.peek()?.t === 'ident' && r.peek(1)?.v === ':') {
      argName = r.next()?.v;
      r.next();
    }
    const v = value(r);
    if (!v) {
      r.next();
      continue;
    }
    args.push(argName !== undefined ? { name: argName, value: v } : { value: v });
  }
  return args;
}

function value(r: Reader): PrismaValue | undefined {
  const tok = r.peek();
  if (!tok) return undefined;
  if (r.eat('[')) {
    const items: PrismaValue[] = [];
    while (!r.done() && !r.eat(']')) {
      if (r.eat(',')) continue;
      const v = value(r);
      if (v) items.push(v);
      else r.next();
    }
    return { kind: 'list', items };
  }
  if (tok.t === 'string') return r.next() && { kind: 'string', value: tok.v };
  if (tok.t === 'number') return r.next() && { kind: 'number', value: tok.v };
  if (tok.t === 'ident') {
    r.next();
    if (r.is('(')) return { kind: 'call', name: tok.v, args: callArgs(r) };
    return { kind: 'ident', value: tok.v };
  }
  return undefined;
}

/** The argument named `name`, or the first unnamed one when `positional` is set. */
export function argument(attr: PrismaAttribute | undefined, name: string, positional = false): PrismaValue | undefined {
  if (!attr) return undefined;
  return attr.args.find((a) => a.name === name)?.value ?? (positional ? attr.args.find((a) => a.name === undefined)?.value : undefined);
}

export function stringValue(v: PrismaValue | undefined): string | undefined {
  return v?.kind === 'string' ? v.value : undefined;
}

/** `[a, b(sort: Desc)]` → fields with their sort order. */
export function fieldList(v: PrismaValue | undefined): { field: string; descending: boolean; opclass?: string }[] {
  if (v?.kind !== 'list') return [];
  return v.items.flatMap((item) => {
    if (item.kind === 'ident') return [{ field: item.value, descending: false }];
    if (item.kind === 'call') {
      const sort = item.args.find((a) => a.name === 'sort')?.value;
      const ops = item.args.find((a) => a.name === 'ops')?.value;
      const opclass = operatorClass(ops);
      return [{ field: item.name, descending: sort?.kind === 'ident' && sort.value === 'Desc', ...(opclass ? { opclass } : {}) }];
    }
    return [];
  });
}

/** `ops: JsonbPathOps` → `jsonb_path_ops`; `ops: raw("gin_trgm_ops")` → `gin_trgm_ops`. */
function operatorClass(v: PrismaValue | undefined): string | undefined {
  if (v?.kind === 'ident') return v.value.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
  if (v?.kind === 'call' && v.name === 'raw') return stringValue(v.args[0]?.value);
  return undefined;
}

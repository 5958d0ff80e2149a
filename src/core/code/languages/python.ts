/**
 * Python: `for`/`async for`/`while` loops, list/set/dict comprehensions and
 * generator expressions, `map(fn, items)`; calls and attribute chains;
 * plain, raw, f- and implicitly concatenated strings; `def` (with
 * `@lru_cache`/`@cache` marking memoised functions); imports; Django models.
 */
import type { ImportBinding, ModelRelation, ModelSummary } from '../types';
import type { Assignment, Chain, ChainLink, ExitKind, FunctionShape, LanguageAdapter, LiteralPart, LoopShape, MemberPath, SyntaxNode } from './adapter';
import { argumentNodes, field, identifiersIn, isCapitalised, isType, kids, namedKids, readLiteral, typeName, typeOf } from './common';

const IDENTIFIERS = new Set(['identifier']);
const WRAPPERS = new Set(['await', 'parenthesized_expression']);
const COMPREHENSIONS: Record<string, string> = {
  list_comprehension: 'list comprehension',
  set_comprehension: 'set comprehension',
  dictionary_comprehension: 'dict comprehension',
  generator_expression: 'generator expression',
};
const MEMO_DECORATORS = /^(functools\.)?(lru_cache|cache)$|^(cachetools\.)?cached$|^(async_lru\.)?alru_cache$|^memoized?$/;
const TO_ONE = /(^|\.)(ForeignKey|OneToOneField|ParentalKey)$/;
const TO_MANY = /(^|\.)(ManyToManyField|ParentalManyToManyField)$/;

export const pythonAdapter: LanguageAdapter = {
  language: 'python',
  callTypes: new Set(['call']),
  loopTypes: new Set(['for_statement', 'while_statement', ...Object.keys(COMPREHENSIONS)]),
  functionTypes: new Set(['function_definition']),
  classTypes: new Set(['class_definition']),
  stringTypes: new Set(['string', 'concatenated_string']),
  assignmentTypes: new Set(['assignment', 'augmented_assignment', 'named_expression']),
  importTypes: new Set(['import_statement', 'import_from_statement']),
  exportTypes: new Set(),
  identifierTypes: IDENTIFIERS,
  ifTypes: new Set(['if_statement', 'elif_clause', 'conditional_expression', 'boolean_operator']),
  memberTypes: new Set(['attribute']),
  commentType: 'comment',
  selfNames: new Set(['self', 'cls']),
  chain,
  loop,
  callbackLoop,
  functionDef,
  className: (n) => field(n, 'name')?.text ?? null,
  imports,
  literal,
  assignment,
  ifCondition,
  exitKind,
  isBlock: (n) => isType(n, 'block') || isType(n, 'module'),
  constantSize,
  model,
  exports: () => null,
  memberPath,
  typedBindingTypes: new Set(['typed_parameter', 'typed_default_parameter', 'assignment']),
  typedBinding,
};

function unwrap(node: SyntaxNode): SyntaxNode {
  let n = node;
  while (WRAPPERS.has(typeOf(n))) {
    const inner = namedKids(n).find((c) => !isType(c, 'comment'));
    if (!inner) break;
    n = inner;
  }
  return n;
}

function chain(call: SyntaxNode): Chain | null {
  const links: ChainLink[] = [];
  let cur: SyntaxNode = call;
  for (let guard = 0; guard < 200; guard++) {
    cur = unwrap(cur);
    if (isType(cur, 'call')) {
      const fn = field(cur, 'function');
      if (!fn) return null;
      const argsNode = field(cur, 'arguments');
      const args = isType(argsNode, 'generator_expression') ? [argsNode] : argumentNodes(argsNode);
      const callee = unwrap(fn);
      if (isType(callee, 'attribute')) {
        links.unshift({ name: field(callee, 'attribute')?.text ?? '', node: cur, args });
        const object = field(callee, 'object');
        if (!object) return null;
        cur = object;
        continue;
      }
      if (isType(callee, 'identifier')) {
        links.unshift({ name: callee.text, node: cur, args });
        return { base: '', baseKind: 'none', links };
      }
      links.unshift({ name: '', node: cur, args });
      cur = callee;
      continue;
    }
    if (isType(cur, 'attribute')) {
      links.unshift({ name: field(cur, 'attribute')?.text ?? '', node: cur, args: null });
      const object = field(cur, 'object');
      if (!object) return null;
      cur = object;
      continue;
    }
    if (isType(cur, 'subscript')) {
      links.unshift({ name: '[]', node: cur, args: null });
      const value = field(cur, 'value');
      if (!value) return null;
      cur = value;
      continue;
    }
    if (isType(cur, 'identifier')) {
      const kind = cur.text === 'self' || cur.text === 'cls' ? 'self' : isCapitalised(cur.text) ? 'constant' : 'identifier';
      return { base: cur.text, baseKind: kind, links };
    }
    return { base: cur.text.slice(0, 80), baseKind: 'other', links };
  }
  return null;
}

function bindingNames(node: SyntaxNode | null): string[] {
  if (!node) return [];
  return [...identifiersIn(node, IDENTIFIERS)];
}

function loop(node: SyntaxNode): LoopShape | null {
  if (isType(node, 'for_statement')) {
    const body = field(node, 'body');
    const isAsync = kids(node).some((c) => isType(c, 'async'));
    const iterable = field(node, 'right');
    const count = iterable ? rangeCount(iterable) : undefined;
    return {
      kind: 'statement', what: isAsync ? '`async for` loop' : '`for` loop',
      header: { start: node.startIndex, end: body?.startIndex ?? node.endIndex },
      iterable, condition: null, bodies: body ? [body] : [], variables: bindingNames(field(node, 'left')), count,
    };
  }
  if (isType(node, 'while_statement')) {
    const body = field(node, 'body');
    const condition = field(node, 'condition');
    return {
      kind: 'condition', what: '`while` loop', header: { start: node.startIndex, end: body?.startIndex ?? node.endIndex },
      iterable: null, condition, bodies: [condition, body].filter((n): n is SyntaxNode => n !== null), variables: [],
    };
  }
  const what = Object.hasOwn(COMPREHENSIONS, typeOf(node)) ? COMPREHENSIONS[typeOf(node)] : undefined;
  if (!what) return null;
  const clauses = namedKids(node).filter((c) => isType(c, 'for_in_clause') || isType(c, 'if_clause'));
  const first = clauses.find((c) => isType(c, 'for_in_clause'));
  if (!first) return null;
  const iterable = field(first, 'right');
  const body = field(node, 'body');
  const bodies = [body, ...clauses.filter((c) => c.id !== first.id)].filter((n): n is SyntaxNode => n !== null);
  const variables = clauses.filter((c) => isType(c, 'for_in_clause')).flatMap((c) => bindingNames(field(c, 'left')));
  return {
    kind: 'comprehension', what, header: { start: first.startIndex, end: first.endIndex },
    iterable, condition: null, bodies, variables, count: iterable ? rangeCount(iterable) : undefined,
  };
}

/** `range(3)`, `range(1, 4)`: a counted loop. */
function rangeCount(node: SyntaxNode): number | undefined {
  const n = unwrap(node);
  if (!isType(n, 'call') || field(n, 'function')?.text !== 'range') return undefined;
  const args = argumentNodes(field(n, 'arguments'));
  if (!args.every((a) => isType(a, 'integer'))) return undefined;
  const nums = args.map((a) => Number(a.text));
  if (nums.length === 1) return nums[0];
  if (nums.length >= 2) return Math.max(0, (nums[1] ?? 0) - (nums[0] ?? 0));
  return undefined;
}

/** `map(fn, items)` and `executor.map(fn, items)`: fn runs once per item. */
/** Builtins that call a key function once per item: `sorted(xs, key=…)`, `max(xs, key=…)`. */
const KEYED = new Set(['sorted', 'min', 'max']);

function callbackLoop(call: SyntaxNode, c: Chain): LoopShape | null {
  const last = c.links[c.links.length - 1];
  if (!last?.args) return null;
  let fn: SyntaxNode | undefined;
  let iterable: SyntaxNode | null = null;
  let what = '`map` callback';
  const keyArg = () => last.args?.find((a) => isType(a, 'keyword_argument') && field(a, 'name')?.text === 'key');
  if ((last.name === 'map' || last.name === 'filter') && last.args.length >= 2) {
    fn = last.args[0];
    iterable = last.args[1] ?? null;
    what = `\`${last.name}\` callback`;
  } else if (KEYED.has(last.name) && c.links.length === 1 && c.baseKind === 'none') {
    // `sorted(projects, key=lambda p: p.overall_status())`: the key runs for every item.
    const key = keyArg();
    fn = key ? field(key, 'value') ?? undefined : undefined;
    iterable = last.args[0] && !isType(last.args[0], 'keyword_argument') ? last.args[0] : null;
    what = `\`${last.name}\` key`;
  } else if (last.name === 'sort' && c.links.length >= 1) {
    // `projects.sort(key=lambda p: …)`: the list sorted is the receiver.
    const key = keyArg();
    fn = key ? field(key, 'value') ?? undefined : undefined;
    const callee = field(call, 'function');
    iterable = callee && isType(callee, 'attribute') ? field(callee, 'object') : null;
    what = '`sort` key';
  }
  if (!fn || !iterable) return null;
  const header = { start: call.startIndex, end: field(call, 'arguments')?.startIndex ?? call.endIndex };
  if (isType(fn, 'lambda')) {
    const body = field(fn, 'body');
    return {
      kind: 'callback', what, header, iterable, condition: null,
      bodies: body ? [body] : [], variables: bindingNames(field(fn, 'parameters')),
    };
  }
  if (what.startsWith('`map`') && (isType(fn, 'identifier') || isType(fn, 'attribute'))) {
    return { kind: 'callback', what, header, iterable, condition: null, bodies: [], variables: [], callbackRef: fn };
  }
  return null;
}

function functionDef(node: SyntaxNode): FunctionShape | null {
  if (!isType(node, 'function_definition')) return null;
  const nameNode = field(node, 'name');
  let holder = node.parent;
  let memoised = false;
  if (isType(holder, 'decorated_definition')) {
    memoised = namedKids(holder)
      .filter((d) => isType(d, 'decorator'))
      .some((d) => {
        const expr = namedKids(d)[0];
        const callee = isType(expr, 'call') ? field(expr, 'function') : expr;
        return MEMO_DECORATORS.test(callee?.text ?? '');
      });
    holder = holder.parent;
  }
  // A method: the function sits directly in a class body.
  const cls = isType(holder, 'block') && isType(holder.parent, 'class_definition') ? field(holder.parent, 'name')?.text : undefined;
  const nested = hasFunctionAncestor(node);
  return { name: nameNode?.text ?? null, nameNode, className: cls, exported: !nested, memoised };
}

function hasFunctionAncestor(node: SyntaxNode): boolean {
  for (let p = node.parent; p; p = p.parent) if (isType(p, 'function_definition')) return true;
  return false;
}

function dotted(node: SyntaxNode | null): string {
  return node?.text.replace(/\s+/g, '') ?? '';
}

function imports(node: SyntaxNode): ImportBinding[] {
  const out: ImportBinding[] = [];
  if (isType(node, 'import_statement')) {
    for (const n of namedKids(node)) {
      if (isType(n, 'dotted_name')) {
        // `import app.db` binds `app`; calls spell `app.db.f()`, so keep the dotted name as the local.
        out.push({ local: dotted(n), module: dotted(n), imported: '*' });
      } else if (isType(n, 'aliased_import')) {
        const alias = field(n, 'alias')?.text;
        if (alias) out.push({ local: alias, module: dotted(field(n, 'name')), imported: '*' });
      }
    }
    return out;
  }
  if (isType(node, 'import_from_statement')) {
    const module = dotted(field(node, 'module_name'));
    const moduleNode = field(node, 'module_name');
    for (const n of namedKids(node)) {
      if (moduleNode && n.id === moduleNode.id) continue;
      if (isType(n, 'dotted_name')) out.push({ local: dotted(n), module, imported: dotted(n) });
      else if (isType(n, 'aliased_import')) {
        const name = dotted(field(n, 'name'));
        out.push({ local: field(n, 'alias')?.text ?? name, module, imported: name });
      }
    }
  }
  return out;
}

function literal(node: SyntaxNode): LiteralPart[] | null {
  if (isType(node, 'concatenated_string')) {
    const parts: LiteralPart[] = [];
    for (const s of namedKids(node).filter((c) => isType(c, 'string'))) parts.push(...(literal(s) ?? []));
    return parts;
  }
  if (!isType(node, 'string')) return null;
  const start = kids(node).find((c) => isType(c, 'string_start'));
  const end = kids(node).find((c) => isType(c, 'string_end'));
  if (!start || !end) return null;
  const prefix = start.text.replace(/['"]+$/, '');
  if (/b/i.test(prefix)) return null;
  return readLiteral(node, start.endIndex, end.startIndex, {
    escapes: new Set(['escape_sequence']),
    interpolations: new Set(['interpolation']),
    decode: !/r/i.test(prefix),
  });
}

function rootNames(node: SyntaxNode | null): string[] {
  if (!node) return [];
  let n = unwrap(node);
  while (isType(n, 'attribute') || isType(n, 'subscript')) {
    const inner = field(n, isType(n, 'attribute') ? 'object' : 'value');
    if (!inner) break;
    n = unwrap(inner);
  }
  return bindingNames(n);
}

function assignment(node: SyntaxNode): Assignment | null {
  const left = field(node, isType(node, 'named_expression') ? 'name' : 'left');
  if (!left) return null;
  const value = field(node, isType(node, 'named_expression') ? 'value' : 'right');
  const operator = isType(node, 'augmented_assignment') ? field(node, 'operator')?.text ?? '+=' : '=';
  return { targets: rootNames(left), targetNode: left, value, operator };
}

function ifCondition(node: SyntaxNode): SyntaxNode | null {
  if (isType(node, 'if_statement') || isType(node, 'elif_clause')) return field(node, 'condition');
  if (isType(node, 'conditional_expression')) return namedKids(node)[1] ?? null;
  if (isType(node, 'boolean_operator') && field(node, 'operator')?.text === 'or') return field(node, 'left');
  return null;
}

function exitKind(statement: SyntaxNode): ExitKind | null {
  if (isType(statement, 'return_statement')) return 'return';
  if (isType(statement, 'break_statement')) return 'break';
  if (isType(statement, 'raise_statement')) return 'throw';
  return null;
}

function constantSize(node: SyntaxNode): number | null {
  const n = unwrap(node);
  if (isType(n, 'list') || isType(n, 'tuple') || isType(n, 'set')) {
    const items = namedKids(n).filter((c) => !isType(c, 'comment'));
    return items.some((c) => isType(c, 'list_splat') || isType(c, 'dictionary_splat')) ? null : items.length;
  }
  return rangeCount(n) ?? null;
}

/** A Django model: relation fields declared in the class body. */
function model(node: SyntaxNode): ModelSummary | null {
  const name = field(node, 'name')?.text;
  const bases = field(node, 'superclasses')?.text ?? '';
  const body = field(node, 'body');
  if (!name || !body) return null;
  const sqlalchemy = sqlalchemyModel(name, body);
  if (sqlalchemy) return sqlalchemy;
  if (!/Model\b/.test(bases)) return null;
  const relations: ModelRelation[] = [];
  const reverse: { model: string; relation: ModelRelation }[] = [];
  for (const { left: fieldName, call } of fieldCalls(body)) {
    const fn = field(call, 'function')?.text ?? '';
    const kind = TO_ONE.test(fn) ? 'to-one' : TO_MANY.test(fn) ? 'to-many' : null;
    if (!kind) continue;
    const args = argumentNodes(field(call, 'arguments'));
    const target = modelName(args.find((x) => !isType(x, 'keyword_argument')) ?? keyword(args, 'to'), name);
    relations.push({ name: fieldName.text, kind, target });
    const relatedName = keyword(args, 'related_name');
    const reverseName = isType(relatedName, 'string') ? relatedName.text.slice(1, -1) : null;
    if (reverseName === '+' || !target) continue;
    const isOneToOne = /OneToOneField$/.test(fn);
    const accessor = reverseName ?? (isOneToOne ? name.toLowerCase() : `${name.toLowerCase()}_set`);
    reverse.push({ model: target, relation: { name: accessor, kind: isOneToOne ? 'to-one' : 'to-many', target: name } });
  }
  return { framework: 'django', name, relations, reverse };
}

/** Class-body fields assigned a call (`author = models.ForeignKey(…)`, `posts: Mapped[…] = relationship(…)`). */
function* fieldCalls(body: SyntaxNode): Generator<{ left: SyntaxNode; call: SyntaxNode; annotation: string }> {
  for (const stmt of namedKids(body)) {
    const a = isType(stmt, 'expression_statement') ? namedKids(stmt)[0] : null;
    if (!a || !isType(a, 'assignment')) continue;
    const left = field(a, 'left');
    const call = field(a, 'right');
    if (left && call && isType(left, 'identifier') && isType(call, 'call')) yield { left, call, annotation: field(a, 'type')?.text ?? '' };
  }
}

/** SQLAlchemy's `lazy=` values by what they do. */
const SA_LOADING: Record<string, ModelRelation['loading']> = {
  joined: 'eager', selectin: 'eager', subquery: 'eager', immediate: 'eager',
  raise: 'never', raise_on_sql: 'never', noload: 'never',
  dynamic: 'query', write_only: 'query',
};

/**
 * A SQLAlchemy model: `posts = relationship("Post")` or `posts: Mapped[List["Post"]] =
 * relationship(back_populates=…)` in the class body (declarative base or Flask-SQLAlchemy's
 * `db.Model`). A relation is to-one with `uselist=False` or a non-list `Mapped[…]`, to-many with a
 * list annotation; otherwise a plural name reads as to-many.
 */
function sqlalchemyModel(name: string, body: SyntaxNode): ModelSummary | null {
  const relations: ModelRelation[] = [];
  for (const { left, call, annotation } of fieldCalls(body)) {
    const fn = field(call, 'function')?.text ?? '';
    if (!/^(sa\.|sqlalchemy\.|orm\.|db\.)?relationship$/.test(fn)) continue;
    const args = argumentNodes(field(call, 'arguments'));
    const annotated = /Mapped\[\s*(?:List|list|Set|set|Sequence|DynamicMapped|WriteOnlyMapped)\[\s*["']?(\w+)/.exec(annotation) ?? null;
    const single = /Mapped\[\s*(?:Optional\[\s*)?["']?(\w+)/.exec(annotation);
    const uselist = keyword(args, 'uselist')?.text;
    const positional = args.find((x) => !isType(x, 'keyword_argument'));
    const target = modelName(positional, name) ?? annotated?.[1] ?? (single && single[1] !== 'List' ? single[1] : undefined);
    const kind: ModelRelation['kind'] = uselist === 'False' ? 'to-one' : annotated || uselist === 'True' ? 'to-many' : single ? 'to-one' : /s$/.test(left.text) ? 'to-many' : 'to-one';
    const lazy = keyword(args, 'lazy');
    const loading = isType(lazy, 'string') ? SA_LOADING[lazy.text.replace(/^[a-z]*['"]+|['"]+$/g, '')] : undefined;
    relations.push({ name: left.text, kind, ...(target ? { target } : {}), ...(loading ? { loading } : {}) });
  }
  return relations.length > 0 ? { framework: 'sqlalchemy', name, relations, reverse: [] } : null;
}

function keyword(args: readonly SyntaxNode[], name: string): SyntaxNode | undefined {
  const kw = args.find((a) => isType(a, 'keyword_argument') && field(a, 'name')?.text === name);
  return kw ? field(kw, 'value') ?? undefined : undefined;
}

/** `User`, `'User'`, `'accounts.User'`, `'self'` → the class name. */
function modelName(node: SyntaxNode | undefined, self: string): string | undefined {
  if (!node) return undefined;
  const raw = isType(node, 'string') ? node.text.replace(/^[a-z]*['"]+|['"]+$/g, '') : node.text;
  if (raw === 'self') return self;
  const last = raw.split('.').pop();
  return last && /^[A-Za-z_]\w*$/.test(last) ? last : undefined;
}

/** `book.author.name`, `book.reviews.all()`: attribute names after the variable, calls included. */
function memberPath(identifier: SyntaxNode): MemberPath | null {
  const names: string[] = [];
  const ends: number[] = [];
  let cur = identifier;
  for (let p = cur.parent; p && names.length < 6; p = cur.parent) {
    if (isType(p, 'attribute') && field(p, 'object')?.id === cur.id) {
      names.push(field(p, 'attribute')?.text ?? '');
      ends.push(p.endIndex);
      cur = p;
    } else if (isType(p, 'call') && field(p, 'function')?.id === cur.id) {
      ends[ends.length - 1] = p.endIndex;
      cur = p;
    } else break;
  }
  return names.length > 0 ? { names, ends } : null;
}

/** `conn: psycopg.Connection`, `session: Session = None`, `db: "AsyncSession" = …`. */
function typedBinding(node: SyntaxNode): readonly [string, string] | null {
  const type = field(node, 'type');
  if (!type) return null;
  const name = isType(node, 'typed_parameter') ? namedKids(node).find((c) => isType(c, 'identifier')) : field(node, isType(node, 'assignment') ? 'left' : 'name');
  if (!isType(name, 'identifier')) return null;
  return [name.text, typeName(type.text)];
}

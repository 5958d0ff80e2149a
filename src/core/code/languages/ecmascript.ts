/**
 * The shared adapter for the three ECMAScript grammars (TypeScript, TSX,
 * JavaScript with JSX): their node types for loops, calls, strings,
 * functions and modules are the same. The per-language files only name the
 * grammar.
 */
import type { CodeLanguage, ImportBinding } from '../types';
import type { Assignment, Chain, ChainLink, ExitKind, FunctionShape, LanguageAdapter, LoopShape, SyntaxNode } from './adapter';
import { argumentNodes, field, identifiersIn, isCapitalised, isSteppedUpdate, isType, kids, namedKids, readLiteral, sourceBetween, sourceMentions, sourcePrefix, tokenText, typeName, typeOf } from './common';

const IDENTIFIERS = new Set(['identifier', 'shorthand_property_identifier_pattern', 'property_identifier']);
const BINDING_IDENTIFIERS = new Set(['identifier', 'shorthand_property_identifier_pattern']);
/** Expression wrappers that neither start nor end a chain. */
const WRAPPERS = new Set(['await_expression', 'parenthesized_expression', 'non_null_expression', 'as_expression', 'satisfies_expression', 'type_assertion', 'instantiation_expression']);
const FUNCTIONS = new Set(['function_declaration', 'generator_function_declaration', 'function_expression', 'function', 'arrow_function', 'generator_function', 'method_definition']);

/** Array methods whose callback runs once per element. */
const ITEM_METHODS = new Set(['forEach', 'map', 'flatMap', 'reduce', 'reduceRight', 'filter', 'some', 'every', 'find', 'findIndex', 'findLast', 'findLastIndex']);
/**
 * Methods that take a named function as readily as a literal (`ids.map(loadUser)`). For the
 * others a name argument is more likely a key (`repo.find(id)`), so only a literal counts.
 */
const REFERENCE_METHODS = new Set(['forEach', 'map', 'flatMap', 'each', 'eachSeries', 'mapSeries', 'mapLimit']);
/** Free functions taking (items, callback): lodash, p-map, bluebird, async. A Map, so `toString` is not a key. */
const ITEM_FUNCTIONS = new Map<string, RegExp>([
  ['map', /^(_|lodash|Promise|Bluebird|async|R)$/],
  ['forEach', /^(_|lodash|async)$/],
  ['each', /^(_|lodash|async)$/],
  ['eachSeries', /^async$/],
  ['mapSeries', /^(Promise|Bluebird|async)$/],
  ['mapLimit', /^async$/],
  ['flatMap', /^(_|lodash)$/],
  ['from', /^Array$/],
]);
/** Declarations that hold no variable declarators: no need to list their children. */
const NAMED_DECLARATIONS = new Set([
  'function_declaration', 'generator_function_declaration', 'class_declaration', 'abstract_class_declaration', 'interface_declaration',
  'type_alias_declaration', 'enum_declaration',
]);
const ITEM_CALLEES = new Set(['pMap', 'pMapSeries', 'pEachSeries', 'mapSeries']);
/** Wrappers whose result answers repeated calls from memory. */
const MEMOISERS = /^(memoize|memoizee|memoizeOne|mem|pMemoize|moize|cache|cached|lruMemoize)$/;

export function ecmascriptAdapter(language: CodeLanguage): LanguageAdapter {
  return {
    language,
    callTypes: new Set(['call_expression']),
    loopTypes: new Set(['for_statement', 'for_in_statement', 'while_statement', 'do_statement']),
    functionTypes: FUNCTIONS,
    classTypes: new Set(['class_declaration', 'class', 'abstract_class_declaration']),
    stringTypes: new Set(['string', 'template_string']),
    assignmentTypes: new Set(['variable_declarator', 'assignment_expression', 'augmented_assignment_expression']),
    importTypes: new Set(['import_statement', 'variable_declarator']),
    exportTypes: new Set(['export_statement', 'assignment_expression']),
    identifierTypes: IDENTIFIERS,
    ifTypes: new Set(['if_statement', 'ternary_expression', 'binary_expression']),
    memberTypes: new Set(),
    commentType: 'comment',
    selfNames: new Set(['this']),
    chain,
    loop,
    callbackLoop,
    functionDef,
    className,
    classFact,
    imports,
    literal,
    assignment,
    ifCondition,
    exitKind,
    isBlock: (n) => isType(n, 'statement_block') || isType(n, 'program') || isType(n, 'switch_case') || isType(n, 'switch_default'),
    constantSize,
    model: () => null,
    exports,
    typedBindingTypes: new Set(['required_parameter', 'optional_parameter', 'public_field_definition', 'variable_declarator']),
    typedBinding,
    typedBindingName,
  };
}

function unwrap(node: SyntaxNode): SyntaxNode {
  let n = node;
  while (WRAPPERS.has(typeOf(n))) {
    const first = isType(n, 'as_expression') || isType(n, 'satisfies_expression') || isType(n, 'instantiation_expression');
    const inner = first ? n.namedChild(0) : n.namedChildren.find((c) => c !== null && !isType(c, 'comment'));
    if (!inner) break;
    n = inner;
  }
  return n;
}

/**
 * A callee spelled as a dotted name up to its opening parenthesis (`load(`,
 * `pool.query(`, `this.repo.findOneBy(`): only letters, digits, `_`, `$`,
 * dots and white space, so no comment, wrapper, optional chaining or type
 * argument hides in it.
 */
const DOTTED_CALLEE = /^[A-Za-z_$][\w$]*(?:\s*\.\s*[A-Za-z_$][\w$]*){0,6}\s*\(/;
const DOTTED_PART = /[A-Za-z_$][\w$]*/g;
/** Words that are no identifier at the head of a callee: the tree says what they are. */
const CALLEE_KEYWORDS = new Set([
  'super', 'import', 'new', 'async', 'await', 'yield', 'typeof', 'void', 'delete', 'function', 'class', 'null', 'true', 'false', 'undefined',
]);

/**
 * The chain of a call whose callee is a dotted name, read from the source:
 * most calls look like that, and reading the callee from the tree costs
 * several calls into WebAssembly per dot. The arguments must open right
 * after the name, or the text was not the whole callee (`a.b(x)(y)`);
 * then, and for anything else, the caller reads the tree. The property
 * accesses between the base and the call are only looked up when asked for.
 */
export function dottedChain(call: SyntaxNode): Chain | null {
  const head = DOTTED_CALLEE.exec(sourcePrefix(call, 400));
  if (!head) return null;
  const names = head[0].match(DOTTED_PART) ?? [];
  const base = names[0];
  if (base === undefined || CALLEE_KEYWORDS.has(base)) return null;
  const argsNode = field(call, 'arguments');
  if (!argsNode || argsNode.startIndex !== call.startIndex + head[0].length - 1) return null;
  const args = argumentNodes(argsNode);
  if (names.length === 1) return base === 'this' ? null : { base: '', baseKind: 'none', links: [{ name: base, node: call, args, template: undefined }] };
  const links: ChainLink[] = [];
  // The member access ending at names[i] sits `names.length - 1 - i` objects below the callee.
  for (let i = 1; i < names.length - 1; i++) links.push(new MemberLink(names[i] ?? '', call, names.length - 1 - i));
  links.push({ name: names[names.length - 1] ?? '', node: call, args, template: undefined });
  if (base === 'this') return { base: 'this', baseKind: 'self', links };
  return { base, baseKind: isCapitalised(base) ? 'constant' : 'identifier', links };
}

/** A property link whose node (`depth` objects below the callee of `call`) is read on first use. */
class MemberLink implements ChainLink {
  readonly args = null;
  private found: SyntaxNode | undefined;

  constructor(readonly name: string, private readonly call: SyntaxNode, private readonly depth: number) {}

  get node(): SyntaxNode {
    if (!this.found) {
      let n = field(this.call, 'function');
      for (let d = 0; d < this.depth && n; d++) n = field(n, 'object');
      if (!n) throw new Error('dotted callee without its member access');
      this.found = n;
    }
    return this.found;
  }
}

function chain(call: SyntaxNode): Chain | null {
  return (isType(call, 'call_expression') ? dottedChain(call) : null) ?? treeChain(call);
}

/** The chain ending at `call`, read from the tree link by link. */
export function treeChain(call: SyntaxNode): Chain | null {
  const links: ChainLink[] = [];
  let cur: SyntaxNode = call;
  for (let guard = 0; guard < 200; guard++) {
    cur = unwrap(cur);
    if (isType(cur, 'call_expression')) {
      const fn = field(cur, 'function');
      const argsNode = field(cur, 'arguments');
      if (!fn) return null;
      // Arguments are a parenthesised list or a template; the first character tells which.
      const template = argsNode && sourcePrefix(argsNode, 1) === '`' && isType(argsNode, 'template_string') ? argsNode : undefined;
      const args = template ? [] : argumentNodes(argsNode);
      const callee = unwrap(fn);
      if (isType(callee, 'member_expression')) {
        const property = field(callee, 'property');
        links.unshift({ name: property ? tokenText(property) : '', node: cur, args, template });
        const object = field(callee, 'object');
        if (!object) return null;
        cur = object;
        continue;
      }
      if (isType(callee, 'identifier')) {
        links.unshift({ name: tokenText(callee), node: cur, args, template });
        return { base: '', baseKind: 'none', links };
      }
      links.unshift({ name: '', node: cur, args, template });
      cur = callee;
      continue;
    }
    if (isType(cur, 'member_expression')) {
      const property = field(cur, 'property');
      links.unshift({ name: property ? tokenText(property) : '', node: cur, args: null });
      const object = field(cur, 'object');
      if (!object) return null;
      cur = object;
      continue;
    }
    if (isType(cur, 'subscript_expression')) {
      links.unshift({ name: '[]', node: cur, args: null });
      const object = field(cur, 'object');
      if (!object) return null;
      cur = object;
      continue;
    }
    if (isType(cur, 'identifier')) {
      const base = tokenText(cur);
      return { base, baseKind: isCapitalised(base) ? 'constant' : 'identifier', links };
    }
    if (isType(cur, 'this')) return { base: 'this', baseKind: 'self', links };
    return { base: cur.text.slice(0, 80), baseKind: 'other', links };
  }
  return null;
}

/** `(p)`, `(a, b)`, `{ rows }`, `[a, b]`: plain name lists, read from the text. */
const NAME_LIST = /^(?:\(\s*(NAMES)?\s*\)|\{\s*(NAMES)\s*\}|\[\s*(NAMES)\s*\])$/.source.replace(/NAMES/g, '[A-Za-z_$][\\w$]*(?:\\s*,\\s*[A-Za-z_$][\\w$]*)*\\s*,?');
const NAME_LIST_RE = new RegExp(NAME_LIST);
const NAME_LISTS = new Set(['formal_parameters', 'object_pattern', 'array_pattern']);

function bindingNames(node: SyntaxNode | null): string[] {
  if (!node) return [];
  if (isType(node, 'identifier')) return [node.text];
  // Most callback parameters and destructurings are plain name lists: a descendant search costs
  // far more than reading them from the text. `this` is not a binding; anything else goes to the tree.
  const text = NAME_LISTS.has(typeOf(node)) ? node.text : '';
  const m = text !== '' && text.length <= 200 ? NAME_LIST_RE.exec(text) : null;
  if (m) {
    const names = (m[1] ?? m[2] ?? m[3] ?? '').split(',').map((n) => n.trim()).filter((n) => n !== '');
    if (!names.includes('this')) return [...new Set(names)];
  }
  return [...identifiersIn(node, BINDING_IDENTIFIERS)];
}

function loop(node: SyntaxNode): LoopShape | null {
  const body = field(node, 'body');
  const header = { start: node.startIndex, end: body?.startIndex ?? node.endIndex };
  switch (typeOf(node)) {
    case 'for_statement': {
      const condition = field(node, 'condition');
      const increment = field(node, 'increment');
      const bodies = [condition, increment, body].filter((n): n is SyntaxNode => n !== null);
      return {
        kind: 'condition', what: '`for` loop', header, iterable: null, condition, bodies, variables: bindingNames(field(node, 'initializer')), count: countedBound(condition),
        // `for (let i = 0; i < ids.length; i += 500)`: one round per batch.
        ...(increment && isSteppedUpdate(increment.text) ? { chunked: true } : {}),
      };
    }
    case 'for_in_statement': {
      const isOf = field(node, 'operator')?.text === 'of';
      // `for (` cannot be a `for await (`: only other spellings (comments) need the children.
      const isAwait = !/^for\s*\(/.test(sourcePrefix(node, 40)) && kids(node).some((c) => isType(c, 'await'));
      const what = isAwait ? '`for await…of` loop' : isOf ? '`for…of` loop' : '`for…in` loop';
      return { kind: 'statement', what, header, iterable: field(node, 'right'), condition: null, bodies: body ? [body] : [], variables: bindingNames(field(node, 'left')) };
    }
    case 'while_statement':
    case 'do_statement': {
      const condition = field(node, 'condition');
      const bodies = [condition, body].filter((n): n is SyntaxNode => n !== null);
      const what = isType(node, 'while_statement') ? '`while` loop' : '`do…while` loop';
      return { kind: 'condition', what, header: isType(node, 'while_statement') ? header : { start: node.startIndex, end: node.startIndex + 2 }, iterable: null, condition, bodies, variables: [] };
    }
    default:
      return null;
  }
}

/** `i < 3` / `i <= 4`: the iteration count of a counted loop when the bound is a literal. */
function countedBound(condition: SyntaxNode | null): number | undefined {
  if (!isType(condition, 'binary_expression')) return undefined;
  const op = field(condition, 'operator')?.text;
  const right = field(condition, 'right');
  if (!isType(right, 'number')) return undefined;
  const n = Number(right.text);
  if (!Number.isFinite(n)) return undefined;
  return op === '<' ? n : op === '<=' ? n + 1 : undefined;
}

function callbackLoop(call: SyntaxNode, c: Chain): LoopShape | null {
  const last = c.links[c.links.length - 1];
  if (!last?.args) return null;
  // Most calls are not iteration helpers: decide from the name before touching the tree.
  if (!ITEM_METHODS.has(last.name) && !ITEM_FUNCTIONS.has(last.name) && !ITEM_CALLEES.has(last.name)) return null;
  const callee = field(call, 'function');
  let iterable: SyntaxNode | null = null;
  let callback: SyntaxNode | undefined;
  let nameNode: SyntaxNode | null = null;
  let what: string;
  const member = callee ? unwrap(callee) : null;
  if (isType(member, 'member_expression')) {
    nameNode = field(member, 'property');
    const receiver = field(member, 'object');
    const receiverText = receiver?.text ?? '';
    const viaLibrary = ITEM_FUNCTIONS.get(last.name)?.test(receiverText) ?? false;
    if (viaLibrary) {
      iterable = last.args[0] ?? null;
      callback = last.args[1];
      what = `\`${receiverText}.${last.name}\` callback`;
    } else if (ITEM_METHODS.has(last.name)) {
      iterable = receiver;
      callback = last.args[0];
      what = `\`.${last.name}\` callback`;
    } else return null;
  } else if (isType(member, 'identifier') && ITEM_CALLEES.has(member.text)) {
    nameNode = member;
    iterable = last.args[0] ?? null;
    callback = last.args[1];
    what = `\`${member.text}\` callback`;
  } else return null;
  if (!callback) return null;
  const fn = unwrap(callback);
  const header = { start: nameNode?.startIndex ?? call.startIndex, end: nameNode?.endIndex ?? call.endIndex };
  if (isType(fn, 'arrow_function') || isType(fn, 'function_expression') || isType(fn, 'function')) {
    const params = field(fn, 'parameters') ?? field(fn, 'parameter');
    const variables = bindingNames(params);
    // reduce's first parameter is the accumulator, not the item.
    const items = last.name === 'reduce' || last.name === 'reduceRight' ? variables.slice(1) : variables;
    return { kind: 'callback', what, header, iterable, condition: null, bodies: [fn], variables: items };
  }
  if ((isType(fn, 'identifier') || isType(fn, 'member_expression')) && REFERENCE_METHODS.has(last.name)) {
    return { kind: 'callback', what, header, iterable, condition: null, bodies: [], variables: [], callbackRef: fn };
  }
  return null;
}

function enclosingClassName(node: SyntaxNode): string | undefined {
  for (let p = node.parent; p; p = p.parent) {
    if (isType(p, 'class_declaration') || isType(p, 'class') || isType(p, 'abstract_class_declaration')) {
      const name = field(p, 'name');
      return (name ? tokenText(name) : null) ?? declaredName(p) ?? undefined;
    }
    if (isType(p, 'object')) return declaredName(p) ?? undefined;
    if (FUNCTIONS.has(typeOf(p)) && !isType(p, 'method_definition')) return undefined;
  }
  return undefined;
}

/** The name a value is bound to: `const x = <node>`, `x = <node>`, `{ x: <node> }`, `x = <node>` in a class. */
function declaredName(value: SyntaxNode, p: SyntaxNode | null = value.parent): string | null {
  if (!p) return null;
  if (isType(p, 'variable_declarator') && field(p, 'value')?.id === value.id) return field(p, 'name')?.text ?? null;
  if (isType(p, 'pair') && field(p, 'value')?.id === value.id) return field(p, 'key')?.text.replace(/^['"]|['"]$/g, '') ?? null;
  if ((isType(p, 'public_field_definition') || isType(p, 'field_definition')) && field(p, 'value')?.id === value.id) {
    return (field(p, 'name') ?? field(p, 'property'))?.text ?? null;
  }
  if (isType(p, 'assignment_expression') && field(p, 'right')?.id === value.id) {
    const left = field(p, 'left');
    if (isType(left, 'identifier')) return left.text;
    if (isType(left, 'member_expression')) return field(left, 'property')?.text ?? null;
  }
  return null;
}

function isExported(node: SyntaxNode): boolean {
  for (let p = node.parent, depth = 0; p && depth < 4; p = p.parent, depth++) {
    if (isType(p, 'export_statement')) return true;
    if (isType(p, 'statement_block') || isType(p, 'program')) return false;
  }
  return false;
}

/** `function load(`, `async function* rows<T>(`: a declaration's name, read from the source when spelled plainly. */
const DECLARATION_HEAD = /^(?:async\s+)?function\s*\*?\s*([A-Za-z_$][\w$]*)(?=\s*[(<])/;
/**
 * The `export` keyword right before a declaration makes it the declaration
 * of an export statement; without it (a comment may sit in between), the
 * tree decides.
 */
const EXPORT_BEFORE = /[^\w$.]export\s+(?:default\s+)?$/;
/** `export function f(`, `export class C`, `export interface I`: an export statement declaring one name, read from the source. */
const EXPORTED_DECLARATION = /^export\s+(?:(?:async\s+)?function\s*\*?|(?:abstract\s+)?class|interface|type|enum)\s+([A-Za-z_$][\w$]*)(?=[\s(<{=])/;

function functionDef(node: SyntaxNode, argumentOf?: string): FunctionShape | null {
  if (!FUNCTIONS.has(typeOf(node))) return null;
  if (isType(node, 'function_declaration') || isType(node, 'generator_function_declaration')) {
    const head = DECLARATION_HEAD.exec(sourcePrefix(node, 200));
    if (head?.[1]) {
      const end = node.startIndex + head[0].length;
      // One character more than the keyword needs: a window cut inside `reexport` must not read as `export`.
      const before = sourceBetween(node, Math.max(0, node.startIndex - 41), node.startIndex);
      const exported = EXPORT_BEFORE.test(node.startIndex <= 41 ? ` ${before}` : before) || isExported(node);
      return { name: head[1], nameNode: null, nameSpan: { start: end - head[1].length, end }, exported, memoised: false };
    }
    const nameNode = field(node, 'name');
    return { name: nameNode ? tokenText(nameNode) : null, nameNode, exported: isExported(node), memoised: false };
  }
  if (isType(node, 'method_definition')) {
    const nameNode = field(node, 'name');
    const cls = enclosingClassName(node);
    return { name: nameNode ? tokenText(nameNode) : null, nameNode, className: cls, exported: true, memoised: false };
  }
  // A callback passed to any call but a memoiser is anonymous. A wrapped callee (`(memoize)(fn)`)
  // is no memoiser either, so only a memoiser's name needs the lookup below.
  if (argumentOf !== undefined && !MEMOISERS.test(argumentOf)) return { name: null, nameNode: null, exported: false, memoised: false };
  // Function values take the name they are bound to; `memoize(async (id) => …)` too.
  let value: SyntaxNode = node;
  let memoised = false;
  // Each parent lookup walks down from the root: read the holder once and pass it on.
  let holder = node.parent;
  const wrapper = isType(holder, 'arguments') ? holder.parent : null;
  if (isType(wrapper, 'call_expression')) {
    const callee = field(wrapper, 'function');
    const name = isType(callee, 'member_expression') ? field(callee, 'property')?.text : callee?.text;
    if (!name || !MEMOISERS.test(name)) return { name: null, nameNode: null, exported: false, memoised: false };
    memoised = true;
    value = wrapper;
    holder = wrapper.parent;
  }
  const name = declaredName(value, holder);
  if (!name) return { name: null, nameNode: null, exported: false, memoised };
  const nameNode = holder ? field(holder, 'name') ?? field(holder, 'key') ?? field(holder, 'left') : null;
  const cls = holder && !isType(holder, 'variable_declarator') && !isType(holder, 'assignment_expression') ? enclosingClassName(holder) : undefined;
  const exported = isType(holder, 'variable_declarator') ? isExported(holder) : isType(holder, 'assignment_expression') ? /^(module\.)?exports\./.test(field(holder, 'left')?.text ?? '') : true;
  return { name, nameNode, className: cls, exported, memoised };
}

/** `@Table class Doc extends ParanoidModel<A> {}` → Doc, ParanoidModel, [Table]. */
function classFact(node: SyntaxNode): { name: string; extends?: string; decorators: string[] } | null {
  const name = className(node);
  if (!name) return null;
  const heritage = namedKids(node).find((c) => isType(c, 'class_heritage'));
  const clause = heritage ? namedKids(heritage).find((c) => isType(c, 'extends_clause')) ?? heritage : null;
  const value = clause ? field(clause, 'value') ?? namedKids(clause)[0] ?? null : null;
  const base = value ? /([A-Za-z_$][\w$]*)\s*(<.*)?$/s.exec(value.text.replace(/\(.*$/s, ''))?.[1] : undefined;
  const decorated = [...namedKids(node), ...(isType(node.parent, 'export_statement') && node.parent ? namedKids(node.parent) : [])];
  const decorators = decorated.filter((c) => isType(c, 'decorator')).map((d) => /^@\s*([A-Za-z_$][\w$.]*)/.exec(d.text)?.[1]?.split('.').pop() ?? '').filter((d) => d !== '');
  return { name, ...(base ? { extends: base } : {}), decorators };
}

function className(node: SyntaxNode): string | null {
  return field(node, 'name')?.text ?? declaredName(node);
}

function stringValue(node: SyntaxNode | null): string | null {
  if (!node || !isType(node, 'string')) return null;
  return node.text.slice(1, -1);
}

function imports(node: SyntaxNode): ImportBinding[] {
  if (isType(node, 'import_statement')) {
    const module = stringValue(field(node, 'source'));
    if (module === null) return [];
    const out: ImportBinding[] = [];
    for (const clause of namedKids(node).filter((c) => isType(c, 'import_clause'))) {
      for (const part of namedKids(clause)) {
        if (isType(part, 'identifier')) out.push({ local: part.text, module, imported: 'default' });
        else if (isType(part, 'namespace_import')) {
          const local = namedKids(part).find((c) => isType(c, 'identifier'));
          if (local) out.push({ local: local.text, module, imported: '*' });
        } else if (isType(part, 'named_imports')) {
          for (const spec of namedKids(part).filter((c) => isType(c, 'import_specifier'))) {
            const name = field(spec, 'name')?.text;
            const alias = field(spec, 'alias')?.text;
            if (name) out.push({ local: alias ?? name, module, imported: name });
          }
        }
      }
    }
    return out;
  }
  // CommonJS: const x = require('m'); const { a, b: c } = require('m'). Every such declarator spells `require`.
  if (isType(node, 'variable_declarator') && sourceMentions(node, 'require') && /\brequire\b/.test(node.text)) {
    const value = field(node, 'value');
    if (!isType(value, 'call_expression') || field(value, 'function')?.text !== 'require') return [];
    const module = stringValue(argumentNodes(field(value, 'arguments'))[0] ?? null);
    const name = field(node, 'name');
    if (module === null || !name) return [];
    if (isType(name, 'identifier')) return [{ local: name.text, module, imported: '*' }];
    if (isType(name, 'object_pattern')) {
      const out: ImportBinding[] = [];
      for (const p of namedKids(name)) {
        if (isType(p, 'shorthand_property_identifier_pattern')) out.push({ local: p.text, module, imported: p.text });
        else if (isType(p, 'pair_pattern')) {
          const key = field(p, 'key')?.text;
          const local = field(p, 'value');
          if (key && isType(local, 'identifier')) out.push({ local: local.text, module, imported: key });
        }
      }
      return out;
    }
  }
  return [];
}

function exports(node: SyntaxNode): (readonly [string, string])[] | null {
  const out: (readonly [string, string])[] = [];
  if (isType(node, 'export_statement')) {
    const declared = EXPORTED_DECLARATION.exec(sourcePrefix(node, 200))?.[1];
    if (declared) return [[declared, declared]];
    const decl = field(node, 'declaration') ?? field(node, 'value');
    // The source before the declaration (`export default `) tells which children are worth asking for.
    const head = decl ? sourceBetween(node, node.startIndex, decl.startIndex) : null;
    const clauses = head === null || head.includes('{') ? namedKids(node).filter((c) => isType(c, 'export_clause')) : [];
    for (const clause of clauses) {
      for (const spec of namedKids(clause).filter((c) => isType(c, 'export_specifier'))) {
        const name = field(spec, 'name')?.text;
        const alias = field(spec, 'alias')?.text;
        if (name) out.push([alias ?? name, name]);
      }
    }
    if (decl) {
      const nameNode = field(decl, 'name');
      const declName = nameNode ? tokenText(nameNode) : isType(decl, 'identifier') ? tokenText(decl) : null;
      const isDefault = declName !== null && /\bdefault\b/.test(head ?? '') && kids(node).some((c) => isType(c, 'default'));
      if (isDefault && declName) out.push(['default', declName]);
      else if (declName) out.push([declName, declName]);
      const declarators = NAMED_DECLARATIONS.has(typeOf(decl)) ? [] : namedKids(decl).filter((c) => isType(c, 'variable_declarator'));
      for (const d of declarators) {
        const n = field(d, 'name');
        if (isType(n, 'identifier')) out.push([n.text, n.text]);
      }
    }
    return out;
  }
  if (isType(node, 'assignment_expression')) {
    // Almost every assignment is not an export: look at the text before asking for fields.
    if (!/^(module\.)?exports\b/.test(sourcePrefix(node, 40))) return out;
    const left = field(node, 'left')?.text ?? '';
    const right = field(node, 'right');
    if (left === 'module.exports' && right) {
      if (isType(right, 'identifier')) out.push(['default', right.text]);
      if (isType(right, 'object')) {
        for (const p of namedKids(right)) {
          if (isType(p, 'shorthand_property_identifier')) out.push([p.text, p.text]);
          else if (isType(p, 'pair')) {
            const key = field(p, 'key')?.text;
            const value = field(p, 'value');
            if (key && isType(value, 'identifier')) out.push([key, value.text]);
            else if (key) out.push([key, key]);
          }
        }
      }
    }
    const m = /^(?:module\.)?exports\.([A-Za-z_$][\w$]*)$/.exec(left);
    if (m?.[1]) out.push([m[1], isType(right, 'identifier') ? right.text : m[1]]);
    return out;
  }
  return out;
}

function literal(node: SyntaxNode) {
  if (!isType(node, 'string') && !isType(node, 'template_string')) return null;
  // Most literals hold neither escapes nor substitutions: their characters lie between the quotes.
  const text = node.text;
  const quote = text[0];
  if (text.length >= 2 && (quote === "'" || quote === '"' || quote === '`') && text[text.length - 1] === quote && !text.includes('\\') && !text.includes('${')) {
    const start = node.startIndex;
    return text.length > 2 ? [{ kind: 'text' as const, text: text.slice(1, -1), start: start + 1, end: start + text.length - 1 }] : [];
  }
  const all = kids(node);
  const first = all[0];
  const last = all[all.length - 1];
  if (!first || !last || all.length < 2) return null;
  return readLiteral(node, first.endIndex, last.startIndex, {
    escapes: new Set(['escape_sequence']),
    interpolations: new Set(['template_substitution']),
    decode: true,
  });
}

function rootNames(node: SyntaxNode | null): string[] {
  if (!node) return [];
  let n = unwrap(node);
  while (isType(n, 'member_expression') || isType(n, 'subscript_expression')) {
    const object = field(n, 'object');
    if (!object) break;
    n = unwrap(object);
  }
  if (isType(n, 'this')) return ['this'];
  return bindingNames(n);
}

function assignment(node: SyntaxNode): Assignment | null {
  if (isType(node, 'variable_declarator')) {
    const name = field(node, 'name');
    if (!name) return null;
    return { targets: bindingNames(name), targetNode: name, value: field(node, 'value'), operator: '=' };
  }
  if (isType(node, 'assignment_expression') || isType(node, 'augmented_assignment_expression')) {
    const left = field(node, 'left');
    if (!left) return null;
    const operator = field(node, 'operator')?.text ?? '=';
    return { targets: rootNames(left), targetNode: left, value: field(node, 'right'), operator };
  }
  return null;
}

function ifCondition(node: SyntaxNode): SyntaxNode | null {
  if (isType(node, 'if_statement') || isType(node, 'ternary_expression')) return field(node, 'condition');
  if (isType(node, 'binary_expression')) {
    const op = field(node, 'operator')?.text;
    return op === '??' || op === '||' ? field(node, 'left') : null;
  }
  return null;
}

function exitKind(statement: SyntaxNode): ExitKind | null {
  if (isType(statement, 'return_statement')) return 'return';
  if (isType(statement, 'break_statement')) return 'break';
  if (isType(statement, 'throw_statement')) return 'throw';
  return null;
}

function constantSize(node: SyntaxNode): number | null {
  const n = unwrap(node);
  if (!isType(n, 'array')) return null;
  const items = namedKids(n).filter((c) => !isType(c, 'comment'));
  if (items.some((c) => isType(c, 'spread_element'))) return null;
  return items.length;
}

/** `private readonly users: Repository<User>`, `client: PoolClient`, `const em: EntityManager = …`. */
function typedBinding(node: SyntaxNode): readonly [string, string] | null {
  // Most declarations carry no annotation: ask for it first.
  const annotation = field(node, 'type');
  if (!annotation) return null;
  const name = field(node, 'pattern') ?? field(node, 'name');
  if (!isType(name, 'identifier') && !isType(name, 'property_identifier')) return null;
  const type = annotation ? namedKids(annotation)[0] : undefined;
  if (!type) return null;
  const text = isType(type, 'generic_type') ? field(type, 'name')?.text ?? type.text : type.text;
  return [name.text, typeName(text)];
}

/** A name (after parameter and field modifiers) and the first character after it. */
const BINDING_HEAD = /^(?:(?:public|private|protected|readonly|override|declare)\s+)*([A-Za-z_$][\w$]*)\s*([\s\S]?)/;

/**
 * An annotation follows the name directly (`x: T`, `x?: T`, `x!: T`); a name
 * followed by `=`, a separator or nothing has none, and neither has a
 * destructuring pattern (only identifiers are recorded). Anything else
 * (decorators, comments, `static`, private names) is left to `typedBinding`.
 */
function typedBindingName(text: string, complete: boolean): string | null | undefined {
  if (text.startsWith('{') || text.startsWith('[')) return null;
  const m = BINDING_HEAD.exec(text);
  if (!m?.[1]) return undefined;
  const next = m[2] ?? '';
  if (next === '') return complete ? null : undefined;
  if (next === ':' || next === '?' || next === '!') return m[1];
  return '=,);'.includes(next) ? null : undefined;
}

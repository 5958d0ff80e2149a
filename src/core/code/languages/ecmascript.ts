/**
 * The shared adapter for the three ECMAScript grammars (TypeScript, TSX,
 * JavaScript with JSX): their node types for loops, calls, strings,
 * functions and modules are the same. The per-language files only name the
 * grammar.
 */
import type { CodeLanguage, ImportBinding } from '../types';
import type { Assignment, Chain, ChainLink, ExitKind, FunctionShape, LanguageAdapter, LoopShape, SyntaxNode } from './adapter';
import { argumentNodes, field, identifiersIn, isCapitalised, kids, namedKids, readLiteral } from './common';

const IDENTIFIERS = new Set(['identifier', 'shorthand_property_identifier_pattern', 'property_identifier']);
const BINDING_IDENTIFIERS = new Set(['identifier', 'shorthand_property_identifier_pattern']);
/** Expression wrappers that neither start nor end a chain. */
const WRAPPERS = new Set(['await_expression', 'parenthesized_expression', 'non_null_expression', 'as_expression', 'satisfies_expression', 'type_assertion', 'instantiation_expression']);
const FUNCTIONS = new Set(['function_declaration', 'generator_function_declaration', 'function_expression', 'function', 'arrow_function', 'generator_function', 'method_definition']);

/** Array methods whose callback runs once per element. */
const ITEM_METHODS = new Set(['forEach', 'map', 'flatMap', 'reduce', 'reduceRight', 'filter', 'some', 'every', 'find', 'findIndex', 'findLast', 'findLastIndex']);
/** Free functions taking (items, callback): lodash, p-map, bluebird, async. */
const ITEM_FUNCTIONS: Record<string, RegExp> = {
  map: /^(_|lodash|Promise|Bluebird|async|R)$/,
  forEach: /^(_|lodash|async)$/,
  each: /^(_|lodash|async)$/,
  eachSeries: /^async$/,
  mapSeries: /^(Promise|Bluebird|async)$/,
  mapLimit: /^async$/,
  flatMap: /^(_|lodash)$/,
  from: /^Array$/,
};
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
    isChainHead,
    loop,
    callbackLoop,
    functionDef,
    className,
    imports,
    literal,
    assignment,
    ifCondition,
    exitKind,
    isBlock: (n) => n.type === 'statement_block' || n.type === 'program' || n.type === 'switch_case' || n.type === 'switch_default',
    constantSize,
    model: () => null,
    exports,
  };
}

function unwrap(node: SyntaxNode): SyntaxNode {
  let n = node;
  while (WRAPPERS.has(n.type)) {
    const first = n.type === 'as_expression' || n.type === 'satisfies_expression' || n.type === 'instantiation_expression';
    const inner = first ? n.namedChild(0) : n.namedChildren.find((c) => c !== null && c.type !== 'comment');
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
    if (cur.type === 'call_expression') {
      const fn = field(cur, 'function');
      const argsNode = field(cur, 'arguments');
      if (!fn) return null;
      const template = argsNode?.type === 'template_string' ? argsNode : undefined;
      const args = template ? [] : argumentNodes(argsNode);
      const callee = unwrap(fn);
      if (callee.type === 'member_expression') {
        links.unshift({ name: field(callee, 'property')?.text ?? '', node: cur, args, template });
        const object = field(callee, 'object');
        if (!object) return null;
        cur = object;
        continue;
      }
      if (callee.type === 'identifier') {
        links.unshift({ name: callee.text, node: cur, args, template });
        return { base: '', baseKind: 'none', links };
      }
      links.unshift({ name: '', node: cur, args, template });
      cur = callee;
      continue;
    }
    if (cur.type === 'member_expression') {
      links.unshift({ name: field(cur, 'property')?.text ?? '', node: cur, args: null });
      const object = field(cur, 'object');
      if (!object) return null;
      cur = object;
      continue;
    }
    if (cur.type === 'subscript_expression') {
      links.unshift({ name: '[]', node: cur, args: null });
      const object = field(cur, 'object');
      if (!object) return null;
      cur = object;
      continue;
    }
    if (cur.type === 'identifier') return { base: cur.text, baseKind: isCapitalised(cur.text) ? 'constant' : 'identifier', links };
    if (cur.type === 'this') return { base: 'this', baseKind: 'self', links };
    return { base: cur.text.slice(0, 80), baseKind: 'other', links };
  }
  return null;
}

function isChainHead(call: SyntaxNode): boolean {
  let cur = call;
  for (let p = cur.parent; p; p = p.parent) {
    if (WRAPPERS.has(p.type) && p.type !== 'await_expression') {
      cur = p;
      continue;
    }
    if ((p.type === 'member_expression' || p.type === 'subscript_expression') && field(p, 'object')?.id === cur.id) {
      cur = p;
      continue;
    }
    if (p.type === 'call_expression' && field(p, 'function')?.id === cur.id) return false;
    return true;
  }
  return true;
}

function bindingNames(node: SyntaxNode | null): string[] {
  if (!node) return [];
  if (node.type === 'identifier') return [node.text];
  return [...identifiersIn(node, BINDING_IDENTIFIERS)];
}

function loop(node: SyntaxNode): LoopShape | null {
  const body = field(node, 'body');
  const header = { start: node.startIndex, end: body?.startIndex ?? node.endIndex };
  switch (node.type) {
    case 'for_statement': {
      const condition = field(node, 'condition');
      const increment = field(node, 'increment');
      const bodies = [condition, increment, body].filter((n): n is SyntaxNode => n !== null);
      return { kind: 'condition', what: '`for` loop', header, iterable: null, condition, bodies, variables: bindingNames(field(node, 'initializer')), count: countedBound(condition) };
    }
    case 'for_in_statement': {
      const isOf = field(node, 'operator')?.text === 'of';
      const isAwait = kids(node).some((c) => c.type === 'await');
      const what = isAwait ? '`for await…of` loop' : isOf ? '`for…of` loop' : '`for…in` loop';
      return { kind: 'statement', what, header, iterable: field(node, 'right'), condition: null, bodies: body ? [body] : [], variables: bindingNames(field(node, 'left')) };
    }
    case 'while_statement':
    case 'do_statement': {
      const condition = field(node, 'condition');
      const bodies = [condition, body].filter((n): n is SyntaxNode => n !== null);
      const what = node.type === 'while_statement' ? '`while` loop' : '`do…while` loop';
      return { kind: 'condition', what, header: node.type === 'while_statement' ? header : { start: node.startIndex, end: node.startIndex + 2 }, iterable: null, condition, bodies, variables: [] };
    }
    default:
      return null;
  }
}

/** `i < 3` / `i <= 4`: the iteration count of a counted loop when the bound is a literal. */
function countedBound(condition: SyntaxNode | null): number | undefined {
  if (condition?.type !== 'binary_expression') return undefined;
  const op = field(condition, 'operator')?.text;
  const right = field(condition, 'right');
  if (right?.type !== 'number') return undefined;
  const n = Number(right.text);
  if (!Number.isFinite(n)) return undefined;
  return op === '<' ? n : op === '<=' ? n + 1 : undefined;
}

function callbackLoop(call: SyntaxNode, c: Chain): LoopShape | null {
  const last = c.links[c.links.length - 1];
  if (!last?.args) return null;
  const callee = field(call, 'function');
  let iterable: SyntaxNode | null = null;
  let callback: SyntaxNode | undefined;
  let nameNode: SyntaxNode | null = null;
  const member = callee ? unwrap(callee) : null;
  if (member?.type === 'member_expression') {
    nameNode = field(member, 'property');
    const receiver = field(member, 'object');
    const viaLibrary = ITEM_FUNCTIONS[last.name]?.test(receiver?.text ?? '') ?? false;
    if (viaLibrary) {
      iterable = last.args[0] ?? null;
      callback = last.args[1];
    } else if (ITEM_METHODS.has(last.name)) {
      iterable = receiver;
      callback = last.args[0];
    } else return null;
  } else if (member?.type === 'identifier' && ITEM_CALLEES.has(member.text)) {
    nameNode = member;
    iterable = last.args[0] ?? null;
    callback = last.args[1];
  } else return null;
  if (!callback) return null;
  const fn = unwrap(callback);
  const header = { start: nameNode?.startIndex ?? call.startIndex, end: nameNode?.endIndex ?? call.endIndex };
  const what = `\`.${last.name}\` callback`;
  if (fn.type === 'arrow_function' || fn.type === 'function_expression' || fn.type === 'function') {
    const params = field(fn, 'parameters') ?? field(fn, 'parameter');
    const variables = bindingNames(params);
    // reduce's first parameter is the accumulator, not the item.
    const items = last.name === 'reduce' || last.name === 'reduceRight' ? variables.slice(1) : variables;
    return { kind: 'callback', what, header, iterable, condition: null, bodies: [fn], variables: items };
  }
  if (fn.type === 'identifier' || fn.type === 'member_expression') {
    return { kind: 'callback', what, header, iterable, condition: null, bodies: [], variables: [], callbackRef: fn };
  }
  return null;
}

function enclosingClassName(node: SyntaxNode): string | undefined {
  for (let p = node.parent; p; p = p.parent) {
    if (p.type === 'class_declaration' || p.type === 'class' || p.type === 'abstract_class_declaration') {
      return field(p, 'name')?.text ?? declaredName(p) ?? undefined;
    }
    if (p.type === 'object') return declaredName(p) ?? undefined;
    if (FUNCTIONS.has(p.type) && p.type !== 'method_definition') return undefined;
  }
  return undefined;
}

/** The name a value is bound to: `const x = <node>`, `x = <node>`, `{ x: <node> }`, `x = <node>` in a class. */
function declaredName(value: SyntaxNode): string | null {
  const p = value.parent;
  if (!p) return null;
  if (p.type === 'variable_declarator' && field(p, 'value')?.id === value.id) return field(p, 'name')?.text ?? null;
  if (p.type === 'pair' && field(p, 'value')?.id === value.id) return field(p, 'key')?.text.replace(/^['"]|['"]$/g, '') ?? null;
  if ((p.type === 'public_field_definition' || p.type === 'field_definition') && field(p, 'value')?.id === value.id) {
    return (field(p, 'name') ?? field(p, 'property'))?.text ?? null;
  }
  if (p.type === 'assignment_expression' && field(p, 'right')?.id === value.id) {
    const left = field(p, 'left');
    if (left?.type === 'identifier') return left.text;
    if (left?.type === 'member_expression') return field(left, 'property')?.text ?? null;
  }
  return null;
}

function isExported(node: SyntaxNode): boolean {
  for (let p = node.parent, depth = 0; p && depth < 4; p = p.parent, depth++) {
    if (p.type === 'export_statement') return true;
    if (p.type === 'statement_block' || p.type === 'program') return false;
  }
  return false;
}

function functionDef(node: SyntaxNode): FunctionShape | null {
  if (!FUNCTIONS.has(node.type)) return null;
  if (node.type === 'function_declaration' || node.type === 'generator_function_declaration') {
    const nameNode = field(node, 'name');
    return { name: nameNode?.text ?? null, nameNode, exported: isExported(node), memoised: false };
  }
  if (node.type === 'method_definition') {
    const nameNode = field(node, 'name');
    const cls = enclosingClassName(node);
    return { name: nameNode?.text ?? null, nameNode, className: cls, exported: true, memoised: false };
  }
  // Function values take the name they are bound to; `memoize(async (id) => …)` too.
  let value: SyntaxNode = node;
  let memoised = false;
  const args = node.parent;
  const wrapper = args?.type === 'arguments' ? args.parent : null;
  if (wrapper?.type === 'call_expression') {
    const callee = field(wrapper, 'function');
    const name = callee?.type === 'member_expression' ? field(callee, 'property')?.text : callee?.text;
    if (!name || !MEMOISERS.test(name)) return { name: null, nameNode: null, exported: false, memoised: false };
    memoised = true;
    value = wrapper;
  }
  const name = declaredName(value);
  if (!name) return { name: null, nameNode: null, exported: false, memoised };
  const holder = value.parent;
  const nameNode = holder ? field(holder, 'name') ?? field(holder, 'key') ?? field(holder, 'left') : null;
  const cls = holder && holder.type !== 'variable_declarator' && holder.type !== 'assignment_expression' ? enclosingClassName(holder) : undefined;
  const exported = holder?.type === 'variable_declarator' ? isExported(holder) : holder?.type === 'assignment_expression' ? /^(module\.)?exports\./.test(field(holder, 'left')?.text ?? '') : true;
  return { name, nameNode, className: cls, exported, memoised };
}

function className(node: SyntaxNode): string | null {
  return field(node, 'name')?.text ?? declaredName(node);
}

function stringValue(node: SyntaxNode | null): string | null {
  if (!node || node.type !== 'string') return null;
  return node.text.slice(1, -1);
}

function imports(node: SyntaxNode): ImportBinding[] {
  if (node.type === 'import_statement') {
    const module = stringValue(field(node, 'source'));
    if (module === null) return [];
    const out: ImportBinding[] = [];
    for (const clause of namedKids(node).filter((c) => c.type === 'import_clause')) {
      for (const part of namedKids(clause)) {
        if (part.type === 'identifier') out.push({ local: part.text, module, imported: 'default' });
        else if (part.type === 'namespace_import') {
          const local = namedKids(part).find((c) => c.type === 'identifier');
          if (local) out.push({ local: local.text, module, imported: '*' });
        } else if (part.type === 'named_imports') {
          for (const spec of namedKids(part).filter((c) => c.type === 'import_specifier')) {
            const name = field(spec, 'name')?.text;
            const alias = field(spec, 'alias')?.text;
            if (name) out.push({ local: alias ?? name, module, imported: name });
          }
        }
      }
    }
    return out;
  }
  // CommonJS: const x = require('m'); const { a, b: c } = require('m').
  if (node.type === 'variable_declarator') {
    const value = field(node, 'value');
    if (value?.type !== 'call_expression' || field(value, 'function')?.text !== 'require') return [];
    const module = stringValue(argumentNodes(field(value, 'arguments'))[0] ?? null);
    const name = field(node, 'name');
    if (module === null || !name) return [];
    if (name.type === 'identifier') return [{ local: name.text, module, imported: '*' }];
    if (name.type === 'object_pattern') {
      const out: ImportBinding[] = [];
      for (const p of namedKids(name)) {
        if (p.type === 'shorthand_property_identifier_pattern') out.push({ local: p.text, module, imported: p.text });
        else if (p.type === 'pair_pattern') {
          const key = field(p, 'key')?.text;
          const local = field(p, 'value');
          if (key && local?.type === 'identifier') out.push({ local: local.text, module, imported: key });
        }
      }
      return out;
    }
  }
  return [];
}

function exports(node: SyntaxNode): (readonly [string, string])[] | null {
  const out: (readonly [string, string])[] = [];
  if (node.type === 'export_statement') {
    const isDefault = kids(node).some((c) => c.type === 'default');
    const decl = field(node, 'declaration') ?? field(node, 'value');
    for (const clause of namedKids(node).filter((c) => c.type === 'export_clause')) {
      for (const spec of namedKids(clause).filter((c) => c.type === 'export_specifier')) {
        const name = field(spec, 'name')?.text;
        const alias = field(spec, 'alias')?.text;
        if (name) out.push([alias ?? name, name]);
      }
    }
    if (decl) {
      const declName = field(decl, 'name')?.text ?? (decl.type === 'identifier' ? decl.text : null);
      if (isDefault && declName) out.push(['default', declName]);
      else if (declName) out.push([declName, declName]);
      for (const d of namedKids(decl).filter((c) => c.type === 'variable_declarator')) {
        const n = field(d, 'name');
        if (n?.type === 'identifier') out.push([n.text, n.text]);
      }
    }
    return out;
  }
  if (node.type === 'assignment_expression') {
    const left = field(node, 'left')?.text ?? '';
    const right = field(node, 'right');
    if (left === 'module.exports' && right) {
      if (right.type === 'identifier') out.push(['default', right.text]);
      if (right.type === 'object') {
        for (const p of namedKids(right)) {
          if (p.type === 'shorthand_property_identifier') out.push([p.text, p.text]);
          else if (p.type === 'pair') {
            const key = field(p, 'key')?.text;
            const value = field(p, 'value');
            if (key && value?.type === 'identifier') out.push([key, value.text]);
            else if (key) out.push([key, key]);
          }
        }
      }
    }
    const m = /^(?:module\.)?exports\.([A-Za-z_$][\w$]*)$/.exec(left);
    if (m?.[1]) out.push([m[1], right?.type === 'identifier' ? right.text : m[1]]);
    return out;
  }
  return out;
}

function literal(node: SyntaxNode) {
  if (node.type !== 'string' && node.type !== 'template_string') return null;
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
  while (n.type === 'member_expression' || n.type === 'subscript_expression') {
    const object = field(n, 'object');
    if (!object) break;
    n = unwrap(object);
  }
  if (n.type === 'this') return ['this'];
  return bindingNames(n);
}

function assignment(node: SyntaxNode): Assignment | null {
  if (node.type === 'variable_declarator') {
    const name = field(node, 'name');
    if (!name) return null;
    return { targets: bindingNames(name), targetNode: name, value: field(node, 'value'), operator: '=' };
  }
  if (node.type === 'assignment_expression' || node.type === 'augmented_assignment_expression') {
    const left = field(node, 'left');
    if (!left) return null;
    const operator = field(node, 'operator')?.text ?? '=';
    return { targets: rootNames(left), targetNode: left, value: field(node, 'right'), operator };
  }
  return null;
}

function ifCondition(node: SyntaxNode): SyntaxNode | null {
  if (node.type === 'if_statement' || node.type === 'ternary_expression') return field(node, 'condition');
  if (node.type === 'binary_expression') {
    const op = field(node, 'operator')?.text;
    return op === '??' || op === '||' ? field(node, 'left') : null;
  }
  return null;
}

function exitKind(statement: SyntaxNode): ExitKind | null {
  if (statement.type === 'return_statement') return 'return';
  if (statement.type === 'break_statement') return 'break';
  if (statement.type === 'throw_statement') return 'throw';
  return null;
}

function constantSize(node: SyntaxNode): number | null {
  const n = unwrap(node);
  if (n.type !== 'array') return null;
  const items = namedKids(n).filter((c) => c.type !== 'comment');
  if (items.some((c) => c.type === 'spread_element')) return null;
  return items.length;
}

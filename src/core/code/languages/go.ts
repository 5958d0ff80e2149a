/**
 * Go: `for` in its four forms (range, three-clause, condition, infinite),
 * `lo.ForEach`/`lo.Map` callbacks; calls and selector chains; interpreted and
 * raw string literals; functions and methods (the receiver is "self");
 * imports bind the package's last path element.
 */
import type { ImportBinding, TypeFact } from '../types';
import type { Assignment, Chain, ChainLink, ExitKind, FunctionShape, LanguageAdapter, LiteralPart, LoopShape, SyntaxNode } from './adapter';
import { argumentNodes, field, identifiersIn, isCapitalised, isSteppedUpdate, isType, kids, namedKids, readLiteral } from './common';

const IDENTIFIERS = new Set(['identifier']);
/** Generic helpers that call a function per element. */
const ITEM_FUNCTIONS = /^(lo|funk|slices|pie)\.(ForEach|Map|FlatMap|Filter|Reduce|ForEachWithIndex)$/;

export const goAdapter: LanguageAdapter = {
  language: 'go',
  callTypes: new Set(['call_expression']),
  loopTypes: new Set(['for_statement']),
  functionTypes: new Set(['function_declaration', 'method_declaration', 'func_literal']),
  classTypes: new Set(),
  stringTypes: new Set(['interpreted_string_literal', 'raw_string_literal']),
  assignmentTypes: new Set(['short_var_declaration', 'assignment_statement', 'var_spec']),
  importTypes: new Set(['import_spec']),
  exportTypes: new Set(),
  identifierTypes: IDENTIFIERS,
  ifTypes: new Set(['if_statement']),
  memberTypes: new Set(),
  commentType: 'comment',
  selfNames: new Set(),
  chain,
  loop,
  callbackLoop,
  functionDef,
  className: () => null,
  imports,
  literal,
  assignment,
  ifCondition: (n) => (isType(n, 'if_statement') ? field(n, 'condition') : null),
  exitKind,
  isBlock: (n) => isType(n, 'block') || isType(n, 'statement_list') || isType(n, 'source_file'),
  constantSize,
  model: () => null,
  exports: () => null,
  typedBindingTypes: new Set(['parameter_declaration', 'var_spec', 'field_declaration']),
  typedBinding,
  typeDeclTypes: new Set(['type_spec']),
  typeFact,
};

/** `Store *store.Store` → Store: the type name without pointer, slice or package. */
function bareType(text: string): string {
  const t = qualifiedType(text);
  return t.split('.').pop() ?? t;
}

/** `*xorm.Session`, `[]store.Memo`, `...Option[T]` → `xorm.Session`, `store.Memo`, `Option`. */
function qualifiedType(text: string): string {
  return text.replace(/^(\*|\[\]|\.\.\.)+/, '').replace(/\[.*$/s, '').trim();
}

/** `type Store struct { driver Driver }`, `type Driver interface { ListMemos(…) }`. */
function typeFact(node: SyntaxNode): TypeFact | null {
  const name = field(node, 'name')?.text;
  const type = field(node, 'type');
  if (!name || !type) return null;
  if (isType(type, 'struct_type')) {
    const list = namedKids(type).find((c) => isType(c, 'field_declaration_list'));
    const fields: [string, string][] = [];
    for (const f of list ? namedKids(list) : []) {
      if (!isType(f, 'field_declaration')) continue;
      const t = field(f, 'type');
      if (!t) continue;
      const names = namedKids(f).filter((c) => isType(c, 'field_identifier'));
      // An embedded field (`*Store`) is reached by its type's name.
      if (names.length === 0) fields.push([bareType(t.text), bareType(t.text)]);
      for (const n of names) fields.push([n.text, bareType(t.text)]);
    }
    return { name, kind: 'struct', fields, methods: [] };
  }
  if (isType(type, 'interface_type')) {
    const methods = namedKids(type).filter((c) => isType(c, 'method_elem') || isType(c, 'method_spec')).map((m) => field(m, 'name')?.text ?? '').filter((m) => m !== '');
    return { name, kind: 'interface', fields: [], methods };
  }
  return null;
}

/**
 * `s *xorm.Session`, `var db *sql.DB`, a struct field `driver Driver`: the
 * name and its type with the package kept (`xorm.Session`), since in Go the
 * package is what says which library a value comes from.
 */
function typedBinding(node: SyntaxNode): readonly [string, string] | null {
  const type = field(node, 'type');
  const name = field(node, 'name');
  if (!type || !isType(name, 'identifier') && !isType(name, 'field_identifier')) return null;
  return name ? [name.text, qualifiedType(type.text)] : null;
}

function unwrap(node: SyntaxNode): SyntaxNode {
  let n = node;
  while (isType(n, 'parenthesized_expression')) {
    const inner = namedKids(n)[0];
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
    if (isType(cur, 'call_expression')) {
      const fn = field(cur, 'function');
      if (!fn) return null;
      const args = argumentNodes(field(cur, 'arguments'));
      const callee = unwrap(fn);
      if (isType(callee, 'selector_expression')) {
        links.unshift({ name: field(callee, 'field')?.text ?? '', node: cur, args });
        const operand = field(callee, 'operand');
        if (!operand) return null;
        cur = operand;
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
    if (isType(cur, 'selector_expression')) {
      links.unshift({ name: field(cur, 'field')?.text ?? '', node: cur, args: null });
      const operand = field(cur, 'operand');
      if (!operand) return null;
      cur = operand;
      continue;
    }
    if (isType(cur, 'index_expression')) {
      links.unshift({ name: '[]', node: cur, args: null });
      const operand = field(cur, 'operand');
      if (!operand) return null;
      cur = operand;
      continue;
    }
    if (isType(cur, 'identifier')) return { base: cur.text, baseKind: 'identifier', links };
    return { base: cur.text.slice(0, 80), baseKind: 'other', links };
  }
  return null;
}

function names(node: SyntaxNode | null): string[] {
  return node ? [...identifiersIn(node, IDENTIFIERS)].filter((n) => n !== '_') : [];
}

function loop(node: SyntaxNode): LoopShape | null {
  if (!isType(node, 'for_statement')) return null;
  const body = field(node, 'body');
  const header = { start: node.startIndex, end: body?.startIndex ?? node.endIndex };
  const clause = namedKids(node).find((c) => c.id !== body?.id && !isType(c, 'comment')) ?? null;
  if (isType(clause, 'range_clause')) {
    return { kind: 'statement', what: '`for … range` loop', header, iterable: field(clause, 'right'), condition: null, bodies: body ? [body] : [], variables: names(field(clause, 'left')) };
  }
  if (isType(clause, 'for_clause')) {
    const condition = field(clause, 'condition');
    const update = field(clause, 'update');
    return {
      kind: 'condition', what: '`for` loop', header, iterable: null, condition,
      bodies: [condition, update, body].filter((n): n is SyntaxNode => n !== null),
      variables: names(field(clause, 'initializer')), count: countedBound(condition),
      // `for start := 0; start < n; start += batchSize`: one round per batch.
      ...(update && isSteppedUpdate(update.text) ? { chunked: true } : {}),
    };
  }
  // `for cond { … }` and `for { … }`.
  return { kind: 'condition', what: '`for` loop', header, iterable: null, condition: clause, bodies: [clause, body].filter((n): n is SyntaxNode => n !== null), variables: [] };
}

function countedBound(condition: SyntaxNode | null): number | undefined {
  if (!isType(condition, 'binary_expression')) return undefined;
  const op = field(condition, 'operator')?.text;
  const right = field(condition, 'right');
  if (!isType(right, 'int_literal')) return undefined;
  const n = Number(right.text);
  return op === '<' ? n : op === '<=' ? n + 1 : undefined;
}

function callbackLoop(call: SyntaxNode, c: Chain): LoopShape | null {
  const last = c.links[c.links.length - 1];
  if (!last?.args || !ITEM_FUNCTIONS.test(`${c.base}.${last.name}`)) return null;
  const iterable = last.args[0] ?? null;
  const fn = last.args[1];
  if (!fn) return null;
  const header = { start: call.startIndex, end: field(call, 'arguments')?.startIndex ?? call.endIndex };
  const what = `\`${c.base}.${last.name}\` callback`;
  if (isType(fn, 'func_literal')) {
    const body = field(fn, 'body');
    return { kind: 'callback', what, header, iterable, condition: null, bodies: body ? [body] : [], variables: names(field(fn, 'parameters')) };
  }
  if (isType(fn, 'identifier') || isType(fn, 'selector_expression')) {
    return { kind: 'callback', what, header, iterable, condition: null, bodies: [], variables: [], callbackRef: fn };
  }
  return null;
}

function functionDef(node: SyntaxNode): FunctionShape | null {
  if (isType(node, 'func_literal')) return { name: null, nameNode: null, exported: false, memoised: false };
  const nameNode = field(node, 'name');
  const name = nameNode?.text ?? null;
  if (isType(node, 'function_declaration')) return { name, nameNode, exported: isCapitalised(name ?? ''), memoised: false };
  if (!isType(node, 'method_declaration')) return null;
  const receiver = namedKids(field(node, 'receiver') ?? node).find((c) => isType(c, 'parameter_declaration'));
  const selfName = receiver ? field(receiver, 'name')?.text : undefined;
  const type = receiver ? field(receiver, 'type') : null;
  const className = type ? namedKids(type).find((c) => isType(c, 'type_identifier'))?.text ?? (isType(type, 'type_identifier') ? type.text : undefined) : undefined;
  return { name, nameNode, className, selfName, exported: isCapitalised(name ?? ''), memoised: false };
}

function imports(node: SyntaxNode): ImportBinding[] {
  const path = field(node, 'path');
  if (!path) return [];
  const module = path.text.slice(1, -1);
  const alias = field(node, 'name')?.text;
  const local = alias ?? module.split('/').pop() ?? module;
  if (local === '_' || local === '.') return [];
  return [{ local, module, imported: '*' }];
}

function literal(node: SyntaxNode): LiteralPart[] | null {
  if (!isType(node, 'interpreted_string_literal') && !isType(node, 'raw_string_literal')) return null;
  const all = kids(node);
  const first = all[0];
  const last = all[all.length - 1];
  if (!first || !last || all.length < 2) return null;
  return readLiteral(node, first.endIndex, last.startIndex, {
    escapes: new Set(['escape_sequence']),
    interpolations: new Set(),
    decode: isType(node, 'interpreted_string_literal'),
  });
}

function single(list: SyntaxNode | null): SyntaxNode | null {
  if (!list) return null;
  if (!isType(list, 'expression_list')) return list;
  return namedKids(list)[0] ?? null;
}

function assignment(node: SyntaxNode): Assignment | null {
  if (isType(node, 'var_spec')) {
    const name = field(node, 'name');
    if (!name) return null;
    return { targets: [name.text], targetNode: name, value: single(field(node, 'value')), operator: '=' };
  }
  const left = field(node, 'left');
  if (!left) return null;
  const operator = isType(node, 'short_var_declaration') ? ':=' : field(node, 'operator')?.text ?? '=';
  // `cache[id] = u` writes `cache`; `s.next = x` writes `s`.
  const targets = namedKids(isType(left, 'expression_list') ? left : node).flatMap((t) => {
    let n = t;
    while (isType(n, 'index_expression') || isType(n, 'selector_expression')) {
      const inner = field(n, 'operand');
      if (!inner) break;
      n = inner;
    }
    return isType(n, 'identifier') && n.text !== '_' ? [n.text] : [];
  });
  return { targets, targetNode: left, value: single(field(node, 'right')), operator };
}

function exitKind(statement: SyntaxNode): ExitKind | null {
  if (isType(statement, 'return_statement')) return 'return';
  if (isType(statement, 'break_statement')) return 'break';
  if (isType(statement, 'expression_statement') && /^panic\(/.test(statement.text)) return 'throw';
  return null;
}

function constantSize(node: SyntaxNode): number | null {
  const n = unwrap(node);
  if (!isType(n, 'composite_literal')) return null;
  const type = field(n, 'type');
  if (!isType(type, 'slice_type') && !isType(type, 'array_type')) return null;
  const body = field(n, 'body');
  return body ? namedKids(body).filter((c) => isType(c, 'literal_element')).length : null;
}

/**
 * Go: `for` in its four forms (range, three-clause, condition, infinite),
 * `lo.ForEach`/`lo.Map` callbacks; calls and selector chains; interpreted and
 * raw string literals; functions and methods (the receiver is "self");
 * imports bind the package's last path element.
 */
import type { ImportBinding } from '../types';
import type { Assignment, Chain, ChainLink, ExitKind, FunctionShape, LanguageAdapter, LiteralPart, LoopShape, SyntaxNode } from './adapter';
import { argumentNodes, field, identifiersIn, isCapitalised, kids, namedKids, readLiteral } from './common';

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
  isChainHead,
  loop,
  callbackLoop,
  functionDef,
  className: () => null,
  imports,
  literal,
  assignment,
  ifCondition: (n) => (n.type === 'if_statement' ? field(n, 'condition') : null),
  exitKind,
  isBlock: (n) => n.type === 'block' || n.type === 'statement_list' || n.type === 'source_file',
  constantSize,
  model: () => null,
  exports: () => null,
};

function unwrap(node: SyntaxNode): SyntaxNode {
  let n = node;
  while (n.type === 'parenthesized_expression') {
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
    if (cur.type === 'call_expression') {
      const fn = field(cur, 'function');
      if (!fn) return null;
      const args = argumentNodes(field(cur, 'arguments'));
      const callee = unwrap(fn);
      if (callee.type === 'selector_expression') {
        links.unshift({ name: field(callee, 'field')?.text ?? '', node: cur, args });
        const operand = field(callee, 'operand');
        if (!operand) return null;
        cur = operand;
        continue;
      }
      if (callee.type === 'identifier') {
        links.unshift({ name: callee.text, node: cur, args });
        return { base: '', baseKind: 'none', links };
      }
      links.unshift({ name: '', node: cur, args });
      cur = callee;
      continue;
    }
    if (cur.type === 'selector_expression') {
      links.unshift({ name: field(cur, 'field')?.text ?? '', node: cur, args: null });
      const operand = field(cur, 'operand');
      if (!operand) return null;
      cur = operand;
      continue;
    }
    if (cur.type === 'index_expression') {
      links.unshift({ name: '[]', node: cur, args: null });
      const operand = field(cur, 'operand');
      if (!operand) return null;
      cur = operand;
      continue;
    }
    if (cur.type === 'identifier') return { base: cur.text, baseKind: 'identifier', links };
    return { base: cur.text.slice(0, 80), baseKind: 'other', links };
  }
  return null;
}

function isChainHead(call: SyntaxNode): boolean {
  let cur = call;
  for (let p = cur.parent; p; p = p.parent) {
    if (p.type === 'parenthesized_expression') {
      cur = p;
      continue;
    }
    if ((p.type === 'selector_expression' || p.type === 'index_expression') && field(p, 'operand')?.id === cur.id) {
      cur = p;
      continue;
    }
    if (p.type === 'call_expression' && field(p, 'function')?.id === cur.id) return false;
    return true;
  }
  return true;
}

function names(node: SyntaxNode | null): string[] {
  return node ? [...identifiersIn(node, IDENTIFIERS)].filter((n) => n !== '_') : [];
}

function loop(node: SyntaxNode): LoopShape | null {
  if (node.type !== 'for_statement') return null;
  const body = field(node, 'body');
  const header = { start: node.startIndex, end: body?.startIndex ?? node.endIndex };
  const clause = namedKids(node).find((c) => c.id !== body?.id && c.type !== 'comment') ?? null;
  if (clause?.type === 'range_clause') {
    return { kind: 'statement', what: '`for … range` loop', header, iterable: field(clause, 'right'), condition: null, bodies: body ? [body] : [], variables: names(field(clause, 'left')) };
  }
  if (clause?.type === 'for_clause') {
    const condition = field(clause, 'condition');
    const update = field(clause, 'update');
    return {
      kind: 'condition', what: '`for` loop', header, iterable: null, condition,
      bodies: [condition, update, body].filter((n): n is SyntaxNode => n !== null),
      variables: names(field(clause, 'initializer')), count: countedBound(condition),
    };
  }
  // `for cond { … }` and `for { … }`.
  return { kind: 'condition', what: '`for` loop', header, iterable: null, condition: clause, bodies: [clause, body].filter((n): n is SyntaxNode => n !== null), variables: [] };
}

function countedBound(condition: SyntaxNode | null): number | undefined {
  if (condition?.type !== 'binary_expression') return undefined;
  const op = field(condition, 'operator')?.text;
  const right = field(condition, 'right');
  if (right?.type !== 'int_literal') return undefined;
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
  if (fn.type === 'func_literal') {
    const body = field(fn, 'body');
    return { kind: 'callback', what, header, iterable, condition: null, bodies: body ? [body] : [], variables: names(field(fn, 'parameters')) };
  }
  if (fn.type === 'identifier' || fn.type === 'selector_expression') {
    return { kind: 'callback', what, header, iterable, condition: null, bodies: [], variables: [], callbackRef: fn };
  }
  return null;
}

function functionDef(node: SyntaxNode): FunctionShape | null {
  if (node.type === 'func_literal') return { name: null, nameNode: null, exported: false, memoised: false };
  const nameNode = field(node, 'name');
  const name = nameNode?.text ?? null;
  if (node.type === 'function_declaration') return { name, nameNode, exported: isCapitalised(name ?? ''), memoised: false };
  if (node.type !== 'method_declaration') return null;
  const receiver = namedKids(field(node, 'receiver') ?? node).find((c) => c.type === 'parameter_declaration');
  const selfName = receiver ? field(receiver, 'name')?.text : undefined;
  const type = receiver ? field(receiver, 'type') : null;
  const className = type ? namedKids(type).find((c) => c.type === 'type_identifier')?.text ?? (type.type === 'type_identifier' ? type.text : undefined) : undefined;
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
  if (node.type !== 'interpreted_string_literal' && node.type !== 'raw_string_literal') return null;
  const all = kids(node);
  const first = all[0];
  const last = all[all.length - 1];
  if (!first || !last || all.length < 2) return null;
  return readLiteral(node, first.endIndex, last.startIndex, {
    escapes: new Set(['escape_sequence']),
    interpolations: new Set(),
    decode: node.type === 'interpreted_string_literal',
  });
}

function single(list: SyntaxNode | null): SyntaxNode | null {
  if (!list) return null;
  if (list.type !== 'expression_list') return list;
  return namedKids(list)[0] ?? null;
}

function assignment(node: SyntaxNode): Assignment | null {
  if (node.type === 'var_spec') {
    const name = field(node, 'name');
    if (!name) return null;
    return { targets: [name.text], targetNode: name, value: single(field(node, 'value')), operator: '=' };
  }
  const left = field(node, 'left');
  if (!left) return null;
  const operator = node.type === 'short_var_declaration' ? ':=' : field(node, 'operator')?.text ?? '=';
  // `cache[id] = u` writes `cache`; `s.next = x` writes `s`.
  const targets = namedKids(left.type === 'expression_list' ? left : node).flatMap((t) => {
    let n = t;
    while (n.type === 'index_expression' || n.type === 'selector_expression') {
      const inner = field(n, 'operand');
      if (!inner) break;
      n = inner;
    }
    return n.type === 'identifier' && n.text !== '_' ? [n.text] : [];
  });
  return { targets, targetNode: left, value: single(field(node, 'right')), operator };
}

function exitKind(statement: SyntaxNode): ExitKind | null {
  if (statement.type === 'return_statement') return 'return';
  if (statement.type === 'break_statement') return 'break';
  if (statement.type === 'expression_statement' && /^panic\(/.test(statement.text)) return 'throw';
  return null;
}

function constantSize(node: SyntaxNode): number | null {
  const n = unwrap(node);
  if (n.type !== 'composite_literal') return null;
  const type = field(n, 'type');
  if (type?.type !== 'slice_type' && type?.type !== 'array_type') return null;
  const body = field(n, 'body');
  return body ? namedKids(body).filter((c) => c.type === 'literal_element').length : null;
}

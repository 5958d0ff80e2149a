/**
 * Ruby: `while`/`until`/`for`, blocks given to iterating methods (`each`,
 * `map`, `times`, `find_each`, …) and `loop do`; method calls with and
 * without receivers; strings, `%q()` and heredocs; `def` and `def self.`;
 * ActiveRecord models and their associations.
 */
import type { ModelRelation, ModelSummary } from '../types';
import type { Assignment, Chain, ChainLink, ExitKind, FunctionShape, LanguageAdapter, LiteralPart, LoopShape, MemberPath, SyntaxNode } from './adapter';
import { argumentNodes, field, identifiersIn, isType, kids, namedKids, readLiteral, typeOf } from './common';

const IDENTIFIERS = new Set(['identifier', 'instance_variable']);
/** Block methods that yield once per element. */
const ITEM_METHODS = new Set([
  'each', 'map', 'flat_map', 'collect', 'collect_concat', 'select', 'filter', 'filter_map', 'reject', 'each_with_index',
  'each_with_object', 'map!', 'times', 'upto', 'downto', 'step', 'find_each', 'sum', 'group_by', 'index_by', 'inject',
  'reduce', 'any?', 'all?', 'none?', 'find', 'detect', 'partition', 'sort_by', 'min_by', 'max_by', 'to_h', 'each_value',
  'each_pair', 'each_key', 'each_entry', 'each_cons', 'zip', 'tally_by', 'uniq', 'count',
]);
/** Block methods that yield batches of records. */
const BATCH_METHODS = new Set(['each_slice', 'in_batches', 'find_in_batches', 'each_batch', 'in_groups_of']);
const TO_ONE = new Set(['belongs_to', 'has_one']);
const TO_MANY = new Set(['has_many', 'has_and_belongs_to_many']);

export const rubyAdapter: LanguageAdapter = {
  language: 'ruby',
  callTypes: new Set(['call']),
  loopTypes: new Set(['while', 'until', 'for']),
  functionTypes: new Set(['method', 'singleton_method']),
  classTypes: new Set(['class', 'module']),
  stringTypes: new Set(['string', 'heredoc_body']),
  assignmentTypes: new Set(['assignment', 'operator_assignment']),
  importTypes: new Set(),
  exportTypes: new Set(),
  identifierTypes: IDENTIFIERS,
  ifTypes: new Set(['if', 'unless', 'elsif', 'if_modifier', 'unless_modifier', 'conditional', 'binary']),
  memberTypes: new Set(['call']),
  commentType: 'comment',
  selfNames: new Set(['self']),
  chain,
  loop,
  callbackLoop,
  functionDef,
  className: (n) => field(n, 'name')?.text ?? null,
  imports: () => [],
  literal,
  assignment,
  ifCondition,
  exitKind,
  isBlock: (n) => ['body_statement', 'block_body', 'program', 'then', 'else', 'do', 'begin'].includes(typeOf(n)),
  constantSize,
  model,
  exports: () => null,
  memberPath,
  literalTarget,
};

function unwrap(node: SyntaxNode): SyntaxNode {
  let n = node;
  while (isType(n, 'parenthesized_statements')) {
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
    if (isType(cur, 'call')) {
      const method = field(cur, 'method');
      const block = field(cur, 'block') ?? undefined;
      links.unshift({ name: method?.text ?? '', node: cur, args: argumentNodes(field(cur, 'arguments')), block });
      const receiver = field(cur, 'receiver');
      if (!receiver) return { base: '', baseKind: 'none', links };
      cur = receiver;
      continue;
    }
    if (isType(cur, 'element_reference')) {
      links.unshift({ name: '[]', node: cur, args: null });
      const object = field(cur, 'object');
      if (!object) return null;
      cur = object;
      continue;
    }
    if (isType(cur, 'constant') || isType(cur, 'scope_resolution')) return { base: cur.text, baseKind: 'constant', links };
    if (isType(cur, 'self')) return { base: 'self', baseKind: 'self', links };
    if (isType(cur, 'identifier') || isType(cur, 'instance_variable')) return { base: cur.text, baseKind: 'identifier', links };
    return { base: cur.text.slice(0, 80), baseKind: 'other', links };
  }
  return null;
}

function names(node: SyntaxNode | null): string[] {
  return node ? [...identifiersIn(node, IDENTIFIERS)] : [];
}

function loop(node: SyntaxNode): LoopShape | null {
  const body = field(node, 'body');
  const header = { start: node.startIndex, end: body?.startIndex ?? node.endIndex };
  if (isType(node, 'while') || isType(node, 'until')) {
    const condition = field(node, 'condition');
    return { kind: 'condition', what: `\`${typeOf(node)}\` loop`, header, iterable: null, condition, bodies: [condition, body].filter((n): n is SyntaxNode => n !== null), variables: [] };
  }
  if (isType(node, 'for')) {
    const value = field(node, 'value');
    const iterable = value ? namedKids(value)[0] ?? null : null;
    return { kind: 'statement', what: '`for` loop', header, iterable, condition: null, bodies: body ? [body] : [], variables: names(field(node, 'pattern')) };
  }
  return null;
}

/** Iteration methods that stop at the first item that answers. */
const SHORT_CIRCUIT = new Set(['any?', 'all?', 'none?', 'one?', 'find', 'detect', 'find_index', 'include?']);

function callbackLoop(call: SyntaxNode, c: Chain): LoopShape | null {
  const last = c.links[c.links.length - 1];
  const block = last?.block;
  const method = field(call, 'method');
  const header = { start: method?.startIndex ?? call.startIndex, end: method?.endIndex ?? call.endIndex };
  if (last && !block && ITEM_METHODS.has(last.name) && !SHORT_CIRCUIT.has(last.name)) {
    // `orders.map(&:customer)`: `customer` is called on every order. A predicate that stops at the
    // first match (`any?(&:backordered?)`) usually calls it on a few.
    const arg = last.args?.length === 1 ? last.args[0] : undefined;
    const symbol = arg && isType(arg, 'block_argument') ? namedKids(arg)[0] : undefined;
    if (symbol && isType(symbol, 'simple_symbol')) {
      return {
        kind: 'callback', what: `\`${last.name}(&${symbol.text})\``, header, iterable: field(call, 'receiver'), condition: null, bodies: [],
        variables: [], symbol: { name: symbol.text.slice(1), start: symbol.startIndex, end: symbol.endIndex },
      };
    }
  }
  if (!last || !block) return null;
  const params = field(block, 'parameters');
  const body = field(block, 'body');
  const bodies = body ? [body] : [];
  const receiver = field(call, 'receiver');
  if (last.name === 'loop' && !receiver) {
    return { kind: 'condition', what: '`loop do` block', header, iterable: null, condition: null, bodies, variables: [] };
  }
  const chunked = BATCH_METHODS.has(last.name);
  if (!chunked && !ITEM_METHODS.has(last.name)) return null;
  const count = receiver && last.name === 'times' ? constantSize(receiver) ?? undefined : undefined;
  return {
    kind: 'callback', what: `\`${last.name}\` block`, header, iterable: receiver, condition: null, bodies,
    variables: names(params), count, chunked,
  };
}

function enclosingClass(node: SyntaxNode): string | undefined {
  for (let p = node.parent; p; p = p.parent) if (isType(p, 'class') || isType(p, 'module')) return field(p, 'name')?.text;
  return undefined;
}

function functionDef(node: SyntaxNode): FunctionShape | null {
  if (!isType(node, 'method') && !isType(node, 'singleton_method')) return null;
  const nameNode = field(node, 'name');
  return { name: nameNode?.text ?? null, nameNode, className: enclosingClass(node), exported: true, memoised: false };
}

function literalTarget(node: SyntaxNode): SyntaxNode | null {
  if (!isType(node, 'heredoc_beginning')) return node;
  // The body follows the line that opens it; it is not a child of the call.
  const bodies = node.tree.rootNode.descendantsOfType('heredoc_body', node.endPosition);
  return bodies.find((b) => b !== null && b.startIndex >= node.endIndex) ?? null;
}

function literal(node: SyntaxNode): LiteralPart[] | null {
  const syntax = { escapes: new Set(['escape_sequence']), interpolations: new Set(['interpolation']), decode: true };
  if (isType(node, 'heredoc_body')) {
    const end = kids(node).find((c) => isType(c, 'heredoc_end'));
    // The body node starts with the newline that ends the opening line.
    const start = node.text.startsWith('\n') ? node.startIndex + 1 : node.startIndex;
    return readLiteral(node, start, end?.startIndex ?? node.endIndex, syntax);
  }
  if (!isType(node, 'string')) return null;
  const all = kids(node);
  const first = all[0];
  const last = all[all.length - 1];
  if (!first || !last || all.length < 2) return null;
  return readLiteral(node, first.endIndex, last.startIndex, syntax);
}

function rootNames(node: SyntaxNode): string[] {
  let n = node;
  for (;;) {
    const inner = isType(n, 'element_reference') ? field(n, 'object') : isType(n, 'call') ? field(n, 'receiver') : null;
    if (!inner) break;
    n = inner;
  }
  return isType(n, 'identifier') || isType(n, 'instance_variable') || isType(n, 'constant') ? [n.text] : names(n);
}

function assignment(node: SyntaxNode): Assignment | null {
  const left = field(node, 'left');
  if (!left) return null;
  const operator = isType(node, 'operator_assignment') ? field(node, 'operator')?.text ?? '+=' : '=';
  return { targets: rootNames(left), targetNode: left, value: field(node, 'right'), operator };
}

function ifCondition(node: SyntaxNode): SyntaxNode | null {
  if (isType(node, 'binary')) return field(node, 'operator')?.text === '||' || field(node, 'operator')?.text === 'or' ? field(node, 'left') : null;
  return field(node, 'condition');
}

function exitKind(statement: SyntaxNode): ExitKind | null {
  if (isType(statement, 'return')) return 'return';
  if (isType(statement, 'break')) return 'break';
  if (isType(statement, 'call') && !field(statement, 'receiver') && field(statement, 'method')?.text === 'raise') return 'throw';
  if (isType(statement, 'if_modifier') || isType(statement, 'unless_modifier')) return null;
  return null;
}

function constantSize(node: SyntaxNode): number | null {
  const n = unwrap(node);
  if (isType(n, 'integer')) return Number(n.text.replace(/_/g, ''));
  if (isType(n, 'string_array') || isType(n, 'symbol_array')) return namedKids(n).length;
  if (isType(n, 'array')) {
    const items = namedKids(n);
    return items.some((c) => isType(c, 'splat_argument')) ? null : items.length;
  }
  if (isType(n, 'range')) {
    const [a, b] = namedKids(n);
    if (isType(a, 'integer') && isType(b, 'integer')) return Number(b.text) - Number(a.text) + (n.text.includes('...') ? 0 : 1);
  }
  return null;
}

/** `post.author.name`: method names called on the variable, in order. */
function memberPath(identifier: SyntaxNode): MemberPath | null {
  const found: string[] = [];
  const ends: number[] = [];
  let cur = identifier;
  for (let p = cur.parent; p && found.length < 6; p = cur.parent) {
    if (!isType(p, 'call') || field(p, 'receiver')?.id !== cur.id) break;
    found.push(field(p, 'method')?.text ?? '');
    ends.push(p.endIndex);
    cur = p;
  }
  return found.length > 0 ? { names: found, ends } : null;
}

/** An ActiveRecord model: `belongs_to`/`has_one`/`has_many`/`has_and_belongs_to_many` in the class body. */
function model(node: SyntaxNode): ModelSummary | null {
  if (!isType(node, 'class')) return null;
  const name = field(node, 'name')?.text;
  const superclass = field(node, 'superclass')?.text ?? '';
  const body = field(node, 'body');
  if (!name || !body) return null;
  // A model extends ActiveRecord (often through the app's own base, `Spree::Base`): a known base, or
  // association macros in the body say so.
  const knownBase = /(ApplicationRecord|ActiveRecord::Base|Record)\b/.test(superclass);
  const relations: ModelRelation[] = [];
  const scopes: string[] = [];
  for (const stmt of namedKids(body)) {
    if (!isType(stmt, 'call') || field(stmt, 'receiver')) continue;
    const macro = field(stmt, 'method')?.text ?? '';
    if (macro === 'scope') {
      const first = argumentNodes(field(stmt, 'arguments'))[0];
      if (isType(first, 'simple_symbol')) scopes.push(first.text.slice(1));
      continue;
    }
    const kind = TO_ONE.has(macro) ? 'to-one' : TO_MANY.has(macro) ? 'to-many' : null;
    if (!kind) continue;
    const args = argumentNodes(field(stmt, 'arguments'));
    const symbol = args[0];
    if (!isType(symbol, 'simple_symbol')) continue;
    const relation = symbol.text.slice(1);
    const classOption = args.flatMap((a) => (isType(a, 'pair') && /^class_name\b/.test(field(a, 'key')?.text ?? '') ? [field(a, 'value')] : []))[0];
    const target = isType(classOption, 'string') ? classOption.text.slice(1, -1) : camelize(kind === 'to-many' ? singular(relation) : relation);
    relations.push({ name: relation, kind, target });
  }
  if (!knownBase && (relations.length === 0 || superclass === '')) return null;
  return { framework: 'rails', name: name.split('::').pop() ?? name, relations, ...(scopes.length > 0 ? { scopes } : {}), reverse: [] };
}

function singular(word: string): string {
  if (word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (/(ses|xes|ches|shes)$/.test(word)) return word.slice(0, -2);
  return word.endsWith('s') ? word.slice(0, -1) : word;
}

function camelize(word: string): string {
  return word.split('_').map((w) => (w[0] ?? '').toUpperCase() + w.slice(1)).join('');
}

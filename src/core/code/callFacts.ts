/**
 * Facts about one call inside loops: does the loop stop right after it
 * (`return`/`break` next), is it memoised (a cache lookup guards it), and
 * is its SQL statement itself built from the item (a different statement
 * per iteration)?
 */
import type { ExitKind, LanguageAdapter, SyntaxNode } from './languages/adapter';
import { identifiersIn, isType, namedKids, typeOf } from './languages/common';

export interface LoopFrame {
  readonly index: number;
  readonly node: SyntaxNode;
  readonly kind: 'statement' | 'condition' | 'callback' | 'comprehension';
}

/**
 * The statements containing `node` inside the loop `stop`, innermost first: at each block level
 * the child of that block. Null when a function boundary lies in between, because a `return`
 * there leaves that function (a closure, a goroutine), not the loop.
 */
function statementsOf(node: SyntaxNode, adapter: LanguageAdapter, stop: SyntaxNode): SyntaxNode[] | null {
  let n = node;
  const out: SyntaxNode[] = [];
  for (let p = n.parent; p; p = p.parent) {
    if (p.id === stop.id) return out;
    if (adapter.functionTypes.has(typeOf(p)) || (adapter.language === 'ruby' && (isType(p, 'block') || isType(p, 'do_block')))) return null;
    if (adapter.isBlock(p)) out.push(n);
    n = p;
  }
  return null;
}

/** Case clauses of `switch`/`select`: a `break` there leaves the switch, not the loop around it. */
const CASE_CLAUSES = new Set(['switch_case', 'switch_default', 'expression_case', 'type_case', 'communication_case', 'default_case']);

function inCaseClause(statement: SyntaxNode): boolean {
  const block = statement.parent;
  return block !== null && (CASE_CLAUSES.has(typeOf(block)) || (block.parent !== null && CASE_CLAUSES.has(typeOf(block.parent))));
}

/** The first `return`/`throw`/`break` among the statements after `statement` in its block. */
function laterExit(statement: SyntaxNode, adapter: LanguageAdapter): ExitKind | null {
  for (let s = statement.nextNamedSibling; s; s = s.nextNamedSibling) {
    const kind = adapter.exitKind(s);
    if (kind) return kind;
  }
  return null;
}

/**
 * For each enclosing statement loop (innermost first) whether the loop ends
 * right after this call: the call is returned or thrown, or a later
 * statement of a block between the call and the loop returns, throws or breaks unconditionally
 * (`if match { x = load(); break }`, or the `break` after the `if/else` holding the call). A
 * `return` inside a callback only ends that item's callback, so callback loops never end early.
 */
export function earlyExits(node: SyntaxNode, loops: readonly LoopFrame[], adapter: LanguageAdapter): Map<number, 'early-exit-loop' | 'early-exit-all'> {
  const out = new Map<number, 'early-exit-loop' | 'early-exit-all'>();
  const innermost = loops[0];
  if (!innermost || innermost.kind === 'callback' || innermost.kind === 'comprehension') return out;
  const statements = statementsOf(node, adapter, innermost.node);
  if (!statements || statements.length === 0) return out;
  let exit: 'all' | 'loop' | null = null;
  const own = adapter.exitKind(statements[0] as SyntaxNode);
  if (own === 'return' || own === 'throw') exit = 'all';
  for (const statement of statements) {
    if (exit) break;
    const following = laterExit(statement, adapter);
    if (following === 'return' || following === 'throw') exit = 'all';
    // A `break` in a switch case ends the switch; execution goes on after it.
    else if (following === 'break' && !inCaseClause(statement)) exit = 'loop';
  }
  if (!exit) return out;
  if (exit === 'loop') {
    out.set(innermost.index, 'early-exit-loop');
    return out;
  }
  // `return` leaves every loop of the current function, up to the first callback boundary.
  for (const l of loops) {
    if (l.kind === 'callback') break;
    out.set(l.index, 'early-exit-all');
  }
  return out;
}

/** Names that hold a cache: written as `cache[k] = …`, `cache.set(k, …)`, `cache[k] ||= …`, or read from one. */
export interface CacheWrites {
  readonly names: ReadonlySet<string>;
}

const LOGICAL_ASSIGN = new Set(['||=', '??=', '&&=']);

/**
 * True when a cache lookup guards `node` in its function: it sits in the
 * miss branch of a condition on a cache (`if (!cache.has(id))`, `id not in
 * cache`, `cache.get(id) ?? …`), after an early return on a cache hit, or it
 * is the value of `cache[id] ||= …`.
 */
export function isMemoised(node: SyntaxNode, adapter: LanguageAdapter, writes: CacheWrites, options: { readonly perRecord?: boolean } = {}): boolean {
  if (writes.names.size === 0) return false;
  const plain = new Set([...adapter.identifierTypes].filter((t) => !t.startsWith('property') && !t.startsWith('shorthand')));
  const guardedBy = (cond: SyntaxNode) => {
    const text = cond.text;
    // Cheap text test first: most conditions mention no cache at all.
    if (![...writes.names].some((n) => text.includes(n))) return false;
    return [...identifiersIn(cond, plain)].some((n) => writes.names.has(n));
  };
  const start = node.startIndex;
  let n = node;
  for (let p = n.parent; p; p = p.parent) {
    if (adapter.functionTypes.has(typeOf(p))) return false;
    const cond = adapter.ifCondition(p);
    // The call must not be part of the condition itself.
    if (cond && !(cond.startIndex <= start && start < cond.endIndex) && guardedBy(cond)) return true;
    if (adapter.assignmentTypes.has(typeOf(p))) {
      const a = adapter.assignment(p);
      const target = a?.targetNode;
      // With `perRecord`, a memo on the record itself (`@tags ||=`, `self.x ??=`) is no cache across records.
      const onRecord = options.perRecord === true && target !== null && target !== undefined && /^(@\w|self\.|this\.)/.test(target.text);
      if (a && LOGICAL_ASSIGN.has(a.operator) && target && !isType(target, 'identifier') && !onRecord) return true;
    }
    if (adapter.isBlock(p)) {
      // An earlier `if (cache.has(id)) return cache.get(id)` in the same block.
      for (let s = n.previousNamedSibling; s; s = s.previousNamedSibling) {
        const c = adapter.ifCondition(s);
        if (c && guardedBy(c) && endsWithExit(s, adapter)) return true;
      }
    }
    n = p;
  }
  return false;
}

function endsWithExit(ifNode: SyntaxNode, adapter: LanguageAdapter): boolean {
  const text = ifNode.text;
  if (text.length > 400) return false;
  const kids = namedKids(ifNode);
  return kids.some((k) => adapter.exitKind(k) !== null || /^\s*(return|continue|next)\b/m.test(k.text) || /\{\s*(return|continue)\b/.test(k.text));
}

/**
 * Interpolations in SQL source text: `${x}`, `#{x}`, f-string `{x}`, and
 * `' + x` concatenation. Group 1 is the text before it, group 2 the name.
 */
const SUBSTITUTION = /([^$#{]{0,40}?)(?:\$\{|#\{|(?<![\w$])\{|["'`]\s*\+\s*)\s*([A-Za-z_$][\w$]*)/g;
const MAY_INTERPOLATE = /\{|["'`]\s*\+/;
/** What precedes an interpolated value (`= ${id}`, `IN (${ids})`, `LIMIT ${n}`); anything else shapes the statement. */
const VALUE_CONTEXT = /(=|<|>|\(|,|\+|-|\*|\/|\|\||\b(IN|LIKE|ILIKE|VALUES|LIMIT|OFFSET|ANY|BETWEEN|AND|OR|NOT|IS|THEN|ELSE|WHEN|SET\s+\w+\s*=|RETURNING|SELECT|DEFAULT))\s*['"]?\s*$/i;
/**
 * Names that shape the SQL statement itself: the SQL argument is a variable
 * (`client.query(stmt)`, `q.sql`), or a name is interpolated anywhere but a
 * value position (`FROM ${table}`, `EXPLAIN … ${sql}`, `'… FROM ' + table`).
 */
export function statementRoots(sqlNode: SyntaxNode, adapter: LanguageAdapter, resolve: (name: string, offset: number) => SyntaxNode | null): string[] | undefined {
  const roots = new Set<string>();
  const memberPath = /^[A-Za-z_$@][\w$]*((\?)?\.[A-Za-z_$][\w$]*)+$/;
  const fromText = (text: string) => {
    // Every interpolation has a brace or a quote followed by `+`; most SQL has neither.
    if (!MAY_INTERPOLATE.test(text)) return;
    for (const m of text.matchAll(SUBSTITUTION)) if (m[2] && !VALUE_CONTEXT.test(m[1] ?? '')) roots.add(m[2]);
  };
  const t = typeOf(sqlNode);
  if (adapter.identifierTypes.has(t)) {
    roots.add(sqlNode.text);
    // `const ddl = f.data.ddl` or `const sql = \`… FROM ${t}\``: follow the name one step.
    const value = resolve(sqlNode.text, sqlNode.startIndex);
    const text = value?.text ?? '';
    if (memberPath.test(text)) roots.add(/^[A-Za-z_$@][\w$]*/.exec(text)?.[0] ?? '');
    else if (text.length < 2000) fromText(text);
  } else if (!adapter.stringTypes.has(t) && memberPath.test(sqlNode.text)) {
    roots.add(/^[A-Za-z_$@][\w$]*/.exec(sqlNode.text)?.[0] ?? '');
  } else if (sqlNode.text.length < 4000) fromText(sqlNode.text);
  return roots.size > 0 ? [...roots] : undefined;
}

/**
 * Facts about a loop that decide whether a database call inside it is an
 * N+1 at all: a fan-out over a handful of constants, a loop over batches, a
 * pagination or keyset loop whose next query depends on the previous result,
 * a retry or polling loop, and — for lazy relations — which ORM collection it
 * walks and what was eager-loaded.
 */
import type { Chain, LanguageAdapter, LoopShape, SyntaxNode } from './languages/adapter';
import { descendants, field, identifiersIn, isType, namedKids, typeOf } from './languages/common';
import type { LoopCollection, Span } from './types';

/** Fan-out over at most this many literal items is not worth a diagnostic. */
export const SMALL_CONSTANT_LIST = 5;

export type Resolve = (name: string, offset: number) => SyntaxNode | null;

/**
 * `for t in ('a', 'b')`, `[1, 2].forEach`, `3.times`, `for i := 0; i < 3; i++`,
 * or a name bound to such a literal and never added to: a list declared
 * empty and filled with `push`/`append`/`<<` is as long as what filled it.
 */
export function isConstantLoop(shape: LoopShape, adapter: LanguageAdapter, resolve: Resolve, mutated: (name: string) => boolean = () => false): boolean {
  if (shape.count !== undefined) return shape.count <= SMALL_CONSTANT_LIST;
  let it = shape.iterable;
  for (let hops = 0; it && hops < 3; hops++) {
    const size = adapter.constantSize(it);
    if (size !== null) return size <= SMALL_CONSTANT_LIST;
    if (!adapter.identifierTypes.has(typeOf(it)) && !isType(it, 'constant')) return false;
    if (mutated(it.text)) return false;
    it = resolve(it.text, it.startIndex);
  }
  return false;
}

/**
 * Whether `text` adds to or replaces items of the list named `name`
 * anywhere: `push`/`unshift`/`splice`/`concat` (JavaScript), `append`/
 * `extend`/`insert` (Python, and Go's `x = append(x, …)`), `<<` (Ruby),
 * `+=`, an indexed assignment, or Go's `&x` handed to a call that fills it
 * (`s.Find(&rows)`). Read over the whole file, so a name reused
 * elsewhere counts too: the loop is then judged as any other.
 */
export function mutatesList(text: string, name: string): boolean {
  if (!/^[\p{L}_$][\p{L}\p{N}_$]*$/u.test(name)) return false;
  const n = name.replace(/\$/g, '\\$');
  const before = '(?<![\\p{L}\\p{N}_$.])';
  const pattern = new RegExp(
    `${before}${n}\\s*(?:\\.\\s*(?:push|unshift|splice|concat|append|extend|insert|add)\\s*\\(|<<|\\+=|\\[[^\\]\\n]*\\]\\s*=(?!=))|${before}${n}\\s*=\\s*append\\(\\s*${n}\\b|(?<![&\\w])&\\s*${n}(?![\\p{L}\\p{N}_$.\\[])`,
    'u',
  );
  return pattern.test(text);
}

/**
 * `while process_one_flip(): pass`, `while (await claimNext()) {}`: the
 * condition calls, and the body does nothing. Each call claims and handles
 * one queued item until none is left, a worker's drain loop rather than a
 * lookup per item of a list one query could read.
 */
export function isDrainLoop(shape: LoopShape, adapter: LanguageAdapter): boolean {
  const cond = shape.condition;
  if (!cond || descendants(cond, adapter.callTypes, 50).length === 0) return false;
  // The per-iteration regions include the condition itself; the rest must do nothing.
  const rest = shape.bodies.filter((b) => b.startIndex !== cond.startIndex || b.endIndex !== cond.endIndex);
  return rest.every((b) => /^[\s{};:]*(pass|next|continue)?[\s{};]*$/.test(b.text.replace(/(#|\/\/)[^\n]*/g, '')));
}

const CHUNKERS = /(^|[._])(chunk|chunks|chunked|batched|batches|inBatches|in_batches|each_slice|in_groups_of|partition_all|sliced|windowed)$/i;

/** Iterates batches (`chunk(ids, 500)`, `each_slice(100)`, `for batch in batched(ids, 100)`). */
export function isChunkedLoop(shape: LoopShape, adapter: LanguageAdapter): boolean {
  if (shape.chunked) return true;
  const it = shape.iterable;
  if (it && adapter.callTypes.has(typeOf(it))) {
    const c = adapter.chain(it);
    const last = c?.links[c.links.length - 1];
    if (last && CHUNKERS.test(last.name)) return true;
  }
  return shape.variables.length === 1 && /^(batch|chunk|slice)$/i.test(shape.variables[0] ?? '');
}

/** `prisma.$transaction(items.map(…))`, `db.batch(items.map(…))`: the statements go to the server together. */
export function isBatchedCallback(call: SyntaxNode, adapter: LanguageAdapter): boolean {
  let n = call;
  for (let p = n.parent, hops = 0; p && hops < 4; p = p.parent, hops++) {
    if (adapter.callTypes.has(typeOf(p)) && n.id !== field(p, 'function')?.id) {
      const c = adapter.chain(p);
      const name = c?.links[c.links.length - 1]?.name ?? '';
      return name === '$transaction' || name === 'batch';
    }
    n = p;
  }
  return false;
}

/** A call that sleeps or backs off: `sleep(…)`, `setTimeout(…)`, `time.sleep(…)`, `time.Sleep(…)`, `asyncio.sleep(…)`. */
const SLEEP_CALL = /\b(sleep|Sleep|setTimeout|delay|waitFor|backoff|retry|sleepFor|pause|After)\s*\(/;
const RETRY_NAMES = /\b(attempts?|attempt_?count|retr(y|ies)|retry_?count|tries|n_?tries|max_?retries|max_?attempts|maxRetries|maxAttempts|backoff|retriesLeft|remaining_?attempts)\b/i;

/**
 * A retry or polling loop: it sleeps or backs off, or counts attempts. Read
 * from the loop's source text: a word test is as good as a syntax walk here
 * and far cheaper.
 */
export function isRetryLoop(loopText: string): boolean {
  return SLEEP_CALL.test(loopText) || RETRY_NAMES.test(loopText) || TICK_RECEIVE.test(loopText) || RANDOM_VALUE.test(loopText) || PROMPT.test(loopText);
}

/**
 * A loop that asks the person at the terminal until the answer is valid (`while email is None:
 * raw = input("Email:")`): one round per typed answer, not per item. Standard-input reads of
 * Python, Ruby, Node's readline and Go's fmt/bufio.
 */
const PROMPT = /(?<![\w.])(input|raw_input|getpass)\s*\(|\bgetpass\.getpass\(|(?<![\w.])gets\b|\$stdin\.gets\b|\bSTDIN\.gets\b|\brl\.question\(|\breadline\.question\(|\bfmt\.Scan(ln|f)?\(|\bReadString\('\\n'\)/;

/**
 * A loop that draws a random value each round (an order number, a username) and queries whether it
 * is free: a retry until an unused value turns up, normally one round.
 */
const RANDOM_VALUE = /\b(rand|random|Random|SecureRandom|sample|uuid\w*|UUID|nanoid|petname|randomBytes|token_hex|token_urlsafe|urlsafe_base64)\b/;

/**
 * The same work repeated on purpose, not once per item of anything: a counted loop whose counter the
 * body never reads (`for i := 0; i < b.N; i++`, a lockout test), or a loop over an item it names `_`
 * and never reads (`for (const _ of batchBudget)`, `for _ in range(n)`).
 */
export function isRepeatLoop(shape: LoopShape, bodyText: string): boolean {
  const v = shape.variables.length === 1 ? shape.variables[0] ?? '' : '';
  const repeats = (shape.kind === 'condition' && v !== '') || (shape.kind === 'statement' && /^_\w*$/.test(v));
  return repeats && !new RegExp(`(^|[^\\w$])${v.replace(/[$]/g, '\\$')}([^\\w$]|$)`).test(bodyText);
}

/** A Go loop that waits for a ticker or timer each round (`case <-ticker.C:`, `<-time.After(d)`): polling. */
const TICK_RECEIVE = /<-\s*(\w+\.)*(\w*[tT]ick\w*|\w*[tT]imer\w*)\.C\b|<-\s*time\.(After|Tick)\(/;

/** A loop over a ticker's channel (`for range time.Tick(d)`, `for t := range ticker.C`): one round per interval. */
export function isTickerIterable(iterable: string): boolean {
  return /^time\.Tick\(|^(\w+\.)*(\w*[tT]ick\w*|\w*[tT]imer\w*)\.C$/.test(iterable.trim());
}

const ERROR_NAMES = /^(err|error|e|ex|exc|ok)$/;

export interface AssignFact {
  readonly targets: readonly string[];
  readonly start: number;
  readonly end: number;
  readonly value: Span | null;
  /** Names read by the value; computed on demand (only pagination checks need them). */
  readonly valueNames: () => ReadonlySet<string>;
}

export interface QueryFact {
  readonly start: number;
  readonly end: number;
  readonly argNames: () => ReadonlySet<string>;
}

/**
 * A pagination, keyset or cursor loop: a value produced by a query in the
 * loop feeds the loop condition, an exit test, or a query of a later iteration.
 */
export function isPaginationLoop(
  shape: LoopShape,
  span: Span,
  queries: readonly QueryFact[],
  assigns: readonly AssignFact[],
  exitConditions: () => readonly SyntaxNode[],
  adapter: LanguageAdapter,
): boolean {
  const inside = (s: Span) => s.start >= span.start && s.end <= span.end;
  const loopQueries = queries.filter(inside);
  if (loopQueries.length === 0) return false;
  const loopAssigns = assigns.filter(inside);
  // Names that carry a query result (directly or through other such names).
  const derived = new Set<string>();
  for (let round = 0; round < 4; round++) {
    let grew = false;
    for (const a of loopAssigns) {
      const fromQuery = a.value !== null && loopQueries.some((q) => a.value !== null && q.start >= a.value.start && q.end <= a.value.end);
      const fromDerived = !fromQuery && [...a.valueNames()].some((n) => derived.has(n));
      if (!fromQuery && !fromDerived) continue;
      for (const t of a.targets) {
        // An error result stops a loop on failure; it does not page through data.
        if (ERROR_NAMES.test(t)) continue;
        if (!derived.has(t)) {
          derived.add(t);
          grew = true;
        }
      }
    }
    if (!grew) break;
  }
  if (derived.size === 0) return false;
  const conditionNames = identifiersIn(shape.condition, adapter.identifierTypes);
  if ([...conditionNames].some((n) => derived.has(n))) return true;
  for (const c of exitConditions()) {
    if ([...identifiersIn(c, adapter.identifierTypes)].some((n) => derived.has(n))) return true;
  }
  // The next query's parameters come from a value assigned at or after it: carried to the next iteration.
  return loopQueries.some((q) =>
    [...q.argNames()].some((n) => derived.has(n) && loopAssigns.some((a) => a.targets.includes(n) && a.start >= q.start)),
  );
}

const EXIT_TYPES = new Set(['break_statement', 'break', 'return_statement', 'return']);
const EXIT_KEYWORD = /\b(break|return)\b/;

/** Conditions of `if` statements in `bodies` that guard a break or return. */
export function exitGuards(bodies: readonly SyntaxNode[], adapter: LanguageAdapter): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (const body of bodies) {
    // A `break` or `return` spells its keyword: without one in the text there is nothing to search for.
    if (!EXIT_KEYWORD.test(body.text)) continue;
    for (const n of descendants(body, adapter.ifTypes, 3000)) {
      const cond = adapter.ifCondition(n);
      if (!cond || !EXIT_KEYWORD.test(n.text)) continue;
      const exits = descendants(n, EXIT_TYPES, 200);
      if (exits.length > 0) out.push(cond);
    }
  }
  return out;
}

/** Rails methods that return one record or a number, so their result is not a collection. */
const SINGLE_RECORD = new Set(['find', 'find_by', 'find_by!', 'first', 'last', 'take', 'count', 'sum', 'get', 'exists?', 'pluck', 'ids']);
/** An argument naming many ids: `way_ids`, `params[:ids]`, `[a, b]`, `*ids`. */
const MANY_IDS = /(^|[^\w])ids\b|_ids\b|^\[[^\]]*,|^\*/;
const DJANGO_EAGER = new Set(['select_related', 'prefetch_related']);
const RAILS_EAGER = new Set(['includes', 'preload', 'eager_load']);

/**
 * The ORM collection a loop walks: a Django queryset (`Book.objects…`,
 * `book.review_set…`), an ActiveRecord relation (`Post.where(…)`), or a
 * relation reached from an outer loop's record (`post.comments`).
 */
export function loopCollection(
  shape: LoopShape,
  adapter: LanguageAdapter,
  resolve: Resolve,
  outer: readonly { readonly index: number; readonly variables: readonly string[] }[],
  selfClass?: string,
): LoopCollection | undefined {
  if (adapter.language !== 'python' && adapter.language !== 'ruby') return undefined;
  const framework = adapter.language === 'python' ? 'django' : 'rails';
  let it = shape.iterable;
  let unassigned = false;
  for (let hops = 0; it && adapter.identifierTypes.has(typeOf(it)) && hops < 3; hops++) {
    const value = resolve(it.text, it.startIndex);
    if (!value) {
      unassigned = hops === 0;
      break;
    }
    it = value;
  }
  if (!it) return undefined;
  const isLoopVariable = (name: string) => outer.some((o) => o.variables.includes(name));
  // In a model method, a bare Ruby name never assigned here (`line_items.each`) or `self.x` reads the record's association.
  const onSelf = (path: readonly string[]): LoopCollection | undefined =>
    selfClass !== undefined && path.length > 0 && path.every((p) => /^[a-z_]\w*$/.test(p)) ? { framework, selfRelation: { className: selfClass, path: [...path] }, prefetched: [], variables: shape.variables } : undefined;
  // `all.select { |rate| … }` in a class method of the model: the model's own records.
  if (framework === 'rails' && unassigned && isType(it, 'identifier') && selfClass !== undefined && it.text === 'all') {
    return { framework, model: selfClass.split('::').pop() ?? selfClass, prefetched: [], variables: shape.variables };
  }
  if (framework === 'rails' && unassigned && isType(it, 'identifier') && !isLoopVariable(it.text)) return onSelf([it.text]);
  if (framework === 'rails' && (isType(it, 'constant') || isType(it, 'scope_resolution'))) {
    // `Post.find_each do |post|`: the model class itself is the collection.
    return { framework, model: it.text.split('::').pop() ?? it.text, prefetched: [], variables: shape.variables };
  }
  // Calls, attribute chains and slices (`Entry.objects.order_by("-id")[:50]`) all read as chains.
  // `list(Ping.objects.filter(…)[:n])`, `sorted(qs, key=…)`: the wrapper keeps the records.
  let node: SyntaxNode = it;
  for (let hops = 0; framework === 'django' && isType(node, 'call') && hops < 3; hops++) {
    const callee = field(node, 'function');
    const arg = namedKids(field(node, 'arguments') ?? node)[0];
    if (!callee || !PY_WRAPPERS.has(callee.text) || !arg || isType(arg, 'keyword_argument')) break;
    node = arg;
    for (let h = 0; adapter.identifierTypes.has(typeOf(node)) && h < 3; h++) {
      const value = resolve(node.text, node.startIndex);
      if (!value) break;
      node = value;
    }
  }
  it = node;
  let c: Chain | null = adapter.chain(it);
  if (c && c.links.length === 0) c = null;
  if (c && framework === 'django') {
    const sa = sqlalchemyCollection(c, adapter, resolve);
    if (sa) return { ...sa, variables: shape.variables };
  }
  if (c && c.baseKind === 'other') c = null;
  if (!c) {
    // `for comment in post.comments` (Python attribute without a call).
    const path = attributePath(it);
    if (path && outer.length > 0) {
      const from = outer.find((o) => o.variables.includes(path.base));
      if (from) return { framework, from: { loop: from.index, path: path.names }, prefetched: [], variables: shape.variables };
    }
    if (path?.base === 'self') return onSelf(path.names.slice(0, 1));
    return undefined;
  }
  // `way = Way.find(id)` … `way.nodes.collect { |node| … }`: a relation of one record of a model.
  const record = c.baseKind === 'identifier' && !isLoopVariable(c.base) ? singleRecord(resolve(c.base, it.startIndex), adapter, framework) : null;
  const head = c.links[0];
  if (record && head && (framework === 'django' ? head.args === null : (head.args?.length ?? 0) === 0) && /^[a-z_]\w*$/.test(head.name)) {
    // `Way.includes(nodes: :node_tags).find(id)`: what the record eager-loaded below this relation.
    const inherited = record.prefetched.filter((p) => p.startsWith(`${head.name}.`)).map((p) => p.slice(head.name.length + 1));
    return { framework, selfRelation: { className: record.model, path: [head.name] }, prefetched: [...eagerOf(c.links, framework), ...inherited], variables: shape.variables };
  }
  // `points = ordered.union_all(other).limit(n)` with `ordered = Tracepoint.bbox(b).order(…)`: a relation
  // built in steps. Follow the chain's base through its assignments to the model it starts from. Each
  // name is looked up before the assignment holding the current value (`q = q.prefetch_related(…)`
  // refers to the `q` assigned before it).
  const links = [...c.links];
  let base = c;
  let at = (it.parent ?? it).startIndex;
  for (let hops = 0; base.baseKind === 'identifier' && hops < 4; hops++) {
    const value = resolve(base.base, at);
    const inner = value && adapter.callTypes.has(typeOf(value)) ? adapter.chain(value) : null;
    if (!value || !inner || inner.links.length === 0 || inner.baseKind === 'other') break;
    links.unshift(...inner.links);
    base = inner;
    at = (value.parent ?? value).startIndex;
  }
  if (base !== c && base.baseKind === 'constant') c = { ...c, base: base.base, baseKind: base.baseKind, links };
  const prefetched = eagerOf(c.links, framework);
  const names = c.links.map((l) => l.name);
  // `Way.find(way_ids)` with a list of ids returns the records, not one.
  const single = (l: { readonly name: string; readonly args: readonly SyntaxNode[] | null }) => SINGLE_RECORD.has(l.name) && !(l.name === 'find' && MANY_IDS.test(l.args?.[0]?.text ?? ''));
  if (framework === 'rails' && c.links.some(single)) return undefined;
  if (framework === 'django' && names.includes('get')) return undefined;
  if (c.baseKind === 'constant' && (framework === 'rails' || names.includes('objects'))) {
    const via = framework === 'rails' && names.length > 0 ? names.slice(0, 2) : undefined;
    return { framework, model: c.base.split('::').pop() ?? c.base, ...(via !== undefined ? { via } : {}), prefetched, variables: shape.variables };
  }
  const from = outer.find((o) => o.variables.includes(c.base));
  if (from) {
    const relationPath: string[] = [];
    for (const l of c.links) {
      if (l.args !== null && framework === 'django') break;
      if (framework === 'rails' && (l.args?.length ?? 0) > 0) break;
      relationPath.push(l.name);
      if (framework === 'rails') break;
    }
    if (relationPath.length > 0) return { framework, from: { loop: from.index, path: relationPath }, prefetched, variables: shape.variables };
  }
  const first = c.links[0];
  if (c.baseKind === 'self' && first && (framework === 'django' ? first.args === null : (first.args?.length ?? 0) === 0)) {
    const found = onSelf([first.name]);
    return found ? { ...found, prefetched } : undefined;
  }
  if (framework === 'rails' && c.baseKind === 'identifier' && !isLoopVariable(c.base) && resolve(c.base, it.startIndex) === null) {
    const found = onSelf([c.base]);
    return found ? { ...found, prefetched } : undefined;
  }
  return undefined;
}

/** The relation paths a chain eager-loads (`select_related`, `includes`, …), with their prefixes. */
function eagerOf(links: Chain['links'], framework: 'django' | 'rails'): string[] {
  const out: string[] = [];
  for (const l of links) {
    const eager = framework === 'django' ? DJANGO_EAGER.has(l.name) : RAILS_EAGER.has(l.name);
    if (eager && l.args) for (const a of l.args) out.push(...eagerPaths(a, framework));
  }
  // Eager-loading `author__publisher` loads `author` too.
  for (const p of [...out]) {
    const parts = p.split('.');
    for (let i = 1; i < parts.length; i++) out.push(parts.slice(0, i).join('.'));
  }
  return out;
}

/** SQLAlchemy loader options that load a relation with its parent query. */
const SA_LOADERS = new Set(['joinedload', 'selectinload', 'subqueryload', 'immediateload', 'contains_eager', 'noload', 'raiseload']);
/** SQLAlchemy calls that give one row or a number, not the records. */
const SA_SINGLE = new Set(['first', 'one', 'one_or_none', 'scalar', 'scalar_one', 'scalar_one_or_none', 'count', 'get', 'exists']);

/**
 * The records of a SQLAlchemy query: `session.query(User)…`, Flask-SQLAlchemy's `User.query…`, or
 * `session.scalars(select(User)…)` (also through a statement variable), with the relations its
 * `options(joinedload(User.posts), selectinload(Post.tags))` load.
 */
function sqlalchemyCollection(c: Chain, adapter: LanguageAdapter, resolve: Resolve): Omit<LoopCollection, 'variables'> | undefined {
  if (c.links.some((l) => SA_SINGLE.has(l.name))) return undefined;
  const chains: Chain[] = [c];
  let model: string | undefined;
  const query = c.links.find((l) => l.name === 'query' && l.args !== null && l.args.length > 0);
  const entity = query?.args?.[0];
  if (entity && /^[A-Z]\w*$/.test(entity.text.split('.').pop() ?? '')) model = entity.text.split('.').pop();
  else if (c.baseKind === 'constant' && c.links[0]?.name === 'query' && c.links[0].args === null) model = c.base.split('.').pop();
  else {
    const run = c.links.find((l) => (l.name === 'scalars' || l.name === 'execute' || l.name === 'stream_scalars') && (l.args?.length ?? 0) > 0);
    let stmt = run?.args?.[0] ?? null;
    if (stmt && adapter.identifierTypes.has(typeOf(stmt))) stmt = resolve(stmt.text, stmt.startIndex);
    const sel = stmt && adapter.callTypes.has(typeOf(stmt)) ? adapter.chain(stmt) : null;
    const first = sel?.links[0];
    const target = first?.name === 'select' ? first.args?.[0]?.text.split('.').pop() : undefined;
    if (sel && target && /^[A-Z]\w*$/.test(target)) {
      model = target;
      chains.push(sel);
    }
  }
  if (!model) return undefined;
  const prefetched: string[] = [];
  for (const chain of chains) for (const l of chain.links) if (l.name === 'options') for (const a of l.args ?? []) prefetched.push(...loaderPaths(a, adapter));
  return { framework: 'sqlalchemy', model, prefetched };
}

/** `selectinload(User.posts).joinedload(Post.author)` → `posts`, `posts.author`. */
function loaderPaths(arg: SyntaxNode, adapter: LanguageAdapter): string[] {
  if (!adapter.callTypes.has(typeOf(arg))) return [];
  const c = adapter.chain(arg);
  const out: string[] = [];
  let prefix = '';
  for (const l of c?.links ?? []) {
    if (!SA_LOADERS.has(l.name) && l.name !== 'defaultload') break;
    const target = l.args?.[0];
    const name = target ? target.text.replace(/^['"]|['"]$/g, '').split('.').pop() ?? '' : '';
    if (!/^\w+$/.test(name)) break;
    prefix = prefix ? `${prefix}.${name}` : name;
    out.push(prefix);
  }
  return out;
}

/** Python calls that return the records of the collection they are given. */
const PY_WRAPPERS = new Set(['list', 'sorted', 'tuple', 'reversed']);
/** Calls that return one record: ActiveRecord's finders, Django's `get`. */
const ONE_RECORD = { rails: new Set(['find', 'find_by', 'find_by!', 'first', 'last', 'take', 'first!', 'last!', 'take!']), django: new Set(['get', 'first', 'last', 'earliest', 'latest']) };

/** The model of a value that is one record (`Way.find(id)`, `Check.objects.get(code=c)`), else null. */
function singleRecord(value: SyntaxNode | null, adapter: LanguageAdapter, framework: 'django' | 'rails'): { model: string; prefetched: string[] } | null {
  if (!value || !adapter.callTypes.has(typeOf(value))) return null;
  const c = adapter.chain(value);
  const last = c?.links[c.links.length - 1];
  if (!c || !last || c.baseKind !== 'constant' || !ONE_RECORD[framework].has(last.name)) return null;
  if (framework === 'django' && !c.links.some((l) => l.name === 'objects')) return null;
  // `Way.find(way_ids)` is many records, not one.
  if (last.name === 'find' && MANY_IDS.test(last.args?.[0]?.text ?? '')) return null;
  return { model: c.base.split('::').pop() ?? c.base, prefetched: eagerOf(c.links, framework) };
}

function attributePath(node: SyntaxNode): { base: string; names: string[] } | null {
  const names: string[] = [];
  let n = node;
  while (isType(n, 'attribute')) {
    names.unshift(field(n, 'attribute')?.text ?? '');
    const o = field(n, 'object');
    if (!o) return null;
    n = o;
  }
  return isType(n, 'identifier') && names.length > 0 ? { base: n.text, names } : null;
}

/** `'author__publisher'` → `author.publisher`; `author: :profile` → `author`, `author.profile`. */
export function eagerPaths(arg: SyntaxNode, framework: 'django' | 'rails', prefix = ''): string[] {
  const join = (name: string) => (prefix ? `${prefix}.${name}` : name);
  const t = typeOf(arg);
  if (t === 'string') {
    const raw = arg.text.replace(/^[a-zA-Z]*['"]+|['"]+$/g, '');
    return [join(raw.split('__').join('.'))];
  }
  if (t === 'simple_symbol') return [join(arg.text.slice(1))];
  if (t === 'call' && framework === 'django') {
    // Prefetch('reviews', queryset=…)
    const first = namedKids(field(arg, 'arguments') ?? arg).find((c) => isType(c, 'string'));
    return first ? eagerPaths(first, framework, prefix) : [];
  }
  if (t === 'array' || t === 'hash' || t === 'argument_list') return namedKids(arg).flatMap((c) => eagerPaths(c, framework, prefix));
  if (t === 'pair') {
    const key = field(arg, 'key');
    const value = field(arg, 'value');
    const name = isType(key, 'hash_key_symbol') ? key.text : key?.text.replace(/^:/, '') ?? '';
    return [join(name), ...(value ? eagerPaths(value, framework, join(name)) : [])];
  }
  return [];
}

/**
 * Walks one syntax tree once and writes the file's `FileSummary`: functions,
 * database calls (matched against the query API table), other calls (for the
 * call graph), loops with the reasons some of them are not N+1 material,
 * SQL text, imports/exports, ORM models and lazy-relation accesses.
 *
 * The walk only materialises nodes of the types the adapter declares
 * interesting, which keeps it close to the cost of parsing.
 * Facts that need the whole file (cache writes, which calls are queries)
 * are settled after the walk, while the tree is still alive.
 */
import type { Language, Tree } from '@vscode/tree-sitter-wasm';
import { earlyExits, isMemoised, statementRoots, type LoopFrame } from './callFacts';
import { DeclaredTypes } from './declaredTypes';
import type { Chain, LanguageAdapter, LoopShape, SyntaxNode } from './languages/adapter';
import { descendants, field, identifiersIn, isPlainArgument, isType, namedKids as namedKidsOf, registerSource, typeOf } from './languages/common';
import {
  exitGuards, isTickerIterable, isBatchedCallback, isChunkedLoop, isConstantLoop, isDrainLoop, isPaginationLoop, isRepeatLoop, isRetryLoop, loopCollection, mutatesList,
  type AssignFact, type QueryFact,
} from './loopFacts';
import { ormFilterOf, type OrmFilter } from './ormFilters';
import { isBatch, matchQuery, type MatchContext, type QueryMatch } from './queryMatcher';
import { writesRows } from './queryKind';
import { extractSql, extractVariants, looksLikeSql, type ExtractedSql, type RunTimeParts } from './sqlExtraction';
import type { PlaceholderStyle } from './sqlPlaceholders';
import { namesOtherDriver } from './otherDatabase';
import { lineStarts, scanSuppressions } from './suppression';
import type {
  CallSite, ClassFact, FileSummary, TypeFact, FunctionSummary, ImportBinding, LoopCollection, LoopEntry, LoopSummary, ModelSummary, QueryCall,
  QuietReason, RelationAccess, SelfRead, SqlText,
} from './types';

/** Calls that register a callback to run later: test frameworks (mocha, jest, vitest, RSpec) and event emitters. */
const REGISTRARS = new Set([
  'it', 'test', 'describe', 'context', 'specify', 'suite', 'beforeEach', 'afterEach', 'beforeAll', 'afterAll', 'before', 'after',
  'let', 'let!', 'subject', 'on', 'once', 'addEventListener', 'addListener', 'prependListener',
]);
/** Python calls that evaluate a lazy queryset passed to them. */
const EVALUATORS = new Set(['list', 'len', 'tuple', 'set', 'sorted', 'bool', 'sum', 'any', 'all', 'next', 'iter', 'dict', 'frozenset']);
const MAX_RELATION_ACCESSES = 200;
/** Assignment targets that write into a container (`cache[k] = v`, `memo.x = v`): how caches fill. */
/** Assignment targets that write a container by key: `cache[id]` in every language. */
const KEYED_TARGETS = new Set(['subscript_expression', 'subscript', 'index_expression', 'element_reference']);
/** A value that only marks a key as seen: `true`, `1`, `struct{}{}`, `nil`, `None`. */
const SEEN_MARK = /^(true|false|True|False|1|0|nil|None|null|struct\{\}\{\}|\{\})$/;

interface LoopRec {
  readonly index: number;
  readonly shape: LoopShape;
  readonly node: SyntaxNode;
  readonly start: number;
  readonly end: number;
  readonly fn: number;
  readonly bodies: readonly { start: number; end: number }[];
  quiet?: QuietReason;
  readonly collection?: LoopCollection;
  /** Whether the loop's text mentions an exit keyword at all; read on first need. */
  mayExit?: boolean;
}

/**
 * Every `return`/`break`/`throw`/`raise`/`panic(` statement spells its keyword:
 * a loop whose text has none cannot end early, and the walk up the tree to
 * find the statement around a call can be skipped.
 */
const EXIT_WORD = /\b(return|break|throw|raise|panic)\b/;

interface Item {
  readonly node: SyntaxNode;
  readonly start: number;
  readonly end: number;
  /** Start of the innermost callback registered for later (a test, an event handler): loops around it do not run it. */
  readonly barrier: number;
  /** Names the SQL text itself is built from (not its parameters): loops over them run different statements. */
  readonly statementRoots?: readonly string[];
  /** Loops open when the item was visited, outermost first. */
  readonly open: readonly LoopRec[];
  readonly kind: 'query' | 'call';
  readonly index: number;
}

interface AssignRec {
  readonly name: string;
  readonly at: number;
  readonly value: SyntaxNode | null;
  readonly scope: number;
}

interface Frame {
  /** Offset where the node that opened this context ends. */
  readonly end: number;
  readonly pop: () => void;
}

interface WalkTypes {
  /** Types the walk visits that name a node in this grammar. */
  readonly types: string[];
  /** Those whose name a keyword token shares (Ruby's `while` keyword inside a `while` node): only their hits are asked whether they are named. */
  readonly ambiguous: ReadonlySet<string>;
  /** Types visited only as typed bindings, which need no end offset. */
  readonly bindingOnly: ReadonlySet<string>;
}

/** Per grammar and adapter, worked out once: the grammar is asked by name, which costs a call each. */
const walkTypeCache = new WeakMap<Language, Map<string, WalkTypes>>();

function walkTypes(language: Language, a: LanguageAdapter): WalkTypes {
  let known = walkTypeCache.get(language);
  if (!known) {
    known = new Map();
    walkTypeCache.set(language, known);
  }
  let entry = known.get(a.language);
  if (!entry) {
    const others = new Set([
      ...a.functionTypes, ...a.loopTypes, ...a.callTypes, ...a.stringTypes, ...a.assignmentTypes, ...a.importTypes,
      ...a.exportTypes, ...a.classTypes, ...(a.typeDeclTypes ?? []),
      // Ruby's `query << "…"` (see visitShovel).
      ...(a.language === 'ruby' ? ['binary'] : []),
    ]);
    const interesting = [...new Set([...(a.typedBindingTypes ?? []), ...others])];
    // A type with no named node (`function` in the ECMAScript grammars) would only find keyword tokens.
    const types = interesting.filter((t) => language.idForNodeType(t, true) !== null);
    entry = {
      types,
      ambiguous: new Set(types.filter((t) => language.idForNodeType(t, false) !== null)),
      bindingOnly: new Set(types.filter((t) => !others.has(t))),
    };
    known.set(a.language, entry);
  }
  return entry;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export function summarize(tree: Tree, text: string, path: string, adapter: LanguageAdapter): FileSummary {
  return new Summarizer(text, path, adapter).run(tree);
}

class Summarizer {
  private readonly functions: (Mutable<FunctionSummary> & { queries: number[]; calls: number[]; selfName?: string })[] = [];
  private readonly queries: Mutable<QueryCall>[] = [];
  private readonly calls: Mutable<CallSite>[] = [];
  private readonly loops: LoopRec[] = [];
  private readonly imports: ImportBinding[] = [];
  private readonly exportsList: (readonly [string, string])[] | null;
  private readonly sql: SqlText[] = [];
  private readonly sqlByStart = new Map<number, number>();
  private readonly models: ModelSummary[] = [];
  private readonly typeFacts: TypeFact[] = [];
  private readonly classes: { readonly name: string; readonly extends?: string; readonly decorators: readonly string[] }[] = [];
  private readonly ormFilters: OrmFilter[] = [];
  private readonly items: Item[] = [];
  /** Instance methods of Python and Ruby classes, for the relations they read on their record. */
  private readonly methodNodes: { readonly index: number; readonly node: SyntaxNode }[] = [];
  /** Assignments by target name, in visiting order: `resolve` looks names up many times. */
  private readonly assigns = new Map<string, AssignRec[]>();
  /** `query += …`: the text a name holds grows after its assignment. */
  /** Per function index (-1: the module), whether it names a SQLite or MySQL driver; read once. */
  private readonly otherDriverIn = new Map<number, boolean>();
  private readonly appends: { readonly name: string; readonly at: number; readonly scope: number; readonly value: SyntaxNode | null }[] = [];
  /** Items put in a list: `where = append(where, "a = $1")`, `conds.push(…)`, `conds.append(…)`. */
  private readonly listAdds: { readonly name: string; readonly at: number; readonly scope: number; readonly items: readonly SyntaxNode[]; readonly guard?: string }[] = [];
  private readonly assignFacts: AssignFact[] = [];
  private readonly queryFacts: QueryFact[] = [];
  /** Names written as a cache, with the offsets of their writes (a guard counts only before a write). */
  private readonly cacheWrites = new Map<string, number[]>();
  /** Declared types of parameters, fields and variables, by name (file-wide: names rarely clash). */
  private readonly types: DeclaredTypes;
  /** Every value assigned to a name, for following `const hit = cache.get(k)` into a guard. */
  private readonly valuesOf = new Map<string, SyntaxNode[]>();
  private readonly chainNodes = new Set<number>();
  private readonly innerCalls = new Map<number, { chain: Chain; index: number }>();
  /** Lazy querysets already recorded where a loop evaluates them through a variable. */
  private readonly lazyValues = new Set<number>();
  /** Functions registered as request handlers (`e.GET("/path", func…)`), by node id. */
  private readonly handlers = new Set<number>();
  /** Functions passed directly to a call, by node id: the name of that call. */
  private readonly callbackOf = new Map<number, string>();
  private readonly consumed: { start: number; end: number }[] = [];
  private readonly fnStack: { index: number; id: number; start: number; selfName?: string }[] = [{ index: -1, id: 0, start: -1 }];
  private readonly loopStack: LoopRec[] = [];
  /** Starts of the registering calls we are inside (`it('…', async () => …)`, `emitter.on(…)`). */
  private readonly barriers: number[] = [];
  private readonly queryStack: { readonly node: SyntaxNode; readonly start: number; readonly end: number }[] = [];
  private readonly frames: Frame[] = [];
  private readonly ctx: MatchContext;
  /** Only files that mention a batching call need the (upward) check for one around each callback loop. */
  private readonly mentionsBatchApi: boolean;

  constructor(private readonly text: string, private readonly path: string, private readonly adapter: LanguageAdapter) {
    this.types = new DeclaredTypes(adapter, text);
    this.ctx = {
      adapter,
      importedFrom: (name) => this.imports.find((i) => i.local === name)?.module,
      typeOf: (name) => this.types.typeOf(name),
      recordOf: (name, offset) => this.recordOf(name, offset),
    };
    this.mentionsBatchApi = /\$transaction|\.batch\(/.test(text);
    // Languages with export statements only expose what they export; the others expose every top-level name.
    this.exportsList = adapter.exportTypes.size > 0 ? [] : null;
  }

  run(tree: Tree): FileSummary {
    registerSource(tree, this.text);
    this.walk(tree);
    const loops = this.finishLoops();
    this.finishItems();
    const relationAccesses = this.relationAccesses();
    this.collectSelfReads();
    const starts = lineStarts(this.text);
    return {
      path: this.path,
      language: this.adapter.language,
      lineStarts: starts,
      functions: this.functions.map(({ selfName: _selfName, ...f }) => f),
      queries: this.queries,
      calls: this.calls,
      loops,
      imports: this.imports,
      exports: this.exportsList,
      sql: this.sql,
      models: this.models,
      relationAccesses,
      ...(this.typeFacts.length > 0 ? { types: this.typeFacts } : {}),
      ...(this.classes.length > 0 ? { classes: this.classes.map((c) => this.withBaseModule(c)) } : {}),
      ormFilters: this.ormFilters,
      setFields: setFieldNames(this.text, this.adapter.language),
      suppressions: scanSuppressions(this.text, starts),
      hasErrors: tree.rootNode.hasError,
    };
  }

  // ---- the walk -------------------------------------------------------------------------------

  /**
   * Visits the interesting nodes in document order. `descendantsOfType` finds
   * them natively in one call, far cheaper than stepping a tree cursor through
   * every node from JavaScript; nesting (which function, which loops) comes
   * from a stack of open spans, since a node is inside an earlier one exactly
   * when it starts before that one ends.
   */
  private walk(tree: Tree): void {
    const { types, ambiguous, bindingOnly } = walkTypes(tree.language, this.adapter);
    try {
      for (const node of tree.rootNode.descendantsOfType(types)) {
        if (!node) continue;
        const t = typeOf(node);
        if (ambiguous.has(t) && !node.isNamed) continue;
        const start = node.startIndex;
        while (this.frames.length > 0 && (this.frames[this.frames.length - 1]?.end ?? 0) <= start) this.frames.pop()?.pop();
        // Parameters and fields are the most frequent nodes and only need their start.
        if (bindingOnly.has(t)) this.types.add(node, start);
        else this.visit(node, node.endIndex);
      }
    } finally {
      while (this.frames.length > 0) this.frames.pop()?.pop();
    }
  }

  /** Keeps a context open until the walk passes `end`. */
  private push(end: number, pop: () => void): void {
    this.frames.push({ end, pop });
  }

  private visit(node: SyntaxNode, end: number): void {
    const a = this.adapter;
    const t = typeOf(node);
    if (a.importTypes.has(t)) this.imports.push(...a.imports(node));
    if (a.exportTypes.has(t)) {
      const e = a.exports(node);
      if (e && this.exportsList) this.exportsList.push(...e);
    }
    if (a.classTypes.has(t)) {
      const m = a.model(node);
      if (m) this.models.push(m);
      const fact = a.classFact?.(node);
      if (fact) this.classes.push(fact);
    }
    if (a.typedBindingTypes?.has(t)) this.types.add(node, node.startIndex);
    if (a.typeDeclTypes?.has(t)) {
      const fact = a.typeFact?.(node);
      if (fact) this.typeFacts.push(fact);
    }
    if (a.assignmentTypes.has(t)) this.visitAssignment(node, end);
    // Ruby's `query << " VALUES …"` adds to a string in place, like `+=`.
    if (t === 'binary' && a.language === 'ruby') this.visitShovel(node);
    if (a.functionTypes.has(t)) this.visitFunction(node, end);
    if (a.loopTypes.has(t)) {
      const shape = a.loop(node);
      if (shape) this.registerLoop(shape, node, end);
    }
    if (a.callTypes.has(t)) this.visitCall(node, end);
    if (a.stringTypes.has(t)) this.visitString(node, end);
  }

  private currentFn(): number {
    return this.fnStack[this.fnStack.length - 1]?.index ?? -1;
  }

  private visitFunction(node: SyntaxNode, end: number): void {
    const shape = this.adapter.functionDef(node, this.callbackOf.get(node.id));
    if (!shape) return;
    let index = this.currentFn();
    let selfName = this.fnStack[this.fnStack.length - 1]?.selfName;
    if (shape.name) {
      index = this.functions.length;
      selfName = shape.selfName;
      const nameNode = shape.nameNode;
      this.functions.push({
        name: shape.name,
        className: shape.className,
        start: node.startIndex,
        end,
        nameSpan: shape.nameSpan ?? { start: nameNode?.startIndex ?? node.startIndex, end: nameNode?.endIndex ?? node.startIndex },
        exported: shape.exported,
        memoised: shape.memoised,
        queries: [],
        calls: [],
        selfName,
      });
      const lang = this.adapter.language;
      const firstParam = lang === 'python' ? namedKidsOf(field(node, 'parameters') ?? node)[0]?.text : undefined;
      if (shape.className !== undefined && ((lang === 'python' && firstParam === 'self') || (lang === 'ruby' && isType(node, 'method')))) {
        this.methodNodes.push({ index, node });
      }
    } else if (isReturnedClosure(node) || this.handlers.has(node.id)) {
      // `return func(w, r) { … store.UserByFeverToken(…) }` or `e.Any("/dav/:task", func(c) …)`: the
      // function builds or registers a handler that runs later, per request; its queries are not
      // the enclosing function's.
      index = -1;
    }
    this.fnStack.push({ index, id: node.id, start: node.startIndex, selfName });
    this.push(end, () => this.fnStack.pop());
  }

  private visitAssignment(node: SyntaxNode, end: number): void {
    const a = this.adapter.assignment(node);
    if (!a) return;
    const scope = this.fnStack[this.fnStack.length - 1]?.id ?? 0;
    // `@nodes += Node.find(more_ids)` adds to the value; the name does not hold the right side.
    const adds = /^[-+*/|&]=$|^<<=$/.test(a.operator);
    if (adds) for (const name of a.targets) this.appends.push({ name, at: node.startIndex, scope, value: a.value });
    for (const name of adds ? [] : a.targets) {
      let list = this.assigns.get(name);
      if (!list) {
        list = [];
        this.assigns.set(name, list);
      }
      list.push({ name, at: node.startIndex, value: a.value, scope });
    }
    const targets = isType(a.targetNode, 'expression_list') ? namedKidsOf(a.targetNode) : [a.targetNode];
    // A cache is written by key (`cache[id] = …`), or memoised with `||=`/`??=`. A field written
    // (`p.X, err = …`, `this.last = row`) is no cache: counting it made every `if err != nil` a guard.
    if (a.operator === '||=' || a.operator === '??=') for (const n of a.targets) this.cacheWrite(n, end);
    // `seen[key] = true` marks a key as done (deduplication): it stores no result, so it is no cache.
    const marksOnly = a.value !== null && SEEN_MARK.test(a.value.text);
    for (const t of marksOnly ? [] : targets) {
      if (!t || !KEYED_TARGETS.has(typeOf(t))) continue;
      const base = /^[^[]*/.exec(t.text)?.[0] ?? '';
      const name = base.match(/[@$]*[A-Za-z_][\w$]*/g)?.at(-1);
      if (name) this.cacheWrite(name, end);
    }
    for (const n of a.targets) {
      const list = this.valuesOf.get(n) ?? [];
      if (a.value) list.push(a.value);
      this.valuesOf.set(n, list);
    }
    this.assignFacts.push({
      targets: a.targets,
      start: node.startIndex,
      end,
      value: a.value ? { start: a.value.startIndex, end: a.value.endIndex } : null,
      valueNames: lazy(() => identifiersIn(a.value, this.adapter.identifierTypes, 400)),
    });
  }

  private withBaseModule(c: { readonly name: string; readonly extends?: string; readonly decorators: readonly string[] }): ClassFact {
    const from = c.extends !== undefined ? this.imports.find((i) => i.local === c.extends)?.module : undefined;
    return from !== undefined ? { ...c, extendsModule: from } : c;
  }

  /** The text of a loop's last body (the statements, not the header). */
  private loopBodyText(shape: LoopShape): string {
    const body = shape.bodies[shape.bodies.length - 1];
    return body ? this.text.slice(body.startIndex, body.endIndex) : '';
  }

  private cacheWrite(name: string, at: number): void {
    const list = this.cacheWrites.get(name);
    if (list) list.push(at);
    else this.cacheWrites.set(name, [at]);
  }

  /** The expression last assigned to `name` before `offset`, in this function or the module. */
  private readonly resolve = (name: string, offset: number): SyntaxNode | null => {
    const list = this.assigns.get(name);
    if (!list) return null;
    const scopes = new Set(this.fnStack.map((f) => f.id));
    for (let i = list.length - 1; i >= 0; i--) {
      const r = list[i];
      // `query = fmt.Sprintf("%s LIMIT %d", query, n)`: inside its own right side the name still holds the earlier value.
      if (r && r.at < offset && scopes.has(r.scope) && !(r.value && r.value.startIndex <= offset && offset < r.value.endIndex)) return r.value;
    }
    return null;
  };

  private visitShovel(node: SyntaxNode): void {
    const left = field(node, 'left');
    if (field(node, 'operator')?.text !== '<<' || !left || !isType(left, 'identifier')) return;
    const scope = this.fnStack[this.fnStack.length - 1]?.id ?? 0;
    this.appends.push({ name: left.text, at: node.startIndex, scope, value: field(node, 'right') });
  }

  /** The additions to `name` (`+=`, `<<`) between `from` and `to`, in a scope open now. */
  private appendsBetween(name: string, from: number, to: number): { readonly value: SyntaxNode | null }[] {
    const scopes = new Set(this.fnStack.map((f) => f.id));
    return this.appends.filter((r) => r.name === name && r.at > from && r.at < to && scopes.has(r.scope));
  }

  private readonly appended = (name: string, from: number, to: number): boolean => this.appendsBetween(name, from, to).length > 0;

  /** What the index rules' variants read: values added with `+=`, items added to lists. */
  private readonly runTimeParts: RunTimeParts = {
    appendedValues: (name, from, to) => this.appendsBetween(name, from, to).flatMap((r) => (r.value ? [r.value] : [])),
    listItems: (name, offset) => {
      const scopes = new Set(this.fnStack.map((f) => f.id));
      return this.listAdds.flatMap((r) => (r.name === name && r.at < offset && scopes.has(r.scope) ? r.items : []));
    },
    guardOf: (item) => this.listAdds.find((r) => r.items.includes(item))?.guard,
  };

  /**
   * The option a list item depends on: the field its enclosing `if` tests
   * (`if find.SenderID != nil`, `if len(find.IDs) > 0`, `if (f.teamId)`, `if f.owner:`).
   */
  private guardField(node: SyntaxNode): string | undefined {
    for (let p = node.parent; p; p = p.parent) {
      if (this.adapter.functionTypes.has(typeOf(p))) return undefined;
      if (typeOf(p) !== 'if_statement') continue;
      const condition = field(p, 'condition') ?? field(p, 'initializer');
      const text = [field(p, 'initializer')?.text ?? '', condition?.text ?? ''].join(' ');
      const m = /\b(\w+)\.(\w+)\b(?![.(])/.exec(text);
      if (!m) return undefined;
      // Go: `find *store.FindInbox` makes the option `FindInbox.SenderID`, matched against literals of that type.
      const type = this.adapter.language === 'go' ? this.types.typeOf(m[1] ?? '')?.replace(/^[*&[\]]+/, '').split('.').pop() : undefined;
      return type ? `${type}.${m[2] ?? ''}` : m[2];
    }
    return undefined;
  }

  private guardOf(node: SyntaxNode): { guard?: string } {
    const guard = this.guardField(node);
    return guard !== undefined ? { guard } : {};
  }

  private recordListAdd(node: SyntaxNode, c: Chain): void {
    const last = c.links[c.links.length - 1];
    if (!last || c.links.length !== 1) return;
    const args = last.args ?? [];
    const scope = this.fnStack[this.fnStack.length - 1]?.id ?? 0;
    if (this.adapter.language === 'go' && c.base === '' && last.name === 'append' && args.length >= 2) {
      const list = args[0];
      if (list && isType(list, 'identifier')) this.listAdds.push({ name: list.text, at: node.startIndex, scope, items: args.slice(1), ...this.guardOf(node) });
    } else if (c.baseKind === 'identifier' && ((this.adapter.language === 'python' && last.name === 'append') || (this.adapter.language !== 'python' && this.adapter.language !== 'go' && last.name === 'push'))) {
      this.listAdds.push({ name: c.base, at: node.startIndex, scope, items: args, ...this.guardOf(node) });
    }
  }

  private registerLoop(shape: LoopShape, node: SyntaxNode, end: number, callNode?: SyntaxNode): void {
    const a = this.adapter;
    // The collection a statement loop iterates runs once per iteration of the enclosing loops.
    if (shape.iterable && shape.kind !== 'callback') this.lazyIterable(shape.iterable);
    const outer = this.loopStack.map((l) => ({ index: l.index, variables: l.shape.variables }));
    let quiet: QuietReason | undefined;
    if (isConstantLoop(shape, a, this.resolve, (name) => mutatesList(this.text, name))) quiet = 'constant-list';
    else if (isChunkedLoop(shape, a)) quiet = 'chunked';
    else if (callNode && this.mentionsBatchApi && isBatchedCallback(callNode, a)) quiet = 'batched';
    const rec: LoopRec = {
      index: this.loops.length,
      shape,
      node,
      start: node.startIndex,
      end,
      fn: this.currentFn(),
      bodies: shape.bodies.map((b) => ({ start: b.startIndex, end: b.endIndex })),
      quiet,
      collection: loopCollection(shape, a, this.resolve, outer, this.functions[this.currentFn()]?.className),
    };
    this.loops.push(rec);
    if (shape.callbackRef) this.recordReference(shape.callbackRef, rec);
    this.loopStack.push(rec);
    this.push(end, () => this.loopStack.pop());
  }

  /**
   * The model class whose records `name` walks: the variable of an open ECMAScript loop over
   * `Model.findAll(…)` (also `await`ed, through a variable, or `.rows` of `findAndCountAll`).
   */
  private recordOf(name: string, offset: number): string | undefined {
    const a = this.adapter;
    if (a.language !== 'typescript' && a.language !== 'tsx' && a.language !== 'javascript') return undefined;
    const loop = [...this.loopStack].reverse().find((l) => l.shape.variables.includes(name) && l.start <= offset && offset < l.end);
    let it = loop?.shape.iterable ?? null;
    for (let hops = 0; it && hops < 4; hops++) {
      if (isType(it, 'await_expression') || isType(it, 'parenthesized_expression')) it = namedKidsOf(it)[0] ?? null;
      else if (a.identifierTypes.has(typeOf(it))) it = this.resolve(it.text, it.startIndex);
      else break;
    }
    if (!it) return undefined;
    const c = a.chain(it);
    const rows = c?.links.at(-1)?.name === 'rows' ? c.links.slice(0, -1) : c?.links;
    const last = rows?.at(-1);
    if (!c || c.baseKind !== 'constant' || rows?.length !== 1 || !last?.args || !RECORD_QUERIES.has(last.name)) return undefined;
    return c.base.split('.').pop();
  }

  /** `for b in Book.objects.filter(…)`: a lazy queryset evaluated by the loop (the iterable is its own chain head). */
  private lazyIterable(iterable: SyntaxNode): void {
    const a = this.adapter;
    if (a.identifierTypes.has(typeOf(iterable))) {
      // `webhooks = Webhook.objects.filter(…)` inside a loop, then `for webhook in webhooks`: the
      // queryset runs where the inner loop evaluates it, once per iteration of the loops around the
      // assignment (a queryset assigned before them is evaluated once and cached).
      const value = this.resolve(iterable.text, iterable.startIndex);
      if (!value || !a.callTypes.has(typeOf(value)) || this.lazyValues.has(value.id)) return;
      const c = this.adapter.chain(value);
      const m = c ? matchQuery(c, value, this.ctx) : null;
      if (!c || m?.effect !== 'lazy') return;
      this.lazyValues.add(value.id);
      this.recordQuery(value, c, m, true);
      return;
    }
    if (!a.callTypes.has(typeOf(iterable))) return;
    const c = this.chainOf(iterable)?.chain;
    if (!c) return;
    const m = matchQuery(c, iterable, this.ctx);
    if (m?.effect === 'lazy') this.recordQuery(iterable, c, m, true);
  }

  /**
   * The chain ending at `call`, and whether `call` is its head (the outermost
   * call). Calls are visited outermost first, so a head's chain is computed
   * once and its inner calls reuse a prefix of it: no upward walks.
   */
  private chainOf(call: SyntaxNode): { chain: Chain; head: boolean } | null {
    const inner = this.innerCalls.get(call.id);
    if (inner) return { chain: { ...inner.chain, links: inner.chain.links.slice(0, inner.index + 1) }, head: false };
    const chain = this.adapter.chain(call);
    if (!chain) return null;
    const functionTypes = this.adapter.functionTypes;
    chain.links.forEach((l, index) => {
      if (l.args !== null && l.node.id !== call.id) this.innerCalls.set(l.node.id, { chain, index });
      // Functions are visited after the calls they are passed to (a call starts first).
      for (const arg of l.args ?? []) {
        if (isPlainArgument(arg) || !functionTypes.has(typeOf(arg))) continue;
        this.callbackOf.set(arg.id, l.name);
        if (isRouteRegistration(l.args)) this.handlers.add(arg.id);
      }
    });
    return { chain, head: true };
  }

  private barrier(): number {
    return this.barriers[this.barriers.length - 1] ?? -1;
  }

  private visitCall(node: SyntaxNode, end: number): void {
    const a = this.adapter;
    const found = this.chainOf(node);
    if (!found) return;
    const c = found.chain;
    this.recordListAdd(node, c);
    const last = c.links[c.links.length - 1];
    const registers = last && (REGISTRARS.has(last.name) || isRouteRegistration(last.args));
    if (last && registers && (last.block !== undefined || last.args?.some((x) => a.functionTypes.has(typeOf(x))))) {
      // The callback runs later (once per test, once per event), not once per iteration of the loop around it.
      this.barriers.push(node.startIndex);
      this.push(end, () => this.barriers.pop());
    }
    const loop = a.callbackLoop(node, c);
    if (loop) this.registerLoop(loop, node, end, node);
    if (found.head && !this.insideQueryArgument(node, end)) {
      const m = matchQuery(c, node, this.ctx);
      if (m?.api.kind === 'orm') this.recordOrmFilter(node, end, c, m);
      if (m && m.effect !== 'lazy') {
        this.recordQuery(node, c, m, false);
        this.queryStack.push({ node, start: node.startIndex, end });
        this.push(end, () => this.queryStack.pop());
        return;
      }
      if (m?.effect === 'lazy' && this.evaluatedByCaller(node)) {
        this.recordQuery(node, c, m, true);
        return;
      }
    }
    if (!loop && !this.chainNodes.has(node.id)) this.recordCall(node, end, c);
    this.outParameters(node, c);
  }

  /** Go's `rows.Scan(&lastID)` assigns through pointers: record it so pagination loops see the data flow. */
  private outParameters(node: SyntaxNode, c: Chain): void {
    if (this.adapter.language !== 'go') return;
    const last = c.links[c.links.length - 1];
    const targets = (last?.args ?? []).filter((a) => isType(a, 'unary_expression') && a.text.startsWith('&')).map((a) => a.text.slice(1).split(/[.[]/)[0] ?? '');
    if (targets.length === 0) return;
    this.assignFacts.push({
      targets,
      start: node.startIndex,
      end: node.endIndex,
      value: { start: node.startIndex, end: node.endIndex },
      valueNames: () => new Set(c.base ? [c.base] : []),
    });
  }

  /** Static filter keys of an ORM call (evaluated or not: a queryset built here runs somewhere). */
  private recordOrmFilter(node: SyntaxNode, end: number, c: Chain, m: QueryMatch): void {
    const fact = ormFilterOf(m.api.id, c, { start: node.startIndex, end }, (model) => this.appLabel(model));
    if (!fact) return;
    // `Book.objects.filter(…)[:10]`: the slice sits outside the call chain.
    const sliced = m.api.id.startsWith('django') && isType(node.parent, 'subscript') && /:/.test(node.parent?.text.slice(end - node.startIndex) ?? '');
    this.ormFilters.push(sliced && !fact.limited ? { ...fact, limited: true } : fact);
  }

  /** Django app label of a model class, from its import (`from shop.models import Book`, or `.models` in app `shop`). */
  private appLabel(model: string): string | undefined {
    const binding = this.imports.find((i) => i.local === model);
    if (!binding) return undefined;
    const m = /^(\.*)([\w.]*?)\.?models(\.\w+)?$/.exec(binding.module);
    if (!m) return undefined;
    if (m[2]) return m[2].split('.').pop();
    const dirs = this.path.replace(/\\/g, '/').split('/').slice(0, -1);
    return m[1] === '.' ? dirs[dirs.length - 1] : undefined;
  }

  /** Inside the arguments of a query (a subquery builder, a SQL fragment), but not in a callback. */
  private insideQueryArgument(node: SyntaxNode, end: number): boolean {
    const q = this.queryStack[this.queryStack.length - 1];
    if (!q || node.startIndex < q.start || end > q.end) return false;
    // A callback passed to the query (`client.query(sql, (err, res) => …)`) runs its own queries.
    const fn = this.fnStack[this.fnStack.length - 1];
    return !(fn && fn.start >= q.start && fn.start < q.end);
  }

  private evaluatedByCaller(node: SyntaxNode): boolean {
    let p = node.parent;
    while (p && (isType(p, 'parenthesized_expression') || isType(p, 'await'))) p = p.parent;
    if (!isType(p, 'argument_list')) return false;
    const call = p.parent;
    const fn = call ? field(call, 'function') : null;
    return isType(fn, 'identifier') && EVALUATORS.has(fn.text);
  }

  private recordQuery(head: SyntaxNode, c: Chain, m: QueryMatch, evaluatedLazy: boolean): void {
    const link = c.links[m.link];
    const node = evaluatedLazy ? head : link?.node ?? head;
    // Every `endIndex` read crosses into WebAssembly: read it once.
    const end = node.endIndex;
    for (const l of c.links) this.chainNodes.add(l.node.id);
    let sqlIndex: number | undefined;
    let sqlText: string | undefined;
    if (m.sqlNode) {
      const style: PlaceholderStyle = m.api.placeholders ?? 'any';
      const extracted = extractSql(m.sqlNode, this.adapter, style, this.resolve, this.appended);
      if (extracted) {
        const variants = extracted.dynamic ? extractVariants(m.sqlNode, this.adapter, style, this.resolve, this.runTimeParts) : [];
        sqlIndex = this.addSql(extracted, isType(m.sqlNode, 'template_string') && m.api.kind === 'raw-sql' && !c.links[m.link]?.args?.length ? 'tagged-template' : 'api', m.api.id, variants);
        sqlText = extracted.mapped.text;
        this.consumed.push({ start: m.sqlNode.startIndex, end: m.sqlNode.endIndex });
      }
    }
    const fn = this.currentFn();
    const index = this.queries.length;
    this.queries.push({
      start: node.startIndex,
      end,
      api: m.api.id,
      library: m.api.library,
      label: m.label,
      batch: isBatch(m, c, sqlText),
      writes: writesRows(sqlText, c.links.map((l) => l.name)),
      effect: m.effect === 'fetch' ? 'fetch' : 'query',
      memoised: false,
      sql: sqlIndex,
      ...(m.modelClass !== undefined ? { modelClass: m.modelClass } : {}),
      fn,
      loops: [],
    });
    this.functions[fn]?.queries.push(index);
    const roots = m.sqlNode ? statementRoots(m.sqlNode, this.adapter, this.resolve) : undefined;
    this.items.push({ node, start: node.startIndex, end, barrier: this.barrier(), statementRoots: roots, open: [...this.loopStack], kind: 'query', index });
    const argNodes = c.links.flatMap((l) => l.args ?? []);
    const types = this.adapter.identifierTypes;
    const argNames = lazy(() => {
      const names = new Set<string>();
      for (const arg of argNodes) {
        // Go's `&dest` arguments are outputs, not inputs of the query.
        if (isType(arg, 'unary_expression') && arg.text.startsWith('&')) continue;
        for (const n of identifiersIn(arg, types, 200)) names.add(n);
      }
      return names;
    });
    this.queryFacts.push({ start: node.startIndex, end, argNames });
  }

  private recordCall(node: SyntaxNode, end: number, c: Chain): void {
    const fn = this.currentFn();
    if (fn < 0 && this.loopStack.length === 0) return;
    const last = c.links[c.links.length - 1];
    if (!last?.name || last.name === '[]') return;
    const selfName = this.fnStack[this.fnStack.length - 1]?.selfName;
    const receiverParts = [c.base, ...c.links.slice(0, -1).map((l) => l.name)].filter((s) => s !== '');
    const receiver = receiverParts.join('.');
    let kind: CallSite['kind'] = 'member';
    if (receiverParts.length === 0) kind = 'plain';
    else if (c.links.length === 1 && (c.baseKind === 'self' || (selfName !== undefined && c.base === selfName))) kind = 'self';
    // Cache writes seen as calls: cache.set(k, v), memo.setdefault(k, v). A set's `add(k)` stores no result.
    if (/^(set|put|store|setdefault|update|write|fetch)$/.test(last.name) && c.links.length === 1 && c.base) this.cacheWrite(c.base, end);
    // Go code is followed by types (`s.driver` is a `Driver`): the receiver's declared type, when it has one.
    const receiverType = kind === 'member' && this.adapter.typeDeclTypes && c.base !== '' ? this.types.typeOf(c.base) : undefined;
    this.addCallSite({ start: node.startIndex, end, name: last.name, kind, receiver: kind === 'member' ? receiver : undefined, ...(receiverType !== undefined ? { receiverType } : {}), fn, loops: [], memoised: false }, node);
  }

  private recordReference(ref: SyntaxNode, loop: LoopRec): void {
    const name = typeOf(ref).includes('identifier') ? ref.text : ref.text.split('.').pop() ?? '';
    const receiver = ref.text.includes('.') ? ref.text.slice(0, ref.text.lastIndexOf('.')) : undefined;
    const isSelf = receiver !== undefined && this.adapter.selfNames.has(receiver);
    this.addCallSite({ start: ref.startIndex, end: ref.endIndex, name, kind: 'reference', receiver: isSelf ? undefined : receiver, fn: this.currentFn(), loops: [{ loop: loop.index }], memoised: false }, ref, loop);
  }

  private addCallSite(site: Mutable<CallSite>, node: SyntaxNode, extraLoop?: LoopRec): void {
    const index = this.calls.length;
    this.calls.push(site);
    this.functions[site.fn]?.calls.push(index);
    this.items.push({ node, start: site.start, end: site.end, barrier: this.barrier(), open: extraLoop ? [...this.loopStack, extraLoop] : [...this.loopStack], kind: 'call', index });
  }

  private visitString(node: SyntaxNode, end: number): void {
    const start = node.startIndex;
    if (this.consumed.some((s) => start >= s.start && end <= s.end)) return;
    if (this.sqlByStart.has(start)) return;
    const parts = this.adapter.literal(node);
    if (!parts || parts.length === 0) return;
    const raw = parts.map((p) => (p.kind === 'text' ? p.text : '$1')).join('');
    if (raw.length < 8 || raw.length > 100_000 || !looksLikeSql(raw)) return;
    const style: PlaceholderStyle = this.adapter.language === 'python' ? 'any' : 'question';
    const extracted = extractSql(node, this.adapter, style);
    if (extracted) this.addSql(extracted, 'sql-like');
  }

  private addSql(e: ExtractedSql, origin: SqlText['origin'], api?: string, variants: readonly (ExtractedSql & { guard?: string })[] = []): number {
    const fnIndex = this.currentFn();
    let otherDatabase = this.otherDriverIn.get(fnIndex);
    if (otherDatabase === undefined) {
      const fn = this.functions[fnIndex];
      otherDatabase = namesOtherDriver(fn ? this.text.slice(fn.start, fn.end) : this.text);
      this.otherDriverIn.set(fnIndex, otherDatabase);
    }
    const entry: SqlText = {
      start: e.start,
      end: e.end,
      text: e.mapped.text,
      origin,
      api,
      dynamic: e.dynamic,
      ...(e.holes.length > 0 ? { holes: e.holes } : {}),
      ...(otherDatabase ? { otherDatabase: true as const } : {}),
      ...(variants.length > 0 ? { variants: variants.map((v) => ({ text: v.mapped.text, map: v.mapped.toMap(), ...(v.guard !== undefined ? { guard: v.guard } : {}) })) } : {}),
      map: e.mapped.toMap(),
    };
    const existing = this.sqlByStart.get(e.start);
    if (existing !== undefined) {
      // A constant first seen as SQL-like text, now known to be passed to an API.
      if (origin !== 'sql-like') this.sql[existing] = entry;
      return existing;
    }
    this.sqlByStart.set(e.start, this.sql.length);
    this.sql.push(entry);
    return this.sql.length - 1;
  }

  // ---- after the walk ---------------------------------------------------------------------------

  private finishLoops(): LoopSummary[] {
    const a = this.adapter;
    // The label and the retry test both need the collection's text: read it once per loop.
    const iterables = this.loops.map((l) => l.shape.iterable?.text ?? null);
    for (const l of this.loops) {
      if (l.quiet) continue;
      // A `for attempt in range(max_attempts)` loop retries just like a `while` loop does.
      if (isTickerIterable(iterables[l.index] ?? '')) {
        l.quiet = 'retry';
        continue;
      }
      const counted = l.shape.kind !== 'condition' && isRetryCounter(l.shape, iterables[l.index] ?? null);
      if (l.shape.kind !== 'condition' && !counted) continue;
      const span = { start: l.start, end: l.end };
      if (l.shape.kind === 'condition' && isDrainLoop(l.shape, a)) l.quiet = 'drain';
      else if (isRepeatLoop(l.shape, this.loopBodyText(l.shape))) l.quiet = 'repeat';
      else if (isRetryLoop(this.text.slice(l.start, l.end))) l.quiet = 'retry';
      else if (counted) continue;
      else if (isPaginationLoop(l.shape, span, this.queryFacts, this.assignFacts, () => exitGuards(l.shape.bodies, a), a)) l.quiet = 'pagination';
    }
    return this.loops.map((l) => ({
      start: l.start,
      end: l.end,
      kind: l.shape.kind,
      label: loopLabel(l.shape, iterables[l.index] ?? null),
      header: l.shape.header,
      quiet: l.quiet,
      fn: l.fn,
      collection: l.collection,
    }));
  }

  private entriesFor(node: SyntaxNode, start: number, end: number, open: readonly LoopRec[], statementRoots?: readonly string[], barrier = -1): LoopEntry[] {
    const inBody = (l: LoopRec) => l.start > barrier && l.bodies.some((b) => start >= b.start && end <= b.end);
    const enclosing = open.filter((l) => inBody(l) || (l.shape.callbackRef !== undefined && l.shape.callbackRef.id === node.id)).reverse();
    const frames: LoopFrame[] = enclosing.map((l) => ({ index: l.index, node: l.node, kind: l.shape.kind }));
    const innermost = enclosing[0];
    if (innermost) innermost.mayExit ??= EXIT_WORD.test(this.text.slice(innermost.start, innermost.end));
    const exits = innermost?.mayExit ? earlyExits(node, frames, this.adapter) : new Map<number, 'early-exit-loop' | 'early-exit-all'>();
    return enclosing.map((l) => {
      const quiet = exits.get(l.index) ?? (statementRoots?.some((r) => l.shape.variables.includes(r)) ? 'distinct-statements' : undefined);
      return quiet ? { loop: l.index, quiet } : { loop: l.index };
    });
  }

  private finishItems(): void {
    // A guard may test a local read from the cache (`let c = cache.get(k); if (!c) …`): follow one assignment.
    const readsFrom = new Map<string, string[]>();
    for (const cache of this.cacheWrites.keys()) {
      const mentions = new RegExp(`(^|[^\\w$])${escapeRegExp(cache)}([^\\w$]|$)`);
      for (const [name, values] of this.valuesOf) {
        if (name !== cache && values.some((v) => mentions.test(v.text.slice(0, 300)))) readsFrom.set(name, [...(readsFrom.get(name) ?? []), cache]);
      }
    }
    const none = { names: new Set<string>() };
    for (const item of this.items) {
      const loops = this.entriesFor(item.node, item.start, item.end, item.open, item.statementRoots, item.barrier);
      // A cache guards a call only when the cache is written after it (the result stored under its key).
      const after = new Set<string>();
      for (const [name, at] of this.cacheWrites) if (at.some((o) => o > item.start)) after.add(name);
      for (const [name, caches] of readsFrom) if (caches.some((c) => after.has(c))) after.add(name);
      const memoised = isMemoised(item.node, this.adapter, after.size > 0 ? { names: after } : none);
      const target = item.kind === 'query' ? this.queries[item.index] : this.calls[item.index];
      if (!target) continue;
      target.loops = loops;
      target.memoised = memoised;
    }
  }

  /**
   * What each instance method reads on its own record: `self.owner.code`, `self.check_set.all()`,
   * Ruby's `self.tags` and bare `changeset.user` (a name that is neither a parameter nor a local
   * is a method of self). The rule checks these against the model's relations when the method is
   * called once per record of a loop.
   */
  private collectSelfReads(): void {
    const a = this.adapter;
    if (!a.memberPath || this.methodNodes.length === 0) return;
    const ruby = a.language === 'ruby';
    for (const m of this.methodNodes) {
      const fn = this.functions[m.index];
      if (!fn) continue;
      const reads: SelfRead[] = [];
      const bound = ruby ? boundNames(m.node) : new Set<string>();
      const nameNode = field(m.node, 'name');
      const candidates = ruby ? descendants(m.node, RUBY_SELF_READ_TYPES, 20_000) : descendants(m.node, a.identifierTypes, 20_000);
      for (const id of candidates) {
        if (reads.length >= MAX_SELF_READS) break;
        let names: string[];
        let ends: number[];
        if (isType(id, 'self') || (!ruby && id.text === 'self')) {
          const path = a.memberPath(id);
          if (!path) continue;
          names = [...path.names];
          ends = [...path.ends];
        } else if (ruby && isType(id, 'identifier') && id.id !== nameNode?.id) {
          const parent = id.parent;
          // `x.foo`: `foo` is a method name; `foo = …`, parameters and block variables are locals.
          if (parent && isType(parent, 'call') && field(parent, 'receiver')?.id !== id.id) continue;
          if (parent && (isType(parent, 'assignment') || isType(parent, 'operator_assignment')) && field(parent, 'left')?.id === id.id) continue;
          const local = this.assigns.get(id.text)?.some((r) => r.at >= m.node.startIndex && r.at < m.node.endIndex);
          if (bound.has(id.text) || local) continue;
          const path = a.memberPath(id);
          names = [id.text, ...(path?.names ?? [])];
          ends = [id.endIndex, ...(path?.ends ?? [])];
        } else continue;
        if (names.length === 0 || !names.every((n) => /^[a-z_]\w*[?!]?$/.test(n))) continue;
        const after = new Set<string>();
        for (const [name, at] of this.cacheWrites) if (!name.startsWith('@') && at.some((o) => o > id.startIndex)) after.add(name);
        // A cache across records (`cache[id] ||= changeset.user`) guards the read; `@tags ||= …` keeps
        // the result on this record only, so each record of a loop still queries once.
        const memoised = after.size > 0 && isMemoised(id, a, { names: after }, { perRecord: true });
        if (memoised) continue;
        reads.push({ path: names, start: id.startIndex, end: ends[0] ?? id.endIndex });
      }
      if (reads.length > 0) fn.selfReads = reads;
    }
  }

  private relationAccesses(): RelationAccess[] {
    const a = this.adapter;
    const out: RelationAccess[] = [];
    for (const l of this.loops) {
      if (!l.collection || !a.memberPath) continue;
      const sym = l.shape.symbol;
      if (sym) {
        // `orders.map(&:customer)`: the symbol is the read, once per record of this loop.
        const open = this.loops.filter((o) => o !== l && o.start <= sym.start && sym.end <= o.end);
        const outer = this.entriesFor(l.node, sym.start, sym.end, open);
        // `flat_map(&:line_items)` loads each record's association to flatten it.
        const loads = /^`flat_map\(/.test(l.shape.what);
        out.push({ start: sym.start, end: sym.end, loop: l.index, path: loads ? [sym.name, 'to_a'] : [sym.name], prefixEnds: loads ? [sym.end, sym.end] : [sym.end], loops: [{ loop: l.index }, ...outer] });
        continue;
      }
      const vars = new Set(l.collection.variables);
      for (const body of l.shape.bodies) {
        for (const id of descendants(body, a.identifierTypes, 20_000)) {
          if (out.length >= MAX_RELATION_ACCESSES) return out;
          if (!vars.has(id.text)) continue;
          const path = a.memberPath(id);
          if (!path) continue;
          const start = id.startIndex;
          const end = id.endIndex;
          const open = this.loops.filter((o) => o.start <= start && end <= o.end);
          out.push({
            start,
            end: path.ends[path.ends.length - 1] ?? end,
            loop: l.index,
            path: path.names,
            prefixEnds: path.ends,
            loops: this.entriesFor(id, start, end, open),
          });
        }
      }
    }
    return out;
  }
}

/**
 * An unnamed function that is the value returned (`return (req) => …`, Go's `return func(…) {…}`
 * or `return http.HandlerFunc(func(…) {…})`): a factory's product, run by whoever receives it.
 * A callback passed to a call that runs it now (`return db.transaction(async (t) => …)`) is not.
 */
function isReturnedClosure(node: SyntaxNode): boolean {
  let p = node.parent;
  if (p && isType(p, 'parenthesized_expression')) p = p.parent;
  // Go's conversion to a handler type: `http.HandlerFunc(func(w, r) { … })`.
  if (p && isType(p, 'argument_list') && namedKidsOf(p).length === 1 && isType(node, 'func_literal')) {
    const call = p.parent;
    const callee = call ? field(call, 'function') : null;
    if (call && callee && /(^|\.)\w*(HandlerFunc|Handler|Func)$/.test(callee.text)) p = call.parent;
  }
  if (p && isType(p, 'expression_list')) p = p.parent;
  return p !== null && (isType(p, 'return_statement') || isType(p, 'return'));
}

/**
 * A route registration: the first argument is a URL path literal (`"/dav/projects/:id"`) and a
 * function follows (`e.Any(path, func…)`, `router.get('/users/:id', async (ctx) => …)`). The
 * function runs per request, later.
 */
function isRouteRegistration(args: readonly SyntaxNode[] | null | undefined): boolean {
  const first = args?.[0];
  if (!first || args.length < 2) return false;
  return /^(string|interpreted_string_literal|raw_string_literal|template_string|string_literal)$/.test(typeOf(first)) && /^[`'"]\/[\w:/{}.*-]*[`'"]$/.test(first.text);
}

/** Static model queries that return records: Sequelize `findAll`/`findAndCountAll`, TypeORM Active Record `find`/`findBy`. */
const RECORD_QUERIES = new Set(['findAll', 'findAndCountAll', 'find', 'findBy']);

/** Ruby nodes that start a read on self: `self`, and a bare name (a method call without receiver). */
const RUBY_SELF_READ_TYPES = new Set(['self', 'identifier']);
/** Reads kept per method: enough for the relations a method touches, bounded for huge methods. */
const MAX_SELF_READS = 200;

/** Names a Ruby method binds itself: its parameters and its blocks' parameters. */
function boundNames(method: SyntaxNode): Set<string> {
  const out = new Set<string>();
  for (const p of descendants(method, new Set(['method_parameters', 'block_parameters', 'lambda_parameters']), 2000)) {
    for (const id of descendants(p, new Set(['identifier']), 200)) out.add(id.text);
  }
  return out;
}

function lazy<T>(compute: () => T): () => T {
  let value: T | undefined;
  let done = false;
  return () => {
    if (!done) {
      value = compute();
      done = true;
    }
    return value as T;
  };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function isRetryCounter(shape: LoopShape, iterable: string | null): boolean {
  const names = [...shape.variables, iterable ?? ''].join(' ');
  return /attempt|retr(y|ies)|tries/i.test(names);
}

function loopLabel(shape: LoopShape, iterable: string | null): string {
  const over = iterable !== null ? shortText(iterable) : null;
  return over ? `${shape.what} over \`${over}\`` : shape.what;
}

function shortText(text: string): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > 40 ? `${one.slice(0, 39)}…` : one;
}

/**
 * Names a file sets as fields or options, read from its text: keys of struct,
 * object and hash literals (`ReceiverID: id`, `{ teamId }` is read as `teamId:`
 * only when written so), property assignments (`f.limit = 10`) and keyword
 * arguments (`owner=…`). Over-inclusive on purpose: it only ever keeps a variant.
 */
function setFieldNames(text: string, language: string): string[] {
  const names = new Set<string>();
  if (language === 'go') {
    // `store.FindInbox{ReceiverID: &id}` sets `FindInbox.ReceiverID`.
    for (const m of text.matchAll(/\b([A-Z]\w*)\{([^{}]*)\}/g)) {
      for (const k of (m[2] ?? '').matchAll(/\b([A-Za-z_]\w*)\s*:(?![:=])/g)) {
        names.add(`${m[1] ?? ''}.${k[1] ?? ''}`);
        // For a guard whose type was not known: the key of a literal of any type.
        names.add(`.${k[1] ?? ''}`);
      }
    }
  } else {
    for (const m of text.matchAll(/\b([A-Za-z_]\w*)\s*:(?![:=])/g)) names.add(m[1] ?? '');
  }
  // `find.Limit = &n`, `opts.limit = 10`: the object's type is not read, so `=Limit` matches any.
  for (const m of text.matchAll(/\.([A-Za-z_]\w*)\s*=(?!=)/g)) names.add(`=${m[1] ?? ''}`);
  for (const m of text.matchAll(/[(,]\s*([A-Za-z_]\w*)\s*=(?!=)/g)) names.add(m[1] ?? '');
  // JavaScript shorthand properties: `{ teamId, limit }`.
  for (const m of text.matchAll(/\{\s*([A-Za-z_$][\w$]*(?:\s*,\s*[A-Za-z_$][\w$]*)*)\s*\}/g)) for (const n of (m[1] ?? '').split(',')) names.add(n.trim());
  names.delete('');
  return [...names];
}

/**
 * The per-workspace view the `n-plus-one` rule needs across files: which
 * functions issue a query, directly or through the functions they call
 * (shortest chain, up to `maxDepth` hops), how a call site resolves to
 * workspace functions, and the Django/Rails models with their relations.
 *
 * Input is pure data: file summaries and an import resolver. The index is
 * built lazily and answers from memory; rebuild it when summaries change.
 */
import { codeRole } from './codeRole';
import type { ImportResolver } from './importResolver';
import { normalisePath, dirname } from './importResolver';
import { looseName } from './languages/common';
import type { CallSite, ClassFact, FileSummary, FunctionSummary, ModelRelation, ModelSummary, QueryCall, TypeFact } from './types';

/** Modules whose model base classes give a class static query methods. */
const ORM_MODULES = /^(sequelize|sequelize-typescript|typeorm|@sequelize\/core)$/;
const ORM_BASES = new Set(['Model', 'BaseEntity']);

export interface FunctionRef {
  readonly path: string;
  readonly index: number;
}

/** How a function reaches the database: helpers called in order, then the query. */
export interface QueryPath {
  readonly hops: readonly FunctionRef[];
  /** The query at the end of the chain: in the last hop's function (or the function itself). */
  readonly query: { readonly path: string; readonly index: number };
}

export interface WorkspaceIndexOptions {
  /** Longest helper chain followed from a loop to a query (default 6). */
  readonly maxDepth?: number;
}

export class WorkspaceIndex {
  private readonly files = new Map<string, FileSummary>();
  private readonly methodsByName = new Map<string, FunctionRef[]>();
  private readonly maxDepth: number;
  private paths: Map<string, QueryPath> | undefined;
  private modelsCache: Map<string, ModelSummary> | undefined;
  private modelClassCache: Set<string> | undefined;
  private typeCache: Map<string, TypeFact> | undefined;

  constructor(summaries: Iterable<FileSummary>, private readonly resolver: ImportResolver, options: WorkspaceIndexOptions = {}) {
    this.maxDepth = options.maxDepth ?? 6;
    for (const s of summaries) this.files.set(normalisePath(s.path), s);
    for (const [path, s] of this.files) {
      s.functions.forEach((f, index) => {
        const list = this.methodsByName.get(f.name) ?? [];
        list.push({ path, index });
        this.methodsByName.set(f.name, list);
      });
    }
  }

  file(path: string): FileSummary | undefined {
    return this.files.get(normalisePath(path));
  }

  private setFieldsCache: Set<string> | undefined;

  /** Every field and option name some file sets (for optional filters: one nobody sets never runs). */
  setFields(): ReadonlySet<string> {
    if (!this.setFieldsCache) {
      this.setFieldsCache = new Set();
      // A filter only tests set is not run by the application.
      for (const [path, s] of this.files) if (codeRole(path) !== 'test') for (const f of s.setFields ?? []) this.setFieldsCache.add(f);
    }
    return this.setFieldsCache;
  }

  fn(ref: FunctionRef): FunctionSummary | undefined {
    return this.files.get(ref.path)?.functions[ref.index];
  }

  /** How `ref` reaches the database, or undefined when it does not (or only through batch or memoised calls). */
  queryPath(ref: FunctionRef): QueryPath | undefined {
    this.paths ??= this.computePaths();
    return this.paths.get(key(ref));
  }

  /** Methods named `name` of the class `className` (`Spree::Order` answers for `Order`), in any file. */
  methodsOf(className: string, name: string): FunctionRef[] {
    return (this.methodsByName.get(name) ?? []).filter((r) => {
      const c = this.fn(r)?.className;
      return c !== undefined && (c === className || c.split('::').pop() === className || c.split('.').pop() === className);
    });
  }

  /** Workspace functions a call site may run. */
  resolveCall(path: string, call: CallSite): FunctionRef[] {
    const file = this.files.get(normalisePath(path));
    if (!file) return [];
    const caller = call.fn >= 0 ? file.functions[call.fn] : undefined;
    const { name } = call;
    const local = (pred: (f: FunctionSummary) => boolean) => this.inFiles(this.samePackage(file), (f) => f.name === name && pred(f));
    if (call.kind === 'self') {
      const own = local((f) => f.className !== undefined && f.className === caller?.className);
      return own.length > 0 ? own : local(() => true);
    }
    if (call.kind === 'plain' || (call.kind === 'reference' && call.receiver === undefined)) {
      // Ruby's bare calls are calls on self: any method of that name in the file.
      const here = local((f) => f.className === undefined || file.language === 'ruby' || f.className === caller?.className);
      if (here.length > 0) return here;
      return this.imported(file, name);
    }
    const receiver = call.receiver ?? '';
    const viaModule = this.throughNamespace(file, receiver, name);
    if (viaModule.length > 0) return viaModule;
    // The calling method itself is no implementation to follow (a wrapper calling its driver).
    const typed = this.throughTypes(call)?.filter((r) => !(r.path === normalisePath(path) && r.index === call.fn));
    if (typed !== undefined) return typed;
    const last = receiver.split('.').pop() ?? receiver;
    const candidates = (this.methodsByName.get(name) ?? []).filter((r) => this.fn(r)?.className !== undefined);
    const byClass = candidates.filter((r) => classMatches(this.fn(r)?.className ?? '', last));
    const exact = byClass.filter((r) => looseName(this.fn(r)?.className ?? '') === looseName(last));
    if (exact.length > 0) return exact;
    // `service.create(…)` ends the names of every `…Service`: a receiver that several classes end
    // with names none of them (`ProductCategoryService` is one guess among many).
    if (new Set(byClass.map((r) => this.fn(r)?.className)).size > 1) return [];
    if (byClass.length > 0) return byClass;
    // No fallback on the method name alone: a unique `variant` method somewhere is no proof that
    // `item.variant` calls it (an association reader, a mail part's `content_type`…).
    return [];
  }

  /**
   * Whether a query stands: a call that needs its class to be a model (`User.findAll()`, a Rails
   * chain starting with a custom scope) is one only when the class is an ORM model of this
   * workspace: a JavaScript class extending a model base, or a Django or Rails model.
   */
  isQuery(q: QueryCall): boolean {
    return q.modelClass === undefined || this.modelClasses().has(q.modelClass) || this.models().has(q.modelClass);
  }

  /**
   * ORM model classes: a class extending a model base imported from an ORM (`Model` from
   * sequelize or sequelize-typescript, `BaseEntity` from typeorm), decorated `@Table`, or extending
   * such a class (by name, through any number of levels: `Document extends ParanoidModel`).
   */
  modelClasses(): ReadonlySet<string> {
    if (this.modelClassCache) return this.modelClassCache;
    const out = new Set<string>();
    const pending: ClassFact[] = [];
    for (const s of this.files.values()) {
      for (const c of s.classes ?? []) {
        const fromOrm = c.extends !== undefined && c.extendsModule !== undefined && ORM_MODULES.test(c.extendsModule) && ORM_BASES.has(c.extends);
        if (fromOrm || c.decorators.includes('Table')) out.add(c.name);
        else if (c.extends !== undefined) pending.push(c);
      }
    }
    for (let grew = true; grew;) {
      grew = false;
      for (const c of pending) {
        if (!out.has(c.name) && c.extends !== undefined && out.has(c.extends)) {
          out.add(c.name);
          grew = true;
        }
      }
    }
    this.modelClassCache = out;
    return out;
  }

  /**
   * Go: a call followed through declared types. The receiver's first name has a declared type;
   * each further name is a field of the struct before it (`s.Store.driver`). A struct's own method
   * answers; an interface answers with every method of that name on the workspace's types (its
   * implementations). Undefined when a type along the way is not known here.
   */
  private throughTypes(call: CallSite): FunctionRef[] | undefined {
    if (call.receiverType === undefined || call.receiver === undefined) return undefined;
    const types = this.typeFacts();
    // Declared types arrive without pointer or slice marks; fields are keyed by the bare type name.
    let t = call.receiverType.split('.').pop() ?? '';
    for (const part of call.receiver.split('.').slice(1)) {
      const next = types.get(t)?.fields.find(([f]) => f === part)?.[1];
      if (next === undefined) return undefined;
      t = next;
    }
    const fact = types.get(t);
    if (!fact) return undefined;
    const named = (this.methodsByName.get(call.name) ?? []).filter((r) => this.fn(r)?.className !== undefined);
    if (fact.kind === 'struct') {
      const own = named.filter((r) => this.fn(r)?.className === t);
      // A method promoted from an embedded type is not among the struct's own: resolve as before.
      return own.length > 0 ? own : undefined;
    }
    return fact.methods.includes(call.name) ? named.filter((r) => this.fn(r)?.className !== t) : [];
  }

  private typeFacts(): Map<string, TypeFact> {
    if (this.typeCache) return this.typeCache;
    const out = new Map<string, TypeFact>();
    for (const s of this.files.values()) for (const t of s.types ?? []) if (!out.has(t.name)) out.set(t.name, t);
    this.typeCache = out;
    return out;
  }

  /** Models of the workspace by class name, with reverse accessors merged in. */
  models(): Map<string, ModelSummary> {
    if (this.modelsCache) return this.modelsCache;
    const out = new Map<string, { framework: ModelSummary['framework']; name: string; relations: ModelRelation[]; scopes: string[]; reverse: ModelSummary['reverse'] }>();
    for (const s of this.files.values()) {
      for (const m of s.models) {
        const existing = out.get(m.name);
        if (existing) {
          existing.relations.push(...m.relations);
          existing.scopes.push(...(m.scopes ?? []));
        } else out.set(m.name, { framework: m.framework, name: m.name, relations: [...m.relations], scopes: [...(m.scopes ?? [])], reverse: m.reverse });
      }
    }
    for (const m of [...out.values()]) {
      for (const r of m.reverse) {
        const target = out.get(r.model);
        if (target && !target.relations.some((x) => x.name === r.relation.name)) target.relations.push(r.relation);
      }
    }
    this.modelsCache = out;
    return out;
  }

  // ---- internals ------------------------------------------------------------------------------

  /** Files whose top-level names a bare call can reach: the file itself, or its Go package directory. */
  private samePackage(file: FileSummary): FileSummary[] {
    if (file.language !== 'go') return [file];
    const dir = dirname(normalisePath(file.path));
    return [...this.files.values()].filter((f) => f.language === 'go' && dirname(normalisePath(f.path)) === dir);
  }

  private inFiles(files: readonly FileSummary[], pred: (f: FunctionSummary) => boolean): FunctionRef[] {
    const out: FunctionRef[] = [];
    for (const f of files) {
      const path = normalisePath(f.path);
      f.functions.forEach((fn, index) => {
        if (pred(fn)) out.push({ path, index });
      });
    }
    return out;
  }

  /** A name imported from another file: `import { load } from './repo'`, `from app.repo import load`. */
  private imported(file: FileSummary, local: string, depth = 0): FunctionRef[] {
    const binding = file.imports.find((i) => i.local === local);
    if (!binding || binding.imported === '*') return [];
    for (const target of this.resolver.resolve(file.path, binding.module, file.language)) {
      const t = this.files.get(normalisePath(target));
      if (!t) continue;
      const name = exportedLocal(t, binding.imported);
      // An export list (`export { a }`, `module.exports = { a }`) exports functions declared without `export`.
      const found = this.inFiles([t], (f) => f.name === name && f.className === undefined && (f.exported || t.exports !== null));
      if (found.length > 0) return found;
      // A barrel: `import presentCollection from './collection'; export { presentCollection }`.
      if (depth < 3 && name !== undefined && t !== file) {
        const through = this.imported(t, name, depth + 1);
        if (through.length > 0) return through;
      }
    }
    return [];
  }

  /** `repo.load()` with `import * as repo`, `import app.repo as repo`, `from app import repo`, Go `store.Load()`. */
  private throughNamespace(file: FileSummary, receiver: string, name: string): FunctionRef[] {
    const binding = file.imports.find((i) => i.local === receiver);
    if (!binding) return [];
    const specifiers = binding.imported === '*' ? [binding.module] : [joinModule(binding.module, binding.imported, file.language)];
    const out: FunctionRef[] = [];
    for (const spec of specifiers) {
      for (const target of this.resolver.resolve(file.path, spec, file.language)) {
        const t = this.files.get(normalisePath(target));
        if (!t) continue;
        const exported = exportedLocal(t, name);
        out.push(...this.inFiles([t], (f) => f.name === exported && f.className === undefined && (f.exported || t.exports !== null)));
      }
    }
    if (out.length === 0 && binding.imported === 'default') {
      // `import repo from './repo'` where the default export is an object or class with methods.
      for (const target of this.resolver.resolve(file.path, binding.module, file.language)) {
        const t = this.files.get(normalisePath(target));
        const obj = t ? exportedLocal(t, 'default') : undefined;
        if (t && obj) out.push(...this.inFiles([t], (f) => f.name === name && f.className === obj));
      }
    }
    return out;
  }

  /** Shortest helper chains, found backwards from the functions that query (breadth first). */
  private computePaths(): Map<string, QueryPath> {
    const paths = new Map<string, QueryPath>();
    const callers = new Map<string, FunctionRef[]>();
    let frontier: FunctionRef[] = [];
    for (const [path, s] of this.files) {
      s.functions.forEach((f, index) => {
        if (f.memoised) return;
        const ref = { path, index };
        const q = f.queries.find((i) => {
          const query = s.queries[i];
          return query !== undefined && query.effect === 'query' && !query.batch && !query.memoised && this.isQuery(query);
        });
        if (q !== undefined) {
          paths.set(key(ref), { hops: [], query: { path, index: q } });
          frontier.push(ref);
        }
        for (const ci of f.calls) {
          const call = s.calls[ci];
          if (!call || call.memoised) continue;
          for (const target of this.resolveCall(path, call)) {
            const k = key(target);
            const list = callers.get(k) ?? [];
            list.push(ref);
            callers.set(k, list);
          }
        }
      });
    }
    for (let depth = 1; depth <= this.maxDepth && frontier.length > 0; depth++) {
      const next: FunctionRef[] = [];
      for (const target of frontier) {
        const reached = paths.get(key(target));
        if (!reached) continue;
        for (const caller of callers.get(key(target)) ?? []) {
          const k = key(caller);
          if (paths.has(k) || this.fn(caller)?.memoised) continue;
          paths.set(k, { hops: [target, ...reached.hops], query: reached.query });
          next.push(caller);
        }
      }
      frontier = next;
    }
    return paths;
  }
}

function key(ref: FunctionRef): string {
  return `${ref.path}#${ref.index}`;
}

/** The local name behind an exported name (`export { a as b }`, `export default foo`). */
function exportedLocal(file: FileSummary, exported: string): string | undefined {
  if (!file.exports) return exported;
  const hit = file.exports.find(([e]) => e === exported);
  return hit ? hit[1] : undefined;
}

function joinModule(module: string, name: string, language: FileSummary['language']): string {
  if (language === 'python') return module.endsWith('.') ? `${module}${name}` : `${module}.${name}`;
  return `${module}/${name}`;
}

/**
 * Receiver names that say nothing of a class: `item` ends `CreateDiscountedItem` but is any
 * collection's element (an inventory unit there).
 */
const GENERIC_RECEIVERS = new Set(['item', 'items', 'entry', 'node', 'record', 'row', 'element', 'value', 'object', 'data', 'result', 'child', 'parent', 'model', 'part', 'line', 'unit']);

/** `userRepo` ~ `UserRepo`, `users` ~ `UserRepository`? no; `repo` ~ `UserRepo` yes (suffix of at least 4 letters). */
function classMatches(className: string, receiver: string): boolean {
  const c = looseName(className);
  const r = looseName(receiver);
  if (!c || !r) return false;
  if (GENERIC_RECEIVERS.has(r) && c !== r) return false;
  return c === r || (r.length >= 4 && c.endsWith(r)) || (c.length >= 4 && r.endsWith(c));
}

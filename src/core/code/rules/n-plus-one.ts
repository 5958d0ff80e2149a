/**
 * `n-plus-one`: a database call that runs once per iteration of a loop or
 * per item of a callback, directly, through helper functions (in this file or
 * others), or as a lazy Django/Rails relation load on each record of a
 * collection that was not eager-loaded.
 *
 * Quiet on purpose (see docs/rules/n-plus-one.md): fan-out over a few
 * constants, loops that stop after the first query, pagination/keyset and
 * retry/polling loops, loops over batches, batched and memoised calls,
 * migrations and seed scripts.
 */
import type { CodeFinding, RelatedLocation } from '../findings';
import { matchesAny } from '../glob';
import { QUERY_APIS, SQL_BATCH_MARKERS } from '../queryApis';
import { isSuppressed, lineOf } from '../suppression';
import type { CallSite, FileSummary, LoopEntry, LoopSummary, ModelFramework, ModelRelation, ModelSummary, QueryCall, RelationAccess, SelfRead } from '../types';
import type { FunctionRef, QueryPath, WorkspaceIndex } from '../workspaceIndex';
import { codeRole } from '../codeRole';

export const RULE_ID = 'n-plus-one';

export const DEFAULT_IGNORE_GLOBS: readonly string[] = [
  '**/migrations/**', '**/migration/**', '**/alterations/**', '**/migrate/**', '**/db/migrate/**', '**/*migrat*.{ts,js,mjs,cjs,py,rb,go}',
  '**/seeds/**', '**/seeders/**', '**/seed*.{ts,js,mjs,cjs,py,rb,go}',
  '**/db/seeds.rb',
];

export interface NPlusOneOptions {
  /** Files never checked (migrations, seed scripts). Replaces the defaults when given. */
  readonly ignoreGlobs?: readonly string[];
  /** The file's path inside its project, for telling tests and scripts apart (default: the summary's path). */
  readonly projectPath?: string;
}

/** ActiveRecord class methods that return a relation of the model's records (or walk one). */
const RAILS_RELATION_METHODS = new Set([
  'all', 'where', 'not', 'rewhere', 'order', 'reorder', 'includes', 'preload', 'eager_load', 'joins', 'left_joins', 'left_outer_joins',
  'limit', 'offset', 'select', 'distinct', 'group', 'having', 'from', 'merge', 'unscoped', 'readonly', 'lock', 'references', 'none',
  'find_each', 'find_in_batches', 'in_batches', 'each', 'map', 'collect', 'flat_map', 'reject', 'filter_map', 'find', 'find_by_sql',
  'with', 'extending', 'strict_loading', 'unscope', 'only', 'except', 'reverse_order', 'load', 'to_a', 'each_with_index', 'each_with_object',
]);

/** Django methods on a prefetched to-many manager that still query. */
const REQUERY = new Set(['filter', 'exclude', 'get', 'order_by', 'annotate', 'values', 'values_list', 'where', 'order', 'find_by', 'find']);

export function checkNPlusOne(summary: FileSummary, index: WorkspaceIndex, options: NPlusOneOptions = {}): CodeFinding[] {
  if (matchesAny(summary.path, options.ignoreGlobs ?? DEFAULT_IGNORE_GLOBS)) return [];
  const out: CodeFinding[] = [];
  const seen = new Set<string>();
  const ctx = new Context(summary, index);
  const add = (f: CodeFinding | null) => {
    if (!f) return;
    const k = `${f.start}:${f.end}`;
    if (seen.has(k)) return;
    seen.add(k);
    out.push(f);
  };
  for (const q of summary.queries) {
    if (q.effect !== 'query' || q.batch || q.memoised || !index.isQuery(q)) continue;
    const loop = ctx.reportingLoop(q.loops);
    if (loop) add(ctx.queryFinding(q, loop));
  }
  for (const c of summary.calls) {
    if (c.memoised) continue;
    const loop = ctx.reportingLoop(c.loops);
    if (!loop) continue;
    const path = ctx.helperPath(c);
    if (path) add(ctx.helperFinding(c, loop, path));
  }
  const relationSeen = new Set<string>();
  for (const r of summary.relationAccesses) {
    const loop = ctx.reportingLoop(r.loops);
    if (!loop) continue;
    const f = ctx.relationFinding(r, loop);
    if (!f) continue;
    // The call already reported as reaching a query through the method: one finding is enough.
    if (out.some((o) => o.start === f.start)) continue;
    const k = `${r.loop}:${String(f.data?.relation ?? '')}`;
    if (relationSeen.has(k)) continue;
    relationSeen.add(k);
    add(f);
  }
  // In tests and scripts a query in a loop is rarely worth a warning: said, at information.
  const role = codeRole(options.projectPath ?? summary.path);
  const rated = role === 'application' ? out : out.map((f) => ({ ...f, severity: 'information' as const, message: `${f.message} (Reported as information: this is ${role === 'test' ? 'test code' : 'a script'}.)` }));
  return rated.sort((a, b) => a.start - b.start);
}

/** The batched form in the call's own library: a multi-row write for a write, one `IN`/`ANY` read for a read. */
function batchAdvice(q: QueryCall): string {
  const api = QUERY_APIS.find((a) => a.id === q.api);
  if (q.writes) return api?.writeBatchHint ?? 'one statement that writes all rows (a multi-row INSERT, or UPDATE … FROM a list of values)';
  return api?.batchHint ?? 'fetch all rows in one query';
}

class Context {
  constructor(private readonly s: FileSummary, private readonly index: WorkspaceIndex) {}

  private line(offset: number): number {
    return lineOf(this.s.lineStarts, offset) + 1;
  }

  /**
   * The loop to report, innermost first, skipping loops that are not a
   * per-item repetition. A `return` right after the call ends every loop of
   * the function: nothing to report.
   */
  reportingLoop(entries: readonly LoopEntry[]): LoopSummary | null {
    for (const e of entries) {
      if (e.quiet === 'early-exit-all') return null;
      const loop = this.s.loops[e.loop];
      if (!loop || e.quiet || loop.quiet) continue;
      return loop;
    }
    return null;
  }

  private suppressed(start: number, loop: LoopSummary): boolean {
    const sup = this.s.suppressions;
    return isSuppressed(sup, RULE_ID, lineOf(this.s.lineStarts, start)) || isSuppressed(sup, RULE_ID, lineOf(this.s.lineStarts, loop.header.start));
  }

  private loopRelated(loop: LoopSummary): RelatedLocation {
    return { path: this.s.path, start: loop.header.start, end: loop.header.end, message: `the ${loop.label}` };
  }

  queryFinding(q: QueryCall, loop: LoopSummary): CodeFinding | null {
    if (this.suppressed(q.start, loop)) return null;
    const hint = batchAdvice(q);
    return {
      ruleId: RULE_ID,
      path: this.s.path,
      start: q.start,
      end: q.end,
      message: `N+1 query: \`${q.label}\` runs once per iteration of the ${loop.label} (line ${this.line(loop.header.start)}). ${q.writes ? 'Write all rows in one statement' : 'Fetch the rows in one query'} instead: ${hint}.`,
      related: [this.loopRelated(loop), { path: this.s.path, start: q.start, end: q.end, message: `${q.library} query` }],
      data: { library: q.library, api: q.api, loop: loop.label, hint },
    };
  }

  helperPath(c: CallSite): QueryPath | undefined {
    for (const target of this.index.resolveCall(this.s.path, c)) {
      const p = this.index.queryPath(target);
      if (p) return { hops: [target, ...p.hops], query: p.query };
    }
    return undefined;
  }

  helperFinding(c: CallSite, loop: LoopSummary, path: QueryPath): CodeFinding | null {
    if (this.suppressed(c.start, loop)) return null;
    // `queryIDs(ctx, tx, "SELECT … WHERE id IN "+clause, args...)`: the statement handed to the
    // helper reads a whole batch.
    if (this.s.sql.some((t) => t.start >= c.start && t.end <= c.end && SQL_BATCH_MARKERS.some((m) => m.test(t.text)))) return null;
    const file = this.index.file(path.query.path);
    const q = file?.queries[path.query.index];
    if (!file || !q) return null;
    if (this.prefetchedForMethod(c, loop, path, q)) return null;
    const names = path.hops.map((h) => {
      const f = this.index.fn(h);
      return f ? (f.className ? `${f.className}.${f.name}` : f.name) : '?';
    });
    // The call in the loop first, then each function on the way at its definition.
    const related: RelatedLocation[] = [this.loopRelated(loop), { path: this.s.path, start: c.start, end: c.end, message: `\`${names[0] ?? c.name}\` is called here once per item` }];
    path.hops.forEach((h, i) => {
      const f = this.index.fn(h);
      if (f) related.push({ path: h.path, start: f.nameSpan.start, end: f.nameSpan.end, message: i === 0 ? `\`${names[i] ?? ''}\` is defined here` : `which calls \`${names[i] ?? ''}\`` });
    });
    related.push({ path: path.query.path, start: q.start, end: q.end, message: `which runs \`${q.label}\` (${q.library})` });
    const via = names.length > 1 ? ` (through ${names.slice(1).map((n) => `\`${n}\``).join(' → ')})` : '';
    const hint = batchAdvice(q);
    const where = path.query.path === this.s.path ? `line ${this.line(q.start)}` : shortPath(path.query.path);
    return {
      ruleId: RULE_ID,
      path: this.s.path,
      start: c.start,
      end: c.end,
      message: `N+1 query: \`${names[0] ?? c.name}\`${via} runs \`${q.label}\` (${where}) once per iteration of the ${loop.label} (line ${this.line(loop.header.start)}). ${q.writes ? 'Write all rows in one statement' : 'Load all rows in one query'} instead: ${hint}.`,
      related,
      data: { library: q.library, api: q.api, loop: loop.label, hint, helpers: names },
    };
  }

  /**
   * `for check in q.prefetch_related("channel_set"): check.to_dict()` where `to_dict` reads
   * `self.channel_set.all()`: the method reads what the caller's collection already loaded.
   */
  private prefetchedForMethod(c: CallSite, loop: LoopSummary, path: QueryPath, q: QueryCall): boolean {
    const coll = loop.collection;
    if (!coll || coll.prefetched.length === 0 || !c.receiver || !coll.variables.includes(c.receiver)) return false;
    // The method and the methods it calls on the same record (`to_dict` → `self.channels_str()`).
    const owner = path.hops[0] ? this.index.fn(path.hops[0])?.className : undefined;
    if (owner === undefined || !path.hops.every((h) => this.index.fn(h)?.className === owner)) return false;
    const relation = /^(?:self|@)\.?(\w+)\.(all|each|map|to_a)\b/.exec(q.label)?.[1];
    return relation !== undefined && coll.prefetched.includes(relation);
  }

  relationFinding(r: RelationAccess, loop: LoopSummary): CodeFinding | null {
    const owner = this.s.loops[r.loop];
    const collection = owner?.collection;
    if (!collection) return null;
    const models = this.index.models();
    const resolved = this.collectionModel(r.loop, models, 0);
    if (!resolved) return null;
    let model: ModelSummary | undefined = resolved.model;
    let prefix = '';
    for (let i = 0; i < r.path.length && model; i++) {
      const name = r.path[i] ?? '';
      const rel: ModelRelation | undefined = model.relations.find((x) => x.name === name);
      if (!rel) {
        // `node.to_xml_node` where the method reads `self.tags`: the read happens once per record.
        const within = resolved.prefetched.filter((p) => !prefix || p.startsWith(`${prefix}.`)).map((p) => (prefix ? p.slice(prefix.length + 1) : p));
        const hit = this.methodRead(model, name, within, 0);
        return hit ? this.methodRelationReport(r, i, loop, model, hit, prefix, collection.framework) : null;
      }
      const full = prefix ? `${prefix}.${name}` : name;
      const loaded = isLoaded(rel, resolved.prefetched, full);
      const effect = readEffect(rel, loaded, r.path[i + 1], collection.framework);
      if (effect === 'lazy') return this.relationReport(r, i, loop, model, rel.name, rel.kind, full, collection.framework);
      if (effect === 'requery') return this.relationReport(r, i + 1, loop, model, rel.name, rel.kind, full, collection.framework, true);
      if (!loaded) return null;
      prefix = full;
      model = rel.target ? models.get(rel.target) : undefined;
      if (rel.kind === 'to-many') return null;
    }
    return null;
  }

  /**
   * The first relation a model method reads on its record that the caller did not eager-load: a
   * to-one read (`self.owner.code`), a to-many one evaluated (`tags.each`, `self.check_set.all()`),
   * or a prefetched to-many queried again (`self.channel_set.order_by(…)`). Follows the methods it
   * calls on self, two levels deep.
   */
  private methodRead(model: ModelSummary, method: string, prefetched: readonly string[], depth: number): MethodRead | null {
    for (const ref of this.index.methodsOf(model.name, method)) {
      const fn = this.index.fn(ref);
      for (const read of fn?.selfReads ?? []) {
        const first = read.path[0] ?? '';
        const next = read.path[1];
        const rel = model.relations.find((x) => x.name === first);
        if (rel) {
          const effect = readEffect(rel, isLoaded(rel, prefetched, first), next, model.framework);
          if (effect) return { ref, read, relation: rel, chain: [method], defeatsPrefetch: effect === 'requery' };
          continue;
        }
        if (depth < 2 && first !== method) {
          const inner = this.methodRead(model, first, prefetched, depth + 1);
          if (inner) return { ...inner, chain: [method, ...inner.chain] };
        }
      }
    }
    return null;
  }

  private methodRelationReport(r: RelationAccess, at: number, loop: LoopSummary, model: ModelSummary, hit: MethodRead, prefix: string, framework: ModelFramework): CodeFinding | null {
    if (this.suppressed(r.start, loop)) return null;
    const end = r.prefixEnds[at] ?? r.end;
    const accessed = this.sliceLabel(r, at);
    const full = prefix ? `${prefix}.${hit.relation.name}` : hit.relation.name;
    const fix = eagerFix(framework, hit.relation.kind, full, model.name, hit.relation.name);
    const fn = this.index.fn(hit.ref);
    const via = hit.chain.length > 1 ? ` (through ${hit.chain.slice(1).map((n) => `\`${n}\``).join(' → ')})` : '';
    const readText = ['self', ...hit.read.path.slice(0, 2)].join('.');
    const where = `${shortPath(hit.ref.path)}:${this.lineIn(hit.ref.path, hit.read.start)}`;
    const message = hit.defeatsPrefetch
      ? `N+1 query: \`${accessed}\`${via} queries \`${model.name}.${hit.relation.name}\` again (\`${readText}\`, ${where}) for every record of the ${loop.label} (line ${this.line(loop.header.start)}) even though it is prefetched; use the prefetched rows in the method, or a \`Prefetch\` with the queryset it needs.`
      : `N+1 query: \`${accessed}\`${via} reads \`${model.name}.${hit.relation.name}\` (\`${readText}\`, ${where}) once per record of the ${loop.label} (line ${this.line(loop.header.start)}). Eager-load it on the collection: \`${fix}\`.`;
    const related: RelatedLocation[] = [this.loopRelated(loop)];
    if (fn) related.push({ path: hit.ref.path, start: fn.nameSpan.start, end: fn.nameSpan.end, message: `\`${model.name}.${fn.name}\` is defined here` });
    related.push({ path: hit.ref.path, start: hit.read.start, end: hit.read.end, message: `which reads \`${model.name}.${hit.relation.name}\`` });
    return this.lazyLoadFinding(r, end, message, related, { library: LIBRARY[framework], relation: full, fix, loop: loop.label, method: hit.chain.join('.') });
  }

  /** A lazy-load finding on the record read `r` (up to `end`). */
  private lazyLoadFinding(r: RelationAccess, end: number, message: string, related: RelatedLocation[], data: Record<string, string>): CodeFinding {
    return { ruleId: RULE_ID, path: this.s.path, start: r.start, end, message, related, data };
  }

  private lineIn(path: string, offset: number): number {
    const starts = this.index.file(path)?.lineStarts;
    return starts ? lineOf(starts, offset) + 1 : 0;
  }

  /** The model a loop's records belong to, and what is eager-loaded relative to it. */
  private collectionModel(loopIndex: number, models: Map<string, ModelSummary>, depth: number): { model: ModelSummary; prefetched: readonly string[] } | null {
    const c = this.s.loops[loopIndex]?.collection;
    if (!c || depth > 4) return null;
    if (c.selfRelation) {
      // The association of the record the method runs on: `line_items` of an `Order`.
      let m: ModelSummary | undefined = models.get(c.selfRelation.className);
      if (!m || m.framework !== c.framework) return null;
      for (const name of c.selfRelation.path) {
        const rel: ModelRelation | undefined = m?.relations.find((x) => x.name === name);
        if (!rel || rel.kind !== 'to-many') return null;
        m = rel.target ? models.get(rel.target) : undefined;
      }
      return m ? { model: m, prefetched: c.prefetched } : null;
    }
    if (c.model) {
      const m = models.get(c.model);
      if (!m || m.framework !== c.framework) return null;
      // `Spree::Order.state_machine.states`: a class method of a gem is no collection of records. A
      // relation starts with an ActiveRecord query method, a scope or class method the model
      // declares, or a method not seen here that is iterated directly or refined by a query method
      // (`Tracepoint.bbox(b).joins(:trace)`, a scope from a concern).
      const [first, second] = c.via ?? [];
      const known = (name: string) => RAILS_RELATION_METHODS.has(name) || m.scopes?.includes(name) === true || this.index.methodsOf(m.name, name).length > 0;
      if (first !== undefined && !known(first) && second !== undefined && !RAILS_RELATION_METHODS.has(second)) return null;
      return { model: m, prefetched: c.prefetched };
    }
    if (!c.from) return null;
    const outer = this.collectionModel(c.from.loop, models, depth + 1);
    if (!outer) return null;
    let m: ModelSummary | undefined = outer.model;
    for (const name of c.from.path) {
      const rel: ModelRelation | undefined = m?.relations.find((x) => x.name === name);
      m = rel?.target ? models.get(rel.target) : undefined;
    }
    if (!m) return null;
    // Paths eager-loaded on the outer collection below this relation count here too.
    const base = c.from.path.join('.');
    const inherited = outer.prefetched.filter((p) => p.startsWith(`${base}.`)).map((p) => p.slice(base.length + 1));
    return { model: m, prefetched: [...c.prefetched, ...inherited] };
  }

  private relationReport(
    r: RelationAccess, at: number, loop: LoopSummary, model: ModelSummary, relation: string, kind: 'to-one' | 'to-many',
    full: string, framework: ModelFramework, defeatsPrefetch = false,
  ): CodeFinding | null {
    const end = r.prefixEnds[at] ?? r.end;
    if (this.suppressed(r.start, loop)) return null;
    const accessed = this.sliceLabel(r, at);
    const fix = eagerFix(framework, kind, full, model.name, relation);
    const message = defeatsPrefetch
      ? `N+1 query: \`${accessed}\` queries again for every record of the ${loop.label} (line ${this.line(loop.header.start)}) even though \`${relation}\` is prefetched; filter the prefetched rows in code or use a \`Prefetch\` with a queryset.`
      : `N+1 query: \`${accessed}\` lazily loads \`${model.name}.${relation}\` once per record of the ${loop.label} (line ${this.line(loop.header.start)}). Eager-load it on the collection: \`${fix}\`.`;
    return this.lazyLoadFinding(r, end, message, [this.loopRelated(loop)], { library: LIBRARY[framework], relation: full, fix, loop: loop.label });
  }

  private sliceLabel(r: RelationAccess, at: number): string {
    const vars = this.s.loops[r.loop]?.collection?.variables ?? [];
    // `map(&:customer)` names no variable: say what is called.
    if (vars.length === 0) return `&:${r.path.slice(0, at + 1).join('.')}`;
    const v = vars[0] ?? 'record';
    return [v, ...r.path.slice(0, at + 1)].join('.');
  }
}

/** A relation a model method reads on its record, and the methods followed to it. */
interface MethodRead {
  readonly ref: FunctionRef;
  readonly read: SelfRead;
  readonly relation: ModelRelation;
  readonly chain: readonly string[];
  readonly defeatsPrefetch: boolean;
}

const LIBRARY: Record<ModelFramework, string> = { django: 'Django ORM', rails: 'ActiveRecord', sqlalchemy: 'SQLAlchemy' };

/**
 * Whether a relation is already in memory when read: eager-loaded by the query (`path`) or, in
 * SQLAlchemy, declared to load with its parent (`lazy="joined"`, `selectin`…) or never (`raise`).
 */
function isLoaded(rel: ModelRelation, prefetched: readonly string[], path: string): boolean {
  return prefetched.includes(path) || rel.loading === 'eager' || rel.loading === 'never';
}

/**
 * What reading `rel` on a record (then `next`) costs: `lazy`, one query for this record (a to-many
 * manager only once something evaluates it, `.all()`, `.each`; a SQLAlchemy relation on first
 * access unless `dynamic`); `requery`, a prefetched to-many filtered again (`.filter(…)`); or
 * nothing.
 */
function readEffect(rel: ModelRelation, loaded: boolean, next: string | undefined, framework: ModelFramework): 'lazy' | 'requery' | null {
  if (!loaded) {
    const onAccess = framework === 'sqlalchemy' && rel.loading !== 'query';
    return rel.kind === 'to-many' && next === undefined && !onAccess ? null : 'lazy';
  }
  return rel.kind === 'to-many' && next !== undefined && REQUERY.has(next) ? 'requery' : null;
}

/** The eager-loading form of the ORM: `select_related`, `includes`, `options(selectinload(…))`. */
function eagerFix(framework: ModelFramework, kind: 'to-one' | 'to-many', full: string, model: string, relation: string): string {
  if (framework === 'django') return kind === 'to-one' ? `select_related("${full.split('.').join('__')}")` : `prefetch_related("${full.split('.').join('__')}")`;
  if (framework === 'rails') return `includes(${rubyIncludes(full)})`;
  // SQLAlchemy: a join for one related row, a second SELECT … IN for collections.
  return `options(${kind === 'to-one' ? 'joinedload' : 'selectinload'}(${model}.${relation}))`;
}

/** `author` → `:author`; `author.profile` → `author: :profile`; deeper paths nest in braces. */
function rubyIncludes(path: string): string {
  const parts = path.split('.');
  let out = `:${parts[parts.length - 1] ?? ''}`;
  for (let i = parts.length - 2; i >= 0; i--) out = i === parts.length - 2 ? `${parts[i] ?? ''}: ${out}` : `${parts[i] ?? ''}: { ${out} }`;
  return out;
}

function shortPath(path: string): string {
  const parts = path.split('/');
  return parts.slice(-2).join('/');
}

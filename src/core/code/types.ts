/**
 * The language-neutral picture of one source file that the code rules work
 * on. A `FileSummary` is plain data (no syntax-tree objects), so it can be
 * cached per file, sent between threads and combined into a workspace index
 * without keeping any tree-sitter memory alive.
 *
 * Every offset is a UTF-16 code unit offset into the file's text, the unit
 * of JavaScript strings and of VS Code positions.
 */

export type CodeLanguage = 'typescript' | 'tsx' | 'javascript' | 'python' | 'go' | 'ruby';

export interface Span {
  readonly start: number;
  readonly end: number;
}

/** How a recognised database call behaves per execution. */
export type QueryEffect =
  /** One round trip to the server each time it runs. */
  | 'query'
  /** Reads rows a previous call already fetched (DB-API `fetchone`): no round trip of its own. */
  | 'fetch';

/** A database call found in the file, matched against the query API table. */
export interface QueryCall extends Span {
  /** Id of the matching entry in `queryApis.ts`. */
  readonly api: string;
  readonly library: string;
  /** Short source form for messages, e.g. `prisma.post.findMany(…)`. */
  readonly label: string;
  /** Fetches many keys at once (`= ANY($1)`, `IN`, `executemany`, bulk APIs). */
  readonly batch: boolean;
  /** Changes rows (INSERT/UPDATE/DELETE, an ORM create/save/update/delete): batched as a multi-row write. */
  readonly writes: boolean;
  readonly effect: QueryEffect;
  /** A cache lookup guards it (`cache.get` … query … `cache.set`), or it is `||=`/`??=` assigned. */
  readonly memoised: boolean;
  /** Index into `FileSummary.sql` when the call carries SQL text. */
  readonly sql?: number;
  /**
   * A static call on a class (`User.findAll()`): a query only when the workspace shows that class
   * to be an ORM model (it extends a model base class imported from an ORM, or such a model).
   */
  readonly modelClass?: string;
  /** Index of the enclosing function in `FileSummary.functions`, -1 at module level. */
  readonly fn: number;
  /** The loops that run this call, innermost first. */
  readonly loops: readonly LoopEntry[];
}

/** A call to code that may live in this workspace (a candidate helper). */
export interface CallSite extends Span {
  /** Called name: `loadUser`, or the method name of `repo.loadUser`. */
  readonly name: string;
  /**
   * `plain`: `f()`; `self`: `this.f()`/`self.f()`/Go receiver/Ruby implicit
   * self; `member`: `x.f()` with `receiver` = the last name of `x`;
   * `reference`: a function passed as a callback, `ids.map(loadUser)`.
   */
  readonly kind: 'plain' | 'self' | 'member' | 'reference';
  readonly receiver?: string;
  /** Declared type of the receiver's first name (`s *APIV1Service` for `s.Store.GetUser()`), in Go. */
  readonly receiverType?: string;
  readonly fn: number;
  readonly loops: readonly LoopEntry[];
  /** A cache guards it, as for `QueryCall.memoised`. */
  readonly memoised: boolean;
}

export type LoopKind = 'statement' | 'condition' | 'callback' | 'comprehension';

/** Why a loop (or one call in a loop) is not a per-item repetition worth reporting. */
export type QuietReason =
  | 'constant-list'
  | 'pagination'
  | 'retry'
  | 'chunked'
  | 'batched'
  /** The SQL itself comes from the item (`for (const stmt of script) run(stmt)`, `FROM ${table}`): a different statement each time. */
  | 'distinct-statements'
  | 'early-exit-loop'
  | 'early-exit-all'
  /** A loop that calls until the call says it is done, with nothing else in it (`while process_one(): pass`): a work queue drained one claimed item at a time. */
  | 'drain'
  /** A counted loop whose counter the body never reads: the same work repeated on purpose (benchmarks, lockout tests). */
  | 'repeat';

export interface LoopSummary extends Span {
  readonly kind: LoopKind;
  /** Words for messages: "for…of loop over `users`", "`.map` callback over `ids`". */
  readonly label: string;
  /** Span to point at: the loop keyword/header or the iterating call's method name. */
  readonly header: Span;
  readonly quiet?: QuietReason;
  readonly fn: number;
  /** Lazy-relation context when the loop walks an ORM collection. */
  readonly collection?: LoopCollection;
}

/** Membership of a call in one enclosing loop; `quiet` set when this call is exempt for that loop. */
export interface LoopEntry {
  readonly loop: number;
  readonly quiet?: QuietReason;
}

export interface FunctionSummary extends Span {
  readonly name: string;
  /** Enclosing class (or Go receiver type) for methods. */
  readonly className?: string;
  readonly nameSpan: Span;
  readonly exported: boolean;
  /** `@lru_cache`, `@cache`, `memoize(fn)`: repeated calls do not reach the database. */
  readonly memoised: boolean;
  /** Indices into `FileSummary.queries` issued directly by this function's body. */
  readonly queries: readonly number[];
  /** Indices into `FileSummary.calls` made by this function's body. */
  readonly calls: readonly number[];
  /** For instance methods of Python and Ruby classes: what the method reads on its own record. */
  readonly selfReads?: readonly SelfRead[];
}

/** `self.owner.code` in a method: the names read after `self` (Ruby's bare `tags.each` too). */
export interface SelfRead extends Span {
  readonly path: readonly string[];
}

/** `import { a as b } from './x'`, `from app.db import load`, `import "app/store"`. */
export interface ImportBinding {
  /** Name bound in this file. */
  readonly local: string;
  /** Module specifier as written. */
  readonly module: string;
  /** Imported name; `*` for a namespace/module object; `default` for a default export. */
  readonly imported: string;
}

/** ORM collection a loop iterates over, for lazy-relation checks. */
export interface LoopCollection {
  readonly framework: ModelFramework;
  /** The model class at the root (`Book` of `Book.objects.filter(…)`) … */
  readonly model?: string;
  /** … or a relation path from an enclosing loop's variable (`for r in book.reviews.all()`) … */
  readonly from?: { readonly loop: number; readonly path: readonly string[] };
  /**
   * … or an association of the record a model method runs on (`line_items.each` in a Rails model,
   * `for ch in self.channel_set.all()` in a Django one): checked against the class's relations.
   */
  readonly selfRelation?: { readonly className: string; readonly path: readonly string[] };
  /** Rails: the first two methods called on the model class (`published`, `limit` of `Post.published.limit(5)`). */
  readonly via?: readonly string[];
  /** Eager-loaded relation paths: `author`, `author.publisher` (Django `__` becomes `.`). */
  readonly prefetched: readonly string[];
  /** Name(s) the loop binds each record to. */
  readonly variables: readonly string[];
}

/** `book.author.name` inside a loop over books: a candidate lazy load. */
export interface RelationAccess extends Span {
  readonly loop: number;
  /** Attribute names after the loop variable: `['author', 'name']`. */
  readonly path: readonly string[];
  /** Span of each prefix, so a finding can point at exactly `book.author`. */
  readonly prefixEnds: readonly number[];
  readonly loops: readonly LoopEntry[];
}

export interface ModelRelation {
  readonly name: string;
  readonly kind: 'to-one' | 'to-many';
  /** Target model class name when the declaration names it. */
  readonly target?: string;
  /**
   * SQLAlchemy's `lazy=`: `eager` (joined, selectin, subquery, immediate) loads with the parent,
   * `never` (raise, noload) never queries, `query` (dynamic, write_only) gives a query to run.
   * Absent: loaded on first access.
   */
  readonly loading?: 'eager' | 'never' | 'query';
}

/**
 * A class declared in the file, with what it extends and its decorators: the
 * workspace index follows these to tell an ORM model (`User.findAll()`) from
 * any other class with a static method of the same name (`MathBN.sum()`).
 */
export interface ClassFact {
  readonly name: string;
  /** Last name of the superclass (`Model` for `extends Sequelize.Model<A>`). */
  readonly extends?: string;
  /** Module the superclass was imported from in this file, when it was. */
  readonly extendsModule?: string;
  /** Decorator names (`Table`, `Entity`). */
  readonly decorators: readonly string[];
}

/** A named Go type: a struct's field types, or the methods an interface declares. */
export interface TypeFact {
  readonly name: string;
  readonly kind: 'struct' | 'interface';
  /** `[field, type]`, the type without pointer or package (`driver Driver`, `Store *store.Store` → Store). */
  readonly fields: readonly (readonly [string, string])[];
  readonly methods: readonly string[];
}

/** ORMs whose models declare relations that load lazily. */
export type ModelFramework = 'django' | 'rails' | 'sqlalchemy';

export interface ModelSummary {
  readonly framework: ModelFramework;
  readonly name: string;
  readonly relations: readonly ModelRelation[];
  /** Rails `scope :published, -> { … }` names: class-level calls that return a relation of records. */
  readonly scopes?: readonly string[];
  /** Reverse accessors this model's relations create on their targets (`related_name`, `<model>_set`). */
  readonly reverse: readonly { readonly model: string; readonly relation: ModelRelation }[];
}

/** SQL text found in the file, normalised to `$n` placeholders, with a map back to the source. */
export interface SqlText extends Span {
  readonly text: string;
  /** Where it was found: an argument of a known API, a tagged template, or a string that starts like SQL. */
  readonly origin: 'api' | 'tagged-template' | 'sql-like';
  readonly api?: string;
  /** Parts of the text that came from code (template substitutions, concatenated variables). */
  readonly dynamic: boolean;
  /** The `$n` numbers standing for those parts (each may be a name, a list or a clause at run time). */
  readonly holes?: readonly number[];
  /** The function sending it opens or names a SQLite or MySQL database: the SQL is written for that one. */
  readonly otherDatabase?: true;
  /**
   * Texts the statement takes at run time, for the index rules only: what `+=` adds read in, and
   * each item of a list of conditions joined into it (`strings.Join(where, " AND ")`) in turn.
   */
  readonly variants?: readonly {
    readonly text: string;
    readonly map: readonly (readonly [number, number, number])[];
    /** The option the variant's condition is added under (`SenderID` for `if find.SenderID != nil`). */
    readonly guard?: string;
  }[];
  /**
   * Runs `[sqlStart, sourceStart, sourceLength]`, sorted by sqlStart: a run whose SQL
   * length equals its source length maps character for character; others (a decoded
   * escape, a `$n` standing for `${expr}`) map every offset into their source span.
   */
  readonly map: readonly (readonly [number, number, number])[];
}

export type { OrmFieldKey, OrmFilter, OrmFramework } from './ormFilters';
import type { OrmFilter } from './ormFilters';

export interface FileSummary {
  readonly path: string;
  readonly language: CodeLanguage;
  /** Offsets where each line starts, for line numbers and suppression comments. */
  readonly lineStarts: readonly number[];
  readonly functions: readonly FunctionSummary[];
  readonly queries: readonly QueryCall[];
  readonly calls: readonly CallSite[];
  readonly loops: readonly LoopSummary[];
  readonly imports: readonly ImportBinding[];
  /** `[exported, local]` names; null when every top-level function is importable (Python, Go, Ruby). */
  readonly exports: readonly (readonly [string, string])[] | null;
  readonly sql: readonly SqlText[];
  readonly models: readonly ModelSummary[];
  /** Classes declared here (JavaScript/TypeScript), for telling ORM models apart. */
  readonly classes?: readonly ClassFact[];
  /** Named struct and interface types (Go), for following `s.driver.ListX()` to its implementations. */
  readonly types?: readonly TypeFact[];
  readonly relationAccesses: readonly RelationAccess[];
  /** Static filter and sort keys of ORM calls, for the index rules. */
  readonly ormFilters: readonly OrmFilter[];
  /**
   * Field and option names this file sets (`FindInbox{ReceiverID: …}`, `opts.limit = …`,
   * `{ teamId }`, `f(owner=…)`): an optional filter no file ever sets is never run.
   */
  readonly setFields?: readonly string[];
  /** `pg-insight-ignore` comments: line number → rule ids. */
  readonly suppressions: readonly { readonly line: number; readonly rules: readonly string[] }[];
  /** The parser could not make sense of parts of the file; results may be partial. */
  readonly hasErrors: boolean;
}

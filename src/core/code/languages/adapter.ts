/**
 * What the language-neutral summariser needs to know about one grammar. Each
 * language file answers these questions for its own node types: what a loop
 * is, what a call is, what a string literal is, where functions and classes
 * are, and how imports bind names. Everything else (query matching, loop
 * exemptions, the call graph, the rule) is shared.
 */
import type { Node as SyntaxNode } from '@vscode/tree-sitter-wasm';
import type { CodeLanguage, ImportBinding, LoopKind, ModelSummary, Span } from '../types';

export type { SyntaxNode };

/** One step of a call/member chain such as `db.select().from(users)`. */
export interface ChainLink {
  /** Method or property name; for a direct call of an identifier (`knex('users')`), that identifier. */
  readonly name: string;
  /** The call (or member access) node ending at this link. */
  readonly node: SyntaxNode;
  /** Call arguments; null for a property access (`prisma.user`). */
  readonly args: readonly SyntaxNode[] | null;
  /** The template of a tagged template call: sql`…`. */
  readonly template?: SyntaxNode;
  /** A Ruby block (`do |x| … end`) attached to the call. */
  readonly block?: SyntaxNode;
}

export interface Chain {
  /** Source text of the root receiver (`db`, `this.pool`, `User`); '' when the chain starts with a direct call. */
  readonly base: string;
  readonly baseKind: 'identifier' | 'constant' | 'self' | 'none' | 'other';
  readonly links: readonly ChainLink[];
}

export interface LoopShape {
  readonly kind: LoopKind;
  /** "for…of loop", "`.map` callback", "list comprehension". */
  readonly what: string;
  readonly header: Span;
  /** The collection iterated, evaluated once (absent for condition loops). */
  readonly iterable: SyntaxNode | null;
  /** Evaluated on every iteration: while/do condition, C-style for condition and update. */
  readonly condition: SyntaxNode | null;
  /** Regions executed once per iteration (bodies, per-iteration clauses). */
  readonly bodies: readonly SyntaxNode[];
  /** Names bound to each item. */
  readonly variables: readonly string[];
  /** Iterations known from literals: `i < 3`, `range(3)`, `3.times`. */
  readonly count?: number;
  /** A named function passed as the callback (`ids.map(loadUser)`): it runs once per item. */
  readonly callbackRef?: SyntaxNode;
  /** Iterates over batches (`each_slice`, `in_batches`), not items: one query per batch is the fix, not the problem. */
  readonly chunked?: boolean;
  /** Ruby's `orders.map(&:customer)`: the method called on every item, named by the symbol. */
  readonly symbol?: { readonly name: string; readonly start: number; readonly end: number };
}

/** Attribute names applied to a variable: `book.author.name` → author, name. */
export interface MemberPath {
  readonly names: readonly string[];
  /** End offset of each prefix (`book.author`, `book.author.name`). */
  readonly ends: readonly number[];
}

export interface FunctionShape {
  /** Null for anonymous functions: their calls belong to the enclosing named function. */
  readonly name: string | null;
  readonly nameNode: SyntaxNode | null;
  /** The span of the name when it was read from the source text (then `nameNode` is null). */
  readonly nameSpan?: { readonly start: number; readonly end: number };
  readonly className?: string;
  /** The receiver variable that means "this object" in this function (Go's `s` of `func (s *Store)`). */
  readonly selfName?: string;
  readonly exported: boolean;
  readonly memoised: boolean;
}

/** A run of literal characters inside a string, with the source span it came from. */
export interface LiteralText {
  readonly kind: 'text';
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

/** An interpolated expression inside a string (`${x}`, `{x}`, `#{x}`). */
export interface LiteralCode {
  readonly kind: 'code';
  readonly start: number;
  readonly end: number;
}

export type LiteralPart = LiteralText | LiteralCode;

export interface Assignment {
  readonly targets: readonly string[];
  readonly targetNode: SyntaxNode;
  readonly value: SyntaxNode | null;
  /** `=`, `+=`, `||=`, `??=`, `:=`. */
  readonly operator: string;
}

export type ExitKind = 'return' | 'break' | 'throw';

export interface LanguageAdapter {
  readonly language: CodeLanguage;
  /** Node types that are calls (chains are built from them). */
  readonly callTypes: ReadonlySet<string>;
  /** Node types that may be loops by themselves (statements, comprehensions). */
  readonly loopTypes: ReadonlySet<string>;
  readonly functionTypes: ReadonlySet<string>;
  readonly classTypes: ReadonlySet<string>;
  readonly stringTypes: ReadonlySet<string>;
  readonly assignmentTypes: ReadonlySet<string>;
  readonly importTypes: ReadonlySet<string>;
  /** Node types that may declare exports (`export …`, `module.exports = …`). */
  readonly exportTypes: ReadonlySet<string>;
  readonly identifierTypes: ReadonlySet<string>;
  readonly ifTypes: ReadonlySet<string>;
  /** Member accesses that may be lazy relation loads (`book.author`). */
  readonly memberTypes: ReadonlySet<string>;
  readonly commentType: string;
  /** Receivers that mean "this object": `this`, `self`. */
  readonly selfNames: ReadonlySet<string>;

  /** The call/member chain ending at `call`. */
  chain(call: SyntaxNode): Chain | null;
  /** A statement loop or comprehension. */
  loop(node: SyntaxNode): LoopShape | null;
  /** A call that runs a callback per item: `items.forEach(cb)`, `ids.each do |id| … end`. */
  callbackLoop(call: SyntaxNode, chain: Chain): LoopShape | null;
  /**
   * `argumentOf`: the name of the call `node` is passed to directly (`items.map(<node>)`), when the
   * walk already knows it; it spares looking the call up from the function.
   */
  functionDef(node: SyntaxNode, argumentOf?: string): FunctionShape | null;
  className(node: SyntaxNode): string | null;
  /** A class declaration's name, superclass and decorators (languages whose ORMs are known by class). */
  /** Node types declaring a named type, and what they declare (Go `type X struct {…}` / `interface {…}`). */
  readonly typeDeclTypes?: ReadonlySet<string>;
  typeFact?(node: SyntaxNode): import('../types').TypeFact | null;
  classFact?(node: SyntaxNode): { readonly name: string; readonly extends?: string; readonly decorators: readonly string[] } | null;
  imports(node: SyntaxNode): ImportBinding[];
  /** Literal parts of a string node; null when `node` is not a literal this language can read. */
  literal(node: SyntaxNode): LiteralPart[] | null;
  assignment(node: SyntaxNode): Assignment | null;
  /** Condition of an if statement/expression, or null. */
  ifCondition(node: SyntaxNode): SyntaxNode | null;
  /** `return`/`break`/`throw` when `statement` is one. */
  exitKind(statement: SyntaxNode): ExitKind | null;
  /** True for nodes whose children are statements executed in order (blocks). */
  isBlock(node: SyntaxNode): boolean;
  /** Number of items of a literal collection (`[a, b]`, `('a', 'b')`, `%w[a b]`, `3` of `3.times`), else null. */
  constantSize(node: SyntaxNode): number | null;
  /** The Django/Rails model a class declares, if any. */
  model(classNode: SyntaxNode): ModelSummary | null;
  /** The attribute chain applied to an identifier node, for lazy-relation checks (Python, Ruby). */
  memberPath?(identifier: SyntaxNode): MemberPath | null;
  /** The node holding a literal's characters when it is elsewhere (a Ruby heredoc body for its `<<~SQL`). */
  literalTarget?(node: SyntaxNode): SyntaxNode | null;
  /** Node types that may bind a name to a declared type (`users: Repository<User>`, `conn: Connection`). */
  readonly typedBindingTypes?: ReadonlySet<string>;
  /** `[name, type]` for a typed parameter, field or variable; the type is its last dotted part, without generics. */
  typedBinding?(node: SyntaxNode): readonly [string, string] | null;
  /**
   * From the source at the start of a binding, possibly running past its end
   * (`complete` when nothing follows the text): the name it would bind when it
   * may carry a type, null when it surely carries none, undefined when unsure. Lets the summariser read annotations
   * only for names it asks about.
   */
  typedBindingName?(text: string, complete: boolean): string | null | undefined;
  /** Names this file exports: `[exported, local]`; null when every top-level name is importable. */
  exports(node: SyntaxNode): (readonly [string, string])[] | null;
}

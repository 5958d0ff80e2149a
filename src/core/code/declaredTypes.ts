/**
 * Declared types of names in one file (`repo: Repository<User>`,
 * `conn: psycopg.Connection`), read lazily. Most typed parameters and
 * variables are never asked about (only receivers whose name does not match
 * a query API are), and reading an annotation costs several calls into the
 * syntax tree, so a binding is only read when its name is looked up.
 *
 * The answer is the same as reading every binding in document order and
 * keeping the last one per name: bindings are added in visiting order and
 * looked up newest first, and a lookup only happens during the walk, so it
 * only sees bindings visited before it.
 */
import type { LanguageAdapter, SyntaxNode } from './languages/adapter';

interface Entry {
  node: SyntaxNode | null;
  /** Undefined until read; null when the node binds no declared type after all. */
  binding: readonly [string, string] | null | undefined;
}

/** Characters of a binding's source enough to find its name and what follows it. */
const PREFIX = 256;

export class DeclaredTypes {
  private readonly byName = new Map<string, Entry[]>();

  constructor(private readonly adapter: LanguageAdapter, private readonly text: string) {}

  /**
   * Records a node of one of the adapter's `typedBindingTypes`, starting at
   * `start`. Its end is not needed (reading it costs a call into
   * WebAssembly): the name guess reads the source from the start on, and
   * whatever follows a binding without annotation (`)`, `,`, `=`, `;`, a
   * keyword) is no annotation either.
   */
  add(node: SyntaxNode, start: number): void {
    const a = this.adapter;
    if (!a.typedBinding) return;
    const guess = a.typedBindingName?.(this.text.slice(start, start + PREFIX), start + PREFIX >= this.text.length);
    if (guess === null) return;
    if (guess === undefined) {
      const binding = a.typedBinding(node);
      if (binding) this.entries(binding[0]).push({ node: null, binding });
      return;
    }
    this.entries(guess).push({ node, binding: undefined });
  }

  typeOf(name: string): string | undefined {
    const list = this.byName.get(name);
    if (!list) return undefined;
    for (let i = list.length - 1; i >= 0; i--) {
      const e = list[i];
      if (!e) continue;
      if (e.binding === undefined && e.node) {
        e.binding = this.adapter.typedBinding?.(e.node) ?? null;
        e.node = null;
      }
      if (e.binding && e.binding[0] === name) return e.binding[1];
    }
    return undefined;
  }

  private entries(name: string): Entry[] {
    let list = this.byName.get(name);
    if (!list) {
      list = [];
      this.byName.set(name, list);
    }
    return list;
  }
}

/**
 * Loads tree-sitter (the runtime and one grammar per language, all
 * WebAssembly) lazily and once, without touching the file system: the edge
 * hands in a `GrammarSource` that returns the bytes of a named wasm file. Unit
 * tests read them from node_modules; the extension reads the copies esbuild
 * puts next to the bundle in dist/.
 *
 * Passing the runtime bytes as `wasmBinary` keeps web-tree-sitter from
 * locating `tree-sitter.wasm` relative to its own script, which breaks as soon
 * as the library is bundled into another file.
 */
import { Language, Parser, type Tree } from '@vscode/tree-sitter-wasm';
import type { CodeLanguage } from './types';

/** Wasm files PG Insight needs, by the name `GrammarSource` receives. */
export type WasmName = 'tree-sitter' | CodeLanguage;

/** Returns the bytes of `<name>.wasm` (see `wasmFileName`). */
export type GrammarSource = (name: WasmName) => Promise<Uint8Array>;

/** File names as shipped by @vscode/tree-sitter-wasm and copied to dist/. */
export function wasmFileName(name: WasmName): string {
  return name === 'tree-sitter' ? 'tree-sitter.wasm' : `tree-sitter-${name}.wasm`;
}

export const WASM_NAMES: readonly WasmName[] = ['tree-sitter', 'typescript', 'tsx', 'javascript', 'python', 'go', 'ruby'];

// The runtime is a process-wide singleton inside web-tree-sitter: initialise it once for every CodeParser.
let runtime: Promise<void> | undefined;

function initRuntime(source: GrammarSource): Promise<void> {
  runtime ??= source('tree-sitter').then((bytes) => {
    // The published typings only declare `locateFile`; `wasmBinary` is the emscripten option that
    // skips locating the file altogether.
    const options = { wasmBinary: bytes, locateFile: (file: string) => file };
    return Parser.init(options);
  });
  runtime.catch(() => {
    // A failed load (missing file) may be retried with a corrected source.
    runtime = undefined;
  });
  return runtime;
}

export class CodeParser {
  private readonly languages = new Map<CodeLanguage, Promise<Language>>();
  private parser: Parser | undefined;

  constructor(private readonly source: GrammarSource) {}

  /** Loads the grammar for `language` once; later calls share the same promise. */
  language(language: CodeLanguage): Promise<Language> {
    let loaded = this.languages.get(language);
    if (!loaded) {
      loaded = initRuntime(this.source)
        .then(() => this.source(language))
        .then((bytes) => Language.load(bytes));
      loaded.catch(() => this.languages.delete(language));
      this.languages.set(language, loaded);
    }
    return loaded;
  }

  /**
   * Parses `text`. The caller owns the tree and must `delete()` it: trees
   * live in WebAssembly memory that the JavaScript garbage collector cannot see.
   */
  async parse(language: CodeLanguage, text: string): Promise<Tree> {
    const grammar = await this.language(language);
    return this.parseWith(grammar, text);
  }

  /** Synchronous parse once the grammar is loaded (`language()` resolved). */
  parseWith(grammar: Language, text: string): Tree {
    this.parser ??= new Parser();
    this.parser.setLanguage(grammar);
    const tree = this.parser.parse(text);
    if (!tree) throw new Error('tree-sitter returned no tree');
    return tree;
  }
}

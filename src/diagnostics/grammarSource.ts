/**
 * The grammars' wasm bytes from disk. The bundles (dist/extension.js,
 * dist/cli.js) find the copies esbuild puts next to them; the transpiled
 * tests under out/ fall back to the package in node_modules.
 */
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { wasmFileName, type GrammarSource } from '../core/code/grammar';

function packageDir(): string | undefined {
  try {
    return dirname(require.resolve('@vscode/tree-sitter-wasm'));
  } catch {
    return undefined;
  }
}

/** Reads `<dir>/<wasm>` from the first of `dirs` that holds it. */
export function fsGrammarSource(dirs: readonly string[] = [__dirname]): GrammarSource {
  const candidates = [...dirs];
  const fallback = packageDir();
  if (fallback) candidates.push(fallback);
  return async (name) => {
    let last: unknown;
    for (const dir of candidates) {
      try {
        return new Uint8Array(await readFile(join(dir, wasmFileName(name))));
      } catch (e) {
        last = e;
      }
    }
    throw last instanceof Error ? last : new Error(`${wasmFileName(name)} not found`);
  };
}

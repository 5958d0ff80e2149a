/**
 * Test support for the code analysis: the grammar source reads the wasm
 * files from node_modules (the extension reads its copies in dist/).
 */
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { CodeAnalyzer } from '../../../src/core/code/analyzer';
import { wasmFileName, type GrammarSource } from '../../../src/core/code/grammar';
import type { CodeLanguage, FileSummary } from '../../../src/core/code/types';

const wasmDir = dirname(require.resolve('@vscode/tree-sitter-wasm'));

export const nodeGrammarSource: GrammarSource = async (name) => new Uint8Array(await readFile(join(wasmDir, wasmFileName(name))));

export const analyzer = new CodeAnalyzer(nodeGrammarSource);

const EXT: Record<CodeLanguage, string> = { typescript: 'ts', tsx: 'tsx', javascript: 'js', python: 'py', go: 'go', ruby: 'rb' };

/** Summarises a snippet as if it were `file.<ext>` of its language. */
export async function summarizeSnippet(language: CodeLanguage, text: string, path = `snippet.${EXT[language]}`): Promise<FileSummary> {
  const s = await analyzer.summarize(path, text, language);
  if (!s) throw new Error(`no summary for ${language}`);
  return s;
}

/** The source text a span covers, for readable assertions. */
export function textAt(text: string, span: { start: number; end: number }): string {
  return text.slice(span.start, span.end);
}

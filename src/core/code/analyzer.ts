/**
 * The entry point for the edges (diagnostics provider, workspace scan, CLI):
 * parse a file with the right grammar and summarise it. Parsing is the only
 * asynchronous step (the grammar loads once); summarising is synchronous and
 * frees the syntax tree before returning.
 */
import { CodeParser, type GrammarSource } from './grammar';
import { ADAPTERS, languageForPath } from './languages';
import { summarize } from './summarize';
import type { CodeLanguage, FileSummary } from './types';

export class CodeAnalyzer {
  private readonly parser: CodeParser;

  constructor(source: GrammarSource) {
    this.parser = new CodeParser(source);
  }

  /** Summarises `text`; undefined when the file is not in a supported language. */
  async summarize(path: string, text: string, language: CodeLanguage | undefined = languageForPath(path)): Promise<FileSummary | undefined> {
    if (!language) return undefined;
    const tree = await this.parser.parse(language, text);
    try {
      return summarize(tree, text, path, ADAPTERS[language]);
    } finally {
      tree.delete();
    }
  }

  /** Loads the grammars ahead of time (e.g. while the extension activates). */
  async preload(languages: readonly CodeLanguage[]): Promise<void> {
    await Promise.all(languages.map((l) => this.parser.language(l)));
  }
}

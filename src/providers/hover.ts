/**
 * Hover on a table name in SQL (a `.sql` file, or a SQL string in code):
 * its row estimate, columns and indexes from the schema cache.
 */
import * as vscode from 'vscode';
import { findTable } from '../core/schema/model';
import { SQL_EXTENSION } from '../diagnostics/engine';
import type { DiagnosticsProvider } from './diagnostics';
import { tableHoverMarkdown } from './tableHoverView';

export class TableHover implements vscode.HoverProvider {
  constructor(private readonly provider: DiagnosticsProvider) {}

  async provideHover(document: vscode.TextDocument, position: vscode.Position): Promise<vscode.Hover | undefined> {
    const range = document.getWordRangeAtPosition(position, /[A-Za-z_][A-Za-z0-9_$]*(\.[A-Za-z_][A-Za-z0-9_$]*)?/);
    if (!range) return undefined;
    if (!SQL_EXTENSION.test(document.fileName)) {
      // In code only words inside a SQL string count: `users` as a variable is not the table.
      const summary = this.provider.factsOf(document.uri);
      const offset = document.offsetAt(position);
      if (!summary?.sql.some((s) => s.start <= offset && offset < s.end)) return undefined;
    }
    const schema = await this.provider.schema.get();
    if (!schema) return undefined;
    const word = document.getText(range);
    const [first, second] = word.toLowerCase().split('.');
    const table = second !== undefined && first !== undefined ? findTable(schema, second, first) : first !== undefined ? findTable(schema, first) : undefined;
    // Not trusted, no HTML, no theme icons: the Markdown is escaped database text and our own words.
    return table ? new vscode.Hover(new vscode.MarkdownString(tableHoverMarkdown(table), false), range) : undefined;
  }
}

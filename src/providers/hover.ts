/**
 * Hover on a table name in SQL (a `.sql` file, or a SQL string in code):
 * its row estimate, columns and indexes from the schema cache.
 */
import * as vscode from 'vscode';
import { findTable, type TableInfo } from '../core/schema/model';
import { SQL_EXTENSION } from '../diagnostics/engine';
import type { DiagnosticsProvider } from './diagnostics';

export function tableHoverMarkdown(table: TableInfo): string {
  const rows = table.rowEstimate === null ? 'row count unknown (no database connected)' : `≈${Math.round(table.rowEstimate).toLocaleString('en-US')} rows (estimate)`;
  const lines = [`**${table.schema}.${table.name}** — ${rows}, ${table.columns.length} columns`, ''];
  if (table.indexes.length === 0) lines.push('No indexes.');
  else {
    lines.push('Indexes:', '');
    for (const i of table.indexes) {
      const keys = i.keys.map((k) => (k.kind === 'column' ? k.column : k.text) + (k.descending ? ' DESC' : '')).join(', ');
      const flags = [i.primary ? 'primary key' : i.unique ? 'unique' : '', i.valid ? '' : 'INVALID', i.predicate ? `WHERE ${i.predicate}` : ''].filter(Boolean).join(', ');
      lines.push(`- \`${i.name}\` ${i.method} (${keys})${flags ? ` — ${flags}` : ''}`);
    }
  }
  return lines.join('\n');
}

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
    return table ? new vscode.Hover(new vscode.MarkdownString(tableHoverMarkdown(table)), range) : undefined;
  }
}

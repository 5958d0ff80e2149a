/**
 * "Explain" above each SQL string in code and each statement of a `.sql`
 * file. The lens puts the cursor inside that SQL and runs the Explain
 * command, which explains the string literal or statement under the cursor.
 */
import * as vscode from 'vscode';
import { isSqlParserLoaded, loadSqlParser } from '../core/sql/parser';
import { splitStatements } from '../core/sql/statements';
import { SQL_EXTENSION } from '../diagnostics/engine';
import { diagnosticsSettings } from '../diagnostics/settings';
import type { DiagnosticsProvider } from './diagnostics';

export const EXPLAIN_AT = 'pgInsight.diagnostics.explainAt';

export class ExplainLenses implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(private readonly provider: DiagnosticsProvider) {}

  /** Lenses follow the index: ask again once a document's summary changed. */
  refresh(): void {
    this.changed.fire();
  }

  dispose(): void {
    this.changed.dispose();
  }

  async provideCodeLenses(document: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    if (!diagnosticsSettings(document.uri).codeLensExplain) return [];
    const offsets: number[] = [];
    if (SQL_EXTENSION.test(document.fileName)) {
      if (!isSqlParserLoaded()) await loadSqlParser();
      const text = document.getText();
      for (const s of splitStatements(text).statements) {
        // The statement's first non-blank character, so the lens sits on its first line.
        const lead = /^\s*/.exec(s.text)?.[0].length ?? 0;
        offsets.push(s.start + lead);
      }
    } else {
      const summary = this.provider.factsOf(document.uri);
      // A summary of an older text would put the lenses on the wrong lines.
      if (!summary || summary.lineStarts.length !== document.lineCount) return [];
      for (const sql of summary.sql) if (sql.origin !== 'sql-like' || /^\s*(select|with|insert|update|delete)\b/i.test(sql.text)) offsets.push(sql.start + 1);
    }
    return offsets.map((offset) => {
      const at = document.positionAt(offset);
      return new vscode.CodeLens(new vscode.Range(at, at), { title: 'Explain', command: EXPLAIN_AT, arguments: [document.uri, offset] });
    });
  }
}

export function registerCodeLens(provider: DiagnosticsProvider): vscode.Disposable {
  const lenses = new ExplainLenses(provider);
  return vscode.Disposable.from(
    lenses,
    provider.onDidCheck(() => lenses.refresh()),
    vscode.languages.registerCodeLensProvider([{ scheme: 'file' }, { scheme: 'untitled' }], lenses),
    vscode.commands.registerCommand(EXPLAIN_AT, async (uri: vscode.Uri, offset: number) => {
      const editor = await vscode.window.showTextDocument(uri, { preserveFocus: false });
      const at = editor.document.positionAt(offset);
      editor.selection = new vscode.Selection(at, at);
      return vscode.commands.executeCommand('pgInsight.explain');
    }),
  );
}

/**
 * Quick fixes for PG Insight's diagnostics, from the facts each finding
 * carries: copy the proposed `CREATE INDEX CONCURRENTLY`, add it as a
 * migration (a new SQL file, or `@@index` in schema.prisma), show the
 * batching rewrite for an N+1, suppress the rule on this line, open the
 * rule's docs.
 */
import * as vscode from 'vscode';
import { suppressionComment, type FindingView } from '../diagnostics/findingView';
import { addPrismaIndex, suppressionLine } from '../diagnostics/migrationEdit';
import { migrationFolder, newMigration } from './migrationFiles';
import { DIAGNOSTIC_SOURCE, type DiagnosticsProvider } from './diagnostics';
import { batchingDocument } from './codeActionsBatching';

export const COPY_DDL = 'pgInsight.diagnostics.copyIndexDdl';
export const SHOW_BATCHING = 'pgInsight.diagnostics.showBatching';
export const OPEN_DOCS = 'pgInsight.diagnostics.openRuleDocs';
export const OPEN_FILE = 'pgInsight.diagnostics.openFile';


export class QueryProblemActions implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  constructor(private readonly provider: DiagnosticsProvider) {}

  async provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): Promise<vscode.CodeAction[]> {
    const out: vscode.CodeAction[] = [];
    for (const diagnostic of context.diagnostics) {
      if (diagnostic.source !== DIAGNOSTIC_SOURCE) continue;
      const view = this.provider.published(document.uri).find((p) => p.diagnostic.range.isEqual(diagnostic.range) && p.diagnostic.message === diagnostic.message)?.view;
      if (!view) continue;
      out.push(...(await this.actionsFor(document, diagnostic, view)));
    }
    return out;
  }

  private async actionsFor(document: vscode.TextDocument, diagnostic: vscode.Diagnostic, view: FindingView): Promise<vscode.CodeAction[]> {
    const out: vscode.CodeAction[] = [];
    const ddl = typeof view.data?.ddl === 'string' ? view.data.ddl : undefined;
    if (ddl) {
      const copy = new vscode.CodeAction('Copy CREATE INDEX CONCURRENTLY statement', vscode.CodeActionKind.QuickFix);
      copy.command = { title: copy.title, command: COPY_DDL, arguments: [ddl] };
      copy.diagnostics = [diagnostic];
      copy.isPreferred = true;
      out.push(copy);
      const migration = await this.migrationAction(document, view, ddl);
      if (migration) {
        migration.diagnostics = [diagnostic];
        out.push(migration);
      }
    }
    if (view.ruleId === 'n-plus-one') {
      const batch = new vscode.CodeAction('Show a batching rewrite for this N+1 query', vscode.CodeActionKind.QuickFix);
      batch.command = { title: batch.title, command: SHOW_BATCHING, arguments: [view] };
      batch.diagnostics = [diagnostic];
      out.push(batch);
    }
    const line = document.lineAt(view.start.line);
    const suppress = new vscode.CodeAction(`Suppress ${view.ruleId} for this line`, vscode.CodeActionKind.QuickFix);
    suppress.edit = new vscode.WorkspaceEdit();
    suppress.edit.insert(document.uri, line.range.start, suppressionLine(line.text, suppressionComment(document.fileName, view.ruleId)));
    suppress.diagnostics = [diagnostic];
    out.push(suppress);
    const docs = new vscode.CodeAction(`Open the documentation of ${view.ruleId}`, vscode.CodeActionKind.QuickFix);
    docs.command = { title: docs.title, command: OPEN_DOCS, arguments: [view.ruleId] };
    docs.diagnostics = [diagnostic];
    out.push(docs);
    return out;
  }

  /** Prisma: `@@index` in the model; else a new file in the migrations folder (created when there is none). */
  private async migrationAction(document: vscode.TextDocument, view: FindingView, ddl: string): Promise<vscode.CodeAction | undefined> {
    const folder = vscode.workspace.getWorkspaceFolder(document.uri) ?? vscode.workspace.workspaceFolders?.[0];
    if (!folder) return undefined;
    const table = typeof view.data?.table === 'string' ? view.data.table : undefined;
    const columns = Array.isArray(view.data?.columns) ? (view.data.columns as readonly string[]) : [];
    const prisma = (await vscode.workspace.findFiles(new vscode.RelativePattern(folder, '**/schema.prisma'), '**/node_modules/**', 1))[0];
    if (prisma && table && columns.length > 0) {
      const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(prisma));
      const updated = addPrismaIndex(text, table, columns);
      if (updated) {
        const action = new vscode.CodeAction('Add @@index to the Prisma model', vscode.CodeActionKind.QuickFix);
        action.edit = new vscode.WorkspaceEdit();
        action.edit.replace(prisma, new vscode.Range(0, 0, Number.MAX_SAFE_INTEGER, 0), updated);
        return action;
      }
    }
    const name = typeof view.data?.indexName === 'string' ? view.data.indexName : 'index';
    const { file, edit } = newMigration(await migrationFolder(folder), name, ddl);
    const action = new vscode.CodeAction(`Add the index in a new migration (${vscode.workspace.asRelativePath(file, false)})`, vscode.CodeActionKind.QuickFix);
    action.edit = edit;
    action.command = { title: 'Open the migration', command: OPEN_FILE, arguments: [file] };
    return action;
  }
}

export function registerCodeActions(provider: DiagnosticsProvider, extensionUri: vscode.Uri): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.languages.registerCodeActionsProvider([{ scheme: 'file' }, { scheme: 'untitled' }], new QueryProblemActions(provider), { providedCodeActionKinds: QueryProblemActions.kinds }),
    vscode.commands.registerCommand(COPY_DDL, async (ddl: string) => {
      await vscode.env.clipboard.writeText(ddl);
      void vscode.window.setStatusBarMessage('PG Insight: CREATE INDEX statement copied', 3000);
    }),
    vscode.commands.registerCommand(SHOW_BATCHING, async (view: FindingView) => {
      const document = await vscode.workspace.openTextDocument({ language: 'markdown', content: batchingDocument(view) });
      await vscode.window.showTextDocument(document, { preview: true, viewColumn: vscode.ViewColumn.Beside });
    }),
    vscode.commands.registerCommand(OPEN_DOCS, (ruleId: string) => vscode.commands.executeCommand('markdown.showPreview', vscode.Uri.joinPath(extensionUri, 'docs', 'rules', `${ruleId}.md`))),
    vscode.commands.registerCommand(OPEN_FILE, (uri: vscode.Uri) => vscode.window.showTextDocument(uri, { preview: true })),
  );
}

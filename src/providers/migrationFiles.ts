/**
 * New migration files for a proposed index, shared by the code diagnostics'
 * quick fix and the plan view's index advice: the workspace's migrations
 * folder (the first of the usual places that exists, else `migrations/`)
 * and a workspace edit that creates a timestamped file holding the DDL.
 */
import * as vscode from 'vscode';
import { MIGRATION_FOLDERS, migrationFileName, migrationText } from '../diagnostics/migrationEdit';

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

/** The folder new migrations go to in `folder`. */
export async function migrationFolder(folder: vscode.WorkspaceFolder): Promise<vscode.Uri> {
  for (const candidate of MIGRATION_FOLDERS) {
    const uri = vscode.Uri.joinPath(folder.uri, candidate);
    if (await exists(uri)) return uri;
  }
  return vscode.Uri.joinPath(folder.uri, 'migrations');
}

/** The edit creating a migration named after `name` in `dir`, holding `ddl`. */
export function newMigration(dir: vscode.Uri, name: string, ddl: string): { readonly file: vscode.Uri; readonly edit: vscode.WorkspaceEdit } {
  const file = vscode.Uri.joinPath(dir, migrationFileName(new Date(), name));
  const edit = new vscode.WorkspaceEdit();
  edit.createFile(file, { ignoreIfExists: true });
  edit.insert(file, new vscode.Position(0, 0), migrationText(ddl));
  return { file, edit };
}

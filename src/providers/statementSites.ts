/**
 * The editor's view of the code sites the analysis finds for a
 * pg_stat_statements entry (src/diagnostics/sites.ts): their documents and
 * ranges, once the workspace index is complete.
 */
import * as vscode from 'vscode';
import type { CodeSite, SitesResult, StatementRequest } from '../diagnostics/protocol';
import type { DiagnosticsProvider } from './diagnostics';

export function rangeOf(site: CodeSite): vscode.Range {
  return new vscode.Range(site.range.startLine, site.range.startCharacter, site.range.endLine, site.range.endCharacter);
}

/** The document of a site: the one the index read, else the path under the first workspace folder. */
export function uriOf(provider: DiagnosticsProvider, site: CodeSite): vscode.Uri | undefined {
  const known = provider.uriOf(site.path);
  if (known) return known;
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  return folder ? vscode.Uri.joinPath(folder, site.path) : undefined;
}

/** Waits for the first workspace index (with a progress notification while it runs), then searches it. */
export async function searchIndexedWorkspace(provider: DiagnosticsProvider, statements: readonly StatementRequest[]): Promise<SitesResult> {
  if (!provider.indexed) {
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'PG Insight: indexing the workspace to find the statement in the code…' },
      () => provider.ready(),
    );
  }
  return provider.analysis.sites(statements);
}

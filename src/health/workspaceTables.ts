/**
 * Lists the tables the open workspace's code refers to, for "Scope to this
 * workspace": SQL files and source files in the usual languages, skipping
 * dependency and build folders and files over 512 kB (generated or vendored
 * code), at most 5,000 files. See src/core/health/reportScope.ts for what is
 * recognised and what is not.
 */
import * as vscode from 'vscode';
import { tablesInFile } from '../core/health/reportScope';
import { loadSqlParser } from '../core/sql/parser';

const INCLUDE = '**/*.{sql,ts,tsx,js,jsx,mjs,cjs,py,rb,go,java,kt,cs,php,rs,ex,exs,scala}';
const EXCLUDE = '**/{node_modules,.git,dist,out,build,vendor,target,.venv,venv,__pycache__,coverage}/**';
const MAX_FILES = 5000;
const MAX_BYTES = 512 * 1024;

export interface WorkspaceTables {
  readonly tables: readonly string[];
  readonly files: number;
}

export async function workspaceTables(token?: vscode.CancellationToken): Promise<WorkspaceTables> {
  await loadSqlParser();
  const uris = await vscode.workspace.findFiles(INCLUDE, EXCLUDE, MAX_FILES, token);
  const tables = new Set<string>();
  let files = 0;
  for (const uri of uris) {
    if (token?.isCancellationRequested) break;
    try {
      const stat = await vscode.workspace.fs.stat(uri);
      if (stat.size > MAX_BYTES) continue;
      const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
      const found = tablesInFile(uri.path, text);
      if (found.length > 0) files++;
      for (const t of found) tables.add(t);
    } catch {
      // A file deleted or unreadable since the search simply does not count.
    }
  }
  return { tables: [...tables].sort(), files };
}

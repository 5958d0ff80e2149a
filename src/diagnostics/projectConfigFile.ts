/**
 * `.pg-insight.json` for the editor: the same project file `pg-insight scan`
 * reads (`src/core/config/projectConfig.ts`), from the root of the file's
 * workspace folder, read once and again when it changes. A broken file is
 * said in the log, once per content, and its good keys still apply.
 */
import * as vscode from 'vscode';
import { EMPTY_PROJECT_CONFIG, parseProjectConfig, PROJECT_CONFIG_FILE, type ProjectConfig } from '../core/config/projectConfig';

export class ProjectConfigFiles implements vscode.Disposable {
  private readonly cache = new Map<string, Promise<ProjectConfig>>();
  private readonly watcher: vscode.FileSystemWatcher;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly reported = new Set<string>();

  constructor(private readonly warn: (message: string) => void) {
    this.watcher = vscode.workspace.createFileSystemWatcher(`**/${PROJECT_CONFIG_FILE}`);
    const reset = () => {
      this.cache.clear();
      this.changed.fire();
    };
    this.watcher.onDidChange(reset);
    this.watcher.onDidCreate(reset);
    this.watcher.onDidDelete(reset);
  }

  /** The project settings that apply to `uri` (empty outside a workspace folder or without the file). */
  get(uri: vscode.Uri): Promise<ProjectConfig> {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    if (!folder) return Promise.resolve(EMPTY_PROJECT_CONFIG);
    const key = folder.uri.toString();
    let found = this.cache.get(key);
    if (!found) {
      found = this.read(vscode.Uri.joinPath(folder.uri, PROJECT_CONFIG_FILE));
      this.cache.set(key, found);
    }
    return found;
  }

  private async read(file: vscode.Uri): Promise<ProjectConfig> {
    let text: string;
    try {
      text = new TextDecoder().decode(await vscode.workspace.fs.readFile(file));
    } catch {
      return EMPTY_PROJECT_CONFIG;
    }
    const parsed = parseProjectConfig(text);
    const said = `${file.toString()}\u0000${text}`;
    if (parsed.problems.length > 0 && !this.reported.has(said)) {
      this.reported.add(said);
      this.warn(`${vscode.workspace.asRelativePath(file)}: ${parsed.problems.join(' ')}`);
    }
    return parsed.config;
  }

  dispose(): void {
    this.watcher.dispose();
    this.changed.dispose();
  }
}

/**
 * Reads every connection source and keeps the list current: settings
 * (user, workspace, folder), the extension host's environment, and the
 * workspace folders' `.env` files (the `pgInsight.envFiles` list). The rules
 * themselves (parsing, merging, trust) are in src/core/connection; this
 * file only gathers the inputs and reacts to changes:
 *
 * - settings changes, workspace folder changes and `.env` file changes
 *   (FileSystemWatcher) refresh the list;
 * - in Restricted Mode workspace settings and `.env` files are neither read
 *   nor watched; granting trust reads them and may restore the remembered
 *   connection.
 */
import * as vscode from 'vscode';
import { userInfo } from 'node:os';
import { collectProfiles, type DotenvFile, type FolderSettings } from '../core/connection/sources';
import type { ConnectionProfile } from '../core/connection/profile';
import { affectsConnections, config } from '../config';
import type { Log } from '../log';

/** How long file and settings events are gathered before one refresh. */
const SETTLE_MS = 150;

function osUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? process.env.USERNAME ?? 'postgres';
  }
}

function isFileNotFound(e: unknown): boolean {
  return e instanceof vscode.FileSystemError && (e.code === 'FileNotFound' || e.code === 'EntryNotFound');
}

/** The file part of a `.env` profile id, `workspace-dotenv:<folder>/<file>#<variable>` (see core/connection/env.ts). */
function dotenvPathOf(id: string): string {
  return id.slice('workspace-dotenv:'.length).replace(/#[^#]*$/, '');
}

export class Discovery implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private watchers: vscode.Disposable[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private queue: Promise<readonly ConnectionProfile[]> = Promise.resolve([]);
  private loggedWarnings = new Set<string>();
  /** The `.env` file each discovered profile came from, for "Edit Connection". */
  private files = new Map<string, vscode.Uri>();

  constructor(
    private readonly log: Log,
    private readonly onProfiles: (profiles: readonly ConnectionProfile[]) => void,
    private readonly onTrustGranted: () => void,
  ) {
    this.disposables.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (!affectsConnections(e)) return;
        if (e.affectsConfiguration('pgInsight.envFiles')) this.watch();
        this.schedule();
      }),
      vscode.workspace.onDidChangeWorkspaceFolders(() => {
        this.watch();
        this.schedule();
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => {
        this.log.info('Workspace trusted: reading workspace settings and .env files.');
        this.watch();
        void this.refresh().then(() => this.onTrustGranted());
      }),
    );
    this.watch();
  }

  /** The `.env` file a profile was read from, if any. */
  fileOf(profile: ConnectionProfile): vscode.Uri | undefined {
    return this.files.get(profile.id);
  }

  /**
   * Reads all sources and publishes the list. Reads never overlap: each call
   * starts after the previous one ends, so its result reflects everything
   * that changed before the call.
   */
  refresh(): Promise<readonly ConnectionProfile[]> {
    const next = this.queue.then(() => this.read());
    this.queue = next.catch((e: unknown) => {
      this.log.error(`Reading the connection list failed: ${e instanceof Error ? e.message : String(e)}`);
      return [];
    });
    return next;
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const d of [...this.watchers, ...this.disposables]) d.dispose();
    this.watchers = [];
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.refresh();
    }, SETTLE_MS);
  }

  /** (Re)creates one watcher per folder for the configured `.env` names; none when untrusted. */
  private watch(): void {
    for (const w of this.watchers) w.dispose();
    this.watchers = [];
    if (!vscode.workspace.isTrusted) return;
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      const names = config(folder.uri).envFiles;
      if (names.length === 0) continue;
      const glob = names.length === 1 ? names[0] as string : `{${names.join(',')}}`;
      const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, glob));
      const changed = () => this.schedule();
      this.watchers.push(watcher, watcher.onDidCreate(changed), watcher.onDidChange(changed), watcher.onDidDelete(changed));
    }
  }

  private async readDotenvFiles(): Promise<{ files: DotenvFile[]; uris: Map<string, vscode.Uri> }> {
    const files: DotenvFile[] = [];
    const uris = new Map<string, vscode.Uri>();
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      for (const name of config(folder.uri).envFiles) {
        const uri = vscode.Uri.joinPath(folder.uri, name);
        const path = `${folder.name}/${name}`;
        try {
          const bytes = await vscode.workspace.fs.readFile(uri);
          files.push({ path, text: new TextDecoder().decode(bytes) });
          uris.set(path, uri);
        } catch (e) {
          if (!isFileNotFound(e)) this.log.warn(`Could not read ${path}: ${e instanceof Error ? e.message : String(e)}`);
        }
      }
    }
    return { files, uris };
  }

  private async read(): Promise<readonly ConnectionProfile[]> {
    const trusted = vscode.workspace.isTrusted;
    const levels = config().connectionLevels();
    // Folder-level values exist separately only in a multi-root workspace;
    // with a single folder they are the workspace values again.
    const folderSettings: FolderSettings[] = vscode.workspace.workspaceFile
      ? (vscode.workspace.workspaceFolders ?? []).map((f) => ({ folder: f.name, value: config(f.uri).connectionLevels().folder }))
      : [];
    const dotenv = trusted ? await this.readDotenvFiles() : { files: [], uris: new Map<string, vscode.Uri>() };
    const collected = collectProfiles({
      trusted,
      defaults: { user: osUser() },
      userSettings: levels.user,
      workspaceSettings: levels.workspace,
      folderSettings,
      environment: config().discoverEnvironment ? process.env : undefined,
      dotenvFiles: dotenv.files,
    });

    // Warnings are logged when they first appear, not on every refresh.
    const warnings = new Set(collected.warnings);
    for (const w of warnings) if (!this.loggedWarnings.has(w)) this.log.warn(w);
    this.loggedWarnings = warnings;

    this.files = new Map();
    for (const p of collected.profiles) {
      const uri = p.source === 'workspace-dotenv' ? dotenv.uris.get(dotenvPathOf(p.id)) : undefined;
      if (uri) this.files.set(p.id, uri);
    }
    this.onProfiles(collected.profiles);
    return collected.profiles;
  }
}

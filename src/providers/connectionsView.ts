/**
 * The Connections view in the PG Insight side bar: every configured and
 * discovered connection with where it came from, the active one marked with
 * the server it reached (or why it failed). A click connects; the context
 * menu tests, disconnects or forgets the saved password. The view only
 * shows what the connection manager already knows: opening it connects
 * nowhere.
 */
import * as vscode from 'vscode';
import { describeTarget, sourceLabel } from '../core/connection/complete';
import type { ConnectionProfile } from '../core/connection/profile';
import { showBidiControls } from '../core/text/bidi';
import type { Ctx } from '../context';
import type { ConnectionState } from '../connections/manager';

export const CONNECTIONS_VIEW_ID = 'pgInsight.connections';

/** One connection; `profileId` is what the commands of its context menu receive. */
export class ConnectionNode extends vscode.TreeItem {
  constructor(
    readonly profileId: string,
    profile: ConnectionProfile,
    state: ConnectionState,
    hasSavedPassword: boolean,
  ) {
    super(profile.name, vscode.TreeItemCollapsibleState.None);
    this.id = profile.id;
    const mine = state.kind !== 'disconnected' && state.profile.id === profile.id;
    const flags = [profile.production ? 'production' : undefined, profile.readOnly ? 'read-only' : undefined].filter((f): f is string => f !== undefined);
    const source = profile.sourceDetail ?? sourceLabel(profile.source);
    let status: string | undefined;
    if (mine && state.kind === 'connected') {
      status = `connected · PostgreSQL ${state.server.version}`;
      this.iconPath = new vscode.ThemeIcon('pass-filled', new vscode.ThemeColor('testing.iconPassed'));
    } else if (mine && state.kind === 'connecting') {
      status = 'connecting…';
      this.iconPath = new vscode.ThemeIcon('loading~spin');
    } else if (mine && state.kind === 'error') {
      // The server's own words: bidi controls spelled out (appendText below escapes Markdown).
      status = showBidiControls(state.error.message);
      this.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'));
    } else {
      this.iconPath = new vscode.ThemeIcon('database');
    }
    this.description = mine && state.kind === 'connected' ? `PG ${state.server.version} · ${source}` : source;
    const tooltip = new vscode.MarkdownString(undefined, false);
    // Names and hosts come from settings and .env files: plain text, never markup.
    tooltip.appendText(`${profile.name}\n\n${describeTarget(profile)}\n\nFrom: ${source}`);
    if (flags.length > 0) tooltip.appendText(`\n\n${flags.join(', ')}`);
    if (status) tooltip.appendText(`\n\n${status}`);
    this.tooltip = tooltip;
    this.accessibilityInformation = { label: [profile.name, describeTarget(profile), status ?? 'not connected'].join(', ') };
    // `when` clauses of the context menu read these words (package.json, view/item/context).
    this.contextValue = ['connection', mine && state.kind !== 'error' ? 'active' : 'inactive', hasSavedPassword ? 'saved' : 'unsaved'].join(' ');
    this.command = mine && state.kind === 'connected' ? undefined : { command: 'pgInsight.selectConnection', title: 'Connect', arguments: [profile.id] };
  }
}

/** The profile id a command got from this view's context menu, or the id itself. */
export function profileIdOf(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg;
  return arg instanceof ConnectionNode ? arg.profileId : undefined;
}

export class ConnectionsView implements vscode.TreeDataProvider<ConnectionNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];

  /** What the tree shows now, to skip redraws that would change nothing. */
  private shown = '';

  constructor(private readonly ctx: Ctx) {
    // Every redraw replaces the rows' click commands, and a click on a row being replaced is
    // lost: so redraw only when what the rows show has changed (secrets and discovery fire often).
    const refresh = () => {
      if (signature(this.nodes()) !== this.shown) this.changed.fire();
    };
    this.subscriptions = [
      this.changed,
      ctx.connections.onDidChangeState(refresh),
      ctx.connections.onDidChangeProfiles(refresh),
      ctx.extension.secrets.onDidChange(refresh),
      vscode.window.createTreeView(CONNECTIONS_VIEW_ID, { treeDataProvider: this, showCollapseAll: false }),
    ];
  }

  getTreeItem(node: ConnectionNode): vscode.TreeItem {
    return node;
  }

  getChildren(node?: ConnectionNode): ConnectionNode[] {
    if (node) return [];
    const nodes = this.nodes();
    this.shown = signature(nodes);
    return nodes;
  }

  private nodes(): ConnectionNode[] {
    const state = this.ctx.connections.state;
    const saved = new Set(this.ctx.passwords.savedIds());
    return this.ctx.connections.listProfiles().map((p) => new ConnectionNode(p.id, p, state, saved.has(p.id)));
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }
}

function signature(nodes: readonly ConnectionNode[]): string {
  return JSON.stringify(nodes.map((n) => [n.id, n.label, n.description, n.contextValue, n.iconPath instanceof vscode.ThemeIcon ? n.iconPath.id : '', n.accessibilityInformation?.label]));
}

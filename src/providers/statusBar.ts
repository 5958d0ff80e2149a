/**
 * The connection status bar item: the active connection and server version,
 * "connecting", a failure on a warning background, or "not connected".
 * Clicking it runs Select Connection. It follows the manager's events; the
 * current view is also available to the test API.
 */
import * as vscode from 'vscode';
import type { ConnectionManager } from '../connections/manager';
import { statusView, type StatusView } from './statusView';

export class ConnectionStatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly subscriptions: vscode.Disposable[];
  private currentView: StatusView;

  constructor(private readonly connections: ConnectionManager) {
    this.item = vscode.window.createStatusBarItem('pgInsight.connection', vscode.StatusBarAlignment.Left, 50);
    this.item.name = 'PG Insight Connection';
    this.item.command = 'pgInsight.selectConnection';
    this.currentView = this.render();
    this.item.show();
    this.subscriptions = [
      connections.onDidChangeState(() => this.render()),
      connections.onDidChangeProfiles(() => this.render()),
    ];
  }

  /** What the item shows now. */
  view(): StatusView {
    return this.currentView;
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.item.dispose();
  }

  private render(): StatusView {
    const view = statusView(this.connections.state, this.connections.listProfiles().length);
    this.item.text = view.text;
    this.item.tooltip = view.tooltip;
    this.item.backgroundColor = view.warning ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.currentView = view;
    return view;
  }
}

/**
 * `setContext` keys for `when` clauses in package.json:
 * - `pgInsight.connected`: a connection is active and answered;
 * - `pgInsight.hasConnections`: at least one connection is configured or discovered.
 * Set only when the value changes, since each call is a round trip to the workbench.
 */
import * as vscode from 'vscode';
import type { ConnectionManager } from '../connections/manager';
import type { Disposable } from '../connections/emitter';

export function trackContextKeys(connections: ConnectionManager): Disposable {
  const last = new Map<string, boolean>();
  const set = (key: string, value: boolean) => {
    if (last.get(key) === value) return;
    last.set(key, value);
    void vscode.commands.executeCommand('setContext', key, value);
  };
  const update = () => {
    set('pgInsight.connected', connections.state.kind === 'connected');
    set('pgInsight.hasConnections', connections.listProfiles().length > 0);
  };
  update();
  const subs = [connections.onDidChangeState(update), connections.onDidChangeProfiles(update)];
  return { dispose: () => subs.forEach((s) => s.dispose()) };
}

/**
 * PG Insight: Select Connection… — every configured and discovered
 * connection, with its source, plus "Add connection…" (and "Disconnect"
 * when connected). Choosing one connects to it and makes it active.
 */
import * as vscode from 'vscode';
import type { Ctx } from '../context';
import { showFailure } from '../connections/failures';
import { profileItem, type ProfileItem } from './pickProfile';
import { profileIdOf } from '../providers/connectionsView';

type Item = ProfileItem | (vscode.QuickPickItem & { readonly action: 'add' | 'disconnect' }) | vscode.QuickPickItem;

export function selectConnection(ctx: Ctx) {
  /** A profile id (or a node of the Connections view) connects to it without the pick. */
  return async (target?: unknown): Promise<void> => {
    const direct = profileIdOf(target);
    if (direct !== undefined) {
      const result = await ctx.connections.connect(direct, { interactive: true });
      if (result.kind === 'error') showFailure(ctx, result.error, result.profile);
      return;
    }
    const state = ctx.connections.state;
    const activeId = ctx.connections.activeProfile()?.id;
    const items: Item[] = ctx.connections.listProfiles().map((p) => profileItem(p, activeId));
    if (items.length > 0) items.push({ label: '', kind: vscode.QuickPickItemKind.Separator });
    items.push({ label: '$(add) Add connection…', action: 'add' });
    if (state.kind !== 'disconnected') items.push({ label: '$(debug-disconnect) Disconnect', action: 'disconnect' });
    const picked = await vscode.window.showQuickPick(items, {
      title: 'PG Insight: Select Connection',
      placeHolder: items.length > 1 ? 'Connect to…' : 'No connection found in settings, .env files or the environment',
      matchOnDescription: true,
      matchOnDetail: true,
    });
    if (!picked) return;
    if ('action' in picked) {
      if (picked.action === 'add') await vscode.commands.executeCommand('pgInsight.addConnection');
      else await ctx.connections.disconnect();
      return;
    }
    if (!('profile' in picked)) return;
    const result = await ctx.connections.connect(picked.profile.id, { interactive: true });
    if (result.kind === 'error') showFailure(ctx, result.error, result.profile);
  };
}

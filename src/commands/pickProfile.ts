/** QuickPick items for connection profiles, shared by the commands that choose one. */
import * as vscode from 'vscode';
import { describeTarget, sourceLabel } from '../core/connection/complete';
import type { ConnectionProfile } from '../core/connection/profile';
import type { Ctx } from '../context';

export interface ProfileItem extends vscode.QuickPickItem {
  readonly profile: ConnectionProfile;
}

export function profileItem(p: ConnectionProfile, activeId: string | undefined): ProfileItem {
  const flags = [p.production ? 'production' : undefined, p.readOnly ? 'read-only' : undefined].filter(Boolean);
  return {
    label: `${p.id === activeId ? '$(check)' : '$(database)'} ${p.name}`,
    description: p.sourceDetail ?? sourceLabel(p.source),
    detail: `${describeTarget(p)}${flags.length ? ` · ${flags.join(', ')}` : ''}`,
    profile: p,
  };
}

/** Lets the user choose one profile; undefined when there is none or the pick is cancelled. */
export async function pickProfile(ctx: Ctx, placeHolder: string): Promise<ConnectionProfile | undefined> {
  const profiles = ctx.connections.listProfiles();
  if (profiles.length === 0) {
    const add = 'Add Connection…';
    const choice = await ctx.notify.info('No PostgreSQL connection is configured or discovered yet.', add);
    if (choice === add) await vscode.commands.executeCommand('pgInsight.addConnection');
    return undefined;
  }
  const active = ctx.connections.activeProfile()?.id;
  const picked = await vscode.window.showQuickPick(profiles.map((p) => profileItem(p, active)), { placeHolder, matchOnDescription: true, matchOnDetail: true });
  return picked?.profile;
}

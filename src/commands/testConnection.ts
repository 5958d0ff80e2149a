/**
 * PG Insight: Test Connection — asks the server who and what it is, over
 * the active connection (or one picked when none is active), and says
 * "Connected to <name>: PostgreSQL 18.4 as <user>" or what went wrong.
 */
import * as vscode from 'vscode';
import type { Ctx } from '../context';
import { profileIdOf } from '../providers/connectionsView';
import { showFailure } from '../connections/failures';
import type { ConnectionProfile } from '../core/connection/profile';
import type { ServerInfo } from '../db/types';
import { pickProfile } from './pickProfile';

export function connectedMessage(profile: ConnectionProfile, s: ServerInfo): string {
  return `Connected to ${profile.name}: PostgreSQL ${s.version} as ${s.user}${s.inRecovery ? ' (a read-only replica)' : ''}.`;
}

export function testConnection(ctx: Ctx) {
  /** `profileId` lets other commands and tests name the connection. */
  return async (target?: unknown): Promise<void> => {
    const profileId = profileIdOf(target);
    const profile = profileId !== undefined ? ctx.connections.profile(profileId) : ctx.connections.activeProfile() ?? (await pickProfile(ctx, 'Test which connection?'));
    if (!profile) return;
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Testing ${profile.name}…` }, async () => {
      const state = ctx.connections.state;
      if ((state.kind === 'connected' || state.kind === 'connecting') && state.profile.id === profile.id) {
        try {
          const server = await ctx.connections.use((db) => db.serverInfo());
          void ctx.notify.info(connectedMessage(profile, server));
        } catch (e) {
          showFailure(ctx, e, profile);
        }
        return;
      }
      const result = await ctx.connections.connect(profile.id, { interactive: true });
      if (result.kind === 'connected') void ctx.notify.info(connectedMessage(result.profile, result.server));
      else if (result.kind === 'error') showFailure(ctx, result.error, result.profile);
    });
  };
}

/**
 * PG Insight: Forget Saved Password — removes a password from VS Code's
 * secret storage (and from this session), chosen among the connections
 * that have one.
 */
import * as vscode from 'vscode';
import { describeTarget } from '../core/connection/complete';
import type { Ctx } from '../context';
import { profileIdOf } from '../providers/connectionsView';

export function forgetPassword(ctx: Ctx) {
  /** `profileId` skips the pick (for tests and other commands). */
  return async (target?: unknown): Promise<void> => {
    let id = profileIdOf(target);
    if (id === undefined) {
      const saved = ctx.passwords.savedIds();
      if (saved.length === 0) {
        void ctx.notify.info('No password is saved for any connection.');
        return;
      }
      const picked = await vscode.window.showQuickPick(
        saved.map((savedId) => {
          const p = ctx.connections.profile(savedId);
          return { label: p?.name ?? savedId, description: p ? describeTarget(p) : 'no longer configured', id: savedId };
        }),
        { title: 'PG Insight: Forget Saved Password', placeHolder: 'Forget the saved password of…' },
      );
      if (!picked) return;
      id = picked.id;
    }
    await ctx.passwords.forget(id);
    const name = ctx.connections.profile(id)?.name ?? id;
    ctx.log.info(`Forgot the saved password for "${name}".`);
    void ctx.notify.info(`Forgot the saved password for ${name}.`);
  };
}

/**
 * Shows a connection failure: the DbError's message (never a stack) with one
 * button per suggested next step, and carries out the step chosen.
 */
import * as vscode from 'vscode';
import type { Ctx } from '../context';
import type { ConnectionProfile } from '../core/connection/profile';
import type { DbNextStep } from '../db/types';
import { asDbError } from './manager';
import { askPassword } from './passwordUi';

const LABELS: Record<DbNextStep, string> = {
  'edit-connection': 'Edit Connection',
  'enter-password': 'Enter Password',
  retry: 'Retry',
  'open-log': 'Open Log',
  'select-connection': 'Select Connection',
  'open-settings': 'Open Settings',
};

/** Opens where the profile is defined: its settings file or `.env`; otherwise the guided Add Connection. */
async function editConnection(ctx: Ctx, profile: ConnectionProfile | undefined): Promise<void> {
  if (profile?.source === 'user-settings') {
    await vscode.commands.executeCommand('workbench.action.openSettingsJson');
    return;
  }
  if (profile?.source === 'workspace-settings') {
    await vscode.commands.executeCommand('workbench.action.openWorkspaceSettingsFile');
    return;
  }
  const file = profile ? ctx.discovery.fileOf(profile) : undefined;
  if (file) {
    await vscode.window.showTextDocument(file);
    return;
  }
  // Environment variables cannot be edited from here: define the connection in settings instead.
  await vscode.commands.executeCommand('pgInsight.addConnection');
}

async function act(ctx: Ctx, step: DbNextStep, profile: ConnectionProfile | undefined): Promise<void> {
  switch (step) {
    case 'edit-connection':
      return editConnection(ctx, profile);
    case 'enter-password': {
      if (!profile) return;
      const password = await askPassword(profile, 'rejected');
      if (password === undefined) return;
      const state = await ctx.connections.connect(profile.id, { interactive: true, password });
      if (state.kind === 'error') showFailure(ctx, state.error, state.profile);
      return;
    }
    case 'retry': {
      if (!profile) return;
      const state = await ctx.connections.connect(profile.id, { interactive: true });
      if (state.kind === 'error') showFailure(ctx, state.error, state.profile);
      return;
    }
    case 'open-log':
      ctx.log.show();
      return;
    case 'select-connection':
      await vscode.commands.executeCommand('pgInsight.selectConnection');
      return;
    case 'open-settings':
      await vscode.commands.executeCommand('workbench.action.openSettings', 'pgInsight');
      return;
  }
}

/** Shows the failure without waiting for the user; the chosen button runs later. */
export function showFailure(ctx: Ctx, error: unknown, profile?: ConnectionProfile): void {
  const e = asDbError(error);
  const steps = [...new Set<DbNextStep>(e.nextSteps.length > 0 ? e.nextSteps : ['open-log'])];
  const message = profile ? `${profile.name}: ${e.message}` : e.message;
  void ctx.notify.error(message, ...steps.map((s) => LABELS[s])).then(async (choice) => {
    const step = steps.find((s) => LABELS[s] === choice);
    if (!step) return;
    try {
      await act(ctx, step, profile);
    } catch (err) {
      ctx.log.error(`"${LABELS[step]}" failed: ${asDbError(err).message}`);
    }
  });
}

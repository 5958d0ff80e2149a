/**
 * The password prompt and the "save password" offer. The prompt masks input
 * and survives focus changes (people switch windows to look a password up).
 */
import * as vscode from 'vscode';
import { describeTarget } from '../core/connection/complete';
import type { ConnectionProfile } from '../core/connection/profile';
import type { PasswordUi } from './manager';

const SAVE = 'Save Password';
const NOT_NOW = 'Not Now';

export function askPassword(profile: ConnectionProfile, reason: 'needed' | 'rejected'): Promise<string | undefined> {
  const target = describeTarget(profile);
  return Promise.resolve(vscode.window.showInputBox({
    title: `Password for ${profile.name}`,
    prompt: reason === 'rejected' ? `The server rejected the password for ${target}. Enter it again.` : `${target} asks for a password.`,
    password: true,
    ignoreFocusOut: true,
  }));
}

export const passwordUi: PasswordUi = {
  ask: askPassword,
  async offerSave(profile) {
    const choice = await vscode.window.showInformationMessage(
      `Connected to "${profile.name}". Save the password in VS Code's secret storage so you are not asked again?`,
      SAVE,
      NOT_NOW,
    );
    return choice === SAVE;
  },
};

/**
 * Builds the connection list from everything the edge has read: settings at
 * each level, the process environment and the text of the workspace's `.env`
 * files. Pure, so that the trust rule is tested without VS Code: in an
 * untrusted workspace (Restricted Mode) workspace settings and workspace
 * `.env` files are not used at all, while user settings and the environment
 * still are.
 */
import type { ProfileDefaults } from './complete';
import { parseDotenv } from './dotenv';
import { profilesFromEnv, type Env } from './env';
import { mergeProfiles } from './merge';
import { filterForTrust, type ConnectionProfile } from './profile';
import { profilesFromSettings } from './settings';

export interface FolderSettings {
  /** The workspace folder's name. */
  readonly folder: string;
  /** `pgInsight.connections` set in that folder's own settings. */
  readonly value: unknown;
}

export interface DotenvFile {
  /** Display path, e.g. "app/.env" (folder name and relative path). */
  readonly path: string;
  readonly text: string;
}

export interface SourceInputs {
  readonly trusted: boolean;
  readonly defaults: ProfileDefaults;
  /** `pgInsight.connections` at user level (local or remote user settings). */
  readonly userSettings: unknown;
  /** `pgInsight.connections` in the workspace (the .code-workspace file or the single folder). */
  readonly workspaceSettings: unknown;
  /** Folder-level values in a multi-root workspace. */
  readonly folderSettings: readonly FolderSettings[];
  /** The process environment; undefined when discovery from it is turned off. */
  readonly environment: Env | undefined;
  readonly dotenvFiles: readonly DotenvFile[];
}

export interface CollectedProfiles {
  readonly profiles: ConnectionProfile[];
  readonly warnings: string[];
}

export function collectProfiles(inputs: SourceInputs): CollectedProfiles {
  const warnings: string[] = [];
  const all: ConnectionProfile[] = [];
  const take = (r: { profiles: ConnectionProfile[]; warnings: string[] }) => {
    all.push(...r.profiles);
    warnings.push(...r.warnings);
  };
  const { defaults, trusted } = inputs;

  // Workspace-specific connections first: they are the likeliest choice in this window.
  if (trusted) {
    for (const f of inputs.folderSettings) {
      take(profilesFromSettings(f.value, { source: 'workspace-settings', where: `Folder settings (${f.folder})`, scopeKey: f.folder }, defaults));
    }
    take(profilesFromSettings(inputs.workspaceSettings, { source: 'workspace-settings', where: 'Workspace settings', scopeKey: '' }, defaults));
  }
  take(profilesFromSettings(inputs.userSettings, { source: 'user-settings', where: 'User settings', scopeKey: '' }, defaults));
  if (trusted) {
    for (const file of inputs.dotenvFiles) {
      const parsed = parseDotenv(file.text);
      for (const p of parsed.problems) warnings.push(`${file.path}, line ${p.line}: ${p.message}.`);
      take(profilesFromEnv(parsed.values, { source: 'workspace-dotenv', where: file.path }, defaults));
    }
  }
  if (inputs.environment) take(profilesFromEnv(inputs.environment, { source: 'environment', where: 'the environment' }, defaults));

  // The filter is redundant with the branches above; it keeps the rule true if a branch is ever added.
  return { profiles: mergeProfiles(filterForTrust(all, trusted)), warnings };
}

/**
 * The EXPLAIN options: read from the `pgInsight.explain.*` settings for the
 * document at hand (BUFFERS and TIMING on by default, as the issue of a
 * plan without them is a plan without answers), and changed from a quick
 * toggle ("Explain Options…") that writes the settings back where they
 * are defined. FORMAT JSON is always added by the runner; options a server
 * cannot take are dropped there and logged.
 */
import * as vscode from 'vscode';
import { SECTION } from '../config';
import type { ExplainOptions } from '../db/types';

export type OptionKey = 'buffers' | 'verbose' | 'settings' | 'wal' | 'timing' | 'memory' | 'serialize';

export interface OptionInfo {
  readonly key: OptionKey;
  readonly label: string;
  readonly description: string;
  readonly default: boolean;
}

export const OPTIONS: readonly OptionInfo[] = [
  { key: 'buffers', label: 'BUFFERS', description: 'pages hit, read, dirtied and written per node', default: true },
  { key: 'timing', label: 'TIMING', description: 'time per node (ANALYZE only; off lowers the overhead)', default: true },
  { key: 'verbose', label: 'VERBOSE', description: 'output columns, schema-qualified names, worker details', default: false },
  { key: 'settings', label: 'SETTINGS', description: 'planner settings that differ from the defaults (PostgreSQL 12+)', default: false },
  { key: 'wal', label: 'WAL', description: 'WAL records and bytes written (ANALYZE only, PostgreSQL 13+)', default: false },
  { key: 'memory', label: 'MEMORY', description: 'memory used by the planner (PostgreSQL 17+)', default: false },
  { key: 'serialize', label: 'SERIALIZE', description: 'cost of converting the result to text (ANALYZE only, PostgreSQL 17+)', default: false },
];

const settingName = (key: OptionKey) => `explain.${key}`;

/** The options for one run, from the settings of `scope`. */
export function readExplainOptions(analyze: boolean, scope?: vscode.ConfigurationScope): ExplainOptions {
  const raw = vscode.workspace.getConfiguration(SECTION, scope);
  const value = (info: OptionInfo) => {
    const v = raw.get<unknown>(settingName(info.key));
    return typeof v === 'boolean' ? v : info.default;
  };
  const byKey = Object.fromEntries(OPTIONS.map((o) => [o.key, value(o)])) as Record<OptionKey, boolean>;
  return {
    analyze,
    buffers: byKey.buffers,
    verbose: byKey.verbose,
    settings: byKey.settings,
    // Options that only exist with ANALYZE are left out of plain EXPLAIN rather than dropped by the runner.
    wal: analyze ? byKey.wal : undefined,
    timing: analyze ? byKey.timing : undefined,
    memory: byKey.memory,
    serialize: analyze ? byKey.serialize : undefined,
  };
}

interface OptionItem extends vscode.QuickPickItem {
  readonly info: OptionInfo;
}

/**
 * The quick toggle: a multi-select list of the options, checked as they are
 * now. Returns the keys that changed, or undefined when dismissed.
 */
export async function toggleExplainOptions(scope?: vscode.ConfigurationScope): Promise<OptionKey[] | undefined> {
  const current = readExplainOptions(true, scope);
  const items: OptionItem[] = OPTIONS.map((info) => ({
    label: info.label,
    description: info.description,
    picked: current[info.key] === true,
    info,
  }));
  const picked = await vscode.window.showQuickPick(items, {
    canPickMany: true,
    title: 'EXPLAIN options',
    placeHolder: 'Checked options are added to every EXPLAIN; FORMAT JSON is always on',
  });
  if (!picked) return undefined;
  const on = new Set(picked.map((p) => p.info.key));
  const changed = OPTIONS.filter((o) => (current[o.key] === true) !== on.has(o.key)).map((o) => o.key);
  for (const key of changed) await writeOption(key, on.has(key), scope);
  return changed;
}

/** Writes where the value is defined now (folder, workspace), else in the user settings. */
export async function writeOption(key: OptionKey, value: boolean, scope?: vscode.ConfigurationScope): Promise<void> {
  const raw = vscode.workspace.getConfiguration(SECTION, scope);
  const inspected = raw.inspect<boolean>(settingName(key));
  const target = inspected?.workspaceFolderValue !== undefined
    ? vscode.ConfigurationTarget.WorkspaceFolder
    : inspected?.workspaceValue !== undefined
      ? vscode.ConfigurationTarget.Workspace
      : vscode.ConfigurationTarget.Global;
  await raw.update(settingName(key), value, target);
}

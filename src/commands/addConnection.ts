/**
 * PG Insight: Add Connection… — a guided sequence of input boxes: a URL, or
 * host, port, database, user and SSL mode; a name; user or workspace
 * settings. The entry written to settings never holds a password: a password
 * (typed, or found in the pasted URL) goes to VS Code's secret storage if the
 * user agrees, otherwise it is kept for this session only. The new
 * connection is then tested and made active.
 */
import * as vscode from 'vscode';
import { userInfo } from 'node:os';
import { defaultProfileName, DEFAULT_PORT, describeTarget, profileId } from '../core/connection/complete';
import { settingForProfile, type ConnectionSetting } from '../core/connection/settings';
import { parsePostgresUrl, SSL_MODES, type UrlParts } from '../core/connection/url';
import type { SslMode } from '../core/connection/profile';
import type { Ctx } from '../context';
import { SECTION } from '../config';
import { showFailure } from '../connections/failures';
import { connectedMessage } from './testConnection';

const TITLE = 'PG Insight: Add Connection';

const SSL_DESCRIPTIONS: Record<SslMode, string> = {
  disable: 'never use TLS',
  allow: 'TLS only if the server insists',
  prefer: 'TLS when the server offers it (libpq default)',
  require: 'always TLS, without verifying the certificate',
  'verify-ca': 'TLS, certificate signed by a trusted CA',
  'verify-full': 'TLS, trusted certificate matching the host name',
};

function osUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'postgres';
  }
}

function validPort(text: string): string | undefined {
  const n = Number(text);
  return /^\d+$/.test(text.trim()) && n >= 1 && n <= 65535 ? undefined : 'A port is a number from 1 to 65535.';
}

async function askUrl(): Promise<UrlParts | undefined> {
  const url = await vscode.window.showInputBox({
    title: TITLE,
    prompt: 'Connection URL. A password in it is not written to settings.',
    placeHolder: 'postgresql://user@localhost:5432/database?sslmode=prefer',
    ignoreFocusOut: true,
    validateInput: (text) => {
      const r = parsePostgresUrl(text);
      return r.ok ? undefined : r.error;
    },
  });
  if (url === undefined) return undefined;
  const parsed = parsePostgresUrl(url);
  return parsed.ok ? parsed.parts : undefined;
}

async function askSslMode(): Promise<SslMode | undefined> {
  const picked = await vscode.window.showQuickPick(
    SSL_MODES.map((mode) => ({ label: mode, description: SSL_DESCRIPTIONS[mode], mode, picked: mode === 'prefer' })),
    { title: `${TITLE}: SSL mode`, placeHolder: 'How to use TLS (prefer is the libpq default)', ignoreFocusOut: true },
  );
  return picked?.mode;
}

async function askFields(): Promise<UrlParts | undefined> {
  const ask = (prompt: string, value: string, validateInput?: (t: string) => string | undefined) =>
    vscode.window.showInputBox({ title: TITLE, prompt, value, ignoreFocusOut: true, validateInput });
  const host = await ask('Host name, IP address, or Unix socket directory', 'localhost', (t) => (t.trim() ? undefined : 'A host is required.'));
  if (host === undefined) return undefined;
  const port = await ask('Port', String(DEFAULT_PORT), validPort);
  if (port === undefined) return undefined;
  const user = await ask('User (role) name', osUser(), (t) => (t.trim() ? undefined : 'A user is required.'));
  if (user === undefined) return undefined;
  const database = await ask('Database', user.trim(), (t) => (t.trim() ? undefined : 'A database is required.'));
  if (database === undefined) return undefined;
  const sslmode = await askSslMode();
  if (sslmode === undefined) return undefined;
  const parts: UrlParts = { host: host.trim(), port: Number(port), user: user.trim(), database: database.trim(), sslmode };
  if (sslmode === 'verify-ca' || sslmode === 'verify-full') {
    const ca = await ask('CA certificate file (empty: the system default, ~/.postgresql/root.crt)', '');
    if (ca === undefined) return undefined;
    if (ca.trim()) parts.sslrootcert = ca.trim();
  }
  return parts;
}

function existingNames(): Set<string> {
  const inspected = vscode.workspace.getConfiguration(SECTION).inspect<unknown>('connections');
  const names = new Set<string>();
  for (const level of [inspected?.globalValue, inspected?.workspaceValue]) {
    if (!Array.isArray(level)) continue;
    for (const e of level) if (e && typeof e === 'object' && typeof (e as { name?: unknown }).name === 'string') names.add((e as { name: string }).name);
  }
  return names;
}

async function askTarget(): Promise<vscode.ConfigurationTarget | undefined> {
  const canUseWorkspace = (vscode.workspace.workspaceFolders?.length ?? 0) > 0 && vscode.workspace.isTrusted;
  if (!canUseWorkspace) return vscode.ConfigurationTarget.Global;
  const picked = await vscode.window.showQuickPick(
    [
      { label: 'User settings', description: 'available in every workspace on this machine', target: vscode.ConfigurationTarget.Global },
      { label: 'Workspace settings', description: 'only here; shared with the project if its settings are committed', target: vscode.ConfigurationTarget.Workspace },
    ],
    { title: `${TITLE}: save in`, ignoreFocusOut: true },
  );
  return picked?.target;
}

async function askPasswordChoice(target: string): Promise<{ password: string; save: boolean } | undefined | null> {
  const password = await vscode.window.showInputBox({
    title: TITLE,
    prompt: `Password for ${target} (leave empty if the server does not ask for one)`,
    password: true,
    ignoreFocusOut: true,
  });
  if (password === undefined) return null;
  if (password === '') return undefined;
  return { password, save: await askSave() };
}

async function askSave(): Promise<boolean> {
  const picked = await vscode.window.showQuickPick(
    [
      { label: "Save in VS Code's secret storage", description: 'recommended', save: true },
      { label: 'Use for this session only', save: false },
    ],
    { title: `${TITLE}: password`, ignoreFocusOut: true },
  );
  return picked?.save ?? false;
}

export function addConnection(ctx: Ctx) {
  return async (): Promise<void> => {
    const method = await vscode.window.showQuickPick(
      [
        { label: '$(link) Paste a connection URL', detail: 'postgresql://user@host:5432/database?sslmode=require', url: true },
        { label: '$(edit) Enter host, port, database and user', url: false },
      ],
      { title: TITLE, ignoreFocusOut: true },
    );
    if (!method) return;
    const parts = method.url ? await askUrl() : await askFields();
    if (!parts) return;
    const { password: urlPassword, ...fields } = parts;

    const taken = existingNames();
    const suggested = defaultProfileName(fields.host ?? 'localhost', fields.port ?? DEFAULT_PORT, fields.database ?? fields.user ?? osUser());
    const name = await vscode.window.showInputBox({
      title: TITLE,
      prompt: 'A name for this connection',
      value: taken.has(suggested) ? '' : suggested,
      ignoreFocusOut: true,
      validateInput: (t) => (!t.trim() ? 'A name is required.' : taken.has(t.trim()) ? `A connection named "${t.trim()}" already exists.` : undefined),
    });
    if (name === undefined) return;
    const target = await askTarget();
    if (target === undefined) return;

    const describe = describeTarget({ host: fields.host ?? 'localhost', port: fields.port ?? DEFAULT_PORT, database: fields.database ?? fields.user ?? osUser(), user: fields.user ?? osUser() });
    const secret = urlPassword ? { password: urlPassword, save: await askSave() } : await askPasswordChoice(describe);
    if (secret === null) return;

    const entry: ConnectionSetting = settingForProfile(name.trim(), fields);
    const configuration = vscode.workspace.getConfiguration(SECTION);
    const inspected = configuration.inspect<unknown>('connections');
    const current = target === vscode.ConfigurationTarget.Global ? inspected?.globalValue : inspected?.workspaceValue;
    const existing: unknown[] = Array.isArray(current) ? (current as unknown[]) : [];
    await configuration.update('connections', [...existing, entry], target);
    const source = target === vscode.ConfigurationTarget.Global ? 'user-settings' : 'workspace-settings';
    const id = profileId(source, entry.name);
    ctx.log.info(`Added connection "${entry.name}" (${describe}) to ${target === vscode.ConfigurationTarget.Global ? 'user' : 'workspace'} settings.`);

    if (secret) {
      if (secret.save) await ctx.passwords.save(id, secret.password);
      else ctx.passwords.rememberForSession(id, secret.password);
    }
    await ctx.discovery.refresh();
    const result = await ctx.connections.connect(id, { interactive: true });
    if (result.kind === 'connected') void ctx.notify.info(connectedMessage(result.profile, result.server));
    else if (result.kind === 'error') showFailure(ctx, result.error, result.profile);
  };
}

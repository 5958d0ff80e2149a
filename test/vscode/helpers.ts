/**
 * Helpers for suites that run inside the VS Code extension host.
 *
 * - `waitFor(cond, { timeoutMs, message })`: poll until a condition holds, with a
 *   deadline (tests never sleep for a fixed time).
 * - `activateExtension()`: the PG Insight extension, activated, and its exports.
 * - `testDatabase()`: the run's fresh test database (from the launcher's environment).
 * - `openDocument()`: open a workspace file or an untitled document in an editor.
 * - `bridge()` and its wrappers `screenshot()`, `webviews()`, `webviewQuery()`,
 *   `webviewClick()`, `workbenchQuery()`, `workbenchClick()`, `pressKey()`: what a
 *   person would see, through the launcher (see the header of scripts/vscode-test.mjs).
 *   Only the offline web host provides the bridge; check `bridgeAvailable()`.
 */
import * as vscode from 'vscode';
import { request } from 'node:http';

export const EXTENSION_ID = 'pg-insight.pg-insight';

export interface WaitOptions {
  /** Give up after this long (default 10 s). */
  readonly timeoutMs?: number;
  /** Time between two checks (default 50 ms). */
  readonly intervalMs?: number;
  /** Says what was awaited; part of the error on timeout. */
  readonly message: string;
}

/**
 * Resolves with the condition's first truthy value; rejects after the deadline
 * with `message` and the last value or error seen, so a failure says what was wrong.
 */
export async function waitFor<T>(cond: () => T | Promise<T>, options: WaitOptions): Promise<NonNullable<T>> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const intervalMs = options.intervalMs ?? 50;
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await cond();
      if (value) return value;
      last = value;
    } catch (err) {
      last = err;
    }
    if (Date.now() >= deadline) {
      const detail = last instanceof Error ? last.message : JSON.stringify(last);
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${options.message} (last: ${detail})`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

export function extension<T = unknown>(): vscode.Extension<T> {
  const ext = vscode.extensions.getExtension<T>(EXTENSION_ID);
  if (!ext) throw new Error(`extension ${EXTENSION_ID} is not installed in this host`);
  return ext;
}

/** Activates PG Insight (a no-op when it already is) and returns its exports. */
export async function activateExtension<T = unknown>(): Promise<T> {
  const ext = extension<T>();
  return ext.isActive ? ext.exports : await ext.activate();
}

export interface TestDatabase {
  readonly url: string;
  readonly adminUrl: string;
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  readonly database: string;
}

function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the suites through scripts/vscode-test.mjs or scripts/test-desktop.mjs`);
  return value;
}

/** The run's own database, created fresh by the launcher. */
export function testDatabase(): TestDatabase {
  return {
    url: requiredEnv('PG_INSIGHT_TEST_URL'),
    adminUrl: requiredEnv('PG_INSIGHT_TEST_ADMIN_URL'),
    host: requiredEnv('PG_INSIGHT_TEST_HOST'),
    port: Number(requiredEnv('PG_INSIGHT_TEST_PORT')),
    user: requiredEnv('PG_INSIGHT_TEST_USER'),
    password: requiredEnv('PG_INSIGHT_TEST_PASSWORD'),
    database: requiredEnv('PG_INSIGHT_TEST_DB'),
  };
}

/** The open workspace folder (the run's copy of its fixture). */
export function workspaceFolder(): vscode.WorkspaceFolder {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('no workspace folder is open');
  return folder;
}

/**
 * Opens a document in an editor: a path relative to the workspace folder, or
 * `{ content, language }` for an untitled document.
 */
export async function openDocument(source: string | { content: string; language: string }): Promise<vscode.TextEditor> {
  const doc = typeof source === 'string'
    ? await vscode.workspace.openTextDocument(vscode.Uri.joinPath(workspaceFolder().uri, source))
    : await vscode.workspace.openTextDocument({ content: source.content, language: source.language });
  return vscode.window.showTextDocument(doc);
}

/** The PG Insight diagnostics of a workspace file, of one rule when given. */
export function ourDiagnostics(path: string, rule?: string): vscode.Diagnostic[] {
  const uri = vscode.Uri.joinPath(workspaceFolder().uri, path);
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'PG Insight' && (rule === undefined || (typeof d.code === 'object' && d.code.value === rule)));
}

/**
 * The quick fix titled like `title` for the first `rule` diagnostic of `path`. Polled: a re-check
 * publishing the diagnostics again cancels a code action request in flight.
 */
export function quickFix(path: string, rule: string, title: RegExp): Promise<vscode.CodeAction> {
  const uri = vscode.Uri.joinPath(workspaceFolder().uri, path);
  let seen: string[] = [];
  return waitFor(
    async () => {
      const diagnostic = ourDiagnostics(path, rule)[0];
      if (!diagnostic) return undefined;
      const found = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, diagnostic.range, vscode.CodeActionKind.QuickFix.value);
      seen = found.map((a) => a.title);
      return found.find((a) => title.test(a.title));
    },
    { timeoutMs: 20_000, message: `a quick fix matching ${String(title)} (seen: ${seen.join(' | ')})` },
  );
}

/** Closes every editor, so the next test starts from an empty editor area. */
export async function closeAllEditors(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

export function bridgeAvailable(): boolean {
  return Boolean(process.env.PG_INSIGHT_TEST_BRIDGE);
}

/** Sends one command to the launcher's bridge and returns its JSON answer. */
export function bridge<T>(command: string, args: Record<string, unknown> = {}): Promise<T> {
  const base = process.env.PG_INSIGHT_TEST_BRIDGE;
  if (!base) return Promise.reject(new Error('no bridge: these helpers need the offline web host (scripts/vscode-test.mjs)'));
  const body = JSON.stringify(args);
  return new Promise<T>((resolve, reject) => {
    const req = request(`${base}/${command}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
        'x-bridge-token': process.env.PG_INSIGHT_TEST_BRIDGE_TOKEN ?? '',
      },
    }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => { text += d; });
      res.on('end', () => {
        try {
          const parsed = JSON.parse(text) as T & { error?: string };
          if (res.statusCode !== 200) reject(new Error(`bridge ${command}: ${parsed.error ?? res.statusCode}`));
          else resolve(parsed);
        } catch (err) {
          reject(err instanceof Error ? err : new Error(String(err)));
        }
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * Saves a PNG of the whole workbench as test-results/screenshots/<name>.png (and
 * docs/images/<name>.png when PG_INSIGHT_SCREENSHOTS=1). Returns its path, or
 * undefined where there is no bridge (desktop runs).
 */
export async function screenshot(name: string): Promise<string | undefined> {
  if (!bridgeAvailable()) return undefined;
  // Pictures of a feature leave out the toasts earlier tests left behind; debugging pictures keep them.
  if (!name.startsWith('debug')) await vscode.commands.executeCommand('notifications.clearAll');
  return (await bridge<{ path: string }>('screenshot', { name })).path;
}

export interface WebviewContent {
  /** The webview document's <title>. */
  readonly title: string;
  readonly url: string;
  /** The rendered text of its body, as a person reads it. */
  readonly text: string;
}

export interface ElementInfo {
  readonly text: string;
  readonly attributes: Record<string, string>;
}

export async function webviews(): Promise<WebviewContent[]> {
  return (await bridge<{ webviews: WebviewContent[] }>('webviews')).webviews;
}

/** The rendered text of the webview whose document title contains `title`. */
export async function webviewText(title: string): Promise<string> {
  const found = (await webviews()).filter((w) => w.title.includes(title));
  if (found.length !== 1) throw new Error(`expected one webview titled "${title}", found ${found.length}`);
  return found[0]!.text;
}

export async function webviewQuery(selector: string, title?: string): Promise<ElementInfo[]> {
  return (await bridge<{ elements: ElementInfo[] }>('webviewQuery', { selector, title })).elements;
}

/**
 * Waits for elements matching `selector` in the webview titled `title`.
 * On a busy machine the test host's web workbench now and then leaves a
 * new webview's frame unloaded: the tab is there, its page blank or stuck
 * on the bootstrap page (`fake.html`) that is meant to be replaced, and
 * nothing of the page runs. Reloading the webviews (Developer: Reload
 * Webviews) brings such a frame back, so that is done after
 * `reloadAfterMs`, and once more if needed, each time said on the console;
 * a page that stays empty after that fails the test.
 */
export async function webviewElements(selector: string, title: string, options: { timeoutMs?: number; reloadAfterMs?: number } = {}): Promise<ElementInfo[]> {
  const every = options.reloadAfterMs ?? 5_000;
  const started = Date.now();
  let reloads = 0;
  return waitFor(async () => {
    const found = await webviewQuery(selector, title).catch(() => []);
    if (found.length > 0) return found;
    if (reloads < 2 && Date.now() - started >= every * (reloads + 1)) {
      reloads++;
      const page = (await webviews().catch(() => [])).find((w) => w.title.includes(title));
      console.log(`      (the ${title} webview showed no "${selector}" after ${Date.now() - started} ms: reloading the webviews; the page ${page ? `shows: ${JSON.stringify(page.text.slice(0, 160))}` : 'is not loaded'})`);
      await vscode.commands.executeCommand('workbench.action.webview.reloadWebviewAction');
    }
    return undefined;
  }, { message: `"${selector}" in the ${title} webview`, timeoutMs: options.timeoutMs ?? 35_000 });
}

export async function webviewClick(selector: string, title?: string): Promise<void> {
  await bridge('webviewClick', { selector, title });
}

/** Elements of the workbench itself: status bar, notifications, quick input... */
export async function workbenchQuery(selector: string): Promise<ElementInfo[]> {
  return (await bridge<{ elements: ElementInfo[] }>('workbenchQuery', { selector })).elements;
}

export async function workbenchClick(selector: string): Promise<void> {
  await bridge('workbenchClick', { selector });
}

export async function pressKey(key: string): Promise<void> {
  await bridge('press', { key });
}

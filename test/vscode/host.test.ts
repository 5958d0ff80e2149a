/**
 * The test host itself: the extension host receives the run's database and
 * user settings, and (where the launcher's bridge exists, i.e. not on desktop
 * runs) a suite can read the workbench DOM, read a webview's rendered text and
 * click inside it, the click reaching the extension host as a real message.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Client } from 'pg';
import { bridgeAvailable, testDatabase, waitFor, webviewClick, webviewQuery, webviewText, webviews, workbenchQuery } from './helpers';

const TITLE = 'Bridge check';

function checkPage(nonce: string): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'nonce-${nonce}';">
<title>${TITLE}</title></head>
<body><h1 id="heading">Seven rows</h1><button id="go" type="button">Send</button>
<script nonce="${nonce}">
const vscode = acquireVsCodeApi();
document.getElementById('go').addEventListener('click', () => vscode.postMessage({ clicked: true }));
</script></body></html>`;
}

describe('test host', () => {
  it('passes the run\'s own database to the extension host', async () => {
    const db = testDatabase();
    const client = new Client({ connectionString: db.url });
    await client.connect();
    try {
      const r = await client.query<{ db: string }>('SELECT current_database() AS db');
      assert.equal(r.rows[0]?.db, db.database);
    } finally {
      await client.end();
    }
  });

  it('lists workspace files for findFiles, with include and exclude globs', async () => {
    const names = (uris: readonly vscode.Uri[]) => uris.map((u) => vscode.workspace.asRelativePath(u)).sort();
    assert.deepEqual(names(await vscode.workspace.findFiles('**/*.sql')), ['queries.sql']);
    assert.deepEqual(names(await vscode.workspace.findFiles('*.{ts,md}', 'README.md')), ['app.ts']);
  });

  it('opens the workspace trusted', () => {
    assert.equal(vscode.workspace.isTrusted, true);
  });

  it('applies the seeded user settings', () => {
    // The launchers write user settings before the window opens (scripts/lib/codeServer.mjs QUIET_SETTINGS).
    assert.equal(vscode.workspace.getConfiguration('workbench').get('startupEditor'), 'none');
  });
});

if (bridgeAvailable()) {
  describe('test bridge', () => {
    let panel: vscode.WebviewPanel | undefined;

    afterEach(() => {
      panel?.dispose();
      panel = undefined;
    });

    it('reads the workbench DOM', async () => {
      const bars = await waitFor(async () => {
        const found = await workbenchQuery('.part.statusbar');
        return found.length === 1 ? found : undefined;
      }, { message: 'the status bar' });
      assert.equal(bars.length, 1);
    });

    it('reads and clicks inside a webview', async () => {
      panel = vscode.window.createWebviewPanel('pgInsight.bridgeCheck', TITLE, vscode.ViewColumn.One, { enableScripts: true });
      const clicked = new Promise<unknown>((resolve) => panel!.webview.onDidReceiveMessage(resolve));
      panel.webview.html = checkPage(Math.random().toString(36).slice(2));
      const text = await waitFor(async () => {
        const text = await webviewText(TITLE).catch(() => '');
        return text.includes('Seven rows') ? text : undefined;
      }, { message: 'the webview to render', timeoutMs: 20_000 });
      assert.match(text, /Seven rows/);
      assert.deepEqual((await webviewQuery('#heading', TITLE)).map((e) => e.text), ['Seven rows']);
      assert.ok((await webviews()).some((w) => w.title === TITLE));
      await webviewClick('#go', TITLE);
      assert.deepEqual(await clicked, { clicked: true });
    });
  });
}

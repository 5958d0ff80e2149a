/**
 * The Connections view of the PG Insight side bar, read and clicked in the
 * real workbench: every connection with its source, a click connects, the
 * connected one shows its server version, and a failed one says why. Needs
 * the launcher's bridge (DOM of the workbench).
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { PgInsightApi } from '../../src/extension';
import { freePort } from '../support/postgres';
import { activateExtension, bridgeAvailable, screenshot, testDatabase, waitFor, workbenchClick, workbenchQuery, type ElementInfo } from './helpers';

const GOOD = 'view-dev';
const DOWN = 'view-down';

/** The rows of the Connections view, by their accessible label. */
async function rows(): Promise<ElementInfo[]> {
  return workbenchQuery('.pane-body .monaco-list-row[aria-label]');
}

function rowOf(all: readonly ElementInfo[], name: string): ElementInfo | undefined {
  return all.find((r) => (r.attributes['aria-label'] ?? '').startsWith(`${name},`));
}

/**
 * Clicks a connection's row until `done` holds, twice at most. VS Code
 * replaces a tree row's click command each time the tree is redrawn, and a
 * click that lands while a redraw is on its way is lost ("Actual command not
 * found"), as it would be for a person, who clicks again.
 */
async function clickRowUntil(name: string, done: () => boolean): Promise<void> {
  for (let attempt = 1; attempt <= 2; attempt++) {
    await workbenchClick(`.pane-body .monaco-list-row[aria-label^="${name},"]`);
    if (await waitFor(done, { message: `the click on ${name}`, timeoutMs: 6_000 }).then(() => true, () => false)) return;
  }
  await screenshot(`debug-connections-view-${name}`);
  assert.fail(`clicking ${name} twice did nothing`);
}

if (bridgeAvailable()) {
  describe('connections view', function () {
    this.timeout(60_000);
    const db = testDatabase();
    let api: PgInsightApi;

    before(async () => {
      api = await activateExtension<PgInsightApi>();
      await api.connections.disconnect();
      const port = await freePort();
      await vscode.workspace.getConfiguration('pgInsight').update('connections', [
        { name: GOOD, host: db.host, port: db.port, database: db.database, user: db.user, sslmode: 'disable' },
        { name: DOWN, host: '127.0.0.1', port, database: 'nothing', user: 'nobody', sslmode: 'disable' },
      ], vscode.ConfigurationTarget.Global);
      await waitFor(() => api.connections.listProfiles().some((p) => p.name === DOWN), { message: 'the two profiles' });
      await api.savePassword(`user-settings:${GOOD}`, db.password);
      await vscode.commands.executeCommand('workbench.view.extension.pgInsight');
    });

    after(async () => {
      await api.connections.disconnect();
      await vscode.workspace.getConfiguration('pgInsight').update('connections', undefined, vscode.ConfigurationTarget.Global);
      await vscode.commands.executeCommand('workbench.view.explorer');
    });

    it('lists every connection with its source, none connected by opening the view', async () => {
      const all = await waitFor(async () => {
        const r = await rows();
        return rowOf(r, GOOD) && rowOf(r, DOWN) ? r : undefined;
      }, { message: 'both connections in the view' });
      const good = rowOf(all, GOOD)!;
      assert.match(good.text, /User settings/i, good.text);
      assert.match(good.attributes['aria-label'] ?? '', /not connected$/);
      assert.equal(api.connections.state.kind, 'disconnected');
    });

    it('connects on a click and shows the server version; a server that is down says why', async () => {
      await clickRowUntil(GOOD, () => api.connections.state.kind === 'connected' && api.connections.activeProfile()?.name === GOOD);
      const version = api.connections.state.kind === 'connected' ? api.connections.state.server.version : '';
      const connected = await waitFor(async () => {
        const r = rowOf(await rows(), GOOD);
        return r?.text.includes(`PG ${version}`) ? r : undefined;
      }, { message: 'the server version on the connected row' });
      assert.match(connected.attributes['aria-label'] ?? '', new RegExp(`connected · PostgreSQL ${version.replace('.', '\\.')}$`));
      await screenshot('connections-view');

      await clickRowUntil(DOWN, () => api.connections.state.kind === 'error' && api.connections.state.profile.name === DOWN);
      const failed = await waitFor(async () => {
        const r = rowOf(await rows(), DOWN);
        return r && /refused|not listening|could not/i.test(r.attributes['aria-label'] ?? '') ? r : undefined;
      }, { message: `the failure on the ${DOWN} row` });
      assert.ok(failed.attributes['aria-label']?.includes(DOWN));
      assert.equal(api.connections.state.kind, 'error');
    });
  });
}

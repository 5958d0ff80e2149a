/**
 * The connection commands answered through the workbench as a person would.
 * Add Connection…: paste a URL, accept the suggested name, choose user
 * settings, type the password, save it; the connection lands in user
 * settings without the password, the password in SecretStorage, and the new
 * connection is tested and active. Then the status bar item opens Select
 * Connection…, which switches to it. Needs the launcher's bridge (keyboard
 * and DOM of the workbench).
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { PgInsightApi } from '../../src/extension';
import { activateExtension, bridgeAvailable, pressKey, testDatabase, waitFor, workbenchClick, workbenchQuery } from './helpers';

/** Waits until the quick input (pick or input box) shows `text`. */
async function quickInputShows(text: string): Promise<void> {
  await waitFor(async () => (await workbenchQuery('.quick-input-widget')).some((e) => e.text.includes(text)), { message: `the quick input to show "${text}"` });
}

async function typeText(text: string): Promise<void> {
  for (const ch of text) await pressKey(ch);
}

if (bridgeAvailable()) {
  describe('connection commands in the workbench', function () {
    this.timeout(60_000);
    const db = testDatabase();
    let api: PgInsightApi;

    before(async () => {
      api = await activateExtension<PgInsightApi>();
    });

    after(async () => {
      await api.connections.disconnect();
      await vscode.workspace.getConfiguration('pgInsight').update('connections', undefined, vscode.ConfigurationTarget.Global);
    });

    it('guides through URL, name, place and password, saves no password in settings, and connects', async () => {
      const before = api.notifications().length;
      const done = vscode.commands.executeCommand('pgInsight.addConnection');

      await quickInputShows('Paste a connection URL');
      await pressKey('Enter');
      await quickInputShows('Connection URL');
      await typeText(`postgresql://${db.user}@${db.host}:${db.port}/${db.database}?sslmode=disable`);
      await pressKey('Enter');
      await quickInputShows('A name for this connection');
      await pressKey('Enter');
      await quickInputShows('User settings');
      await pressKey('Enter');
      await quickInputShows('Password for');
      await typeText(db.password);
      await pressKey('Enter');
      await quickInputShows("Save in VS Code's secret storage");
      await pressKey('Enter');
      await done;

      const name = `${db.database}@${db.host}:${db.port}`;
      const message = await waitFor(() => api.notifications().slice(before).find((m) => m.includes('Connected to')), { message: 'the connected message' });
      assert.match(message, new RegExp(`Connected to ${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: PostgreSQL`));
      assert.equal(api.connections.state.kind, 'connected');
      assert.equal(api.connections.activeProfile()?.id, `user-settings:${name}`);

      const saved = vscode.workspace.getConfiguration('pgInsight').inspect<unknown[]>('connections')?.globalValue;
      assert.deepEqual(saved, [{ name, host: db.host, port: db.port, database: db.database, user: db.user, sslmode: 'disable' }]);
      assert.ok(!JSON.stringify(saved).includes(db.password));

      assert.ok(api.savedPasswordIds().includes(`user-settings:${name}`), 'the password is not in SecretStorage');
      // After a disconnect, a background connect (which never asks) finds the password.
      await api.connections.disconnect();
      const again = await api.connections.connect(`user-settings:${name}`, { interactive: false });
      assert.equal(again.kind, 'connected', api.connections.lastErrorMessage);
      assert.deepEqual(api.logLines().filter((l) => l.includes(db.password)), []);
    });

    it('switches connections from the status bar item through Select Connection…', async () => {
      const name = `${db.database}@${db.host}:${db.port}`;
      // Independent of the test above (which may be filtered out): make sure the connection exists.
      if (!api.connections.profile(`user-settings:${name}`)) {
        const entry = { name, host: db.host, port: db.port, database: db.database, user: db.user, sslmode: 'disable' };
        await vscode.workspace.getConfiguration('pgInsight').update('connections', [entry], vscode.ConfigurationTarget.Global);
        await waitFor(() => api.connections.profile(`user-settings:${name}`), { message: 'the connection in the list' });
        await api.savePassword(`user-settings:${name}`, db.password);
      }
      await api.connections.disconnect();
      const item = await waitFor(async () => (await workbenchQuery('.statusbar-item')).find((e) => e.text.includes('PG Insight: not connected')), { message: 'the "not connected" status bar item' });
      const id = item.attributes.id;
      assert.ok(id, 'the status bar item has no id');
      await workbenchClick(`.statusbar-item[id="${id}"]`);
      await quickInputShows('Add connection…');
      await quickInputShows(name);
      await typeText(name);
      await pressKey('Enter');
      await waitFor(() => api.connections.state.kind === 'connected', { message: 'the connection chosen in the picker' });
      await waitFor(async () => (await workbenchQuery(`.statusbar-item[id="${id}"]`)).some((e) => e.text.includes(`${name} · PG`)), { message: 'the status bar item to show the connection' });
    });
  });
}

/**
 * The `restricted` run: an untrusted workspace whose `.env` and workspace
 * settings both name the run's database. In Restricted Mode PG Insight uses
 * neither; connections from user settings still work.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { PgInsightApi } from '../../../src/extension';
import { activateExtension, testDatabase, waitFor } from '../helpers';

describe('connections in Restricted Mode', function () {
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

  it('uses neither the workspace .env nor workspace settings', async () => {
    assert.equal(vscode.workspace.isTrusted, false);
    const profiles = await api.refreshConnections();
    assert.deepEqual(api.connections.listProfiles().filter((p) => p.source === 'workspace-dotenv' || p.source === 'workspace-settings'), []);
    assert.equal(profiles.length, api.connections.listProfiles().length);
    assert.equal(api.statusBar().text, '$(debug-disconnect) PG Insight: not connected');
  });

  it('still connects through user settings', async () => {
    await vscode.workspace.getConfiguration('pgInsight').update('connections', [
      { name: 'user-db', host: db.host, port: db.port, database: db.database, user: db.user, sslmode: 'disable' },
    ], vscode.ConfigurationTarget.Global);
    await waitFor(() => api.connections.profile('user-settings:user-db'), { message: 'the user settings profile' });
    await api.savePassword('user-settings:user-db', db.password);
    const state = await api.connections.connect('user-settings:user-db');
    assert.equal(state.kind, 'connected', api.connections.lastErrorMessage);
    assert.deepEqual(api.connections.listProfiles().map((p) => p.source), ['user-settings']);
    assert.deepEqual(api.logLines().filter((l) => l.includes(db.password)), []);
  });
});

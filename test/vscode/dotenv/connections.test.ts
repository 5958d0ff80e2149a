/**
 * The `dotenv` run: the workspace's `.env` holds DATABASE_URL of the run's
 * database (password included). PG Insight offers it, connects with it,
 * follows `.env` files as they appear and go, and keeps the password out of
 * the log.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { PgInsightApi } from '../../../src/extension';
import { activateExtension, testDatabase, waitFor, workspaceFolder } from '../helpers';

describe('connections from a workspace .env', function () {
  this.timeout(60_000);
  const db = testDatabase();
  let api: PgInsightApi;
  let dotenvId: string;

  before(async () => {
    api = await activateExtension<PgInsightApi>();
    dotenvId = `workspace-dotenv:${workspaceFolder().name}/.env#DATABASE_URL`;
  });

  after(async () => {
    await api.connections.disconnect();
  });

  it('offers DATABASE_URL from .env, with its source', async () => {
    const p = await waitFor(() => api.connections.listProfiles().find((x) => x.id === dotenvId), { message: `the .env profile ${dotenvId}` });
    assert.deepEqual([p.source, p.host, p.port, p.database, p.user], ['workspace-dotenv', db.host, db.port, db.database, db.user]);
    assert.equal(p.sourceDetail, `DATABASE_URL in ${workspaceFolder().name}/.env`);
  });

  it('connects with the password from the .env and shows it in the status bar', async () => {
    const state = await api.connections.connect(dotenvId);
    assert.equal(state.kind, 'connected', api.connections.lastErrorMessage);
    assert.equal(state.kind === 'connected' && state.server.database, db.database);
    assert.match(api.statusBar().text, new RegExp(`^\\$\\(database\\) ${db.database}@${db.host.replace(/\./g, '\\.')}:${db.port} · PG \\d+\\.\\d+$`));
    assert.match(api.statusBar().tooltip, /Source: Workspace \.env/);
  });

  it('follows .env files as they are created and deleted', async () => {
    const file = vscode.Uri.joinPath(workspaceFolder().uri, '.env.local');
    const otherUrl = `postgresql://${encodeURIComponent(db.user)}@${db.host}:${db.port}/pg_insight_other`;
    const id = `workspace-dotenv:${workspaceFolder().name}/.env.local#DATABASE_URL`;
    await vscode.workspace.fs.writeFile(file, Buffer.from(`# written by a test\nDATABASE_URL=${otherUrl}\n`));
    try {
      const p = await waitFor(() => api.connections.listProfiles().find((x) => x.id === id), { message: 'the .env.local profile to appear' });
      assert.equal(p.database, 'pg_insight_other');
    } finally {
      await vscode.workspace.fs.delete(file);
    }
    await waitFor(() => !api.connections.listProfiles().some((x) => x.id === id), { message: 'the .env.local profile to go away' });
    assert.equal(api.connections.state.kind, 'connected', 'the active connection was disturbed');
  });

  it('keeps the .env password out of the log', () => {
    const log = api.logLines();
    assert.ok(log.some((l) => l.includes('Connected to')), 'the log shows no connection');
    assert.deepEqual(log.filter((l) => l.includes(db.password)), []);
  });
});

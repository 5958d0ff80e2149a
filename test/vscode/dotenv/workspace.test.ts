/**
 * The `dotenv` run's workspace carries a `.env` naming the run's own database,
 * rendered from the fixture's `.env.template`.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { testDatabase, workspaceFolder } from '../helpers';

describe('.env workspace host', () => {
  it('has a .env with DATABASE_URL of the test database', async () => {
    const bytes = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(workspaceFolder().uri, '.env'));
    assert.match(Buffer.from(bytes).toString('utf8'), new RegExp(`^DATABASE_URL=${testDatabase().url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'));
  });

  it('lists the .env among the workspace files', async () => {
    const found = await vscode.workspace.findFiles('**/.env');
    assert.deepEqual(found.map((u) => vscode.workspace.asRelativePath(u)), ['.env']);
  });
});

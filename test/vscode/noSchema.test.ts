/**
 * No connection and no schema file in the workspace: a file that sends SQL
 * gets one notification a session saying the index rules are off and how to
 * turn them on, rather than an editor that looks clean.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { PgInsightApi } from '../../src/extension';
import { activateExtension, closeAllEditors, openDocument, waitFor } from './helpers';

describe('no schema', function () {
  this.timeout(60_000);

  it('says once that the index rules are off, with the way to a schema', async () => {
    const api = await activateExtension<PgInsightApi>();
    await api.connections.disconnect();
    const refreshed = await vscode.commands.executeCommand<{ tables: number; source: string } | undefined>('pgInsight.refreshSchema');
    assert.equal(refreshed, undefined, 'the basic workspace keeps no migrations, structure.sql, schema.prisma or models');
    await openDocument('app.ts');
    const said = await waitFor(() => api.notifications().find((m) => m.includes('no schema to judge it against')), { timeoutMs: 30_000, message: `the no-schema notice (have: ${api.notifications().slice(-3).join(' / ')})` });
    assert.match(said, /^\[info\] PG Insight found SQL in \S+ but no schema to judge it against, so missing-index and non-sargable-predicate are off\. Connect to a database, or keep SQL migrations/);
    await openDocument('src/orders.ts');
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(api.notifications().filter((m) => m.includes('no schema to judge it against')).length, 1, 'once a session');
    await closeAllEditors();
  });
});

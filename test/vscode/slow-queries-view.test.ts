/**
 * The Slow Queries view of the PG Insight side bar, in the real workbench:
 * it reads pg_stat_statements when it is shown, lists the heaviest
 * statements with their calls and mean, leaves PG Insight's own statements
 * out, and a click opens the panel. Needs the launcher's bridge.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Client } from 'pg';
import type { PgInsightApi } from '../../src/extension';
import { activateExtension, bridgeAvailable, closeAllEditors, screenshot, testDatabase, waitFor, webviews, workbenchClick, workbenchQuery, workspaceFolder, type ElementInfo } from './helpers';

const PROFILE_NAME = 'slow-view-db';
const PROFILE = `user-settings:${PROFILE_NAME}`;
const CALLS = 25;
/** The statement src/orders.ts of the workspace issues, so that the picture shows its CodeLens too. */
const WORKLOAD = 'SELECT count(*) FROM sq_orders WHERE amount > $1';

async function withClient(url: string, fn: (c: Client) => Promise<void>): Promise<void> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    await fn(c);
  } finally {
    await c.end();
  }
}

/** Rows of the Slow Queries view (the pane whose header says so). */
async function viewRows(): Promise<ElementInfo[]> {
  return workbenchQuery('.pane:has(.pane-header[aria-label*="Slow Queries"]) .monaco-list-row[aria-label]');
}

if (bridgeAvailable()) {
  describe('slow queries view', function () {
    this.timeout(90_000);
    const db = testDatabase();
    let api: PgInsightApi;

    before(async () => {
      api = await activateExtension<PgInsightApi>();
      await withClient(db.url, async (c) => {
        await c.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
        await c.query('DROP TABLE IF EXISTS sq_orders');
        await c.query('CREATE TABLE sq_orders (id int PRIMARY KEY, amount int NOT NULL)');
        await c.query('INSERT INTO sq_orders SELECT g, g % 100 FROM generate_series(1, 20000) g');
        await c.query('SELECT pg_stat_statements_reset()');
        for (let i = 0; i < CALLS; i++) await c.query(WORKLOAD, [i]);
      });
      await vscode.workspace.getConfiguration('pgInsight').update('connections', [
        { name: PROFILE_NAME, host: db.host, port: db.port, database: db.database, user: db.user, sslmode: 'disable' },
      ], vscode.ConfigurationTarget.Global);
      await waitFor(() => api.connections.profile(PROFILE), { message: 'the test profile' });
      await api.savePassword(PROFILE, db.password);
      const state = await api.connections.connect(PROFILE);
      assert.equal(state.kind, 'connected', api.connections.lastErrorMessage);
    });

    after(async () => {
      await closeAllEditors();
      await api.connections.disconnect();
      await vscode.workspace.getConfiguration('pgInsight').update('connections', undefined, vscode.ConfigurationTarget.Global);
      await vscode.commands.executeCommand('workbench.view.explorer');
    });

    it('lists the workload with its calls and mean when shown, and none of its own statements', async () => {
      await vscode.commands.executeCommand('workbench.view.extension.pgInsight');
      const rows = await waitFor(async () => {
        const r = await viewRows();
        return r.some((e) => (e.attributes['aria-label'] ?? '').includes('sq_orders WHERE amount')) ? r : undefined;
      }, { message: 'the workload in the Slow Queries view', timeoutMs: 30_000 });
      const row = rows.find((e) => (e.attributes['aria-label'] ?? '').includes('sq_orders WHERE amount'))!;
      assert.match(row.attributes['aria-label'] ?? '', new RegExp(`${CALLS} calls · mean .+ · .+ of DB time$`));
      // Ordered by total time, the row says it first: "2.21 s · 100.8 ms × 22".
      assert.match(row.text, new RegExp(`[\\d.,]+\\s*(µs|ms|s|min)\\s*·\\s*[\\d.,]+\\s*(µs|ms|s|min)\\s*×\\s*${CALLS}(?!\\d)`), row.text);
      // Nothing the extension sent itself: no tagged catalog read, no BEGIN, SET or COMMIT of its runner.
      const labels = rows.map((e) => e.attributes['aria-label'] ?? '');
      assert.deepEqual(labels.filter((l) => /pg-insight|^(BEGIN|SET|COMMIT)\b|FROM public\.pg_stat_statements/i.test(l)), []);
      // The code that issues it, with its figures above the call: the README's picture of the side bar.
      const code = vscode.Uri.joinPath(workspaceFolder().uri, 'src', 'orders.ts');
      await vscode.window.showTextDocument(code);
      await waitFor(async () => {
        const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', code);
        return lenses.some((l) => l.command?.title.startsWith(`${CALLS} calls · mean `));
      }, { message: 'the statement CodeLens in src/orders.ts', timeoutMs: 30_000 });
      await waitFor(async () => (await workbenchQuery('.codelens-decoration')).some((e) => e.text.includes(`${CALLS} calls`)), { message: 'the CodeLens drawn in the editor' });
      await screenshot('slow-queries-view');
    });

    it('opens the slow queries panel from a click on a row', async () => {
      await workbenchClick('.pane:has(.pane-header[aria-label*="Slow Queries"]) .monaco-list-row[aria-label*="sq_orders WHERE amount"]');
      await waitFor(() => vscode.window.tabGroups.all.some((g) => g.tabs.some((t) => t.input instanceof vscode.TabInputWebview && t.label.includes('Slow Queries'))), { message: 'the slow queries panel tab' }).catch(async (e: unknown) => {
        await screenshot('debug-slow-queries-view-click');
        throw e;
      });
      await waitFor(async () => (await webviews()).some((w) => w.title.includes('Slow Queries') && w.text.includes('sq_orders WHERE amount')), { message: 'the panel with the statement', timeoutMs: 30_000 });
    });
  });
}

/**
 * The `diagnostics` run: the fixture workspace holds N+1 loops in TypeScript
 * and Python and SQL filtering `events` on a column without an index; the
 * run's database has that table with 20,000 rows. Diagnostics appear in
 * `vscode.languages.getDiagnostics`, each quick fix does what it says, and
 * the workspace scan reports and can be cancelled.
 */
import * as assert from 'node:assert/strict';
import { Client } from 'pg';
import * as vscode from 'vscode';
import type { PgInsightApi } from '../../../src/extension';
import type { ScanCounts } from '../../../src/providers/diagnostics';
import { activateExtension, bridgeAvailable, closeAllEditors, openDocument, ourDiagnostics, quickFix, screenshot, testDatabase, waitFor, workbenchClick, workbenchQuery, workspaceFolder } from '../helpers';

const TS = 'src/orders.ts';
const PY = 'app/reports.py';

function uriOf(path: string): vscode.Uri {
  return vscode.Uri.joinPath(workspaceFolder().uri, path);
}

const ours = ourDiagnostics;

let logLines: () => string[] = () => [];

function waitForDiagnostic(path: string, rule: string, extra: (d: vscode.Diagnostic) => boolean = () => true): Promise<vscode.Diagnostic> {
  return waitFor(() => ours(path, rule).find(extra), { timeoutMs: 30_000, message: `a ${rule} diagnostic in ${path} (have: ${ours(path).map((d) => `${String(typeof d.code === 'object' ? d.code.value : d.code)}@${d.range.start.line}`).join(', ')}; log: ${logLines().slice(-5).join(' / ')})` });
}

describe('code diagnostics', function () {
  this.timeout(120_000);
  let api: PgInsightApi;

  before(async () => {
    const client = new Client({ connectionString: testDatabase().url });
    await client.connect();
    try {
      await client.query(`CREATE TABLE IF NOT EXISTS customers (id bigserial PRIMARY KEY, name text NOT NULL);
        CREATE TABLE IF NOT EXISTS events (id bigserial PRIMARY KEY, customer_id bigint NOT NULL, kind text NOT NULL, created_at timestamptz NOT NULL DEFAULT now());
        INSERT INTO events (customer_id, kind) SELECT g % 500, 'view' FROM generate_series(1, 20000) g;
        ANALYZE events;`);
    } finally {
      await client.end();
    }
    api = await activateExtension<PgInsightApi>();
    logLines = () => api.logLines();
    const id = `workspace-dotenv:${workspaceFolder().name}/.env#DATABASE_URL`;
    await waitFor(() => api.connections.listProfiles().find((p) => p.id === id), { message: 'the .env profile' });
    const state = await api.connections.connect(id);
    assert.equal(state.kind, 'connected', api.connections.lastErrorMessage);
    const refreshed = await vscode.commands.executeCommand<{ tables: number; source: string }>('pgInsight.refreshSchema');
    assert.equal(refreshed.source, 'catalog');
  });

  after(async () => {
    await closeAllEditors();
    await api.connections.disconnect();
  });

  it('reports n-plus-one in TypeScript with the rule id, docs link and related loop', async () => {
    await openDocument(TS);
    const d = await waitForDiagnostic(TS, 'n-plus-one');
    assert.equal(d.severity, vscode.DiagnosticSeverity.Warning);
    assert.equal(d.range.start.line, 7);
    assert.ok(typeof d.code === 'object' && d.code.target.path.endsWith('/docs/rules/n-plus-one.md'), 'the code links the docs page');
    assert.match(d.message, /N\+1 query: `pool\.query\(…\)` runs once per iteration/);
    assert.ok((d.relatedInformation ?? []).length > 0, 'related information points at the loop');
  });

  it('reports n-plus-one in Python', async () => {
    await openDocument(PY);
    const d = await waitForDiagnostic(PY, 'n-plus-one');
    assert.equal(d.range.start.line, 7);
  });

  it('reports missing-index as a warning on the large table with live row estimates', async () => {
    const d = await waitForDiagnostic(TS, 'missing-index', (x) => x.severity === vscode.DiagnosticSeverity.Warning);
    assert.equal(d.range.start.line, 14);
    assert.match(d.message, /CREATE INDEX CONCURRENTLY events_customer_id_created_at_idx ON events \(customer_id, created_at DESC\)/);
  });

  it('quick fix: copies the CREATE INDEX statement to the clipboard', async () => {
    const copy = await quickFix(TS, 'missing-index', /^Copy CREATE INDEX CONCURRENTLY/);
    assert.ok(copy.command);
    await vscode.commands.executeCommand(copy.command.command, ...((copy.command.arguments ?? []) as unknown[]));
    assert.match(await vscode.env.clipboard.readText(), /^CREATE INDEX CONCURRENTLY events_customer_id_created_at_idx ON events/);
  });

  it('quick fix: adds the index in a new migration file', async () => {
    const add = await quickFix(TS, 'missing-index', /^Add the index in a new migration \(migrations\/\d{14}_add_events_customer_id_created_at_idx\.sql\)$/);
    assert.ok(add.edit);
    assert.ok(await vscode.workspace.applyEdit(add.edit));
    const files = await vscode.workspace.findFiles('migrations/*_add_events_customer_id_created_at_idx.sql');
    assert.equal(files.length, 1);
    const file = files[0];
    assert.ok(file);
    const doc = await vscode.workspace.openTextDocument(file);
    assert.match(doc.getText(), /^CREATE INDEX CONCURRENTLY events_customer_id_created_at_idx ON events \(customer_id, created_at DESC\);$/m);
    await doc.save();
  });

  it('quick fix: shows a batching rewrite for the N+1', async () => {
    const show = await quickFix(TS, 'n-plus-one', /^Show a batching rewrite/);
    assert.ok(show.command);
    await vscode.commands.executeCommand(show.command.command, ...((show.command.arguments ?? []) as unknown[]));
    const doc = await waitFor(() => vscode.workspace.textDocuments.find((t) => t.languageId === 'markdown' && t.getText().startsWith('# Batching rewrite')), { message: 'the batching document' });
    assert.match(doc.getText(), /= ANY\(\$1\)/);
  });

  it('quick fix: suppresses the rule for the line, keeping the indentation', async () => {
    await openDocument(PY);
    await waitForDiagnostic(PY, 'n-plus-one');
    const suppress = await quickFix(PY, 'n-plus-one', /^Suppress n-plus-one for this line$/);
    assert.ok(suppress.edit);
    assert.ok(await vscode.workspace.applyEdit(suppress.edit));
    const doc = await vscode.workspace.openTextDocument(uriOf(PY));
    assert.equal(doc.lineAt(7).text, '            # pg-insight-ignore n-plus-one');
    await waitFor(() => ours(PY, 'n-plus-one').length === 0, { timeoutMs: 15_000, message: 'the suppressed diagnostic to go away' });
    await doc.save();
  });

  it('offers the documentation and an Explain lens', async () => {
    const docs = await quickFix(TS, 'n-plus-one', /^Open the documentation of n-plus-one$/);
    assert.deepEqual(docs.command?.arguments, ['n-plus-one']);
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uriOf(TS));
    const explain = lenses.filter((l) => l.command?.title === 'Explain');
    assert.deepEqual(explain.map((l) => l.range.start.line), [7, 14]);
  });

  it('shows the table size, rows and indexes on hover', async () => {
    const doc = await vscode.workspace.openTextDocument(uriOf(TS));
    const line = doc.lineAt(14).text;
    const at = new vscode.Position(14, line.indexOf('events') + 2);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uriOf(TS), at);
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /\*\*public\.events\*\* — ≈20,000 rows/);
    // Catalog text is escaped for Markdown: the parentheses arrive as \( and \).
    assert.match(text, /`events_pkey` btree \\\(id\\\) — primary key/);
  });

  it('shows the statement CodeLens without the slow queries panel, reading the statistics itself', async () => {
    const config = vscode.workspace.getConfiguration('pgInsight');
    // The shortest interval, so that the lenses read again rather than keep an earlier reading.
    await config.update('slowQueries.refreshSeconds', 5, vscode.ConfigurationTarget.Global);
    try {
      const client = new Client({ connectionString: testDatabase().url });
      await client.connect();
      try {
        await client.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
        await client.query('SELECT pg_stat_statements_reset()');
        for (let i = 1; i <= 12; i++) await client.query('SELECT name FROM customers WHERE id = $1', [i]);
      } finally {
        await client.end();
      }
      await closeAllEditors();
      const editor = await openDocument(TS);
      // The panel was never opened in this window: the lenses took the snapshot.
      const lens = await waitFor(async () => {
        const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', editor.document.uri);
        return lenses.find((l) => /^12 calls · mean .+ · .+ of DB time$/.test(l.command?.title ?? ''));
      }, { message: 'the statement CodeLens with the 12 calls', timeoutMs: 30_000 });
      assert.equal(editor.document.lineAt(lens.range.start.line).text.includes('SELECT name FROM customers'), true, editor.document.lineAt(lens.range.start.line).text);
    } finally {
      await config.update('slowQueries.refreshSeconds', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('scans the workspace into the Problems panel', async () => {
    const counts = await vscode.commands.executeCommand<ScanCounts>('pgInsight.scanWorkspace');
    assert.equal(counts.cancelled, false);
    assert.ok(counts.files >= 3, `files: ${counts.files}`);
    assert.ok(counts.findings >= 3, `findings: ${counts.findings}`);
    await closeAllEditors();
    await openDocument(TS);
    await waitForDiagnostic(TS, 'missing-index');
    await vscode.commands.executeCommand('workbench.actions.view.problems');
    await vscode.commands.executeCommand('notifications.clearAll');
    if (bridgeAvailable()) await screenshot('diagnostics');
  });

  it('cancels the workspace scan from its notification', async function () {
    if (!bridgeAvailable()) return;
    // Enough files that the scan is still running when the Cancel button is clicked.
    const dir = vscode.Uri.joinPath(workspaceFolder().uri, 'generated');
    for (let i = 0; i < 400; i++) {
      const body = `import { Pool } from 'pg';\nconst pool = new Pool();\nexport async function load${i}(ids: number[]) {\n  for (const id of ids) await pool.query('SELECT * FROM customers WHERE id = $1', [id]);\n}\n`;
      await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(dir, `file${i}.ts`), Buffer.from(body));
    }
    const running = vscode.commands.executeCommand<ScanCounts>('pgInsight.scanWorkspace');
    const cancel = '.notifications-toasts .notification-list-item .notification-list-item-buttons-container .monaco-button';
    await waitFor(async () => (await workbenchQuery(cancel)).some((e) => e.text.includes('Cancel')), { timeoutMs: 20_000, message: 'the Cancel button of the scan notification' });
    await workbenchClick(cancel);
    const counts = await running;
    assert.equal(counts.cancelled, true);
    assert.ok(counts.files < 400, `files checked before the cancel: ${counts.files}`);
  });
});

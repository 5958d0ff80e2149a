/**
 * The slow queries panel in a real VS Code against the run's real
 * PostgreSQL (pg_stat_statements preloaded and created): a known workload
 * shows with its figures, sorting, filtering and the window picker work in
 * the page, hostile statement texts show as text and create no element,
 * the export writes the rows, the live activity tab shows a session idle in
 * transaction, a database without the extension gets the reason and
 * the fix while keeping the activity tab, Find in Code opens the fixture
 * file that issues a row's statement, and a CodeLens there shows its calls.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import * as vscode from 'vscode';
import { Client } from 'pg';
import type { PgInsightApi } from '../../src/extension';
import type { SlowQueriesPanel } from '../../src/panels/slowQueriesPanel';
import { slowQueriesUiOf } from '../../src/shared/slowQueriesProtocol';
import { selectRows } from '../../src/core/stats/table';
import {
  activateExtension, bridgeAvailable, closeAllEditors, pressKey, screenshot, testDatabase, waitFor, webviewClick, webviewElements, webviewQuery, workbenchClick, workbenchQuery,
} from './helpers';

const TITLE = 'PG Insight Slow Queries';
const HOSTILE_ALIAS = '<img src=x onerror=alert(1)>';
const HOSTILE_TABLE = 'sq </script><script>alert(2)</script>';
const PROFILE = 'user-settings:slow-queries-db';
const NO_EXTENSION_PROFILE = 'user-settings:slow-queries-noext';

async function withClient<T>(url: string, fn: (c: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** A workload whose statements are known: `calls` lookups and `sleeps` slow calls for the colour bands. */
async function runWorkload(calls: number): Promise<void> {
  await withClient(testDatabase().url, async (c) => {
    for (let i = 0; i < calls; i++) await c.query('SELECT count(*) FROM sq_orders WHERE amount > $1', [i % 50]);
  });
}

async function elements(selector: string) {
  return webviewElements(selector, TITLE);
}

async function typeInto(selector: string, text: string): Promise<void> {
  await webviewClick(selector, TITLE);
  for (const ch of text) await pressKey(ch);
}

async function clearField(selector: string): Promise<void> {
  await webviewClick(selector, TITLE);
  await pressKey('Control+A');
  await pressKey('Backspace');
}

/** The workload's statement in test/fixtures/workspaces/basic/src/orders.ts, and its zero-based line there. */
const ORDERS_SQL = 'SELECT count(*) FROM sq_orders WHERE amount > $1';

function ordersFile(): { uri: vscode.Uri; line: number } {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  assert.ok(folder, 'the main run opens the basic workspace');
  const uri = vscode.Uri.joinPath(folder, 'src', 'orders.ts');
  const line = readFileSync(uri.fsPath, 'utf8').split('\n').findIndex((l) => l.includes(ORDERS_SQL));
  assert.ok(line > 0, 'orders.ts holds the workload statement');
  return { uri, line };
}

function rowFor(panel: SlowQueriesPanel, fragment: string) {
  return panel.statements?.rows.find((r) => r.query.includes(fragment));
}

describe('slow queries panel', function () {
  this.timeout(120_000);
  const db = testDatabase();
  let api: PgInsightApi;
  let panel: SlowQueriesPanel;
  const noExtensionDb = `${db.database}_noext`;

  before(async () => {
    api = await activateExtension<PgInsightApi>();
    await withClient(db.url, async (c) => {
      await c.query(`DROP TABLE IF EXISTS sq_orders, "${HOSTILE_TABLE}"`);
      await c.query('CREATE TABLE sq_orders (id int PRIMARY KEY, amount int NOT NULL)');
      await c.query('INSERT INTO sq_orders SELECT g, g % 100 FROM generate_series(1, 20000) g');
      await c.query(`CREATE TABLE "${HOSTILE_TABLE}" (id int)`);
      await c.query('SELECT pg_stat_statements_reset()');
    });
    await withClient(db.adminUrl, async (c) => {
      await c.query(`DROP DATABASE IF EXISTS "${noExtensionDb}" WITH (FORCE)`);
      await c.query(`CREATE DATABASE "${noExtensionDb}"`);
    });
    const config = vscode.workspace.getConfiguration('pgInsight');
    await config.update('connections', [
      { name: 'slow-queries-db', host: db.host, port: db.port, database: db.database, user: db.user, sslmode: 'disable' },
      { name: 'slow-queries-noext', host: db.host, port: db.port, database: noExtensionDb, user: db.user, sslmode: 'disable' },
    ], vscode.ConfigurationTarget.Global);
    await api.savePassword(PROFILE, db.password);
    await api.savePassword(NO_EXTENSION_PROFILE, db.password);
    await waitFor(() => api.connections.profile(NO_EXTENSION_PROFILE), { message: 'the test profiles' });
    const state = await api.connections.connect(PROFILE);
    assert.equal(state.kind, 'connected', api.connections.lastErrorMessage);
  });

  after(async () => {
    panel?.panel.dispose();
    await closeAllEditors();
    await api.connections.disconnect();
    await vscode.workspace.getConfiguration('pgInsight').update('connections', undefined, vscode.ConfigurationTarget.Global);
    await withClient(db.adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS "${noExtensionDb}" WITH (FORCE)`));
  });

  it('shows the workload\'s statement with its figures, colour bands and no own statements', async () => {
    await runWorkload(25);
    await withClient(db.url, async (c) => {
      // Aliases are not part of a statement's identity: each of these differs in shape, so each is its own entry.
      await c.query('SELECT pg_sleep(0.12) AS warning_band');
      await c.query('SELECT pg_sleep(0.55)::text AS critical_band');
      await c.query('SELECT 1 AS emergency_band FROM pg_sleep(1.02)');
    });
    panel = (await vscode.commands.executeCommand<SlowQueriesPanel>('pgInsight.showSlowQueries'))!;
    assert.ok(panel, 'the command returns the panel');
    // The panel reads the statistics when its page is up.
    if (bridgeAvailable()) await elements('.vt-row');
    const row = await waitFor(() => rowFor(panel, 'sq_orders WHERE amount'), { message: 'the workload statement in the panel', timeoutMs: 20_000 });
    assert.equal(row.calls, 25);
    assert.ok(row.meanMs !== null && row.meanMs > 0);
    assert.equal(row.query, 'SELECT count(*) FROM sq_orders WHERE amount > $1');
    assert.equal(rowFor(panel, 'emergency_band')?.band, 'emergency');
    assert.equal(rowFor(panel, 'critical_band')?.band, 'critical');
    assert.equal(rowFor(panel, 'warning_band')?.band, 'warning');
    if (!bridgeAvailable()) return;
    const cells = await elements('.vt-row .col-query');
    const texts = cells.map((c) => c.text);
    assert.ok(texts.includes('SELECT count(*) FROM sq_orders WHERE amount > $1'), texts.join('\n'));
    assert.ok(!texts.some((t) => t.includes('pg-insight')), 'PG Insight\'s own statements are not listed');
    const emergency = await elements('.vt-row.band-emergency .col-query');
    assert.ok(emergency.some((e) => e.text.includes('emergency_band')));
    const calls = await elements('.vt-row[data-key] .col-calls');
    assert.ok(calls.some((c) => c.text === '25'));
    const reset = await elements('.stats-reset');
    assert.match(reset[0]!.text, /^Statistics reset /);
  });

  it('sorts by a column from its header, both ways, and says so with aria-sort', async function () {
    if (!bridgeAvailable()) this.skip();
    await webviewClick('.vt-sort[data-sort="calls"]', TITLE);
    await waitFor(async () => (await webviewQuery('[data-column="calls"]', TITLE))[0]?.attributes['aria-sort'] === 'descending', { message: 'calls sorted descending' });
    const view = panel.statements!;
    const expected = selectRows(view.rows, { sort: 'calls', descending: true, minCalls: 1 }).map((r) => r.key);
    const shown = (await webviewQuery('.vt-row', TITLE)).map((r) => r.attributes['data-key']);
    assert.deepEqual(shown, expected.slice(0, shown.length));
    await webviewClick('.vt-sort[data-sort="calls"]', TITLE);
    await waitFor(async () => (await webviewQuery('[data-column="calls"]', TITLE))[0]?.attributes['aria-sort'] === 'ascending', { message: 'calls sorted ascending' });
    const ascending = (await webviewQuery('.vt-row .col-calls', TITLE)).map((c) => Number(c.text.replace(/,/g, '')));
    assert.deepEqual(ascending, [...ascending].sort((a, b) => a - b));
    // The header is a button: Enter on it (it has the focus after the click) sorts again.
    await pressKey('Enter');
    await waitFor(async () => (await webviewQuery('[data-column="calls"]', TITLE))[0]?.attributes['aria-sort'] === 'descending', { message: 'Enter to sort calls descending again' });
    await webviewClick('.vt-sort[data-sort="meanMs"]', TITLE);
    await waitFor(async () => (await webviewQuery('[data-column="meanMs"]', TITLE))[0]?.attributes['aria-sort'] === 'descending', { message: 'mean sorted descending' });
    const first = (await webviewQuery('.vt-row .col-query', TITLE))[0]?.text ?? '';
    assert.match(first, /emergency_band/);
  });

  it('filters by text, minimum calls and minimum mean', async function () {
    if (!bridgeAvailable()) this.skip();
    await typeInto('[data-action="filter-text"]', 'sq_orders');
    await waitFor(async () => {
      const rows = await webviewQuery('.vt-row .col-query', TITLE);
      return rows.length > 0 && rows.every((r) => r.text.includes('sq_orders'));
    }, { message: 'only sq_orders statements' });
    await clearField('[data-action="filter-text"]');
    await typeInto('[data-action="filter-min-calls"]', '20');
    await waitFor(async () => {
      const rows = await webviewQuery('.vt-row .col-calls', TITLE);
      return rows.length > 0 && rows.every((r) => Number(r.text.replace(/,/g, '')) >= 20);
    }, { message: 'only statements called at least 20 times' });
    await clearField('[data-action="filter-min-calls"]');
    await typeInto('[data-action="filter-min-mean"]', '500');
    await waitFor(async () => {
      const rows = (await webviewQuery('.vt-row .col-query', TITLE)).map((r) => r.text);
      return rows.length === 2 && rows.some((t) => t.includes('critical_band')) && rows.some((t) => t.includes('emergency_band'));
    }, { message: 'only the critical and emergency statements' });
    const summary = await webviewQuery('.summary', TITLE);
    assert.match(summary[0]!.text, /^2 of \d+ statements$/);
    await clearField('[data-action="filter-min-mean"]');
  });

  it('shows the deltas of the window picked: the last refresh counts only what ran since', async function () {
    await runWorkload(7);
    await panel.refresh();
    await waitFor(() => (panel.statements?.snapshotCount ?? 0) >= 2, { message: 'a second snapshot' });
    assert.equal(rowFor(panel, 'sq_orders WHERE amount')?.calls, 32, 'since reset: every call');
    if (!bridgeAvailable()) return;
    await webviewClick('[data-window="last"]', TITLE);
    await waitFor(() => panel.statements?.window === 'last', { message: 'the host to send the last-refresh window' });
    assert.equal(panel.uiState.window, 'last');
    const row = rowFor(panel, 'sq_orders WHERE amount')!;
    assert.equal(row.calls, 7, 'only the calls since the previous snapshot');
    assert.ok(row.callsPerMin !== null && row.callsPerMin > 0);
    await waitFor(async () => (await webviewQuery(`.vt-row[data-key="${row.key}"] .col-calls`, TITLE))[0]?.text === '7', { message: '7 calls in the row' });
    const label = await elements('.window-label');
    assert.match(label[0]!.text, /^Since the last refresh/);
    const checked = await webviewQuery('[data-window][aria-checked="true"]', TITLE);
    assert.deepEqual(checked.map((c) => c.attributes['data-window']), ['last']);
    const spark = await webviewQuery(`.vt-row[data-key="${row.key}"] .spark polyline, .vt-row[data-key="${row.key}"] .spark circle`, TITLE);
    assert.ok(spark.length > 0, 'a sparkline point for the interval');
    await webviewClick('[data-window="reset"]', TITLE);
    await waitFor(() => panel.statements?.window === 'reset', { message: 'back to since reset' });
  });

  it('shows hostile statement texts literally and creates no element from them', async function () {
    await withClient(db.url, async (c) => {
      await c.query(`SELECT '${HOSTILE_ALIAS}' AS x`);
      await c.query(`SELECT 1 AS "${HOSTILE_ALIAS}", 2 AS second`);
      await c.query(`SELECT count(*) AS hostile_table FROM "${HOSTILE_TABLE}"`);
    });
    await panel.refresh();
    await waitFor(() => rowFor(panel, HOSTILE_TABLE) && rowFor(panel, `"${HOSTILE_ALIAS}"`), { message: 'the hostile statements in the panel' });
    if (!bridgeAvailable()) return;
    await typeInto('[data-action="filter-text"]', 'alert');
    try {
      await hostileShownAsText();
    } finally {
      await clearField('[data-action="filter-text"]');
    }
  });

  async function hostileShownAsText(): Promise<void> {
    const texts = await waitFor(async () => {
      const rows = (await webviewQuery('.vt-row .col-query', TITLE)).map((r) => r.text);
      return rows.length === 2 ? rows : undefined;
    }, { message: 'the two hostile rows' });
    assert.ok(texts.includes(`SELECT $1 AS "${HOSTILE_ALIAS}", $2 AS second`), texts.join('\n'));
    assert.ok(texts.includes(`SELECT count(*) AS hostile_table FROM "${HOSTILE_TABLE}"`), texts.join('\n'));
    // Open the details of one: the full text, highlighted, is still text.
    await webviewClick('.vt-row .col-query', TITLE);
    const full = await elements('.details .full-sql');
    assert.ok(full[0]!.text.includes('alert('));
    assert.equal((await webviewQuery('img', TITLE)).length, 0, 'no img element');
    const scripts = await webviewQuery('script', TITLE);
    assert.ok(scripts.every((e) => !e.text.includes('alert')), 'no script from the statement text');
    assert.equal((await webviewQuery('#root script, #root img, #root iframe', TITLE)).length, 0, 'no script, image or frame in the page content');
    assert.equal((await webviewQuery('[onerror]', TITLE)).length, 0, 'no element with an onerror attribute');
  }

  it('exports the rows shown to CSV and JSON at a given path', async () => {
    const csv = vscode.Uri.file(join(tmpdir(), `pg-insight-slow-${process.pid}.csv`));
    const json = vscode.Uri.file(join(tmpdir(), `pg-insight-slow-${process.pid}.json`));
    const key = rowFor(panel, 'sq_orders WHERE amount')!.key;
    assert.ok(await panel.exportTo('csv', csv));
    const text = readFileSync(csv.fsPath, 'utf8');
    assert.match(text.split('\r\n')[0]!, /^query,queryid,database/);
    assert.ok(text.includes('SELECT count(*) FROM sq_orders WHERE amount > $1'));
    assert.ok(await panel.exportTo('json', json, [key]));
    const parsed = JSON.parse(readFileSync(json.fsPath, 'utf8')) as { rows: { query: string; calls: number }[] };
    assert.deepEqual(parsed.rows.map((r) => r.query), ['SELECT count(*) FROM sq_orders WHERE amount > $1']);
  });

  it('lists a session idle in transaction on the live activity tab', async function () {
    const idle = new Client({ connectionString: db.url, application_name: 'sq-idle-test' });
    // Terminating the session is the point of the test: its client hears about it as an error.
    idle.on('error', () => undefined);
    await idle.connect();
    try {
      await idle.query('BEGIN');
      await idle.query('SELECT count(*) FROM sq_orders');
      const pid = (await idle.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
      if (!bridgeAvailable()) {
        await panel.loadActivity();
        return;
      }
      await webviewClick('[data-tab="activity"]', TITLE);
      const card = await waitFor(async () => {
        await webviewClick('[data-action="refresh-activity"]', TITLE);
        const found = await webviewQuery(`.session[data-pid="${pid}"]`, TITLE);
        return found[0];
      }, { message: `session ${pid} on the activity tab`, timeoutMs: 20_000 });
      assert.match(card.text, /idle in transaction/);
      assert.match(card.text, /sq-idle-test/);
      const buttons = await webviewQuery(`.session[data-pid="${pid}"] vscode-button`, TITLE);
      assert.deepEqual(buttons.map((b) => b.attributes['data-action']), ['cancel', 'terminate']);
      await screenshot('slow-queries-activity');
      // Terminate, confirmed in the non-modal warning: the session ends.
      await webviewClick(`.session[data-pid="${pid}"] vscode-button[data-action="terminate"]`, TITLE);
      await waitFor(async () => (await workbenchQuery('.notifications-toasts .monaco-button')).some((b) => b.text === 'Terminate Session'), { message: 'the confirmation' });
      await workbenchClick('.notifications-toasts .monaco-button:has-text("Terminate Session")');
      await waitFor(async () => withClient(db.url, async (c) => (await c.query('SELECT 1 FROM pg_stat_activity WHERE pid = $1', [pid])).rowCount === 0), { message: 'the session to end' });
      await webviewClick('[data-tab="statements"]', TITLE);
    } finally {
      await idle.end().catch(() => undefined);
    }
  });

  it('says why in a database without the extension, with the fix, and keeps the activity tab', async function () {
    const state = await api.connections.connect(NO_EXTENSION_PROFILE);
    assert.equal(state.kind, 'connected', api.connections.lastErrorMessage);
    await panel.refresh();
    if (!bridgeAvailable()) return;
    const title = await elements('.unavailable h2');
    assert.equal(title[0]!.text, `pg_stat_statements is not created in database "${noExtensionDb}"`);
    const fix = await elements('.fix-steps pre');
    assert.ok(fix.some((f) => f.text === 'CREATE EXTENSION pg_stat_statements;'), fix.map((f) => f.text).join('\n'));
    await screenshot('slow-queries-unavailable');
    await webviewClick('[data-action="open-activity"]', TITLE);
    await elements('.activity .info-line');
    const back = await api.connections.connect(PROFILE);
    assert.equal(back.kind, 'connected');
    await webviewClick('[data-tab="statements"]', TITLE);
    await panel.refresh();
    await elements('.vt-row');
  });

  it('looks like a VS Code panel', async function () {
    if (!bridgeAvailable()) this.skip();
    // The panel gets the window's width, as it would when a person maximises it.
    await vscode.commands.executeCommand('workbench.action.closeSidebar');
    await vscode.commands.executeCommand('notifications.clearAll');
    await webviewClick('.vt-sort[data-sort="totalMs"]', TITLE);
    await elements('.vt-row.band-emergency');
    await webviewClick('.vt-row.band-critical .col-query', TITLE);
    await elements('.details .full-sql');
    await screenshot('slow-queries');
  });

  it('explains a statement from its row, through the explain command', async function () {
    if (!bridgeAvailable()) this.skip();
    const row = rowFor(panel, 'SELECT count(*) FROM sq_orders');
    const target = panel.statements?.rows.find((r) => r.query === 'SELECT count(*) FROM sq_orders');
    assert.ok(row && target, 'the statement without parameters ran in the activity test');
    await typeInto('[data-action="filter-text"]', 'sq_orders');
    try {
      await webviewClick(`.vt-row[data-key="${target.key}"] .col-query`, TITLE);
      await webviewClick('.details vscode-button[data-action="explain"]', TITLE);
      const plan = await waitFor(async () => (await webviewQuery('.pill.mode', 'PG Insight Plan'))[0], { message: 'the plan of the statement', timeoutMs: 20_000 });
      assert.equal(plan.text, 'EXPLAIN');
      assert.ok(vscode.workspace.textDocuments.some((d) => d.languageId === 'sql' && d.getText() === target.query), 'the statement was opened as SQL for the explain command');
    } finally {
      // The SQL document and the plan opened beside the panel; the panel stays.
      panel.reveal();
      await vscode.commands.executeCommand('workbench.action.closeEditorsInOtherGroups');
      await elements('[data-action="filter-text"]');
      await clearField('[data-action="filter-text"]');
    }
  });

  it('finds a row\'s statement in the code: Find in Code opens the file that issues it at that line', async () => {
    const row = rowFor(panel, 'sq_orders WHERE amount')!;
    assert.equal(row.query, ORDERS_SQL);
    const target = ordersFile();
    // Line and selected text of orders.ts once an editor shows it (read at once: the editor closes afterwards).
    const opened = async () => {
      const e = await waitFor(() => vscode.window.visibleTextEditors.find((v) => v.document.uri.fsPath === target.uri.fsPath), { message: 'orders.ts opened from the row', timeoutMs: 30_000 });
      return { line: e.selection.start.line, text: e.document.getText(e.selection) };
    };
    let editor: { line: number; text: string };
    if (bridgeAvailable()) {
      panel.reveal();
      await typeInto('[data-action="filter-text"]', 'amount');
      try {
        await webviewClick(`.vt-row[data-key="${row.key}"] .col-query`, TITLE);
        await webviewClick('.details vscode-button[data-action="find-in-code"]', TITLE);
        editor = await opened();
      } finally {
        // The code opened beside the panel; the panel stays.
        panel.reveal();
        await vscode.commands.executeCommand('workbench.action.closeEditorsInOtherGroups');
        await elements('[data-action="filter-text"]');
        await clearField('[data-action="filter-text"]');
      }
    } else {
      await vscode.commands.executeCommand('pgInsight.findInCode', { query: row.query });
      editor = await opened();
    }
    assert.equal(editor.line, target.line);
    assert.equal(editor.text, `'${ORDERS_SQL}'`, 'the SQL string is selected');
    // The command answers with what it found: exactly this one site.
    const found = await vscode.commands.executeCommand<readonly { uri: vscode.Uri; site: { confidence: string } }[]>('pgInsight.findInCode', { query: row.query });
    assert.deepEqual(found?.map((f) => [basename(f.uri.fsPath), f.site.confidence]), [['orders.ts', 'exact']]);
  });

  it('says so when no code issues the statement, and why for ORM-generated SQL', async () => {
    const none = await vscode.commands.executeCommand<readonly unknown[]>('pgInsight.findInCode', { query: 'SELECT "public"."Invoice"."id" FROM "public"."Invoice" WHERE ("public"."Invoice"."total" > $1 AND $2=$3) OFFSET $4' });
    assert.deepEqual(none, []);
    const told = await waitFor(() => api.notifications().find((n) => n.includes('No code in this workspace issues this statement')), { message: 'the no-match message' });
    assert.match(told, /ORM calls are matched only where the SQL shape is predictable/);
  });

  it('shows the statement\'s calls in a CodeLens above the SQL string, which opens the panel at its row', async () => {
    const row = rowFor(panel, 'sq_orders WHERE amount')!;
    const target = ordersFile();
    await vscode.window.showTextDocument(target.uri);
    const lens = await waitFor(async () => {
      const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', target.uri);
      return lenses.find((l) => /^[\d,]+ calls? · mean .+ · .+ of DB time$/.test(l.command?.title ?? ''));
    }, { message: 'the statement CodeLens in orders.ts', timeoutMs: 30_000 });
    assert.equal(lens.range.start.line, target.line);
    assert.ok(lens.command!.title.startsWith(`${row.lifetimeCalls} calls · mean `), lens.command!.title);
    const opened = await vscode.commands.executeCommand<SlowQueriesPanel>(lens.command!.command, ...((lens.command!.arguments ?? []) as unknown[]));
    assert.equal(opened, panel, 'the lens opens the one panel');
    if (bridgeAvailable()) {
      await elements(`.vt-row.selected[data-key="${row.key}"]`);
      const full = await elements('.details .full-sql');
      assert.equal(full[0]!.text, ORDERS_SQL);
    }
    const config = vscode.workspace.getConfiguration('pgInsight');
    await config.update('slowQueries.codeLens', false, vscode.ConfigurationTarget.Global);
    try {
      await waitFor(async () => {
        const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', target.uri);
        return !lenses.some((l) => / of DB time$/.test(l.command?.title ?? ''));
      }, { message: 'no statement CodeLens with the setting off' });
    } finally {
      await config.update('slowQueries.codeLens', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('takes snapshots on its own while visible, every refreshSeconds', async () => {
    const config = vscode.workspace.getConfiguration('pgInsight');
    const before = panel.statements?.takenAt ?? 0;
    await config.update('slowQueries.refreshSeconds', 5, vscode.ConfigurationTarget.Global);
    try {
      await waitFor(() => (panel.statements?.takenAt ?? 0) > before, { message: 'an automatic snapshot', timeoutMs: 15_000 });
      assert.equal(panel.statements?.refreshSeconds, 5);
    } finally {
      await config.update('slowQueries.refreshSeconds', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('restores the page as it was left from its saved state, ignoring what it cannot use', () => {
    const ui = slowQueriesUiOf({ ui: { tab: 'activity', window: '1h', sort: 'meanMs', descending: false, text: 'orders', minMeanMs: 5, minCalls: -1, allDatabases: true } });
    assert.deepEqual(ui, { tab: 'activity', window: '1h', sort: 'meanMs', descending: false, text: 'orders', minMeanMs: 5, minCalls: null, allDatabases: true });
    assert.equal(slowQueriesUiOf({ ui: { sort: 'constructor', window: 'forever' } }).sort, 'totalMs');
    assert.equal(slowQueriesUiOf(undefined).window, 'reset');
  });

  it('resets the statistics after confirmation in a non-modal warning', async function () {
    if (!bridgeAvailable()) this.skip();
    await vscode.commands.executeCommand('notifications.clearAll');
    await webviewClick('vscode-button[data-action="reset"]', TITLE);
    await waitFor(async () => (await workbenchQuery('.notifications-toasts .monaco-button')).some((b) => b.text === 'Reset'), { message: 'the confirmation' });
    await workbenchClick('.notifications-toasts .monaco-button:has-text("Reset")');
    await waitFor(() => panel.statements && !rowFor(panel, 'sq_orders WHERE amount') && panel.statements.snapshotCount === 1, { message: 'the statistics to start again', timeoutMs: 20_000 });
    const count = await withClient(db.url, async (c) => (await c.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_stat_statements WHERE query LIKE '%sq_orders WHERE amount%'")).rows[0]!.n);
    assert.equal(count, 0);
  });
});

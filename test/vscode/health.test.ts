/**
 * The Database Health Report in a real VS Code against the run's real
 * PostgreSQL: an unused index, a duplicate index and a foreign key without
 * an index created for the occasion (in a schema of their own, one table
 * with a hostile name), the command run to the end, the report's page read
 * as a person sees it, the Markdown and JSON exports, "Copy summary", the
 * workspace scope, and a screenshot for the README.
 */
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { Client } from 'pg';
import type { PgInsightApi } from '../../src/extension';
import type { ReportDocument } from '../../src/core/health/report';
import {
  activateExtension, bridgeAvailable, closeAllEditors, screenshot, testDatabase, waitFor, webviewClick, webviewQuery, workbenchClick, workbenchQuery,
  type ElementInfo,
} from './helpers';

const TITLE = 'PG Insight Health Report';
const HOSTILE = '<img src=x onerror=alert(1)>';
const PROFILE = 'user-settings:health-db';

async function sql(text: string): Promise<void> {
  const client = new Client({ connectionString: testDatabase().url });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

async function shown(selector: string, predicate: (found: ElementInfo[]) => boolean = (f) => f.length > 0): Promise<ElementInfo[]> {
  return waitFor(async () => {
    const found = await webviewQuery(selector, TITLE);
    return predicate(found) ? found : undefined;
  }, { message: `"${selector}" in the health report`, timeoutMs: 15_000 });
}

describe('health report', function () {
  this.timeout(120_000);
  const db = testDatabase();
  let api: PgInsightApi;
  let doc: ReportDocument;

  before(async () => {
    api = await activateExtension<PgInsightApi>();
    await sql(`
      DROP SCHEMA IF EXISTS health CASCADE;
      CREATE SCHEMA health;
      CREATE TABLE health.authors (id int PRIMARY KEY, name text NOT NULL);
      INSERT INTO health.authors SELECT g, 'author ' || g FROM generate_series(1, 2000) g;
      CREATE TABLE health."${HOSTILE}" (id int PRIMARY KEY, author_id int NOT NULL REFERENCES health.authors, title text NOT NULL);
      INSERT INTO health."${HOSTILE}" SELECT g, 1 + g % 2000, 'title ' || g FROM generate_series(1, 5000) g;
      CREATE INDEX "${HOSTILE}_title" ON health."${HOSTILE}" (title);
      CREATE INDEX "${HOSTILE}_title_again" ON health."${HOSTILE}" (title);
      CREATE INDEX authors_name_unused ON health.authors (name);
      ANALYZE health.authors, health."${HOSTILE}";
    `);
    const config = vscode.workspace.getConfiguration('pgInsight');
    await config.update('connections', [{ name: 'health-db', host: db.host, port: db.port, database: db.database, user: db.user, sslmode: 'disable' }], vscode.ConfigurationTarget.Global);
    // Thresholds from settings: the test's small unused index counts.
    await config.update('health.thresholds', { unusedIndexMinBytes: 0 }, vscode.ConfigurationTarget.Global);
    await api.savePassword(PROFILE, db.password);
    await waitFor(() => api.connections.profile(PROFILE), { message: 'the health-db profile' });
    const state = await api.connections.connect(PROFILE);
    assert.equal(state.kind, 'connected', api.connections.lastErrorMessage);
  });

  after(async () => {
    await closeAllEditors();
    await api.connections.disconnect();
    const config = vscode.workspace.getConfiguration('pgInsight');
    await config.update('connections', undefined, vscode.ConfigurationTarget.Global);
    await config.update('health.thresholds', undefined, vscode.ConfigurationTarget.Global);
    await sql('DROP SCHEMA IF EXISTS health CASCADE');
  });

  it('runs every check and reports the duplicate index, the unindexed foreign key and the unused index', async () => {
    const result = await vscode.commands.executeCommand<ReportDocument | undefined>('pgInsight.healthReport');
    assert.ok(result, `the report did not run: ${api.notifications().slice(-1).join('')}`);
    doc = result;
    assert.equal(doc.results.length, 22);
    assert.equal(doc.target.database, db.database);
    const findings = (id: string) => doc.results.find((r) => r.id === id)?.findings ?? [];
    assert.ok(findings('duplicate-indexes').some((f) => f.object.includes(`${HOSTILE}_title`)), JSON.stringify(findings('duplicate-indexes')));
    assert.ok(findings('foreign-keys-without-index').some((f) => f.relation?.table === HOSTILE), JSON.stringify(findings('foreign-keys-without-index')));
    assert.ok(findings('unused-indexes').some((f) => f.object.includes('authors_name_unused')), JSON.stringify(findings('unused-indexes')));
  });

  it('shows the summary counts, the findings and the SQL on the page, names as text', async function () {
    if (!bridgeAvailable()) this.skip();
    for (const status of ['critical', 'warning', 'error', 'limited', 'info', 'ok', 'skipped'] as const) {
      const count = await shown(`.counts .count[data-status="${status}"] .count-value`);
      assert.equal(count[0]?.text, String(doc.summary.counts[status]), `${status} count`);
    }
    const top = await shown('.top-findings .top-finding');
    assert.equal(top.length, doc.summary.topFindings.length);
    const dup = await shown('details.check[data-check-id="duplicate-indexes"] .finding code.object');
    assert.ok(dup.some((e) => e.text.includes(`${HOSTILE}_title`)), JSON.stringify(dup.map((e) => e.text)));
    const badge = await shown('details.check[data-check-id="duplicate-indexes"] > summary .badge');
    assert.equal(badge[0]?.attributes['data-status'], 'warning');
    await shown('.charts [data-chart="sizes"] .bar-label');
    // The picture for the README: the report's top (summary, charts) with room to breathe.
    await vscode.commands.executeCommand('workbench.action.closeSidebar');
    try {
      await screenshot('health-report');
    } finally {
      await vscode.commands.executeCommand('workbench.view.explorer');
    }
    // The hostile name is characters on the page, never an element.
    assert.deepEqual(await webviewQuery('img', TITLE), []);
    const remediation = await shown('details.check[data-check-id="duplicate-indexes"] .remediation pre.code');
    assert.match(remediation[0]?.text ?? '', /DROP INDEX/);
    // The SQL a check ran is folded away until asked for.
    await webviewClick('details.check[data-check-id="duplicate-indexes"] details.sql > summary', TITLE);
    const ran = await shown('details.check[data-check-id="duplicate-indexes"] details.sql pre.code', (f) => (f[0]?.text ?? '') !== '');
    assert.equal(ran[0]?.text, doc.results.find((r) => r.id === 'duplicate-indexes')?.sql[0]);
    const skipped = doc.results.find((r) => r.status === 'skipped');
    if (skipped) {
      const reason = await shown(`details.check[data-check-id="${skipped.id}"] > summary .check-summary`);
      assert.equal(reason[0]?.text, skipped.reason);
    }
  });

  it('exports Markdown and JSON to the given paths and copies a summary', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pgi-health-'));
    const mdPath = await vscode.commands.executeCommand<string>('pgInsight.exportHealthReport', 'markdown', join(dir, 'report.md'));
    const md = readFileSync(mdPath, 'utf8');
    assert.match(md, /^# Database health report\n/);
    assert.match(md, /### Duplicate and redundant indexes: Warning/);
    assert.ok(md.includes('&lt;img src=x onerror=alert\\(1\\)&gt;'), 'the hostile name is escaped in Markdown');
    assert.ok(!/<img/i.test(md.replace(/^ *```[\s\S]*?^ *```/gm, '').replace(/`[^`\n]*`/g, '')), 'no raw HTML outside code');
    const jsonPath = await vscode.commands.executeCommand<string>('pgInsight.exportHealthReport', 'json', join(dir, 'report.json'));
    const parsed = JSON.parse(readFileSync(jsonPath, 'utf8')) as ReportDocument;
    assert.deepEqual(parsed, JSON.parse(JSON.stringify(doc)));
    const summary = await vscode.commands.executeCommand<string>('pgInsight.copyHealthSummary');
    assert.match(summary, new RegExp(`^Database health: ${db.database} on PostgreSQL`));
    assert.equal(await vscode.env.clipboard.readText(), summary);
  });

  it('restores the report from the page state, as after a window reload, without querying again', async () => {
    await closeAllEditors();
    const panel = vscode.window.createWebviewPanel('pgInsight.health', 'Health', vscode.ViewColumn.One, {});
    await api.reviveHealthPanel(panel, { document: doc, scoped: false });
    assert.equal(panel.title, `Health: ${db.database}`);
    if (bridgeAvailable()) {
      const warnings = await shown('.counts .count[data-status="warning"] .count-value');
      assert.equal(warnings[0]?.text, String(doc.summary.counts.warning));
      await shown('details.check[data-check-id="duplicate-indexes"] .finding code.object', (f) => f.some((e) => e.text.includes(`${HOSTILE}_title`)));
    }
    // The revived panel is the report the export commands act on.
    const path = await vscode.commands.executeCommand<string>('pgInsight.exportHealthReport', 'json', join(mkdtempSync(join(tmpdir(), 'pgi-health-')), 'revived.json'));
    assert.equal((JSON.parse(readFileSync(path, 'utf8')) as ReportDocument).generatedAt, doc.generatedAt);
  });

  it('shows progress and cancels the report from the notification, on the server too', async function () {
    if (!bridgeAvailable()) this.skip();
    // A session holding ACCESS EXCLUSIVE on a table makes the size checks wait for their lock.
    const holder = new Client({ connectionString: db.url });
    await holder.connect();
    try {
      await holder.query(`BEGIN; LOCK TABLE health.authors IN ACCESS EXCLUSIVE MODE`);
      const running = vscode.commands.executeCommand<ReportDocument | undefined>('pgInsight.healthReport');
      const toast = '.notifications-toasts .notification-list-item';
      const progress = await waitFor(async () => (await workbenchQuery(toast)).find((e) => /Database health report/.test(e.text) && /\d+ \/ 22 checks/.test(e.text)), {
        message: 'the progress notification with checks done / total', timeoutMs: 15_000,
      });
      assert.match(progress.text, /\d+ \/ 22 checks/);
      await workbenchClick(`${toast} .monaco-button[title="Cancel"], ${toast} .monaco-button:not(.codicon)`);
      const started = Date.now();
      assert.equal(await running, undefined, 'a cancelled report shows nothing');
      assert.ok(Date.now() - started < 4000, 'cancelled before the 5 s lock timeout');
      // The cancel request travels on its own connection; the waiting statement ends well before its lock timeout.
      const waiting = "SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'pg-insight' AND wait_event_type = 'Lock'";
      await waitFor(async () => (await holder.query<{ n: number }>(waiting)).rows[0]?.n === 0, { message: 'no pg-insight statement left waiting for the lock', timeoutMs: 2500 });
    } finally {
      await holder.query('ROLLBACK').catch(() => undefined);
      await holder.end();
    }
  });

  it('scopes table-level findings to the tables the workspace refers to', async function () {
    if (!bridgeAvailable()) this.skip();
    await webviewClick('input[data-action="scope"]', TITLE);
    const note = await shown('.scope-note');
    // app.ts and queries.sql name clients, payrolls and users; src/orders.ts names sq_orders.
    assert.match(note[0]?.text ?? '', /4 tables named in 3 files of this workspace/);
    // health.* is not in the workspace's code: its findings are hidden, server-level ones stay.
    await shown('details.check[data-check-id="duplicate-indexes"] .finding', (f) => f.length === 0);
    const jsonPath = await vscode.commands.executeCommand<string>('pgInsight.exportHealthReport', 'json', join(mkdtempSync(join(tmpdir(), 'pgi-health-')), 'scoped.json'));
    const scoped = JSON.parse(readFileSync(jsonPath, 'utf8')) as ReportDocument;
    assert.deepEqual(scoped.scope?.tables, ['clients', 'payrolls', 'sq_orders', 'users']);
    assert.ok((scoped.scope?.hiddenFindings ?? 0) >= 3);
    await webviewClick('input[data-action="scope"]', TITLE);
    await shown('details.check[data-check-id="duplicate-indexes"] .finding');
  });
});

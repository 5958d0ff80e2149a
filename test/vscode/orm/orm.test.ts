/**
 * The `orm` run: no connection, the schema read from the workspace's Prisma
 * schema and Django models. A Prisma `findMany` and a Django `filter` on
 * columns no index serves get a missing-index diagnostic (information: row
 * counts are unknown offline) with quick fixes that carry the index.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { PgInsightApi } from '../../../src/extension';
import { activateExtension, closeAllEditors, openDocument, ourDiagnostics, quickFix, waitFor, workspaceFolder } from '../helpers';

const TS = 'src/bookings.ts';
const PY = 'shop/views.py';

function uriOf(path: string): vscode.Uri {
  return vscode.Uri.joinPath(workspaceFolder().uri, path);
}

const ours = ourDiagnostics;

describe('missing-index on ORM calls (offline: Prisma schema and Django models)', function () {
  this.timeout(120_000);
  let api: PgInsightApi;

  before(async () => {
    api = await activateExtension<PgInsightApi>();
  });

  after(async () => {
    await closeAllEditors();
  });

  it('reports a Prisma findMany on a column no index serves, with @@index as the fix', async () => {
    await openDocument(TS);
    const d = await waitFor(() => ours(TS, 'missing-index')[0], { timeoutMs: 30_000, message: `a missing-index diagnostic in ${TS} (log: ${api.logLines().slice(-5).join(' / ')})` });
    assert.equal(d.severity, vscode.DiagnosticSeverity.Information);
    assert.equal(d.range.start.line, 5);
    assert.match(d.message, /No index on bookings serves the filter on user_id with ORDER BY starts_at \(row count unknown without a database\)/);
    assert.match(d.message, /CREATE INDEX CONCURRENTLY bookings_user_id_starts_at_idx ON bookings \(user_id, starts_at\)/);
    const add = await quickFix(TS, 'missing-index', /^Add @@index to the Prisma model$/);
    assert.ok(add.edit);
    assert.ok(await vscode.workspace.applyEdit(add.edit));
    const prisma = await vscode.workspace.openTextDocument(uriOf('prisma/schema.prisma'));
    assert.match(prisma.getText(), /model Booking \{[\s\S]*@@index\(\[userId, startsAt\]\)\n\}/);
    await prisma.save();
    // The schema file changed: the index now exists and the diagnostic goes.
    await waitFor(() => ours(TS, 'missing-index').length === 0 || undefined, { timeoutMs: 30_000, message: 'the diagnostic to clear once @@index is in the Prisma schema' });
  });

  it('reports a Django filter on a column no index serves, with the CREATE INDEX to copy', async () => {
    await openDocument(PY);
    const d = await waitFor(() => ours(PY, 'missing-index')[0], { timeoutMs: 30_000, message: `a missing-index diagnostic in ${PY} (log: ${api.logLines().slice(-5).join(' / ')})` });
    assert.equal(d.severity, vscode.DiagnosticSeverity.Information);
    assert.equal(d.range.start.line, 4);
    assert.match(d.message, /No index on shop_order serves the filter on customer_email/);
    const copy = await quickFix(PY, 'missing-index', /^Copy CREATE INDEX CONCURRENTLY/);
    assert.ok(copy.command);
    await vscode.commands.executeCommand(copy.command.command, ...((copy.command.arguments ?? []) as unknown[]));
    assert.equal(await vscode.env.clipboard.readText(), 'CREATE INDEX CONCURRENTLY shop_order_customer_email_idx ON shop_order (customer_email);');
    // The state column (`choices`) alone gets no index: the schema log says what was read.
    assert.ok(api.logLines().some((l) => /Schema from the workspace: 2 tables, \d+ indexes from Prisma schema and Django models/.test(l)), api.logLines().slice(-10).join('\n'));
  });
});

/**
 * Connection management in a real VS Code against the run's real database:
 * a connection added to user settings, its password in SecretStorage, the
 * status bar, Test Connection, the failures a user meets (wrong password,
 * nothing listening, missing database, TLS refused, no answer, connection
 * closed), reconnection after the server ends the session, and a log that
 * never holds a password.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { rmSync, writeFileSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { Client } from 'pg';
import type { PgInsightApi } from '../../src/extension';
import type { ConnectionProfile } from '../../src/core/connection/profile';
import { freePort } from '../support/postgres';
import { activateExtension, bridgeAvailable, extension, testDatabase, waitFor, workbenchQuery } from './helpers';

const WRONG_PASSWORD = 'not-the-right-password';

interface CommandContribution {
  readonly command: string;
  readonly title: string;
  readonly category?: string;
}

async function setUserConnections(entries: readonly Record<string, unknown>[] | undefined): Promise<void> {
  await vscode.workspace.getConfiguration('pgInsight').update('connections', entries, vscode.ConfigurationTarget.Global);
}

/** A local TCP server standing in for a misbehaving PostgreSQL; close() also ends its open sockets. */
function listen(onSocket: (socket: Socket) => void): Promise<{ port: number; close: () => Promise<void> }> {
  return new Promise((resolve, reject) => {
    const open = new Set<Socket>();
    const server = createServer((socket) => {
      open.add(socket);
      socket.on('close', () => open.delete(socket));
      onSocket(socket);
    });
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve({
        port: typeof address === 'object' && address ? address.port : 0,
        close: () => new Promise<void>((done) => {
          for (const socket of open) socket.destroy();
          server.close(() => done());
        }),
      });
    });
  });
}

async function profileNamed(api: PgInsightApi, id: string): Promise<ConnectionProfile> {
  return waitFor(() => api.connections.listProfiles().find((p) => p.id === id), { message: `profile ${id} in the connection list` });
}

describe('connections', function () {
  this.timeout(60_000);
  const db = testDatabase();
  const target = { host: db.host, port: db.port, database: db.database, user: db.user };
  let api: PgInsightApi;
  let entries: Record<string, unknown>[] = [];

  before(async () => {
    api = await activateExtension<PgInsightApi>();
    let closedPort = await freePort();
    if (closedPort === db.port) closedPort = await freePort();
    entries = [
      { name: 'test-db', ...target, sslmode: 'disable' },
      { name: 'wrong-password', ...target, sslmode: 'disable' },
      { name: 'nothing-listening', ...target, port: closedPort, sslmode: 'disable' },
      { name: 'missing-database', ...target, database: 'pg_insight_no_such_database', sslmode: 'disable' },
      // The test server has no TLS.
      { name: 'tls-required', ...target, sslmode: 'require' },
    ];
    await setUserConnections(entries);
    await api.savePassword('user-settings:test-db', db.password);
    await api.savePassword('user-settings:wrong-password', WRONG_PASSWORD);
    await api.savePassword('user-settings:missing-database', db.password);
    await api.savePassword('user-settings:tls-required', db.password);
  });

  after(async () => {
    await api.connections.disconnect();
    await setUserConnections(undefined);
  });

  it('contributes its commands under "PG Insight" and registers each of them', async () => {
    const contributed = ((extension().packageJSON as { contributes: { commands: CommandContribution[] } }).contributes.commands);
    const ids = contributed.map((c) => c.command);
    for (const id of ['pgInsight.addConnection', 'pgInsight.selectConnection', 'pgInsight.testConnection', 'pgInsight.disconnect', 'pgInsight.forgetPassword', 'pgInsight.showLog']) {
      assert.ok(ids.includes(id), `${id} is not contributed`);
    }
    assert.deepEqual(contributed.filter((c) => c.category !== 'PG Insight').map((c) => c.command), []);
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.deepEqual(ids.filter((id) => !registered.has(id)), []);
  });

  it('activates in well under a second', () => {
    // activate() never waits for discovery or the network; its own duration is logged.
    const line = api.logLines().find((l) => / activated in [\d.]+ ms\.$/.test(l));
    assert.ok(line, 'no activation line in the log');
    const ms = Number(/activated in ([\d.]+) ms/.exec(line)?.[1]);
    console.log(`      activate() took ${ms} ms`);
    assert.ok(ms < 1000, `activate() took ${ms} ms`);
  });

  it('offers the connections of user settings, and settings hold no password', async () => {
    const p = await profileNamed(api, 'user-settings:test-db');
    assert.deepEqual([p.source, p.host, p.port, p.database, p.user], ['user-settings', db.host, db.port, db.database, db.user]);
    const stored = JSON.stringify(vscode.workspace.getConfiguration('pgInsight').inspect('connections')?.globalValue);
    assert.ok(!stored.includes(db.password) && !stored.includes(WRONG_PASSWORD), 'a password reached the settings');
  });

  it('connects with the password from SecretStorage and shows it in the status bar', async () => {
    const state = await api.connections.connect('user-settings:test-db');
    assert.equal(state.kind, 'connected', api.connections.lastErrorMessage);
    assert.equal(api.connections.activeProfile()?.id, 'user-settings:test-db');
    const view = api.statusBar();
    assert.match(view.text, /^\$\(database\) test-db · PG \d+\.\d+/);
    assert.equal(view.warning, false);
    assert.ok(view.tooltip.includes(`Database: ${db.database}`), view.tooltip);
    if (bridgeAvailable()) {
      // What a person sees: the item in the workbench's status bar.
      const shown = await waitFor(async () => (await workbenchQuery('.statusbar-item')).find((e) => e.text.includes('test-db · PG')), { message: 'the status bar item in the workbench' });
      assert.match(shown.text, /test-db · PG \d+\.\d+/);
    }
  });

  it('Test Connection says which server and user answered', async () => {
    const before = api.notifications().length;
    await vscode.commands.executeCommand('pgInsight.testConnection');
    const message = await waitFor(() => api.notifications().slice(before).find((m) => m.includes('Connected to')), { message: 'the Test Connection message' });
    assert.match(message, new RegExp(`^\\[info\\] Connected to test-db: PostgreSQL \\d+\\.\\d+ as ${db.user}\\.$`));
  });

  it('reconnects by itself after the server ends the session', async () => {
    await api.connections.use((d) => d.serverInfo());
    const admin = new Client({ connectionString: db.adminUrl });
    await admin.connect();
    try {
      const r = await admin.query<{ n: number }>("SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE application_name = 'pg-insight' AND pid <> pg_backend_pid()");
      assert.ok((r.rows[0]?.n ?? 0) > 0, 'no pg-insight session to end');
    } finally {
      await admin.end();
    }
    // The pool may find the broken session only on use: then that one use fails and the next works.
    let info;
    try {
      info = await api.connections.use((d) => d.serverInfo());
    } catch (e) {
      // The error comes from the extension's bundle: compare its kind, not its class.
      assert.equal((e as { kind?: string }).kind, 'connection-lost', `expected connection-lost, got ${String(e)}`);
      info = await api.connections.use((d) => d.serverInfo());
    }
    assert.equal(info.database, db.database);
    assert.equal(api.connections.state.kind, 'connected');
  });

  it('explains a wrong password with next steps, in the state, the status bar and a notification', async () => {
    const state = await api.connections.connect('user-settings:wrong-password');
    assert.equal(state.kind, 'error');
    assert.equal(state.kind === 'error' && state.error.kind, 'auth');
    assert.ok(state.kind === 'error' && state.error.nextSteps.includes('enter-password'));
    assert.match(api.connections.lastErrorMessage ?? '', /password authentication failed/i);
    assert.match(api.statusBar().text, /^\$\(warning\) wrong-password: password rejected/);
    assert.equal(api.statusBar().warning, true);

    const before = api.notifications().length;
    await vscode.commands.executeCommand('pgInsight.testConnection', 'user-settings:wrong-password');
    const shown = await waitFor(() => api.notifications().slice(before).find((m) => m.startsWith('[error]')), { message: 'the failure notification' });
    assert.match(shown, /^\[error\] wrong-password: Password authentication failed/);
    assert.ok(!/\n\s+at /.test(shown), 'the message holds a stack trace');
  });

  it('explains a server that is not listening', async () => {
    const state = await api.connections.connect('user-settings:nothing-listening');
    assert.equal(state.kind === 'error' && state.error.kind, 'unreachable', api.connections.lastErrorMessage);
    assert.ok(state.kind === 'error' && state.error.nextSteps.includes('retry'));
  });

  it('explains a missing database', async () => {
    const state = await api.connections.connect('user-settings:missing-database');
    assert.equal(state.kind === 'error' && state.error.kind, 'database-missing', api.connections.lastErrorMessage);
    assert.match(api.connections.lastErrorMessage ?? '', /pg_insight_no_such_database/);
  });

  it('explains a server that does not support the TLS the connection requires', async () => {
    const state = await api.connections.connect('user-settings:tls-required');
    assert.equal(state.kind === 'error' && state.error.kind, 'tls-refused', api.connections.lastErrorMessage);
    assert.ok(state.kind === 'error' && state.error.nextSteps.includes('edit-connection'));
  });

  it('explains a server that never answers, after the connect timeout', async () => {
    const silent = await listen(() => undefined);
    try {
      await setUserConnections([...entries, { name: 'silent', ...target, port: silent.port, sslmode: 'disable' }]);
      await vscode.workspace.getConfiguration('pgInsight').update('connectTimeoutMs', 1000, vscode.ConfigurationTarget.Global);
      await waitFor(() => api.connections.profile('user-settings:silent'), { message: 'the "silent" profile' });
      const started = Date.now();
      const state = await api.connections.connect('user-settings:silent');
      assert.equal(state.kind === 'error' && state.error.kind, 'connect-timeout', api.connections.lastErrorMessage);
      assert.ok(Date.now() - started < 5000, `took ${Date.now() - started} ms with a 1 s connect timeout`);
    } finally {
      await vscode.workspace.getConfiguration('pgInsight').update('connectTimeoutMs', undefined, vscode.ConfigurationTarget.Global);
      await silent.close();
    }
  });

  it('explains a server that closes the connection at once', async () => {
    const closing = await listen((socket) => socket.destroy());
    try {
      await setUserConnections([...entries, { name: 'closing', ...target, port: closing.port, sslmode: 'disable' }]);
      await waitFor(() => api.connections.profile('user-settings:closing'), { message: 'the "closing" profile' });
      const state = await api.connections.connect('user-settings:closing');
      assert.equal(state.kind === 'error' && state.error.kind, 'connection-lost', api.connections.lastErrorMessage);
      assert.ok(state.kind === 'error' && state.error.nextSteps.includes('retry'));
    } finally {
      await closing.close();
    }
  });

  it('reads the password from ~/.pgpass (0600) as libpq does', async () => {
    const home = process.env.PG_INSIGHT_TEST_HOME;
    assert.ok(home, 'PG_INSIGHT_TEST_HOME is not set');
    const pgpass = join(home, '.pgpass');
    writeFileSync(pgpass, `# written by a test\n${db.host}:${db.port}:${db.database}:${db.user}:${db.password.replace(/([:\\])/g, '\\$1')}\n`, { mode: 0o600 });
    try {
      await setUserConnections([...entries, { name: 'pgpass-db', ...target, sslmode: 'disable' }]);
      await waitFor(() => api.connections.profile('user-settings:pgpass-db'), { message: 'the "pgpass-db" profile' });
      const state = await api.connections.connect('user-settings:pgpass-db', { interactive: false });
      assert.equal(state.kind, 'connected', api.connections.lastErrorMessage);
      assert.ok(api.logLines().some((l) => l.includes('"pgpass-db"') && l.includes('password from the password file')), 'the password did not come from the password file');
    } finally {
      rmSync(pgpass, { force: true });
    }
  });

  it('Forget Saved Password removes it from SecretStorage', async () => {
    assert.ok(api.savedPasswordIds().includes('user-settings:wrong-password'));
    await vscode.commands.executeCommand('pgInsight.forgetPassword', 'user-settings:wrong-password');
    assert.ok(!api.savedPasswordIds().includes('user-settings:wrong-password'));
    // Without the saved password nothing is known for this profile; a background connect does not ask.
    const state = await api.connections.connect('user-settings:wrong-password', { interactive: false });
    assert.equal(state.kind === 'error' && state.error.kind, 'password-needed', `the forgotten password was still used: ${api.connections.lastErrorMessage}`);
  });

  it('Disconnect leaves the status bar "not connected"', async () => {
    await api.connections.connect('user-settings:test-db');
    await vscode.commands.executeCommand('pgInsight.disconnect');
    assert.equal(api.connections.state.kind, 'disconnected');
    assert.equal(api.statusBar().text, '$(debug-disconnect) PG Insight: not connected');
  });

  it('never writes a password to the log or a notification', () => {
    const log = api.logLines();
    assert.ok(log.some((l) => l.includes('Connected to "test-db"')), 'the log shows no connection at all');
    for (const secret of [db.password, WRONG_PASSWORD]) {
      assert.deepEqual(log.filter((l) => l.includes(secret)), [], `the log holds the password ${secret}`);
      assert.deepEqual(api.notifications().filter((l) => l.includes(secret)), []);
    }
  });
});

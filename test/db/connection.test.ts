/**
 * Connection failures end in the right DbError kind with a message that
 * names the problem and never the password; after a server restart the next
 * call reconnects by itself; the log gets statement lines and no secrets.
 */
import assert from 'node:assert/strict';
import { connect as tcpConnect, createServer, type Server, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { Database } from '../../src/db/types';
import { freePort } from '../support/postgres';
import { CapturingLog, openDatabase, rejection } from './helpers';
import { testServer } from './server';

const DB = 'pgi_connection';
const WRONG_PASSWORD = 'not-the-right-one-7f3a';

describe('db: connections', function () {
  // Every Database in this file logs here, so the secrets check covers failures too.
  const log = new CapturingLog();
  const messages: string[] = [];
  const open: Database[] = [];

  function connect(options: Parameters<typeof openDatabase>[1] = {}): Database {
    const { db } = openDatabase(options.profile?.database ?? DB, { ...options, log });
    open.push(db);
    return db;
  }
  async function failure(db: Database) {
    const e = await rejection(() => db.serverInfo());
    messages.push(e.message);
    return e;
  }

  before(() => testServer().createDatabase(DB));
  after(async () => {
    await Promise.all(open.map((d) => d.close()));
  });

  it('connects and reads the server identity', async () => {
    const info = await connect().serverInfo();
    assert.equal(info.database, DB);
    assert.equal(info.user, testServer().user);
    assert.equal(Math.floor(info.versionNum / 10000), testServer().major);
    assert.match(info.version, /^\d+(\.\d+)?/);
    assert.equal(info.inRecovery, false);
  });

  it('sets application_name to pg-insight', async () => {
    const name = await connect().read('app name', async (tx) => (await tx.query<{ n: string }>("SELECT current_setting('application_name') AS n")).rows[0]?.n);
    assert.equal(name, 'pg-insight');
  });

  it('a wrong password is an auth failure that offers to enter the password', async () => {
    const e = await failure(connect({ password: WRONG_PASSWORD }));
    assert.equal(e.kind, 'auth');
    assert.equal(e.code, '28P01');
    assert.match(e.message, /Password authentication failed for user "postgres"/);
    assert.ok(e.nextSteps?.includes('enter-password'));
  });

  it('an unknown role is an auth failure', async () => {
    const e = await failure(connect({ profile: { user: 'nobody_here' } }));
    assert.equal(e.kind, 'auth');
    assert.match(e.message, /nobody_here/);
  });

  it('no password at all is password-needed', async () => {
    const saved = { pw: process.env.PGPASSWORD, file: process.env.PGPASSFILE };
    delete process.env.PGPASSWORD;
    process.env.PGPASSFILE = '/nonexistent/pgpass';
    try {
      const e = await failure(connect({ password: undefined }));
      assert.equal(e.kind, 'password-needed', e.message);
      assert.deepEqual(e.nextSteps, ['enter-password', 'edit-connection']);
    } finally {
      if (saved.pw !== undefined) process.env.PGPASSWORD = saved.pw;
      if (saved.file !== undefined) process.env.PGPASSFILE = saved.file;
      else delete process.env.PGPASSFILE;
    }
  });

  it('a missing database is database-missing', async () => {
    const e = await failure(connect({ profile: { database: 'no_such_database' } }));
    assert.equal(e.kind, 'database-missing');
    assert.equal(e.code, '3D000');
    assert.match(e.message, /"no_such_database" does not exist/);
  });

  it('a port where nothing listens is unreachable', async () => {
    const e = await failure(connect({ profile: { port: await freePort() } }));
    assert.equal(e.kind, 'unreachable');
    assert.equal(e.code, 'ECONNREFUSED');
    assert.ok(e.nextSteps?.includes('retry'));
  });

  it('an unknown host name is unreachable', async () => {
    const e = await failure(connect({ profile: { host: 'no-such-host.invalid' } }));
    assert.equal(e.kind, 'unreachable', e.message);
    assert.match(e.message, /no-such-host\.invalid/);
  });

  it('sslmode=require against a server without SSL is tls-refused', async () => {
    const e = await failure(connect({ profile: { sslmode: 'require' } }));
    assert.equal(e.kind, 'tls-refused');
    assert.match(e.message, /does not support SSL/);
  });

  it('sslmode=prefer falls back to a plain connection once, as libpq does', async () => {
    const db = connect({ profile: { sslmode: 'prefer' } });
    assert.equal((await db.serverInfo()).database, DB);
    assert.equal((await db.serverInfo()).database, DB);
    assert.equal(log.lines.filter((l) => /does not support SSL; connecting without encryption/.test(l)).length >= 1, true);
  });

  it('an unreadable CA file is reported with the path', async () => {
    const e = await failure(connect({ profile: { sslmode: 'verify-full', sslrootcert: '/nonexistent/root.crt' } }));
    assert.match(e.message, /\/nonexistent\/root\.crt/);
    assert.ok(e.nextSteps?.includes('edit-connection'));
  });

  describe('a server that accepts and never answers', () => {
    let silent: Server;
    let port = 0;
    const sockets: Socket[] = [];
    before(async () => {
      silent = createServer((s) => sockets.push(s));
      await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
      const a = silent.address();
      port = typeof a === 'object' && a ? a.port : 0;
    });
    after(async () => {
      sockets.forEach((s) => s.destroy());
      await new Promise((r) => silent.close(r));
    });

    it('is a connect-timeout after the connect timeout', async () => {
      const started = performance.now();
      const e = await failure(connect({ profile: { port }, limits: { connectTimeoutMs: 300 } }));
      const took = performance.now() - started;
      assert.equal(e.kind, 'connect-timeout', e.message);
      assert.match(e.message, /No answer from 127\.0\.0\.1:\d+ within 0\.3 s/);
      assert.ok(took >= 250 && took < 3000, `took ${took.toFixed(0)} ms`);
    });
  });

  it('after a server restart the next call reconnects by itself', async function () {
    this.timeout(60_000);
    const db = connect();
    const backend = (label: string) => db.read(label, async (tx) => (await tx.query<{ pid: number; started: Date }>('SELECT pg_backend_pid() AS pid, pg_postmaster_start_time() AS started')).rows[0]!);
    // Two idle pooled clients that the restart will kill.
    const [before] = await Promise.all([backend('warm'), db.read('warm', (tx) => tx.query('SELECT pg_sleep(0.05)'))]);
    await testServer().restart();
    const after = await backend('after restart');
    assert.ok(after.started.getTime() > before.started.getTime(), 'a new server process answered');
    assert.equal((await db.serverInfo()).database, DB);
  });

  it('a pooled connection that died silently is replaced and the call retried once', async () => {
    // A TCP relay whose existing connections can go "stale": the client side stays open,
    // but the next bytes the client sends get the socket closed, as after a network drop.
    const pairs: { client: Socket; upstream: Socket }[] = [];
    const relay = createServer((client) => {
      const upstream = tcpConnect(testServer().port, testServer().host);
      client.pipe(upstream, { end: false });
      upstream.pipe(client, { end: false });
      client.on('error', () => undefined);
      upstream.on('error', () => undefined);
      client.on('close', () => upstream.destroy());
      pairs.push({ client, upstream });
    });
    await new Promise<void>((r) => relay.listen(0, '127.0.0.1', r));
    const a = relay.address();
    const port = typeof a === 'object' && a ? a.port : 0;
    const db = connect({ profile: { port }, limits: { poolMax: 1 } });
    try {
      await db.serverInfo();
      for (const { client, upstream } of pairs.splice(0)) {
        client.unpipe(upstream);
        upstream.unpipe(client);
        upstream.destroy();
        client.once('data', () => client.destroy());
        client.resume();
      }
      const retried = log.lines.length;
      assert.equal((await db.serverInfo()).database, DB);
      assert.ok(log.lines.slice(retried).some((l) => /retrying on a new connection/.test(l)), log.lines.slice(retried).join('\n'));
    } finally {
      await db.close();
      pairs.forEach((p) => p.client.destroy());
      await new Promise((r) => relay.close(r));
    }
  });

  it('the log has a line per statement, and never a password or connection string', () => {
    assert.ok(log.statements.length > 10);
    assert.ok(log.statements.some((s) => s.firstLine.startsWith('BEGIN READ ONLY') && s.durationMs >= 0));
    assert.ok(log.statements.some((s) => s.firstLine.startsWith('SELECT current_setting') && s.rowCount === 1));
    const everything = [log.text(), ...messages].join('\n');
    assert.ok(!everything.includes(testServer().password), 'the real password leaked');
    assert.ok(!everything.includes(WRONG_PASSWORD), 'the wrong password leaked');
    assert.ok(!/postgres(ql)?:\/\//.test(everything), 'a connection URL leaked');
  });
});

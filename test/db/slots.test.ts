/**
 * Connection slots on a server of the test's own: scram-sha-256 for every
 * connection (as PostgreSQL has defaulted to since 14) and max_connections 6,
 * one of them reserved for superusers.
 *
 * An attempt without a password, where the server asks for one, must not
 * leave a backend waiting in authentication (it would hold a slot until
 * authentication_timeout, 60 s), and `pg-insight health` must exit as soon as
 * it has said so. A server with no free slot, and a pool whose connections
 * are all busy, are reported as such, not as a server that does not answer.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { createDatabase } from '../../src/db';
import { PgClient } from '../../src/db/pgClient';
import type { Database, DbLimits } from '../../src/db/types';
import { startEmbeddedPostgres, type TestServer } from '../support/postgres';
import { CapturingLog, rejection, until } from './helpers';

const CLI = join(__dirname, '../../../dist/cli.js');
const DB = 'slots';
const MAX_CONNECTIONS = 6;
const LIMITS: DbLimits = { statementTimeoutMs: 30_000, lockTimeoutMs: 5_000, connectTimeoutMs: 5_000, poolMax: 3 };
const slotUser = { user: 'slot_user', password: 'slot-user-secret' };

describe('db: connection slots (scram-sha-256, max_connections 6)', function () {
  this.timeout(60_000);
  let server: TestServer;
  /** A superuser session opened first, so that it is there when the server is full. */
  let admin: Client;
  const open: Database[] = [];
  const extra: Client[] = [];
  const saved = { pw: process.env.PGPASSWORD, file: process.env.PGPASSFILE };

  function database(user: { user: string; password: string | undefined }, limits: Partial<DbLimits> = {}): Database {
    const db = createDatabase(
      {
        profile: { id: `slots:${user.user}`, name: 'slots', source: 'user-settings', host: server.host, port: server.port, database: DB, user: user.user, sslmode: 'disable' },
        password: user.password,
      },
      { ...LIMITS, ...limits },
      new CapturingLog(),
    );
    open.push(db);
    return db;
  }

  /** Backends other than the admin's: all client backends, and those still authenticating ('starting', PostgreSQL 18). */
  async function backends(): Promise<{ clients: number; starting: number }> {
    const r = await admin.query<{ clients: number; starting: number }>(
      `SELECT count(*)::int AS clients, count(*) FILTER (WHERE state = 'starting')::int AS starting
       FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()`,
    );
    return r.rows[0] ?? { clients: -1, starting: -1 };
  }

  before(async function () {
    this.timeout(120_000);
    // pg reads PGPASSWORD and the password file itself when it is given no password.
    delete process.env.PGPASSWORD;
    process.env.PGPASSFILE = '/nonexistent/pgpass';
    server = await startEmbeddedPostgres({
      authMethod: 'scram-sha-256',
      settings: { max_connections: String(MAX_CONNECTIONS), superuser_reserved_connections: '1' },
    });
    await server.createDatabase(DB);
    admin = new Client({ host: server.host, port: server.port, user: server.user, password: server.password, database: DB });
    await admin.connect();
    await admin.query(`CREATE ROLE ${slotUser.user} LOGIN PASSWORD '${slotUser.password}'`);
    const hba = await admin.query<{ auth: string }>("SELECT DISTINCT auth_method AS auth FROM pg_hba_file_rules WHERE type = 'host'");
    assert.deepEqual(hba.rows.map((r) => r.auth), ['scram-sha-256']);
  });

  after(async function () {
    this.timeout(60_000);
    await Promise.all(open.map((d) => d.close()));
    for (const c of extra) await c.end().catch(() => undefined);
    await admin?.end().catch(() => undefined);
    await server?.stop();
    if (saved.pw !== undefined) process.env.PGPASSWORD = saved.pw;
    if (saved.file !== undefined) process.env.PGPASSFILE = saved.file;
    else delete process.env.PGPASSFILE;
  });

  it('a client whose authentication fails on its side closes its socket: the server keeps no backend waiting', async () => {
    const c = new PgClient({ host: server.host, port: server.port, user: server.user, database: DB });
    const e = await c.connect().then(() => null, (err: Error) => err);
    assert.match(e?.message ?? '', /client password must be a string/);
    await until('the backend to end', async () => (await backends()).clients === 0, 1_000);
  });

  it('pg-insight health without a password exits at once with the reason, and leaves no backend behind', async () => {
    assert.ok(existsSync(CLI), `${CLI} is missing: build with node esbuild.mjs`);
    const env: NodeJS.ProcessEnv = { ...process.env, PGPASSFILE: '/nonexistent/pgpass' };
    for (const k of ['DATABASE_URL', 'PGPASSWORD', 'PGHOST', 'PGPORT', 'PGDATABASE', 'PGUSER']) delete env[k];
    const started = performance.now();
    const child = spawn(process.execPath, [CLI, 'health', '--db', `postgresql://${server.user}@${server.host}:${server.port}/${DB}?sslmode=disable`], { env });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    const seconds = (performance.now() - started) / 1000;
    assert.equal(code, 2, stderr);
    assert.match(stderr, /^pg-insight: Could not connect to postgresql:\/\/postgres@[^ ]+: The server asks for a password for user "postgres" and none is known\. Give it in the URL, with PGPASSWORD or in the password file/);
    // Node's start and the bundle's load take well under this; the server's authentication_timeout is 60 s.
    assert.ok(seconds < 5, `exited after ${seconds.toFixed(1)} s`);
    await until('no backend left authenticating', async () => (await backends()).clients === 0, 1_000);
  });

  it('a server with no free slot is busy, for a plain role and for a superuser, not "no answer"', async () => {
    // Fill what a plain role may take; the last slot is the superusers'.
    let refusal: Error | undefined;
    for (let i = 0; i < MAX_CONNECTIONS && !refusal; i++) {
      const c = new Client({ host: server.host, port: server.port, user: slotUser.user, password: slotUser.password, database: DB });
      c.on('error', () => undefined);
      refusal = await c.connect().then(() => { extra.push(c); return undefined; }, (e: Error) => e);
    }
    assert.match(refusal?.message ?? '', /remaining connection slots are reserved/);

    const plain = await rejection(() => database(slotUser).serverInfo());
    assert.equal(plain.kind, 'busy', plain.message);
    assert.equal(plain.code, '53300');
    assert.match(plain.message, new RegExp(`^The server at ${server.host}:${server.port} has no free connection slots \\(remaining connection slots are reserved for roles with the SUPERUSER attribute\\)\\.`));
    assert.deepEqual(plain.nextSteps, ['retry', 'open-log']);

    // The reserved slot goes to a superuser; the next superuser finds none at all.
    const last = new Client({ host: server.host, port: server.port, user: server.user, password: server.password, database: DB });
    await last.connect();
    extra.push(last);
    const full = await rejection(() => database({ user: server.user, password: server.password }).serverInfo());
    assert.equal(full.kind, 'busy', full.message);
    assert.match(full.message, /has no free connection slots \(sorry, too many clients already\)/);

    for (const c of extra.splice(0)) await c.end();
    await until('the slots to be free again', async () => (await backends()).clients === 0, 2_000);
  });

  it("every connection of PG Insight's pool busy with a running statement: busy, not \"no answer\"", async () => {
    const db = database({ user: server.user, password: server.password }, { poolMax: 1, connectTimeoutMs: 500 });
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let running = false;
    const holding = db
      .read('hold the only connection', async (tx) => {
        await tx.query('SELECT 1');
        running = true;
        await gate;
      })
      .then(() => null, (e: unknown) => e);
    try {
      await until('the first statement to hold the connection', () => running, 5_000);
      const started = performance.now();
      const e = await rejection(() => db.read('wait for a connection', async (tx) => tx.query('SELECT 1')));
      assert.equal(e.kind, 'busy', e.message);
      assert.match(e.message, new RegExp(`^The 1 connection of PG Insight's pool to ${server.host}:${server.port} is in use by statements still running, and no connection came free within 0\\.5 s\\.`));
      assert.deepEqual(e.nextSteps, ['retry', 'open-settings']);
      assert.ok(performance.now() - started < 3_000);
    } finally {
      release();
      assert.equal(await holding, null);
    }
    // The pool is usable again once its connection is back.
    assert.equal((await db.serverInfo()).database, DB);
    await db.close();
  });

  // Last: where a failed attempt left its backend waiting, the slots stay taken for the next 60 s.
  it('more attempts without a password than the server has slots: each is password-needed, none stays in authentication, the slots stay free', async () => {
    const attempts = 2 * MAX_CONNECTIONS;
    for (let i = 0; i < attempts; i++) {
      const e = await rejection(() => database({ user: server.user, password: undefined }).serverInfo());
      assert.equal(e.kind, 'password-needed', `attempt ${i + 1}: ${e.message}`);
    }
    const started = performance.now();
    await until('no backend left authenticating', async () => {
      const b = await backends();
      return b.starting === 0 && b.clients === 0;
    }, 1_000);
    assert.ok(performance.now() - started < 1_000);
    // Had they stayed, every slot would be taken for 60 s.
    const after = database({ user: slotUser.user, password: slotUser.password });
    assert.equal((await after.serverInfo()).user, slotUser.user);
    await after.close();
  });
});

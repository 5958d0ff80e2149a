/**
 * Helpers for the slow queries db tests: the same suite on the tier's
 * PostgreSQL 18 and on Debian's PostgreSQL 15 (pending, with the reason in
 * its title, when those binaries are not installed), Databases and plain
 * clients on either server, and throw-away roles.
 */
import { Client } from 'pg';
import { createDatabase } from '../../../src/db';
import type { Database, DbLog } from '../../../src/db/types';
import { startDebianPostgres15, type TestServer } from '../../support/postgres';
import { testServer } from '../server';

const quietLog: DbLog = { statement: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

export interface Login {
  readonly user: string;
  readonly password: string;
}

/**
 * Declares `body` twice: on the tier's server (PostgreSQL 18 unless
 * PG_INSIGHT_TEST_DATABASE_URL names another) and on a throw-away Debian
 * PostgreSQL 15 cluster started for this suite.
 */
export function onEachServer(title: string, body: (server: () => TestServer) => void): void {
  describe(`${title} on the tier's server (embedded PostgreSQL 18)`, () => body(() => testServer()));
  describe(`${title} on PostgreSQL 15 (Debian's binaries; pending when /usr/lib/postgresql/15/bin is not installed)`, function () {
    let server: TestServer | null = null;
    before(async function () {
      this.timeout(120_000);
      server = await startDebianPostgres15();
      if (!server) this.skip();
    });
    body(() => {
      if (!server) throw new Error('PostgreSQL 15 is not running.');
      return server;
    });
    // Registered after the body's own hooks, so those still find the server running.
    after(async function () {
      this.timeout(60_000);
      await server?.stop();
    });
  });
}

/** A Database through the real factory, as the superuser or as `login`. */
export function openOn(server: TestServer, database: string, login?: Login): Database {
  return createDatabase(
    {
      profile: { id: `test:${database}`, name: database, source: 'user-settings', host: server.host, port: server.port, database, user: login?.user ?? server.user, sslmode: 'disable' },
      password: login?.password ?? server.password,
    },
    { statementTimeoutMs: 30_000, lockTimeoutMs: 5_000, connectTimeoutMs: 10_000, poolMax: 3 },
    quietLog,
  );
}

/** A plain client playing the application (or another user). */
export async function clientOn(server: TestServer, database: string, login?: Login, applicationName = 'stats-test-app'): Promise<Client> {
  const c = new Client({ host: server.host, port: server.port, user: login?.user ?? server.user, password: login?.password ?? server.password, database, application_name: applicationName });
  // A terminated session emits 'error'; without a listener that would end the test process.
  c.on('error', () => undefined);
  await c.connect();
  return c;
}

/** A superuser session on `database` for the time of `fn`. */
export async function withClientOn<T>(server: TestServer, database: string, fn: (c: Client) => Promise<T>): Promise<T> {
  const c = await clientOn(server, database, undefined, 'test-setup');
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** Runs `sql` as the superuser on `database`. */
export async function asSuperuser(server: TestServer, database: string, sql: string): Promise<void> {
  const c = await clientOn(server, database, undefined, 'stats-test-setup');
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

/** A fresh login role (roles are shared by every database of a server, so names carry the suite's prefix). */
export async function createRole(server: TestServer, name: string, extra = ''): Promise<Login> {
  const password = `pw-${name}`;
  await dropRole(server, name);
  await asSuperuser(server, 'postgres', `CREATE ROLE ${name} LOGIN PASSWORD '${password}' ${extra}`);
  return { user: name, password };
}

export async function dropRole(server: TestServer, name: string): Promise<void> {
  await asSuperuser(server, 'postgres', `DROP ROLE IF EXISTS ${name}`);
}

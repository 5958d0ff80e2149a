/**
 * Health checks against a server of the test's own, started with settings the
 * tier's shared server must not have (a tiny autovacuum_freeze_max_age, no
 * pg_stat_statements preloaded, a standby): a HealthDb on any TestServer, and
 * a superuser client there.
 */
import { Client } from 'pg';
import { createDatabase } from '../../../src/db';
import type { DbLog } from '../../../src/db/types';
import type { TestServer } from '../../support/postgres';
import { healthRunner, type HealthDb } from './support';

const quietLog: DbLog = { statement: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

/** Opens `database` on `server` as its superuser (or as `user`), through the real database layer. */
export async function openHealthOn(server: TestServer, database: string, user?: { user: string; password: string }): Promise<HealthDb> {
  const db = createDatabase(
    {
      profile: { id: `test:${server.port}:${database}`, name: database, source: 'user-settings', host: server.host, port: server.port, database, user: user?.user ?? server.user, sslmode: 'disable' },
      password: user?.password ?? server.password,
    },
    { statementTimeoutMs: 30_000, lockTimeoutMs: 5_000, connectTimeoutMs: 10_000, poolMax: 3 },
    quietLog,
  );
  const info = await db.serverInfo();
  return { name: database, db, runner: healthRunner(db, info.versionNum), close: () => db.close() };
}

/** A plain superuser session on `server`, for creating conditions and holding transactions open. */
export async function superuserOn(server: TestServer, database: string): Promise<Client> {
  const c = new Client({ host: server.host, port: server.port, user: server.user, password: server.password, database, application_name: 'health-test-setup' });
  // A session ended by the server's shutdown emits 'error'; without a listener that would end the test process.
  c.on('error', () => undefined);
  await c.connect();
  return c;
}

/**
 * Health checks against a server of the test's own, started with settings the
 * tier's shared server must not have (a tiny autovacuum_freeze_max_age, no
 * pg_stat_statements preloaded, a standby): a HealthDb on any TestServer, and
 * a superuser client there.
 */
import assert from 'node:assert/strict';
import { Client } from 'pg';
import { parseSql } from '../../../src/core/sql/parser';
import { startDebianPostgres15, startEmbeddedPostgres, type StartOptions } from '../../support/postgres';
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

/** The servers a suite of its own runs on: embedded PostgreSQL 18, and Debian's 15 when installed. */
export const PRIVATE_SERVERS: readonly { title: string; start: (options: StartOptions) => Promise<TestServer | null> }[] = [
  { title: 'embedded PostgreSQL 18', start: startEmbeddedPostgres },
  { title: "Debian's PostgreSQL 15 (pending when /usr/lib/postgresql/15/bin is not installed)", start: startDebianPostgres15 },
];

/**
 * Runs a finding's SQL exactly as offered: split into statements as the
 * grammar reads it (comments dropped) and sent one by one, as psql would
 * (so CONCURRENTLY and ALTER SYSTEM work), then pg_reload_conf() when its
 * comment says to. The SQL parser must be loaded.
 */
export async function applyOffered(c: Client, sql: string | undefined): Promise<string[]> {
  assert.ok(sql, 'the finding offers SQL');
  const parsed = parseSql(sql);
  assert.ok(parsed.ok, `the offered SQL parses: ${sql}`);
  const statements = parsed.statements.map((s) => s.text);
  for (const statement of statements) await c.query(statement);
  if (/then SELECT pg_reload_conf\(\)/.test(sql)) await c.query('SELECT pg_reload_conf()');
  return statements;
}

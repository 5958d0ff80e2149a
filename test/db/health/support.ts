/**
 * Helpers for the health checks' db tests: a HealthRunner over the real
 * database layer (the three-line adapter the command will use), fresh
 * databases on the shared test server, and polling with a deadline.
 */
import { Client } from 'pg';
import { createDatabase } from '../../../src/db';
import type { Database, DbLog } from '../../../src/db/types';
import { ALL_CHECKS, DEFAULT_THRESHOLDS, runChecks } from '../../../src/core/health';
import type { CheckResult, HealthCheck, HealthRunner, HealthThresholds } from '../../../src/core/health';
import { testServer } from '../server';

const quietLog: DbLog = { statement: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

/** The adapter from the database layer to the checks. */
export function healthRunner(db: Database, versionNum: number): HealthRunner {
  return {
    versionNum,
    query: (sql, params, o) => db.read(o.label, async (tx) => (await tx.query(sql, params)).rows, { signal: o.signal, statementTimeoutMs: o.timeoutMs }),
  };
}

export interface HealthDb {
  readonly name: string;
  readonly db: Database;
  readonly runner: HealthRunner;
  close(): Promise<void>;
}

/** Opens `database` through the real runner, as the superuser or as `user`. */
export async function openHealthDb(name: string, user?: { user: string; password: string }): Promise<HealthDb> {
  const s = testServer();
  const db = createDatabase(
    {
      profile: { id: `test:${name}`, name, source: 'user-settings', host: s.host, port: s.port, database: name, user: user?.user ?? s.user, sslmode: 'disable' },
      password: user?.password ?? s.password,
    },
    { statementTimeoutMs: 30_000, lockTimeoutMs: 5_000, connectTimeoutMs: 5_000, poolMax: 3 },
    quietLog,
  );
  const info = await db.serverInfo();
  return { name, db, runner: healthRunner(db, info.versionNum), close: () => db.close() };
}

/** A fresh database on the test server, with a superuser client for setting up conditions. */
export async function freshDatabase(name: string): Promise<{ name: string; admin: Client; versionNum: number }> {
  const s = testServer();
  await s.createDatabase(name);
  const admin = await client(name);
  const v = await admin.query<{ v: string }>("SELECT current_setting('server_version_num') AS v");
  return { name, admin, versionNum: Number(v.rows[0]?.v) };
}

/** Another superuser session, for holding locks and transactions open. */
export async function client(database: string, user?: { user: string; password: string }): Promise<Client> {
  const s = testServer();
  const c = new Client({ host: s.host, port: s.port, user: user?.user ?? s.user, password: user?.password ?? s.password, database });
  await c.connect();
  return c;
}

export async function runOne(h: HealthDb, check: HealthCheck, thresholds: Partial<HealthThresholds> = {}): Promise<CheckResult> {
  const report = await runChecks([check], h.runner, { thresholds: { ...DEFAULT_THRESHOLDS, ...thresholds } });
  const result = report.results[0];
  if (!result) throw new Error(`no result for ${check.id}`);
  if (result.status === 'error') throw new Error(`${check.id} failed: ${result.reason}`);
  return result;
}

export async function runAll(h: HealthDb, thresholds: Partial<HealthThresholds> = {}): Promise<readonly CheckResult[]> {
  return (await runChecks(ALL_CHECKS, h.runner, { thresholds: { ...DEFAULT_THRESHOLDS, ...thresholds } })).results;
}

/** Polls `check` until it returns a value; fails with `what` after the deadline. */
export async function until<T>(what: string, check: () => Promise<T | undefined | null | false>, timeoutMs = 10_000, everyMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== null && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Polls a check until one of its findings names `object`. */
/** Until the check no longer reports `object` (statistics may take a moment to follow a fix); the last result. */
export async function untilCleared(h: HealthDb, check: HealthCheck, object: string, thresholds: Partial<HealthThresholds> = {}, timeoutMs = 20_000): Promise<CheckResult> {
  let last: CheckResult | undefined;
  try {
    return await until(`${check.id} to stop reporting ${object}`, async () => {
      last = await runOne(h, check, thresholds);
      return last.findings.some((f) => f.object === object) ? undefined : last;
    }, timeoutMs, 200);
  } catch (e) {
    throw new Error(`${(e as Error).message}; last findings: ${JSON.stringify(last?.findings)}`);
  }
}

export async function untilFinding(h: HealthDb, check: HealthCheck, object: string, thresholds: Partial<HealthThresholds> = {}, timeoutMs = 10_000) {
  let last: CheckResult | undefined;
  try {
    return await until(`${check.id} to report ${object}`, async () => {
      last = await runOne(h, check, thresholds);
      const found = last.findings.find((f) => f.object === object);
      return found ? { result: last, finding: found } : undefined;
    }, timeoutMs, 200);
  } catch (error) {
    throw new Error(`${(error as Error).message}; last findings: ${JSON.stringify(last?.findings.map((f) => f.object))}; summary: ${last?.summary}`);
  }
}

/**
 * Publishes the statistics this session has gathered. Since PostgreSQL 15 an
 * idle backend flushes them up to 10 s late; pg_stat_force_next_flush() makes
 * it flush as soon as the statement ends. Older servers send them at once.
 */
export async function flushStats(c: Client): Promise<void> {
  const v = await c.query<{ v: string }>("SELECT current_setting('server_version_num') AS v");
  if (Number(v.rows[0]?.v) >= 150000) await c.query('SELECT pg_stat_force_next_flush()');
}

/**
 * Since PostgreSQL 15, a backend flushes its table statistics at most once a
 * second and at exit; ending the session that did the work publishes them.
 */
export async function inSession<T>(database: string, fn: (c: Client) => Promise<T>): Promise<T> {
  const c = await client(database);
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

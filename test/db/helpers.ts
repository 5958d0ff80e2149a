/**
 * Helpers for db-tier tests: profiles for the test server, a log that keeps
 * every line, a plain admin client for checks behind the runner's back, and
 * polling with a deadline.
 */
import { Client } from 'pg';
import type { ConnectionProfile } from '../../src/core/connection/profile';
import { createDatabase } from '../../src/db';
import type { Database, DbLimits, DbLog } from '../../src/db/types';
import { testServer } from './server';

export const defaultLimits: DbLimits = { statementTimeoutMs: 30_000, lockTimeoutMs: 5_000, connectTimeoutMs: 5_000, poolMax: 3 };

/** A DbLog that records every line, for assertions. */
export class CapturingLog implements DbLog {
  readonly statements: { firstLine: string; durationMs: number; rowCount: number | null }[] = [];
  readonly lines: string[] = [];
  statement(firstLine: string, durationMs: number, rowCount: number | null): void {
    this.statements.push({ firstLine, durationMs, rowCount });
    this.lines.push(`statement ${firstLine} ${durationMs} ms ${rowCount ?? '-'} rows`);
  }
  info(message: string): void {
    this.lines.push(`info ${message}`);
  }
  warn(message: string): void {
    this.lines.push(`warn ${message}`);
  }
  error(message: string): void {
    this.lines.push(`error ${message}`);
  }
  text(): string {
    return this.lines.join('\n');
  }
}

export function profileFor(database: string, overrides: Partial<ConnectionProfile> = {}): ConnectionProfile {
  const s = testServer();
  return {
    id: `test:${database}`,
    name: `test ${database}`,
    source: 'user-settings',
    host: s.host,
    port: s.port,
    database,
    user: s.user,
    sslmode: 'disable',
    ...overrides,
  };
}

export interface OpenOptions {
  readonly profile?: Partial<ConnectionProfile>;
  readonly limits?: Partial<DbLimits>;
  readonly password?: string | undefined;
  readonly log?: CapturingLog;
}

/** A Database on the test server through the real factory. */
export function openDatabase(database: string, options: OpenOptions = {}): { db: Database; log: CapturingLog } {
  const log = options.log ?? new CapturingLog();
  const password = 'password' in options ? options.password : testServer().password;
  const db = createDatabase({ profile: profileFor(database, options.profile), password }, { ...defaultLimits, ...options.limits }, log);
  return { db, log };
}

/** A plain pg client on a test database, for setting up and checking behind the runner's back. */
export async function adminClient(database: string): Promise<Client> {
  const s = testServer();
  const c = new Client({ host: s.host, port: s.port, user: s.user, password: s.password, database });
  await c.connect();
  return c;
}

/** Polls `check` until it returns true; fails with `what` after the deadline. */
export async function until(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 5_000, everyMs = 20): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Runs `fn` and returns what it threw, failing the test when it did not throw. */
export async function rejection(fn: () => Promise<unknown>): Promise<Error & { kind?: string; nextSteps?: readonly string[]; position?: number; code?: string }> {
  try {
    await fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('Expected a rejection, but the call succeeded.');
}

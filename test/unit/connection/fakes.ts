/**
 * Fakes for the connection manager's collaborators: a Database whose answers
 * a test decides per password, in-memory secret and state stores, and a
 * log sink that records what reached the output channel.
 */
import { DbError, type Database, type DbLimits, type ResolvedConnection, type ServerInfo } from '../../../src/db/types';
import { Log, type LogSink } from '../../../src/log';
import type { ConnectionProfile } from '../../../src/core/connection/profile';
import type { KeyValueStore, SecretStore } from '../../../src/connections/passwords';

export const SERVER: ServerInfo = { version: '18.4', versionNum: 180004, database: 'shop', user: 'alice', isSuperuser: false, inRecovery: false };

export function profile(id: string, over: Partial<ConnectionProfile> = {}): ConnectionProfile {
  return { id, name: id.split(':')[1] ?? id, source: 'user-settings', host: 'db', port: 5432, database: 'shop', user: 'alice', ...over };
}

/** Decides what serverInfo() does for a connection attempt. */
export type Answer = (target: ResolvedConnection, call: number) => ServerInfo | DbError | Promise<ServerInfo | DbError>;

export class FakeDb implements Database {
  closed = false;
  calls = 0;
  constructor(readonly target: ResolvedConnection, readonly limits: DbLimits, private readonly answer: Answer) {}
  get profile(): ConnectionProfile {
    return this.target.profile;
  }
  async serverInfo(): Promise<ServerInfo> {
    const r = await this.answer(this.target, this.calls++);
    if (r instanceof DbError) throw r;
    return r;
  }
  read<T>(): Promise<T> {
    return Promise.reject(new Error('not used'));
  }
  admin<T>(): Promise<T> {
    return Promise.reject(new Error('not used'));
  }
  trial<T>(): Promise<T> {
    return Promise.reject(new Error('not used'));
  }
  outsideTransaction(): Promise<void> {
    return Promise.reject(new Error('not used'));
  }
  explain(): never {
    throw new Error('not used');
  }
  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }
}

export class FakeFactory {
  readonly created: FakeDb[] = [];
  answer: Answer = () => SERVER;
  readonly create = (target: ResolvedConnection, limits: DbLimits): Database => {
    const db = new FakeDb(target, limits, (t, n) => this.answer(t, n));
    this.created.push(db);
    return db;
  };
  get last(): FakeDb {
    const db = this.created[this.created.length - 1];
    if (!db) throw new Error('no Database was created');
    return db;
  }
}

export class MemoryState implements KeyValueStore {
  readonly values = new Map<string, unknown>();
  get<T>(key: string): T | undefined {
    return this.values.get(key) as T | undefined;
  }
  update(key: string, value: unknown): Promise<void> {
    if (value === undefined) this.values.delete(key);
    else this.values.set(key, value);
    return Promise.resolve();
  }
}

export class MemorySecrets implements SecretStore {
  readonly values = new Map<string, string>();
  get(key: string): Promise<string | undefined> {
    return Promise.resolve(this.values.get(key));
  }
  store(key: string, value: string): Promise<void> {
    this.values.set(key, value);
    return Promise.resolve();
  }
  delete(key: string): Promise<void> {
    this.values.delete(key);
    return Promise.resolve();
  }
}

export class RecordingSink implements LogSink {
  readonly lines: string[] = [];
  trace(m: string): void { this.lines.push(m); }
  debug(m: string): void { this.lines.push(m); }
  info(m: string): void { this.lines.push(m); }
  warn(m: string): void { this.lines.push(m); }
  error(m: string | Error): void { this.lines.push(String(m)); }
  show(): void {}
  dispose(): void {}
}

export function testLog(): { log: Log; sink: RecordingSink } {
  const sink = new RecordingSink();
  return { log: new Log(sink), sink };
}

/** Polls a condition with a deadline (no fixed sleeps). */
export async function eventually(cond: () => boolean, message: string, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${message}`);
    await new Promise((r) => setImmediate(r));
  }
}

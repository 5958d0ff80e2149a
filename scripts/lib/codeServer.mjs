// A real VS Code server (1.100.3) for the vscode test tier and the demo,
// installed from the npm registry only.
//
// The npm package `code-server@4.100.3` carries a complete VS Code server and
// web client in `lib/vscode`; we use only that folder and never run
// code-server's own install scripts (they need root flags, Kerberos headers and
// download ripgrep). 4.100.3 is the newest release whose engine is Node 20.
//
//   ensureVsCodeServer()            installs once into .vscode-test/code-server
//   startVsCodeServer({...})        starts `node out/server-main.js` on a free port
//   writeUserSettings(dir, obj)     seeds the user settings a server will serve
//   installExtensionLink(dir, path) makes an extension folder an installed extension
//   workbenchUrl(server, {...})     the page to open: a folder, optionally a development extension
import { spawn, spawnSync } from 'node:child_process';
import {
  existsSync, mkdirSync, readFileSync, writeFileSync, renameSync, rmSync, mkdtempSync, symlinkSync, readdirSync, statSync,
} from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CODE_SERVER_VERSION = '4.100.3';
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CACHE = join(REPO_ROOT, '.vscode-test', 'code-server');
const MARKER = 'pg-insight-ready.json';

/** Where the VS Code server lives inside the cache. */
export function vscodeDir(cache = CACHE) {
  return join(cache, 'node_modules', 'code-server', 'lib', 'vscode');
}

function ready(cache) {
  try {
    return JSON.parse(readFileSync(join(cache, MARKER), 'utf8')).version === CODE_SERVER_VERSION;
  } catch {
    return false;
  }
}

function npm(args, cwd, log) {
  const started = Date.now();
  const r = spawnSync('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (r.status !== 0) throw new Error(`npm ${args.join(' ')} failed in ${cwd}:\n${r.stderr || r.stdout}`);
  log(`  npm ${args.slice(0, 2).join(' ')} done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

function pidAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM';
  }
}

/** A lock whose owner died, or that never got an owner within 30 s. */
function lockAbandoned(lock) {
  try {
    const owner = Number(readFileSync(join(lock, 'pid'), 'utf8'));
    return owner > 0 && !pidAlive(owner);
  } catch {
    try {
      return Date.now() - statSync(lock).mtimeMs > 30_000;
    } catch {
      return false;
    }
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Installs the VS Code server once and returns its folder. Safe when several
 * processes race: one takes a lock directory (mkdir is atomic), installs into a
 * private folder and renames it into place (also atomic); the others wait for
 * the marker. A lock left by a dead process is taken over.
 */
export async function ensureVsCodeServer({ log = (m) => console.log(m), cache = CACHE } = {}) {
  if (ready(cache)) return ensureRipgrep(vscodeDir(cache));
  mkdirSync(dirname(cache), { recursive: true });
  const lock = `${cache}.lock`;
  const deadline = Date.now() + 10 * 60_000;
  for (;;) {
    if (ready(cache)) return ensureRipgrep(vscodeDir(cache));
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, 'pid'), String(process.pid));
      break;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
      if (lockAbandoned(lock)) {
        rmSync(lock, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${lock} (remove it if no install is running)`);
      await sleep(500);
    }
  }
  try {
    if (ready(cache)) return ensureRipgrep(vscodeDir(cache));
    log(`installing VS Code server (code-server@${CODE_SERVER_VERSION}) into ${cache}`);
    const staging = `${cache}.staging-${process.pid}`;
    rmSync(staging, { recursive: true, force: true });
    mkdirSync(staging, { recursive: true });
    writeFileSync(join(staging, 'package.json'), '{ "private": true }\n');
    npm(['install', `code-server@${CODE_SERVER_VERSION}`, '--ignore-scripts', '--no-save'], staging, log);
    const vs = vscodeDir(staging);
    // The server's own runtime dependencies; none of their native parts is needed by extension tests.
    npm(['install', '--omit=dev', '--ignore-scripts'], vs, log);
    // The server looks for `node_modules.asar` (Electron's packed layout) first.
    symlinkSync('node_modules', join(vs, 'node_modules.asar'));
    writeFileSync(join(staging, MARKER), JSON.stringify({ version: CODE_SERVER_VERSION, installed: new Date().toISOString() }));
    if (existsSync(cache)) rmSync(cache, { recursive: true, force: true });
    renameSync(staging, cache);
    return ensureRipgrep(vscodeDir(cache));
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

function findRipgrep() {
  const candidates = [process.env.PG_INSIGHT_RG, '/usr/bin/rg', '/usr/local/bin/rg'];
  return candidates.find((p) => p && existsSync(p));
}

/**
 * Gives the server a `rg` where @vscode/ripgrep expects it (its binary is a
 * download we skip): a real ripgrep when one is installed, else our file
 * lister scripts/lib/rgFiles.mjs (see there for what it covers). Checked on
 * every start so that installing ripgrep later takes effect.
 */
function ensureRipgrep(vs) {
  const bin = join(vs, 'node_modules', '@vscode', 'ripgrep', 'bin');
  const rg = join(bin, 'rg');
  const real = findRipgrep();
  const wanted = real
    ? `#!/bin/sh\nexec '${real}' "$@"\n`
    : `#!/bin/sh\nexec '${process.execPath}' '${join(REPO_ROOT, 'scripts', 'lib', 'rgFiles.mjs')}' "$@"\n`;
  let current = '';
  try { current = readFileSync(rg, 'utf8'); } catch { /* not there yet */ }
  if (current !== wanted) {
    mkdirSync(bin, { recursive: true });
    // Written aside and renamed: another launcher may be starting a server from this cache.
    const tmp = `${rg}.${process.pid}`;
    writeFileSync(tmp, wanted, { mode: 0o755 });
    renameSync(tmp, rg);
  }
  return vs;
}

export function freePort() {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolvePort(port));
    });
  });
}

function canConnect(port) {
  return new Promise((res) => {
    const s = connect({ host: '127.0.0.1', port });
    s.once('connect', () => { s.destroy(); res(true); });
    s.once('error', () => res(false));
  });
}

/**
 * User settings for the web workbench are kept by the server, under
 * `<server-data-dir>/data/User/settings.json`. Written before the page loads,
 * they apply from the first frame (no welcome page, no telemetry, ...).
 */
export function writeUserSettings(serverDataDir, settings) {
  const user = join(serverDataDir, 'data', 'User');
  mkdirSync(user, { recursive: true });
  writeFileSync(join(user, 'settings.json'), JSON.stringify(settings, null, 2));
}

/** Settings that keep a test or demo workbench quiet and deterministic. */
export const QUIET_SETTINGS = {
  'telemetry.telemetryLevel': 'off',
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'security.workspace.trust.startupPrompt': 'never',
  'security.workspace.trust.banner': 'never',
  'security.workspace.trust.emptyWindow': false,
  'window.restoreWindows': 'none',
  'chat.commandCenter.enabled': false,
};

/**
 * Makes an extension folder (e.g. the repository) an installed extension in
 * `extensionsDir`, by symlink, so the server loads it like any installed one
 * (used by the demo). The server lists installed extensions in
 * `extensions.json`; an entry is added for ours.
 */
export function installExtensionLink(extensionsDir, extensionPath = REPO_ROOT) {
  const manifest = JSON.parse(readFileSync(join(extensionPath, 'package.json'), 'utf8'));
  const id = `${manifest.publisher}.${manifest.name}`;
  const folder = `${id}-${manifest.version}`;
  mkdirSync(extensionsDir, { recursive: true });
  for (const old of readdirSync(extensionsDir)) {
    if (old.startsWith(`${id}-`)) rmSync(join(extensionsDir, old), { recursive: true, force: true });
  }
  symlinkSync(resolve(extensionPath), join(extensionsDir, folder), 'dir');
  const listFile = join(extensionsDir, 'extensions.json');
  const list = existsSync(listFile) ? JSON.parse(readFileSync(listFile, 'utf8')) : [];
  const kept = list.filter((e) => e.identifier?.id?.toLowerCase() !== id.toLowerCase());
  kept.push({
    identifier: { id },
    version: manifest.version,
    location: { $mid: 1, path: join(extensionsDir, folder), scheme: 'file' },
    relativeLocation: folder,
    metadata: { installedTimestamp: Date.now(), source: 'vsix' },
  });
  writeFileSync(listFile, JSON.stringify(kept));
  return { id, folder: join(extensionsDir, folder) };
}

/**
 * The workbench address for a folder; with `extensionDevelopmentPath` (and
 * `extensionTestsPath`) the window loads that extension for development (and
 * runs its tests). The server ignores these options on its own command line,
 * so they travel in the page's `payload` as `vscode-remote://` URIs.
 */
export function workbenchUrl(server, { folder, extensionDevelopmentPath, extensionTestsPath } = {}) {
  const remote = (path) => `vscode-remote://127.0.0.1:${server.port}${path}`;
  const payload = [
    ...(extensionDevelopmentPath ? [['extensionDevelopmentPath', remote(extensionDevelopmentPath)]] : []),
    ...(extensionTestsPath ? [['extensionTestsPath', remote(extensionTestsPath)]] : []),
  ];
  const query = [
    ...(folder ? [`folder=${encodeURIComponent(folder)}`] : []),
    ...(payload.length > 0 ? [`payload=${encodeURIComponent(JSON.stringify(payload))}`] : []),
  ];
  return `${server.url}/${query.length > 0 ? `?${query.join('&')}` : ''}`;
}

/** Environment for the server: ours, minus anything that would tie it to an outer VS Code. */
function serverEnv(extra) {
  const env = { ...process.env };
  for (const key of Object.keys(env)) {
    if (key.startsWith('VSCODE_') || key === 'ELECTRON_RUN_AS_NODE') delete env[key];
  }
  // An explicit `undefined` removes a variable (e.g. an outer DATABASE_URL that tests must not see).
  for (const [key, value] of Object.entries(extra)) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}

/**
 * Starts the VS Code server and resolves once it accepts connections.
 * The extension host it spawns inherits `env`, which is how tests receive
 * facts such as the test database URL.
 *
 * @param {object} o
 * @param {number} [o.port]          default: a free port
 * @param {string} [o.serverDataDir] default: a fresh temporary folder (removed by stop())
 * @param {boolean} [o.trust=true]   false starts with workspace trust enabled (Restricted Mode possible)
 * @param {Record<string,string|undefined>} [o.env] extra variables; undefined removes one
 * @param {object} [o.userSettings]  merged over QUIET_SETTINGS and written before start
 * @param {string} [o.extensionsDir] installed extensions folder (default: inside serverDataDir)
 * @param {string[]} [o.args]        extra server arguments
 * @param {(line: string) => void} [o.onOutput] server stdout/stderr lines (default: dropped)
 * @returns {Promise<{ url: string, port: number, pid: number, serverDataDir: string, stop(): Promise<void> }>}
 */
export async function startVsCodeServer(o = {}) {
  const dir = await ensureVsCodeServer({ log: o.log });
  const port = o.port ?? (await freePort());
  const ownDataDir = !o.serverDataDir;
  const serverDataDir = o.serverDataDir ?? mkdtempSync(join(tmpdir(), 'pg-insight-vscode-'));
  writeUserSettings(serverDataDir, { ...QUIET_SETTINGS, ...(o.userSettings ?? {}) });
  const args = [
    join(dir, 'out', 'server-main.js'),
    '--host', '127.0.0.1',
    '--port', String(port),
    '--without-connection-token',
    '--accept-server-license-terms',
    '--telemetry-level', 'off',
    '--server-data-dir', serverDataDir,
    '--extensions-dir', o.extensionsDir ?? join(serverDataDir, 'extensions'),
    ...(o.trust === false ? [] : ['--disable-workspace-trust']),
    ...(o.args ?? []),
  ];
  // Its own process group, so stop() also ends the extension host and file watchers it spawns.
  const child = spawn(process.execPath, args, {
    cwd: dir, env: serverEnv(o.env ?? {}), detached: true, stdio: ['ignore', 'pipe', 'pipe'],
  });
  const onOutput = o.onOutput ?? (() => undefined);
  let recent = '';
  for (const stream of [child.stdout, child.stderr]) {
    stream.setEncoding('utf8');
    stream.on('data', (d) => {
      recent = (recent + d).slice(-4000);
      for (const line of d.split('\n')) if (line.trim()) onOutput(line);
    });
  }
  let exited = false;
  const exit = new Promise((res) => child.once('exit', () => { exited = true; res(); }));

  const stop = async () => {
    if (!exited) {
      try { process.kill(-child.pid, 'SIGTERM'); } catch { /* already gone */ }
      const killer = setTimeout(() => { try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ } }, 3000);
      await exit;
      clearTimeout(killer);
    }
    // Children of the extension host may outlive the leader briefly: end the group for good.
    try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ }
    if (ownDataDir) rmSync(serverDataDir, { recursive: true, force: true });
  };

  const deadline = Date.now() + 60_000;
  while (!(await canConnect(port))) {
    if (exited) throw new Error(`VS Code server exited before listening:\n${recent}`);
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`VS Code server did not listen on ${port} within 60 s:\n${recent}`);
    }
    await sleep(100);
  }
  return { url: `http://127.0.0.1:${port}`, port, pid: child.pid, serverDataDir, stop };
}

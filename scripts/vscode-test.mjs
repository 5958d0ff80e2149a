#!/usr/bin/env node
// The vscode test tier: PG Insight loaded in a real VS Code extension host,
// driven by a real headless Chromium, against a real PostgreSQL, offline.
//
//   node scripts/vscode-test.mjs [--run <name>]... [--grep <text>] [--timeout <seconds>] [--verbose]
//
// How it works: @vscode/test-electron would download a desktop VS Code, which
// CI cannot do, so a VS Code 1.100.3 server from the npm package code-server
// (scripts/lib/codeServer.mjs, cached under .vscode-test/) serves the workbench,
// and a headless Chromium (scripts/lib/browser.mjs) opens it with our extension
// as the development extension and out/test/vscode/index.js as the test module.
// The extension host is a real Node one (`require('vscode')`, `pg`, fs). The
// workbench forwards the extension host's console to `codeAutomationLog`
// (printed here, so mocha's "N passing" / "N failing" lines reach
// scripts/test.mjs) and reports the end through `codeAutomationExit`.
// Each run: about 6-9 s from launch to exit on 2 cores.
//
// ADDING A RUN: add an entry to test/vscode/runs.mjs (workspace fixture, trusted
// or Restricted Mode, env, user settings, suite patterns). Put its suites in a
// folder of their own under test/vscode/, and its workspace under
// test/fixtures/workspaces/. A run whose patterns match no compiled file is skipped.
//
// WHAT A SUITE RECEIVES (environment of the extension host):
//   PG_INSIGHT_TEST_URL, _HOST, _PORT, _USER, _PASSWORD, _DB   the run's own fresh database
//   PG_INSIGHT_TEST_ADMIN_URL    superuser URL of the server's `postgres` database
//   PG_INSIGHT_TEST_WORKSPACE    the run's workspace copy (also the open folder)
//   PG_INSIGHT_TEST_HOME         HOME of the extension host, empty (e.g. for a ~/.pgpass)
//   PG_INSIGHT_TEST_RUN          the run's name
//   PG_INSIGHT_TEST_BRIDGE, PG_INSIGHT_TEST_BRIDGE_TOKEN   the bridge below
// Outer DATABASE_URL and libpq variables (PGHOST, ...) are removed so they cannot
// leak into connection discovery; a run sets them through its `env` when it wants them.
//
// THE BRIDGE: what a person would see, for tests. The launcher serves a small
// HTTP endpoint on 127.0.0.1; test/vscode/helpers.ts wraps it (`bridge()`,
// `screenshot()`, `webviewText()`, ...). POST /<command> with a JSON body, the
// token in the `x-bridge-token` header; the answer is JSON ({ error } with
// status 500 on failure). Commands, all acting on the run's workbench page:
//   screenshot     { name }                  -> { path }  PNG of the whole workbench, saved in
//                  test-results/screenshots/<name>.png, and in docs/images/<name>.png
//                  when PG_INSIGHT_SCREENSHOTS=1
//   webviews       {}                        -> { webviews: [{ title, url, text }] }
//                  every webview's content frame (title = its HTML <title>)
//   webviewQuery   { title?, selector }      -> { elements: [{ text, attributes }] }
//   webviewClick   { title?, selector }      -> {}  a real mouse click inside the webview
//   workbenchQuery { selector }              -> { elements: [{ text, attributes }] }
//                  (status bar, notifications, quick input, ...)
//   workbenchClick { selector }              -> {}
//   press          { key }                   -> {}  keyboard on the focused element ("Escape", "Enter")
// `title` picks the webview whose document title contains it; without it there must be exactly one.
// The bridge exists only in this launcher: under scripts/test-desktop.mjs the
// helpers report it unavailable (`bridgeAvailable()` is false).
// Selectors that work in this workbench: our status bar item
// `.statusbar-item[id="pg-insight.pg-insight"]` (or the id given to
// createStatusBarItem), notification toasts
// `.notifications-toasts .notification-list-item`, quick pick rows
// `.quick-input-widget .monaco-list-row` (then `press { key: 'Enter' }`).
//
// GOOD TO KNOW: while extension tests run, the workbench refuses modal dialogs:
// `showWarningMessage(..., { modal: true })` rejects with "DialogService: refused
// to show dialog in tests" (on desktop too), so a confirmation must be answerable
// another way in tests (e.g. a setting that turns it off). Non-modal messages and
// quick picks work and can be read and answered through the bridge. Test windows
// use the light default theme whatever the settings say.
//
// Exit code: 0 when every run passed, 1 otherwise (a crash or timeout fails its run).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, copyFileSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { format } from 'node:util';
import { ensureVsCodeServer, startVsCodeServer, workbenchUrl, REPO_ROOT } from './lib/codeServer.mjs';
import { launchBrowser } from './lib/browser.mjs';
import { TEST_OUT, compiled, prepareRun, selectRuns } from './lib/vscodeRun.mjs';
import RUNS from '../test/vscode/runs.mjs';

const argv = process.argv.slice(2);
const optionValues = (flag) => argv.flatMap((a, i) => (a === flag && argv[i + 1] ? [argv[i + 1]] : []));
const onlyRuns = optionValues('--run');
const grep = optionValues('--grep')[0];
const timeoutOverride = optionValues('--timeout')[0];
const verbose = argv.includes('--verbose') || process.env.PG_INSIGHT_TEST_VERBOSE === '1';
const SHOTS = join(REPO_ROOT, 'test-results', 'screenshots');

const log = (m) => console.log(`[vscode] ${m}`);
const seconds = (t) => `${((performance.now() - t) / 1000).toFixed(1)} s`;

// Everything started is registered here so that any ending (success, failure,
// timeout, Ctrl+C) stops it, newest first.
const cleanups = [];
async function cleanupAll() {
  while (cleanups.length > 0) {
    const fn = cleanups.pop();
    try { await fn(); } catch (e) { console.error(`[vscode] cleanup: ${e.message}`); }
  }
}
let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    log(`${signal}: stopping`);
    void cleanupAll().finally(() => process.exit(130));
  });
}

function ensureBuilt() {
  if (existsSync(join(REPO_ROOT, 'dist', 'extension.js')) && existsSync(join(TEST_OUT, 'index.js'))) return;
  log('build output missing: node esbuild.mjs');
  const r = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: REPO_ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('build failed');
  if (!existsSync(join(TEST_OUT, 'index.js'))) throw new Error(`the build did not produce ${join(TEST_OUT, 'index.js')}`);
}

/** The bridge between a test in the extension host and the workbench page (see the header). */
/** True when README.md shows docs/images/<name>.png. */
function readmeShows(name) {
  return readFileSync(join(REPO_ROOT, 'README.md'), 'utf8').includes(`docs/images/${name}.png`);
}

function startBridge(page, token, shotPrefix = '') {
  const contentFrames = async () => {
    // A webview is an outer iframe (VS Code's host page) holding the content frame
    // with the extension's HTML; only frames whose parent is such a host count.
    const frames = page.frames().filter((f) => {
      const parent = f.parentFrame();
      return parent && parent !== page.mainFrame() && /\/webview\/|index\.html\?id=/.test(parent.url());
    });
    const described = [];
    for (const frame of frames) {
      try {
        described.push({ frame, title: await frame.title(), url: frame.url() });
      } catch { /* frame went away while we looked */ }
    }
    return described;
  };
  const pick = async (title) => {
    const all = await contentFrames();
    const matching = title === undefined ? all : all.filter((w) => w.title.includes(title));
    if (matching.length !== 1) {
      throw new Error(`expected one webview${title === undefined ? '' : ` titled "${title}"`}, found ${matching.length} (${all.map((w) => JSON.stringify(w.title)).join(', ') || 'none'})`);
    }
    return matching[0].frame;
  };
  const query = (target, selector) => target.$$eval(selector, (els) => els.map((el) => ({
    text: el.innerText ?? el.textContent ?? '',
    attributes: Object.fromEntries([...el.attributes].map((a) => [a.name, a.value])),
  })));
  const commands = {
    async screenshot({ name }) {
      if (!/^[\w.-]+$/.test(name ?? '')) throw new Error(`screenshot name must be letters, digits, '.', '-' or '_': ${name}`);
      mkdirSync(SHOTS, { recursive: true });
      const path = join(SHOTS, `${shotPrefix}${name}.png`);
      await page.screenshot({ path });
      // docs/images holds the pictures the README shows, from the main runs; a run on another
      // server keeps its own, prefixed, under test-results only.
      if (process.env.PG_INSIGHT_SCREENSHOTS === '1' && shotPrefix === '' && readmeShows(name)) {
        const docs = join(REPO_ROOT, 'docs', 'images');
        mkdirSync(docs, { recursive: true });
        copyFileSync(path, join(docs, `${name}.png`));
      }
      return { path };
    },
    async webviews() {
      const all = await contentFrames();
      const out = [];
      for (const w of all) out.push({ title: w.title, url: w.url, text: await w.frame.evaluate(() => document.body?.innerText ?? '') });
      return { webviews: out };
    },
    async webviewQuery({ title, selector }) {
      return { elements: await query(await pick(title), selector) };
    },
    async webviewClick({ title, selector }) {
      await (await pick(title)).click(selector, { timeout: 10_000 });
      return {};
    },
    async workbenchQuery({ selector }) {
      return { elements: await query(page.mainFrame(), selector) };
    },
    async workbenchClick({ selector }) {
      await page.click(selector, { timeout: 10_000 });
      return {};
    },
    async press({ key }) {
      await page.keyboard.press(key);
      return {};
    },
  };
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', async () => {
      const reply = (status, value) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(value));
      };
      const command = commands[(req.url ?? '').slice(1)];
      if (req.method !== 'POST' || req.headers['x-bridge-token'] !== token) return reply(403, { error: 'forbidden' });
      if (!command) return reply(404, { error: `unknown bridge command ${req.url}; known: ${Object.keys(commands).join(', ')}` });
      try {
        reply(200, await command(body ? JSON.parse(body) : {}));
      } catch (e) {
        reply(500, { error: e.message });
      }
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve({
      url: `http://127.0.0.1:${server.address().port}`,
      close: () => new Promise((r) => { server.closeAllConnections?.(); server.close(() => r()); }),
    }));
  });
}

/**
 * One run: database, workspace, bridge, server, browser. Resolves with the test
 * module's exit code, or 1 with a reason on a timeout or crash, once all of it
 * is stopped; never rejects, so the next run still happens.
 */
async function runOne(run, pg) {
  const started = performance.now();
  const timeoutMs = timeoutOverride ? Number(timeoutOverride) * 1000 : run.timeoutMs ?? 300_000;
  const runCleanups = [];
  const later = (fn) => { runCleanups.push(fn); cleanups.push(fn); };
  let settle;
  const ended = new Promise((resolve) => { settle = resolve; });
  const timer = setTimeout(() => settle({ code: 1, reason: `timed out after ${timeoutMs / 1000} s` }), timeoutMs);
  let finished = false;
  let browser;
  const serverLines = [];
  try {
    const prepared = await prepareRun(run, pg, { grep });
    later(() => prepared.dispose());

    browser = await launchBrowser();
    later(() => browser.close());
    const { page } = browser;
    const token = randomBytes(16).toString('hex');
    const bridge = await startBridge(page, token, run.server ? `${run.server}-` : '');
    later(() => bridge.close());

    const server = await startVsCodeServer({
      trust: run.trusted !== false,
      env: { ...prepared.env, PG_INSIGHT_TEST_BRIDGE: bridge.url, PG_INSIGHT_TEST_BRIDGE_TOKEN: token },
      userSettings: prepared.userSettings,
      onOutput: (line) => {
        if (verbose) console.log(`[server] ${line}`);
        serverLines.push(line);
        if (serverLines.length > 200) serverLines.shift();
      },
    });
    later(() => server.stop());

    await page.exposeFunction('codeAutomationLog', (type, message) => printWorkbenchLog(type, message, () => finished));
    await page.exposeFunction('codeAutomationExit', (code) => settle({ code: Number(code) }));
    page.on('crash', () => settle({ code: 1, reason: 'the workbench page crashed' }));
    if (verbose) page.on('console', (m) => console.log(`[page:${m.type()}] ${m.text()}`));

    const target = workbenchUrl(server, {
      folder: prepared.workspace,
      extensionDevelopmentPath: REPO_ROOT,
      extensionTestsPath: join(TEST_OUT, 'index.js'),
    });
    page.goto(target, { waitUntil: 'domcontentloaded', timeout: 60_000 }).catch((e) => settle({ code: 1, reason: `the workbench did not load: ${e.message}` }));
  } catch (e) {
    settle({ code: 1, reason: e.message });
  }
  const result = await ended;
  // What the workbench says after the tests (e.g. the connection closing) is not theirs.
  finished = true;
  clearTimeout(timer);
  if (result.reason) {
    log(`run ${run.name}: ${result.reason}`);
    if (!verbose) for (const line of serverLines.slice(-30)) console.log(`[server] ${line}`);
  }
  if (result.code !== 0 && browser) {
    mkdirSync(SHOTS, { recursive: true });
    await browser.page.screenshot({ path: join(SHOTS, `${run.name}-at-failure.png`), timeout: 5000 }).catch(() => undefined);
  }
  // The browser goes first so that it does not watch the server disappear; then newest first.
  if (browser) await browser.close();
  while (runCleanups.length > 0) {
    const fn = runCleanups.pop();
    cleanups.splice(cleanups.indexOf(fn), 1);
    try { await fn(); } catch (e) { console.error(`[vscode] cleanup: ${e.message}`); }
  }
  return { code: result.code, seconds: (performance.now() - started) / 1000, reason: result.reason };
}

// Workbench chatter and known harmless failures of this host (no native spdlog or
// watchdog build, no marketplace, no service worker); shown only with --verbose.
const NOISE = [
  /^Resolv(ing|ed) connection token/,
  /^Creating a socket/,
  /^Updating additional builtin extensions cache/,
  /^ChatSessionStore:/,
  /^\[Service Worker\]/,
  /open-vsx\.org|marketplace/i,
  /spdlog|native-watchdog|Release\/watchdog/,
  /^\[remote-connection\]/,
  /^Extension host \(Remote\) is unresponsive|^Extension host \(Remote\) is responsive/,
];

/**
 * The workbench's own log and the extension host's console both arrive here as
 * console-style arguments (a format string and values). The extension host's
 * output (mocha's report, console.log in tests) is printed as is.
 */
function printWorkbenchLog(type, message, finished) {
  if (finished()) return;
  const text = Array.isArray(message) ? format(...message) : String(message);
  if (verbose) console.log(`[${type}] ${text}`);
  else if (!NOISE.some((re) => re.test(text))) console.log(text);
}

async function main() {
  const t0 = performance.now();
  ensureBuilt();
  const runs = selectRuns(RUNS, onlyRuns, log);
  if (runs.length === 0) throw new Error('no run has suites');

  await ensureVsCodeServer({ log });
  const { startTestPostgres, startDebianPostgres15 } = compiled();
  const tPg = performance.now();
  const pg = await startTestPostgres();
  cleanups.push(() => pg.stop());
  log(`PostgreSQL ${pg.major} on ${pg.host}:${pg.port} ready in ${seconds(tPg)}`);
  // Debian's PostgreSQL 15, started once for the runs that ask for it (`server: 'pg15'`).
  let pg15;
  const serverFor = async (run) => {
    if (run.server !== 'pg15') return pg;
    if (pg15 === undefined) {
      const t = performance.now();
      pg15 = await startDebianPostgres15();
      if (pg15) {
        const started = pg15;
        cleanups.push(() => started.stop());
        log(`PostgreSQL ${pg15.major} (Debian) on ${pg15.host}:${pg15.port} ready in ${seconds(t)}`);
      }
    }
    return pg15;
  };

  const results = [];
  for (const run of runs) {
    if (interrupted) break;
    const server = await serverFor(run);
    if (!server) {
      log(`run ${run.name}: skipped, PostgreSQL 15 is not installed (/usr/lib/postgresql/15/bin; .ci/run installs it)`);
      results.push({ name: run.name, code: 0, seconds: 0, reason: 'skipped: no PostgreSQL 15' });
      continue;
    }
    log(`run ${run.name}: workspace ${run.workspace}, ${run.trusted === false ? 'Restricted Mode' : 'trusted'}, PostgreSQL ${server.major}, suites ${run.suites.join(', ')}`);
    const r = await runOne(run, server);
    results.push({ name: run.name, ...r });
    log(`run ${run.name}: ${r.code === 0 ? 'passed' : 'FAILED'} in ${r.seconds.toFixed(1)} s`);
  }
  await cleanupAll();
  for (const r of results) log(`${r.name.padEnd(12)} ${r.code === 0 ? 'ok    ' : 'FAILED'} ${r.seconds.toFixed(1)} s${r.reason ? ` (${r.reason})` : ''}`);
  log(`total ${seconds(t0)}`);
  return results.every((r) => r.code === 0) && !interrupted ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  async (e) => {
    console.error(`[vscode] ${e.stack ?? e}`);
    await cleanupAll();
    process.exit(1);
  },
);

#!/usr/bin/env node
// Checks `npm run demo` end to end, as a person would use it, and takes the
// README's screenshot:
//   1. starts scripts/demo.mjs in its own process group and waits for the URL;
//   2. opens it in headless Chromium, waits for the workbench, for PG
//      Insight's status bar item to show the connected demo database, and
//      opens a file of the demo workspace;
//   3. saves a screenshot (default docs/images/demo-workbench.png);
//   4. sends SIGINT to the demo's process group, as Ctrl+C in a terminal does,
//      and checks that every process the demo started has ended and that its
//      ports are closed.
//
//   node scripts/demo-check.mjs [--out file.png] [--open relative/path] [--line N] [--keep-open]
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser } from './lib/browser.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const arg = (name, fallback) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : fallback);
const OUT = resolve(ROOT, arg('--out', 'docs/images/demo-workbench.png'));
const OPEN = arg('--open', 'src/payrolls/dashboard.ts');
const LINE = Number(arg('--line', '60'));

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const log = (m) => console.log(`[demo-check] ${m}`);

async function waitFor(what, fn, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await sleep(200);
  }
}

/** Every process below `pid`, by parent links in /proc (other process groups included). */
function descendants(pid) {
  const children = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid).push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  const found = [];
  const queue = [pid];
  while (queue.length) {
    for (const child of children.get(queue.shift()) ?? []) {
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

function alive(pid) {
  try {
    // A zombie has exited; only its parent's bookkeeping is left.
    return !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');
  } catch {
    return false;
  }
}

function listening(port) {
  return new Promise((res) => {
    const s = connect({ host: '127.0.0.1', port });
    s.once('connect', () => { s.destroy(); res(true); });
    s.once('error', () => res(false));
  });
}

const demo = spawn(process.execPath, ['scripts/demo.mjs'], { cwd: ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
let output = '';
for (const stream of [demo.stdout, demo.stderr]) {
  stream.setEncoding('utf8');
  stream.on('data', (d) => { output += d; process.stdout.write(d); });
}
let demoExited = false;
demo.once('exit', () => { demoExited = true; });

let browser;
let failure;
let processes = [];
let ports = [];
try {
  const url = await waitFor('the demo URL', () => {
    if (demoExited) throw new Error('the demo exited before it was ready');
    return output.match(/Open in a browser:\s+(\S+)/)?.[1];
  }, 10 * 60_000);
  ports = [Number(new URL(url).port), Number(output.match(/Database:\s+\S+@[^:]+:(\d+)\//)?.[1])];
  processes = descendants(demo.pid);
  log(`demo ready: ${processes.length} processes below pid ${demo.pid}, ports ${ports.join(', ')}`);

  browser = await launchBrowser({ viewport: { width: 1440, height: 900 } });
  const { page } = browser;
  const started = Date.now();
  await page.goto(url);
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  log(`workbench up in ${((Date.now() - started) / 1000).toFixed(1)} s (${browser.source})`);
  const item = page.locator('#workbench\\.parts\\.statusbar .statusbar-item', { hasText: /PG Insight|· PG \d+/ });
  await item.first().waitFor({ timeout: 60_000 });
  // Connected means "<name> · PG <version>"; anything else after 30 s is a failure to show.
  const connected = page.locator('#workbench\\.parts\\.statusbar .statusbar-item', { hasText: /· PG \d+/ });
  try {
    await connected.first().waitFor({ timeout: 30_000 });
  } catch {
    throw new Error(`PG Insight did not connect: the status bar says "${(await item.first().innerText()).trim()}"`);
  }
  log(`status bar: "${(await connected.first().innerText()).trim()}"`);

  // Open a file of the demo app from the Explorer, as a person would: folders expand, the file opens pinned.
  const segments = OPEN.split('/');
  for (const [i, name] of segments.entries()) {
    const row = page.locator('.explorer-folders-view').getByRole('treeitem', { name, exact: true }).first();
    await row.waitFor({ timeout: 20_000 });
    if (i < segments.length - 1) await row.click();
    else await row.dblclick();
  }
  const tabName = segments.at(-1);
  await page.locator('.tabs-container .tab', { hasText: tabName }).first().waitFor({ timeout: 20_000 });
  await page.locator('.monaco-editor .view-lines').first().waitFor({ timeout: 20_000 });
  // Show the N+1 loop: Go to Line centres the line in the editor.
  if (LINE) {
    await page.keyboard.press('Control+G');
    await page.locator('.quick-input-widget input').waitFor({ timeout: 10_000 });
    await page.keyboard.type(String(LINE));
    await page.keyboard.press('Enter');
    await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10_000 });
  }
  // Wait until the other extensions have settled, so the status bar is the one a person sees.
  await waitFor('extensions to finish activating', async () => (await page.locator('#workbench\\.parts\\.statusbar', { hasText: 'Activating Extensions' }).count()) === 0, 30_000);
  // Let the editor finish its first paint (syntax colours arrive asynchronously).
  await waitFor('syntax highlighting', () => page.locator('.monaco-editor .view-lines span.mtk5, .monaco-editor .view-lines span.mtk6').count(), 20_000);
  // The language server's spinner settles a little later; a still status bar reads better (best effort).
  await waitFor('a still status bar', async () => (await page.locator('#workbench\\.parts\\.statusbar .codicon-modifier-spin').count()) === 0, 20_000).catch(() => undefined);
  // Hover the connection item: its tooltip says where the connection came from (the workspace's .env).
  await connected.first().hover();
  await page.locator('.monaco-hover, .workbench-hover').first().waitFor({ timeout: 10_000 }).catch(() => log('no tooltip appeared'));

  mkdirSync(dirname(OUT), { recursive: true });
  await page.screenshot({ path: OUT });
  log(`screenshot: ${OUT}`);
  if (argv.includes('--keep-open')) {
    log('--keep-open: the demo keeps running; press Ctrl+C to end');
    await new Promise(() => undefined);
  }
} catch (e) {
  failure = e;
  // What the page showed when it went wrong says more than the timeout does.
  const shot = join(tmpdir(), 'pg-insight-demo-check-failure.png');
  if (await browser?.page.screenshot({ path: shot }).then(() => true, () => false)) log(`failure screenshot: ${shot}`);
} finally {
  await browser?.close();
}

// Stop the demo as Ctrl+C would: SIGINT to its whole process group.
const stopStarted = Date.now();
try { process.kill(-demo.pid, 'SIGINT'); } catch { /* already gone */ }
try {
  await waitFor('the demo to exit', () => demoExited, 30_000);
  await waitFor('every demo process to end', () => processes.every((p) => !alive(p)), 15_000);
  for (const port of ports) {
    if (port && (await listening(port))) throw new Error(`port ${port} is still open after the demo stopped`);
  }
  log(`stopped in ${((Date.now() - stopStarted) / 1000).toFixed(1)} s; none of its ${processes.length} processes is left, ports closed`);
} catch (e) {
  const left = processes.filter(alive).map((p) => `${p} ${readFileSync(`/proc/${p}/cmdline`, 'utf8').replace(/\0/g, ' ').slice(0, 120)}`);
  console.error(`[demo-check] ${e.message}${left.length ? `\nstill running:\n  ${left.join('\n  ')}` : ''}`);
  failure ??= e;
}

if (failure) {
  console.error(`[demo-check] FAILED: ${failure.message}`);
  process.exit(1);
}
log('ok');

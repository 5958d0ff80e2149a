// A headless Chromium driven by playwright-core, for the vscode test tier and
// screenshots. Nothing is downloaded: the browser is, in order of preference,
//   1. the executable named by PG_INSIGHT_CHROMIUM,
//   2. a system Chromium or Chrome (/usr/bin/chromium, google-chrome, ...),
//   3. the one shipped inside the npm package @sparticuz/chromium (Linux x64),
//      which executablePath() unpacks into the temporary folder.
import { existsSync } from 'node:fs';

const SYSTEM_BROWSERS = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
];

// Flags checked with the VS Code workbench on these machines: no sandbox (we run
// as root in containers), no GPU, and nothing that phones home.
const COMMON_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--no-default-browser-check',
];

/** @returns {Promise<{ executablePath: string, args: string[], source: string }>} */
export async function findChromium() {
  const fromEnv = process.env.PG_INSIGHT_CHROMIUM;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`PG_INSIGHT_CHROMIUM=${fromEnv} does not exist`);
    return { executablePath: fromEnv, args: COMMON_FLAGS, source: 'PG_INSIGHT_CHROMIUM' };
  }
  const system = SYSTEM_BROWSERS.find((p) => existsSync(p));
  if (system) return { executablePath: system, args: COMMON_FLAGS, source: system };
  const { default: chromium } = await import('@sparticuz/chromium');
  // Its own flags matter: that build only runs as a single process, in headless-shell mode.
  const args = [...new Set([...chromium.args, ...COMMON_FLAGS])];
  return { executablePath: await chromium.executablePath(), args, source: '@sparticuz/chromium' };
}

/**
 * Launches Chromium with a fresh profile and one page.
 * @param {{ headless?: boolean, viewport?: { width: number, height: number } }} [o]
 * @returns {Promise<{ browser: import('playwright-core').Browser, context: import('playwright-core').BrowserContext, page: import('playwright-core').Page, source: string, close(): Promise<void> }>}
 */
export async function launchBrowser(o = {}) {
  const { chromium } = await import('playwright-core');
  const found = await findChromium();
  // launch() (not launchPersistentContext) gives every browser a fresh, throw-away profile.
  const browser = await chromium.launch({ executablePath: found.executablePath, args: found.args, headless: o.headless ?? true });
  const context = await browser.newContext({ viewport: o.viewport ?? { width: 1440, height: 900 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  let closed = false;
  return {
    browser,
    context,
    page,
    source: found.source,
    async close() {
      if (closed) return;
      closed = true;
      await Promise.race([browser.close().catch(() => undefined), new Promise((r) => setTimeout(r, 5000))]);
    },
  };
}

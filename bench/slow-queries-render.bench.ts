/**
 * The slow queries table with 5,000 statements in a real Chromium: first
 * render, a sort and a filter through the panel's own code (virtualised:
 * only the rows in view exist), against a plain table of the same rows and
 * cells in the same browser and run. The issue's target is under 100 ms for
 * each; the figures are reported, not asserted.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { pageBundle } from './pageBundle';
import { fmt, median, percentile } from './stats';

const ROWS = 5000;
const RUNS = 15;
const ROOT = join(__dirname, '..', '..');

interface BrowserLib {
  launchBrowser(o?: { viewport?: { width: number; height: number } }): Promise<{ page: Page; source: string; close(): Promise<void> }>;
}

interface Figures {
  render: number[];
  sort: number[];
  filter: number[];
  selectOnly: number[];
  domRows: number;
}

async function main(): Promise<void> {
  const script = await pageBundle(join(ROOT, 'bench', 'slow-queries-page.ts'));
  const css = ['webview/common/base.css', 'webview/slow-queries/slow-queries.css'].map((f) => readFileSync(join(ROOT, f), 'utf8')).join('\n');
  // scripts/lib/browser.mjs is an ES module: esbuild keeps this dynamic import as it is in the CommonJS output.
  const lib = (await import(pathToFileURL(join(ROOT, 'scripts', 'lib', 'browser.mjs')).href)) as BrowserLib;
  const browser = await lib.launchBrowser({ viewport: { width: 1440, height: 900 } });
  try {
    const page = browser.page;
    await page.setContent('<!DOCTYPE html><html><head><meta charset="utf-8"></head><body><div id="root"></div></body></html>');
    await page.addStyleTag({ content: css });
    await page.addScriptTag({ content: script });
    const run = async (kind: 'virtual' | 'plain'): Promise<Figures> => (await page.evaluate(([k, n, r]) => window.slowQueriesBench(k, n, r), [kind, ROWS, RUNS] as const)) as unknown as Figures;
    // Warm-up of both, then the measured runs.
    await page.evaluate(() => window.slowQueriesBench('virtual', 500, 2));
    await page.evaluate(() => window.slowQueriesBench('plain', 500, 2));
    const virtual = await run('virtual');
    const plainTable = await run('plain');
    console.log(`Chromium (${browser.source}), ${ROWS} statements, ${RUNS} runs each; times include a forced layout`);
    console.log(`rows in the DOM after the last filter: virtualised ${virtual.domRows}, plain table ${plainTable.domRows}`);
    console.log(`sorting alone (selectRows on ${ROWS} rows): median ${fmt(median(virtual.selectOnly))}`);
    for (const op of ['render', 'sort', 'filter'] as const) {
      const v = virtual[op];
      const p = plainTable[op];
      const line = (name: string, t: number[]) => `${name.padEnd(34)} median ${fmt(median(t)).padStart(10)}  p95 ${fmt(percentile(t, 95)).padStart(10)}`;
      console.log(line(`${op}, plain table (baseline)`, p));
      console.log(`${line(`${op}, virtualised panel table`, v)}  ratio ${(median(v) / median(p)).toFixed(3)}`);
    }
  } finally {
    await browser.close();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});

/**
 * A plan of 1,000 nodes (and one of 5,000): the time to parse and enrich
 * it, run the tip rules, build the view model and the payload the plan view
 * receives (the host's side), then to render it with the plan webview's own
 * code in a real headless Chromium (launched as the vscode tier and
 * slow-queries-render.bench.ts do), against a bare nested list of the same
 * labels in the same page. Figures are reported, not asserted.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { pageBundle } from './pageBundle';
import { analysePlan, buildViewModel, enrichPlan, findTips, parseExplain } from '../src/core/plan';
import type { PlanRecord } from '../src/explain/history';
import { planPayload } from '../src/explain/payloads';
import { fmt, median, percentile, timeSync } from './stats';
import { countNodes, syntheticPlan } from './synthetic-plan';

/** Plan sizes and how many times each is measured (fewer for the large plan, to keep the run short). */
const SIZES = [
  { nodes: 1000, hostRuns: 25, browserRuns: 12 },
  { nodes: 5000, hostRuns: 8, browserRuns: 5 },
];
const ROOT = join(__dirname, '..', '..');

interface BrowserLib {
  launchBrowser(o?: { viewport?: { width: number; height: number } }): Promise<{ page: Page; source: string; close(): Promise<void> }>;
}


function record(plan: unknown): PlanRecord {
  return {
    id: 'bench', fingerprint: 'bench', sql: 'SELECT 1 /* a synthetic plan */', options: { analyze: true, buffers: true }, parameters: 'none',
    at: new Date().toISOString(), connection: 'bench', serverVersion: '18.4', durationMs: 12, rolledBack: false, statementType: 'SELECT', plan,
  };
}


const line = (name: string, t: number[], base?: number[]) =>
  `${name.padEnd(52)} median ${fmt(median(t)).padStart(10)}  p95 ${fmt(percentile(t, 95)).padStart(10)}${base ? `  ratio ${(median(t) / median(base)).toFixed(2)}` : ''}`;

async function main(): Promise<void> {
  const plans = SIZES.map((size) => {
    const plan = syntheticPlan(size.nodes);
    return { ...size, n: countNodes(plan), plan, json: JSON.stringify(plan) };
  });

  console.log(`host side (Node ${process.version}), after 3 warm-up runs`);
  const payloads: string[] = [];
  for (const p of plans) {
    const enrichTimes = timeSync(p.hostRuns, () => enrichPlan(parseExplain(p.json)));
    const enriched = enrichPlan(parseExplain(p.json));
    const tipTimes = timeSync(p.hostRuns, () => findTips(enriched));
    const tips = findTips(enriched);
    const viewTimes = timeSync(p.hostRuns, () => buildViewModel(enriched, tips));
    const analyseTimes = timeSync(p.hostRuns, () => analysePlan(p.json));
    const payloadTimes = timeSync(p.hostRuns, () => JSON.stringify(planPayload(record(p.plan), 1)));
    const payloadJson = JSON.stringify(planPayload(record(p.plan), 1));
    payloads.push(payloadJson);
    console.log(`${p.n} nodes, ${p.hostRuns} runs (EXPLAIN JSON ${(p.json.length / 1024).toFixed(0)} kB, payload ${(payloadJson.length / 1024).toFixed(0)} kB, ${tips.length} tips kept)`);
    console.log(line('  parse + enrich', enrichTimes));
    console.log(line('  tip rules (14 per node) and ranking', tipTimes));
    console.log(line('  view model', viewTimes));
    console.log(line('  analysePlan (all of the above + text plan)', analyseTimes));
    console.log(line('  payload for the webview, serialised', payloadTimes));
  }

  const script = (await pageBundle(join(ROOT, 'bench', 'plan-render-page.ts'))) + '\n' + (await pageBundle(join(ROOT, 'webview', 'plan', 'main.ts')));
  // scripts/lib/browser.mjs is an ES module: esbuild keeps this dynamic import as it is in the CommonJS output.
  const lib = (await import(pathToFileURL(join(ROOT, 'scripts', 'lib', 'browser.mjs')).href)) as BrowserLib;
  const browser = await lib.launchBrowser({ viewport: { width: 1440, height: 900 } });
  try {
    const page = browser.page;
    await page.setContent('<!DOCTYPE html><html><head><meta charset="utf-8"></head><body><div id="root"></div><div id="plain"></div></body></html>');
    await page.addScriptTag({ content: script });
    console.log(`\nChromium (${browser.source}), after a warm-up render; the plan webview's own code from the host's message`);
    for (let i = 0; i < plans.length; i++) {
      const json = payloads[i]!;
      await page.evaluate(([j]) => window.planRenderBench(j, 1), [json] as const);
      const f = await page.evaluate(([j, r]) => window.planRenderBench(j, r), [json, plans[i]!.browserRuns] as const);
      console.log(`${plans[i]!.n} nodes, ${plans[i]!.browserRuns} renders: ${f.domElements} elements in the view, ${f.treeRows} tree rows built (virtualised)`);
      console.log(line('  payload JSON.parse in the page', f.parse));
      console.log(line('  bare nested list of the labels (baseline)', f.plainList));
      console.log(line('  plan view: message to forced layout', f.render, f.plainList));
      console.log(line('  plan view: message to next frame', f.frame, f.plainList));
      if (f.expandAll.length > 0) console.log(line('  "Expand all" to next frame', f.expandAll));
    }
  } finally {
    await browser.close();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});

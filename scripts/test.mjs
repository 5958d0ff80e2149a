#!/usr/bin/env node
// `npm test`: build, type-check, lint, then the three tiers (unit, db, vscode).
// Each tier is a child process whose mocha summary we read; the run ends with
// one line "N passed, N failed" so CI can read it. `npm test -- unit` (or db,
// vscode) runs one tier.
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';

const requested = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const tiers = requested.length > 0 ? requested : ['unit', 'db', 'vscode'];
const skipStatic = process.argv.includes('--no-static') || requested.length > 0;

function run(cmd, args, { capture = false, env = {} } = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    let out = '';
    const forward = (stream, target) => stream.on('data', (d) => { out += d; target.write(d); });
    forward(child.stdout, process.stdout);
    forward(child.stderr, process.stderr);
    child.on('close', (code) => resolve({ code: code ?? 1, out: capture ? out : '' }));
  });
}

/** Reads mocha's own summary lines ("12 passing", "1 failing", "2 pending"). */
function counts(out) {
  const pick = (word) => {
    const all = [...out.matchAll(new RegExp(`^\\s*(\\d+) ${word}`, 'gm'))];
    return all.reduce((sum, m) => sum + Number(m[1]), 0);
  };
  return { passed: pick('passing'), failed: pick('failing'), pending: pick('pending') };
}

const started = performance.now();
const results = [];
let staticFailed = false;

const build = await run('node', ['esbuild.mjs']);
if (build.code !== 0) { console.error('build failed'); process.exit(1); }

if (!skipStatic) {
  for (const [name, args] of [['typecheck', ['node_modules/typescript/bin/tsc', '--noEmit', '-p', '.']], ['lint', ['node_modules/eslint/bin/eslint.js', '.']]]) {
    const t = performance.now();
    const r = await run('node', args);
    console.log(`\n[${name}] ${r.code === 0 ? 'ok' : 'FAILED'} in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    if (r.code !== 0) staticFailed = true;
  }
}

const tierCommands = {
  unit: ['node_modules/mocha/bin/mocha.js', '--recursive', '--reporter', 'spec', 'out/test/unit'],
  db: ['node_modules/mocha/bin/mocha.js', '--recursive', '--reporter', 'spec', '--timeout', '60000', '--require', 'out/test/db/setup.js', 'out/test/db'],
  vscode: ['scripts/vscode-test.mjs'],
};

for (const tier of tiers) {
  const args = tierCommands[tier];
  if (!args) { console.error(`unknown tier "${tier}" (unit, db, vscode)`); process.exit(2); }
  console.log(`\n=== ${tier} tier ===`);
  const t = performance.now();
  const r = await run('node', args, { capture: true });
  const c = counts(r.out);
  // A tier that crashed before reporting counts as one failure, never as a pass.
  if (r.code !== 0 && c.failed === 0) c.failed = 1;
  results.push({ tier, ...c, seconds: (performance.now() - t) / 1000, code: r.code });
}

console.log('\n=== summary ===');
for (const r of results) {
  console.log(`${r.tier.padEnd(7)} ${String(r.passed).padStart(4)} passed ${String(r.failed).padStart(3)} failed ${String(r.pending).padStart(3)} pending  ${r.seconds.toFixed(1)} s`);
}
if (staticFailed) console.log('typecheck/lint: FAILED');
const total = results.reduce((a, r) => ({ passed: a.passed + r.passed, failed: a.failed + r.failed }), { passed: 0, failed: 0 });
const failed = total.failed + (staticFailed ? 1 : 0);
console.log(`wall time ${((performance.now() - started) / 1000).toFixed(1)} s`);
console.log(`${total.passed} passed, ${failed} failed`);
process.exit(failed === 0 && results.every((r) => r.code === 0) ? 0 : 1);

#!/usr/bin/env node
// `npm run bench`: builds, then runs every benchmark under bench/ (files named
// *.bench.ts, compiled to out/bench/*.bench.js) one after another. Each prints
// its own figures and its ratio against a baseline measured in the same run.
// Benchmarks never assert timings; they report. `npm run bench -- <name>` runs
// the benchmarks whose file name contains <name>.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const filters = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const build = spawnSync('node', ['esbuild.mjs'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

const dir = join('out', 'bench');
const files = existsSync(dir)
  ? readdirSync(dir).filter((f) => f.endsWith('.bench.js') && (filters.length === 0 || filters.some((n) => f.includes(n)))).sort()
  : [];
if (files.length === 0) {
  console.error(filters.length ? `no benchmark matches ${filters.join(', ')}` : 'no benchmarks found under bench/');
  process.exit(2);
}
let failed = 0;
for (const file of files) {
  console.log(`\n=== ${file.replace(/\.bench\.js$/, '')} ===`);
  const r = spawnSync('node', [join(dir, file)], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exit(failed === 0 ? 0 : 1);

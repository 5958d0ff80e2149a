// Builds the extension (node/cjs, `vscode` external), the webview bundles
// (browser/iife) and, for the test tiers, a transpiled copy of src/ and test/
// under out/. Type checking is separate: `npm run typecheck`.
import * as esbuild from 'esbuild';
import { cpSync, mkdirSync, readdirSync, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const onlyTests = process.argv.includes('--tests');

function filesUnder(dir, suffix) {
  if (!existsSync(dir)) return [];
  const found = [];
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) found.push(...filesUnder(full, suffix));
    else if (name.endsWith(suffix) && !name.endsWith('.d.ts')) found.push(full);
  }
  return found;
}

/** The PostgreSQL grammar ships as WebAssembly; it must sit next to the bundle. */
function copyWasm() {
  mkdirSync('dist', { recursive: true });
  cpSync('node_modules/libpg-query/wasm/libpg-query.wasm', 'dist/libpg-query.wasm');
  // The source code grammars (src/core/code/grammar.ts asks the edge for these by name).
  for (const name of ['tree-sitter', 'tree-sitter-typescript', 'tree-sitter-tsx', 'tree-sitter-javascript', 'tree-sitter-python', 'tree-sitter-go', 'tree-sitter-ruby']) {
    cpSync(`node_modules/@vscode/tree-sitter-wasm/wasm/${name}.wasm`, `dist/${name}.wasm`);
  }
}

/** Webviews load the codicon font and its stylesheet from dist/webview (their only resource root). */
function copyCodicons() {
  mkdirSync('dist/webview', { recursive: true });
  for (const file of ['codicon.css', 'codicon.ttf']) cpSync(`node_modules/@vscode/codicons/dist/${file}`, `dist/webview/${file}`);
}

/** Webview entry points: one folder per panel with a main.ts. */
function webviewEntries() {
  if (!existsSync('webview')) return {};
  const entries = {};
  for (const name of readdirSync('webview')) {
    const main = join('webview', name, 'main.ts');
    if (existsSync(main)) entries[name] = main;
  }
  return entries;
}

const extension = {
  entryPoints: { extension: 'src/extension.ts', analysisWorker: 'src/diagnostics/worker.ts', planWorker: 'src/explain/planWorker.ts' },
  bundle: true,
  outdir: 'dist',
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  external: ['vscode', 'pg-native'],
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
};

/** The command line (`pg-insight`, package.json "bin"): the extension's options, run directly by node. */
const cli = { ...extension, entryPoints: { cli: 'src/cli/main.ts' }, banner: { js: '#!/usr/bin/env node' } };

const webviews = {
  entryPoints: webviewEntries(),
  bundle: true,
  outdir: 'dist/webview',
  format: 'iife',
  platform: 'browser',
  target: 'es2022',
  sourcemap: !production,
  minify: production,
  loader: { '.css': 'text' },
  logLevel: 'warning',
};

/** Tests import the sources directly: transpile both trees file by file. */
const tests = {
  // test/fixtures holds source code samples to analyse (any syntax, even broken), not code to run.
  entryPoints: [...filesUnder('src', '.ts'), ...filesUnder('test', '.ts').filter((f) => !f.startsWith(join('test', 'fixtures'))), ...filesUnder('bench', '.ts'), ...filesUnder('fuzz', '.ts')],
  bundle: false,
  outdir: 'out',
  outbase: '.',
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  sourcemap: 'inline',
  logLevel: 'warning',
};

function existing(options) {
  const eps = options.entryPoints;
  const list = Array.isArray(eps) ? eps : Object.values(eps);
  const kept = list.filter((p) => existsSync(p));
  if (kept.length === 0) return null;
  if (!Array.isArray(eps)) {
    return { ...options, entryPoints: Object.fromEntries(Object.entries(eps).filter(([, p]) => existsSync(p))) };
  }
  return { ...options, entryPoints: kept };
}

const groups = (onlyTests ? [tests] : production ? [extension, cli, webviews] : [extension, cli, webviews, tests])
  .map(existing)
  .filter(Boolean);

copyWasm();
copyCodicons();
if (watch) {
  for (const g of groups) await (await esbuild.context(g)).watch();
  console.log('esbuild: watching');
} else {
  await Promise.all(groups.map((g) => esbuild.build(g)));
}

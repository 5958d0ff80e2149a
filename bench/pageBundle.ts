/**
 * A browser bundle of a page script for the benchmarks that render in
 * Chromium, built the way esbuild.mjs builds the webviews (IIFE, ES2022,
 * CSS as text), in memory.
 */
import * as esbuild from 'esbuild';

export async function pageBundle(entry: string): Promise<string> {
  const r = await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    loader: { '.css': 'text' },
    logLevel: 'warning',
  });
  return r.outputFiles[0]!.text;
}

/**
 * The extension test module: VS Code loads it in the extension host (through
 * `extensionTestsPath`) and calls `run()`. It is the standard shape, so the
 * same suites run in the offline web host (scripts/vscode-test.mjs) and under
 * `@vscode/test-electron` on a desktop (scripts/test-desktop.mjs).
 *
 * `PG_INSIGHT_TEST_SUITES` selects the suite files: comma-separated patterns
 * relative to this folder, where `*` matches within one path segment and `**`
 * across segments (default: every `*.test.js` directly in this folder).
 * `PG_INSIGHT_TEST_GREP` is passed to mocha's grep.
 */
import Mocha from 'mocha';
import { readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

function filesUnder(dir: string): string[] {
  const found: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) found.push(...filesUnder(full));
    else found.push(full);
  }
  return found;
}

/** A glob with `*` and `**` as a regular expression over '/'-separated paths. */
export function globToRegExp(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern.charAt(i);
    if (ch === '*' && pattern[i + 1] === '*') {
      // `**/` matches zero or more whole segments.
      const slash = pattern[i + 2] === '/';
      re += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (ch === '*') {
      re += '[^/]*';
    } else if (ch === '?') {
      re += '[^/]';
    } else {
      re += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    }
  }
  return new RegExp(`^${re}$`);
}

/** The compiled suite files under `root` that the patterns select, in a stable order. */
export function selectSuites(root: string, patterns: readonly string[]): string[] {
  const regexps = patterns.map(globToRegExp);
  return filesUnder(root)
    .filter((f) => f.endsWith('.js'))
    .map((f) => relative(root, f).split(sep).join('/'))
    .filter((rel) => regexps.some((r) => r.test(rel)))
    .sort()
    .map((rel) => join(root, rel));
}

export function run(): Promise<void> {
  const patterns = (process.env.PG_INSIGHT_TEST_SUITES ?? '*.test.js').split(',').map((p) => p.trim()).filter(Boolean);
  const files = selectSuites(__dirname, patterns);
  const mocha = new Mocha({ ui: 'bdd', reporter: 'spec', color: false, timeout: 60_000 });
  const grep = process.env.PG_INSIGHT_TEST_GREP;
  if (grep) mocha.grep(grep);
  if (files.length === 0) {
    return Promise.reject(new Error(`no suite files match ${patterns.join(', ')} under ${__dirname}`));
  }
  for (const file of files) mocha.addFile(file);
  return new Promise((resolve, reject) => {
    try {
      mocha.run((failures) => {
        if (failures > 0) reject(new Error(`${failures} test${failures === 1 ? '' : 's'} failed`));
        else resolve();
      });
    } catch (err) {
      reject(err instanceof Error ? err : new Error(String(err)));
    }
  });
}

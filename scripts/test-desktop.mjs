#!/usr/bin/env node
// `npm run test:desktop`: the vscode-tier suites in a desktop VS Code, through
// @vscode/test-electron, for a developer's machine with internet access.
//
// Not used by `npm test` or CI: @vscode/test-electron downloads a VS Code build
// (into .vscode-test/) on first use, which CI machines cannot do. CI runs the
// same suites offline in a VS Code server with headless Chromium
// (scripts/vscode-test.mjs). On Linux without a display, run it under xvfb-run.
//
//   npm run test:desktop [-- --run <name>]... [--grep <text>]
//
// Environment: PG_INSIGHT_VSCODE_VERSION (default "stable"), or
// PG_INSIGHT_VSCODE_EXECUTABLE to use an installed VS Code instead of a download;
// PG_INSIGHT_TEST_DATABASE_URL to test against an external PostgreSQL.
//
// Each run of test/vscode/runs.mjs gets the same database, workspace copy,
// environment and user settings as in the offline host; only the bridge
// (screenshots, webview DOM) is missing, which the helpers report through
// bridgeAvailable().
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { QUIET_SETTINGS, REPO_ROOT } from './lib/codeServer.mjs';
import { TEST_OUT, compiled, prepareRun, selectRuns } from './lib/vscodeRun.mjs';
import RUNS from '../test/vscode/runs.mjs';

const argv = process.argv.slice(2);
const optionValues = (flag) => argv.flatMap((a, i) => (a === flag && argv[i + 1] ? [argv[i + 1]] : []));
const log = (m) => console.log(`[desktop] ${m}`);

async function main() {
  if (!existsSync(join(REPO_ROOT, 'dist', 'extension.js')) || !existsSync(join(TEST_OUT, 'index.js'))) {
    const r = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: REPO_ROOT, stdio: 'inherit' });
    if (r.status !== 0) throw new Error('build failed');
  }
  const { runTests } = await import('@vscode/test-electron');
  const runs = selectRuns(RUNS, optionValues('--run'), log);
  const grep = optionValues('--grep')[0];
  // Ctrl+C: @vscode/test-electron closes VS Code itself; we stop after the
  // current run and always stop the database in the `finally` below.
  let interrupted = false;
  process.on('SIGINT', () => { interrupted = true; });
  const pg = await compiled().startTestPostgres();
  const results = [];
  try {
    for (const run of runs) {
      if (interrupted) break;
      const prepared = await prepareRun(run, pg, { grep });
      try {
        // A fresh profile per run, with the same quiet user settings as the offline host.
        const userDataDir = join(prepared.scratch, 'user-data');
        mkdirSync(join(userDataDir, 'User'), { recursive: true });
        writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify({ ...QUIET_SETTINGS, ...prepared.userSettings }, null, 2));
        log(`run ${run.name}: ${run.trusted === false ? 'Restricted Mode' : 'trusted'}, suites ${run.suites.join(', ')}`);
        const code = await runTests({
          ...(process.env.PG_INSIGHT_VSCODE_EXECUTABLE
            ? { vscodeExecutablePath: process.env.PG_INSIGHT_VSCODE_EXECUTABLE }
            : { version: process.env.PG_INSIGHT_VSCODE_VERSION ?? 'stable' }),
          extensionDevelopmentPath: REPO_ROOT,
          extensionTestsPath: join(TEST_OUT, 'index.js'),
          extensionTestsEnv: prepared.env,
          launchArgs: [
            prepared.workspace,
            '--user-data-dir', userDataDir,
            '--extensions-dir', join(prepared.scratch, 'extensions'),
            '--disable-extensions',
            '--skip-welcome',
            '--skip-release-notes',
            ...(run.trusted === false ? [] : ['--disable-workspace-trust']),
          ],
        }).catch((e) => {
          console.error(`[desktop] run ${run.name}: ${e.message ?? e}`);
          return 1;
        });
        results.push({ name: run.name, code });
      } finally {
        prepared.dispose();
      }
    }
  } finally {
    await pg.stop();
  }
  for (const r of results) log(`${r.name.padEnd(12)} ${r.code === 0 ? 'ok' : 'FAILED'}`);
  return !interrupted && results.length > 0 && results.every((r) => r.code === 0) ? 0 : 1;
}

main().then((code) => process.exit(code), (e) => {
  console.error(`[desktop] ${e.stack ?? e}`);
  process.exit(1);
});

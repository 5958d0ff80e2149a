// What the two vscode-tier launchers (scripts/vscode-test.mjs, offline web
// host; scripts/test-desktop.mjs, desktop VS Code) prepare alike for a run of
// test/vscode/runs.mjs: its database, a copy of its workspace, an empty HOME,
// and the environment and user settings its extension host gets.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from './codeServer.mjs';

export const TEST_OUT = join(REPO_ROOT, 'out', 'test', 'vscode');

// Connection details from the outer environment must not leak into the
// extension's discovery; a run sets them through its `env` when it wants them.
const LIBPQ_VARS = [
  'DATABASE_URL', 'PGHOST', 'PGHOSTADDR', 'PGPORT', 'PGDATABASE', 'PGUSER', 'PGPASSWORD', 'PGPASSFILE',
  'PGSERVICE', 'PGSERVICEFILE', 'PGSSLMODE', 'PGSSLROOTCERT', 'PGOPTIONS', 'PGAPPNAME', 'PGCONNECT_TIMEOUT',
];

const require = createRequire(import.meta.url);

/** The compiled helpers of test/vscode/index.ts (suite selection) and the test PostgreSQL. */
export function compiled() {
  return {
    selectSuites: require(join(TEST_OUT, 'index.js')).selectSuites,
    startTestPostgres: require(join(REPO_ROOT, 'out', 'test', 'support', 'postgres.js')).startTestPostgres,
    startDebianPostgres15: require(join(REPO_ROOT, 'out', 'test', 'support', 'postgres.js')).startDebianPostgres15,
  };
}

/** `{{PG_INSIGHT_TEST_…}}` placeholders replaced by the run's facts. */
export function render(text, facts) {
  return text.replace(/\{\{(PG_INSIGHT_TEST_[A-Z_]+)\}\}/g, (whole, name) => facts[name] ?? whole);
}

function renderValue(value, facts) {
  return JSON.parse(render(JSON.stringify(value ?? {}), facts));
}

/** Copies a fixture workspace and renders its `*.template` files (the suffix is dropped). */
function prepareWorkspace(name, target, facts) {
  const source = join(REPO_ROOT, 'test', 'fixtures', 'workspaces', name);
  if (!existsSync(source)) throw new Error(`fixture workspace ${source} does not exist`);
  cpSync(source, target, { recursive: true });
  const walk = (dir) => {
    for (const entry of readdirSync(dir)) {
      const full = join(dir, entry);
      if (statSync(full).isDirectory()) walk(full);
      else if (entry.endsWith('.template')) {
        writeFileSync(full.slice(0, -'.template'.length), render(readFileSync(full, 'utf8'), facts));
        rmSync(full);
      }
    }
  };
  walk(target);
}

/**
 * Prepares one run against a started test server `pg`.
 * @returns {Promise<{ workspace: string, env: Record<string, string|undefined>, userSettings: object, scratch: string, dispose(): void }>}
 */
export async function prepareRun(run, pg, { grep } = {}) {
  const scratch = mkdtempSync(join(tmpdir(), `pg-insight-run-${run.name}-`));
  try {
    const database = `pg_insight_vscode_${run.name}`;
    const url = await pg.createDatabase(database);
    const workspace = join(scratch, 'workspace');
    const home = join(scratch, 'home');
    mkdirSync(home);
    const facts = {
      PG_INSIGHT_TEST_URL: url,
      PG_INSIGHT_TEST_ADMIN_URL: pg.adminUrl,
      PG_INSIGHT_TEST_HOST: pg.host,
      PG_INSIGHT_TEST_PORT: String(pg.port),
      PG_INSIGHT_TEST_USER: pg.user,
      PG_INSIGHT_TEST_PASSWORD: pg.password,
      PG_INSIGHT_TEST_DB: database,
      PG_INSIGHT_TEST_WORKSPACE: workspace,
      PG_INSIGHT_TEST_HOME: home,
      PG_INSIGHT_TEST_RUN: run.name,
    };
    prepareWorkspace(run.workspace, workspace, facts);
    const env = {
      ...Object.fromEntries(LIBPQ_VARS.map((k) => [k, undefined])),
      ...facts,
      HOME: home,
      PG_INSIGHT_TEST_SUITES: run.suites.join(','),
      PG_INSIGHT_TEST_GREP: grep,
      ...renderValue(run.env, facts),
    };
    return {
      workspace,
      env,
      userSettings: renderValue(run.userSettings, facts),
      scratch,
      dispose: () => rmSync(scratch, { recursive: true, force: true }),
    };
  } catch (e) {
    rmSync(scratch, { recursive: true, force: true });
    throw e;
  }
}

/** The runs to execute: those named (all by default) whose patterns match compiled suites. */
export function selectRuns(allRuns, names, log) {
  const unknown = names.filter((n) => !allRuns.some((r) => r.name === n));
  if (unknown.length > 0) throw new Error(`unknown run(s) ${unknown.join(', ')}; known: ${allRuns.map((r) => r.name).join(', ')}`);
  const { selectSuites } = compiled();
  return allRuns
    .filter((r) => names.length === 0 || names.includes(r.name))
    .filter((r) => {
      const files = selectSuites(TEST_OUT, r.suites);
      if (files.length === 0) log(`run ${r.name}: no suite file matches ${r.suites.join(', ')}; skipped`);
      return files.length > 0;
    });
}

// The command line every `eval:*` script shares: `<dir with extracted trees> [--only a,b] [--json]`,
// the project built first (the scripts read `dist/` and `out/`), and which of
// eval/sql-rules/apps.json (or another list) to score.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Parsed arguments; exits with the usage line when the folder is missing, or when the build fails. */
export function evalRun(name) {
  const args = process.argv.slice(2);
  const dir = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--only');
  const onlyIndex = args.indexOf('--only');
  const only = onlyIndex >= 0 ? args[onlyIndex + 1]?.split(',') : undefined;
  if (!dir) {
    console.error(`usage: npm run eval:${name} -- <dir with extracted trees> [--only <text>[,<text>…]] [--json]`);
    process.exit(2);
  }
  const build = spawnSync('node', ['esbuild.mjs'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  if (build.status !== 0) process.exit(build.status ?? 1);
  return { dir, only, asJson: args.includes('--json') };
}

/** The folder name of an application's tree: `<owner>__<name>@<first 12 hex of the commit>`. */
export function treeName(app) {
  return `${app.repository.replace('/', '__')}@${app.commit.slice(0, 12)}`;
}

export function readJson(path) {
  return JSON.parse(readFileSync(join(root, path), 'utf8'));
}

/** The applications to score with their extracted trees; a missing tree is named with how to get it. */
export function* appTrees(apps, dir, only) {
  for (const app of apps) {
    const key = treeName(app);
    if (only && !only.some((o) => key.includes(o))) continue;
    const tree = join(dir, key);
    if (!existsSync(tree)) {
      console.error(`missing ${tree}: extract ${app.repository} at ${app.commit} there`);
      continue;
    }
    yield { app, key, tree };
  }
}

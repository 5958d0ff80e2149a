/**
 * The conventions that keep checks, files, docs and thresholds in step: one
 * check = one file = one docs page, named by its id, and every threshold
 * documented with its default where a check uses it.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { versionLabel } from '../../../src/core/health/context';
import { ALL_CHECKS, checkById } from '../../../src/core/health/registry';
import { formatThreshold, THRESHOLD_SPECS, type ThresholdName } from '../../../src/core/health/thresholds';

const root = join(__dirname, '..', '..', '..', '..');
const checksDir = join(root, 'src', 'core', 'health', 'checks');
const docsDir = join(root, 'docs', 'checks');

describe('health check registry', () => {
  it('has at least the twenty checks of the health report, with unique kebab-case ids', () => {
    const ids = ALL_CHECKS.map((c) => c.id);
    assert.ok(ids.length >= 20);
    assert.equal(new Set(ids).size, ids.length);
    for (const id of ids) assert.match(id, /^[a-z0-9]+(-[a-z0-9]+)*$/);
    assert.equal(checkById('unused-indexes')?.title, 'Unused indexes');
  });

  it('has one file per check, named by its id, and no check file left out of the registry', () => {
    const files = readdirSync(checksDir).filter((f) => f.endsWith('.ts')).map((f) => f.replace(/\.ts$/, '')).sort();
    assert.deepEqual(files, ALL_CHECKS.map((c) => c.id).sort());
  });

  it('has one docs page per check, with its title, minimum version and every threshold it reads', () => {
    const pages = readdirSync(docsDir).filter((f) => f.endsWith('.md')).map((f) => f.replace(/\.md$/, '')).sort();
    assert.deepEqual(pages, ALL_CHECKS.map((c) => c.id).sort());
    for (const check of ALL_CHECKS) {
      const page = readFileSync(join(docsDir, `${check.id}.md`), 'utf8');
      assert.ok(page.startsWith(`# ${check.title} (\`${check.id}\`)\n`), `${check.id}: title line`);
      assert.ok(page.includes(`PostgreSQL ${versionLabel(check.minVersion)} or later`), `${check.id}: minimum version`);
      for (const section of ['## What it checks', '## Why it matters', '## Thresholds', '## How to fix', '## Privileges']) {
        assert.ok(page.includes(section), `${check.id}: ${section}`);
      }
      for (const name of check.thresholds) {
        assert.ok(page.includes(`| \`${name}\` | ${formatThreshold(name)} |`), `${check.id}: threshold ${name} with its default`);
      }
    }
  });

  it('uses every threshold in some check', () => {
    const used = new Set(ALL_CHECKS.flatMap((c) => c.thresholds));
    const unused = (Object.keys(THRESHOLD_SPECS) as ThresholdName[]).filter((n) => !used.has(n));
    assert.deepEqual(unused, []);
  });

  it('lists, in each check, the thresholds its evaluate function reads', () => {
    for (const check of ALL_CHECKS) {
      const source = readFileSync(join(checksDir, `${check.id}.ts`), 'utf8');
      const bloat = check.id.endsWith('-bloat') ? readFileSync(join(root, 'src', 'core', 'health', 'bloat.ts'), 'utf8') : '';
      const read = new Set([...(source + bloat).matchAll(/\bt\.([a-zA-Z]+)/g)].map((m) => m[1]).filter((n) => n !== undefined && n in THRESHOLD_SPECS));
      assert.deepEqual([...read].sort(), [...check.thresholds].sort(), check.id);
    }
  });
});

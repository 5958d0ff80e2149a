#!/usr/bin/env node
// `npm run eval:n-plus-one -- <dir> [--files] [--json] [--only <text>]`: scores the n-plus-one
// rule on the labelled corpus in eval/n-plus-one/labels (cases from public
// applications: N+1 fixes and look-alikes, labelled from the outside, never
// from the rule's output).
//
// <dir> holds one extracted tree per labelled commit, named
// `<owner>__<name>@<first 12 hex of the commit>` (a missing one is listed
// with the command that extracts it, and not scored). Each tree is scanned
// whole with `pg-insight scan` (as a user scans a repository), or with
// --files only the labelled files. A positive is found when an n-plus-one
// finding's range meets the case's lines; a negative is a false positive
// when one does. Prints precision and recall per language and per
// application, and how many findings fall outside every labelled case.
//
// eval/n-plus-one/findings/<owner>__<name>.json labels every finding the rule
// reported on one commit of an application (true / false / debatable, with a
// reason, judged by reading the code): precision on everything a user sees.
// A finding is matched to a label by path and line (the label's line falls in
// the finding's range); findings no label covers are listed as unlabelled.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const dir = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--only');
const onlyFiles = args.includes('--files');
const asJson = args.includes('--json');
// `--only <text>[,<text>…]`: score only the trees whose folder name contains one of them.
const onlyIndex = args.indexOf('--only');
const only = onlyIndex >= 0 ? args[onlyIndex + 1] : undefined;
if (!dir) {
  console.error('usage: npm run eval:n-plus-one -- <dir with extracted trees> [--files] [--json]');
  process.exit(2);
}

const labelsDir = join(root, 'eval', 'n-plus-one', 'labels');
const labelFiles = existsSync(labelsDir) ? readdirSync(labelsDir).filter((f) => f.endsWith('.json')).sort() : [];
if (labelFiles.length === 0) {
  console.error(`no labels under ${labelsDir}`);
  process.exit(2);
}

const build = spawnSync('node', ['esbuild.mjs'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);
const cli = join(root, 'dist', 'cli.js');

/** @typedef {{ commit: string, path: string, lines: [number, number], label: 'positive'|'negative', kind: string, reason: string, language?: string }} Case */
const groups = new Map();
for (const file of labelFiles) {
  const data = JSON.parse(readFileSync(join(labelsDir, file), 'utf8'));
  for (const c of data.cases) {
    if (!/^[0-9a-f]{40}$/.test(c.commit) || !Array.isArray(c.lines) || c.lines.length !== 2 || !['positive', 'negative'].includes(c.label)) {
      console.error(`${file}: malformed case ${JSON.stringify(c)}`);
      process.exit(2);
    }
    const key = `${data.repository.replace('/', '__')}@${c.commit.slice(0, 12)}`;
    if (!groups.has(key)) groups.set(key, { repository: data.repository, commit: c.commit, cases: [] });
    groups.get(key).cases.push({ ...c, language: c.language ?? data.language, repository: data.repository });
  }
}

const findingsDir = join(root, 'eval', 'n-plus-one', 'findings');
const findingLabels = new Map();
for (const file of existsSync(findingsDir) ? readdirSync(findingsDir).filter((f) => f.endsWith('.json')).sort() : []) {
  const data = JSON.parse(readFileSync(join(findingsDir, file), 'utf8'));
  for (const l of data.findings) {
    if (typeof l.path !== 'string' || !Number.isInteger(l.line) || !['true', 'false', 'debatable'].includes(l.label) || typeof l.reason !== 'string') {
      console.error(`${file}: malformed finding label ${JSON.stringify(l)}`);
      process.exit(2);
    }
  }
  const key = `${data.repository.replace('/', '__')}@${data.commit.slice(0, 12)}`;
  findingLabels.set(key, data);
  if (!groups.has(key)) groups.set(key, { repository: data.repository, commit: data.commit, cases: [] });
}

const scored = [];
const missing = [];
const fullyLabelled = [];
let outside = 0;
for (const [folderName, group] of groups) {
  if (only && !only.split(',').some((o) => folderName.includes(o))) continue;
  const folder = join(resolve(dir), folderName);
  if (!existsSync(folder)) {
    missing.push(`${folderName}: git --git-dir=<fetched ${group.repository}> archive ${group.commit} | tar -x -C ${folder}`);
    continue;
  }
  const targets = onlyFiles ? [...new Set(group.cases.map((c) => c.path))].filter((p) => existsSync(join(folder, p))) : ['.'];
  const run = spawnSync('node', [cli, 'scan', ...targets, '--format', 'json'], { cwd: folder, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (run.status !== 0 && run.status !== 1) {
    missing.push(`${folderName}: the scan failed (${run.status}): ${run.stderr.trim().slice(0, 300)}`);
    continue;
  }
  // The scan's JSON positions are 0-based (as the editor's); labels count lines from 1.
  const findings = JSON.parse(run.stdout).findings
    .filter((f) => f.ruleId === 'n-plus-one')
    .map((f) => ({ ...f, start: { ...f.start, line: f.start.line + 1 }, end: { ...f.end, line: f.end.line + 1 } }));
  const meets = (f, c) => norm(f.path) === norm(c.path) && f.start.line <= c.lines[1] && f.end.line >= c.lines[0];
  for (const c of group.cases) scored.push({ ...c, hit: findings.some((f) => meets(f, c)) });
  outside += findings.filter((f) => !group.cases.some((c) => meets(f, c))).length;
  const all = findingLabels.get(folderName);
  if (all && !onlyFiles) {
    const judged = findings.map((f) => ({ f, l: all.findings.find((l) => norm(l.path) === norm(f.path) && l.line >= f.start.line && l.line <= f.end.line) }));
    const count = (label) => judged.filter((j) => j.l?.label === label).length;
    fullyLabelled.push({
      repository: group.repository,
      commit: group.commit,
      language: all.language,
      findings: findings.length,
      true: count('true'),
      false: count('false'),
      debatable: count('debatable'),
      unlabelled: judged.filter((j) => !j.l).map((j) => `${j.f.path}:${j.f.start.line} ${j.f.message.slice(0, 140)}`),
      falseFindings: judged.filter((j) => j.l?.label === 'false').map((j) => `${j.f.path}:${j.f.start.line} (${j.l.reason})`),
    });
  }
}

function norm(p) {
  return p.replace(/\\/g, '/').replace(/^\.\//, '');
}

function tally(cases) {
  const tp = cases.filter((c) => c.label === 'positive' && c.hit).length;
  const fn = cases.filter((c) => c.label === 'positive' && !c.hit).length;
  const fp = cases.filter((c) => c.label === 'negative' && c.hit).length;
  const tn = cases.filter((c) => c.label === 'negative' && !c.hit).length;
  const ratio = (a, b) => (b === 0 ? null : a / b);
  return { positives: tp + fn, negatives: fp + tn, tp, fn, fp, tn, precision: ratio(tp, tp + fp), recall: ratio(tp, tp + fn) };
}

const by = (key) => {
  const out = new Map();
  for (const c of scored) {
    const k = c[key];
    if (!out.has(k)) out.set(k, []);
    out.get(k).push(c);
  }
  return [...out].map(([k, cases]) => ({ [key]: k, ...tally(cases) }));
};
const report = {
  mode: onlyFiles ? 'labelled files' : 'whole repositories',
  languages: by('language'),
  repositories: by('repository'),
  all: tally(scored),
  findingsOutsideLabels: outside,
  fullyLabelled: fullyLabelled.map((a) => ({ ...a, precision: a.findings === 0 ? null : a.true / a.findings })),
  notScored: missing,
  misses: scored.filter((c) => c.label === 'positive' && !c.hit).map((c) => `${c.repository}@${c.commit.slice(0, 12)} ${c.path}:${c.lines.join('-')} (${c.reason})`),
  falsePositives: scored.filter((c) => c.label === 'negative' && c.hit).map((c) => `${c.repository}@${c.commit.slice(0, 12)} ${c.path}:${c.lines.join('-')} (${c.reason})`),
};

if (asJson) {
  console.log(JSON.stringify(report, null, 2));
} else {
  const pct = (v) => (v === null ? '   -' : v.toFixed(2).padStart(4));
  const line = (name, t) => `${name.padEnd(40)} ${String(t.positives).padStart(4)} ${String(t.negatives).padStart(4)} ${String(t.tp).padStart(4)} ${String(t.fp).padStart(4)} ${pct(t.precision)}  ${pct(t.recall)}`;
  console.log(`n-plus-one on the labelled corpus (${report.mode}), ${scored.length} cases scored\n`);
  console.log(`${'language / application'.padEnd(40)}  pos  neg   tp   fp prec  recall`);
  for (const l of report.languages) console.log(line(l.language, l));
  console.log('');
  for (const r of report.repositories) console.log(line(r.repository, r));
  console.log(`\n${line('all', report.all)}`);
  console.log(`\nfindings outside every labelled case: ${outside} (label them to measure precision on everything a user sees)`);
  if (fullyLabelled.length) {
    console.log('\nevery finding labelled (true / all reported; debatable and unlabelled count as not true):');
    for (const a of report.fullyLabelled) {
      console.log(`  ${`${a.repository}@${a.commit.slice(0, 12)}`.padEnd(48)} ${String(a.findings).padStart(4)} findings  ${a.true} true  ${a.false} false  ${a.debatable} debatable  ${a.unlabelled.length} unlabelled  ${pct(a.precision)}`);
      for (const f of a.falseFindings) console.log(`      false: ${f}`);
      for (const f of a.unlabelled) console.log(`      unlabelled: ${f}`);
    }
    const sum = (k) => report.fullyLabelled.reduce((n, a) => n + (Array.isArray(a[k]) ? a[k].length : a[k]), 0);
    console.log(`  all: ${sum('findings')} findings, ${sum('true')} true (${pct(sum('findings') ? sum('true') / sum('findings') : null)})`);
  }
  if (report.misses.length) console.log(`\nmissed positives:\n  ${report.misses.join('\n  ')}`);
  if (report.falsePositives.length) console.log(`\nfalse positives:\n  ${report.falsePositives.join('\n  ')}`);
  if (missing.length) console.log(`\nnot scored (extract these trees, or see why the scan failed):\n  ${missing.join('\n  ')}`);
}

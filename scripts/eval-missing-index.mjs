#!/usr/bin/env node
// `npm run eval:missing-index -- <dir> [--only <text>] [--json]`: scores `missing-index` on
// the applications of eval/sql-rules/apps.json, extracted under <dir> as
// `<owner>__<name>@<first 12 hex>`, scanned whole with `pg-insight scan` as a user
// scans a repository (offline: the schema the scan finds in the files).
//
// - recall: eval/sql-rules/index-needs.json lists index needs found by hand
//   before the rule was run. A need is found when a missing-index finding
//   names its table and lies within three lines of it in the same file.
// - precision: eval/sql-rules/labels/missing-index.json labels findings
//   (true / false / debatable, with a reason) by path and line; a finding no
//   label covers is listed as unlabelled, to be judged.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { appTrees, evalRun, readJson, root } from './lib/evalRun.mjs';

const { dir, only, asJson } = evalRun('missing-index');

const apps = readJson('eval/sql-rules/apps.json').apps;
const needs = readJson('eval/sql-rules/index-needs.json').needs;
const labels = existsSync(join(root, 'eval/sql-rules/labels/missing-index.json')) ? readJson('eval/sql-rules/labels/missing-index.json').cases : [];

const rows = [];
for (const { app, key, tree } of appTrees(apps, dir, only)) {
  const run = spawnSync('node', [join(root, 'dist/cli.js'), 'scan', '.', '--format', 'json'], { cwd: tree, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (run.status !== 0) {
    console.error(`${key}: scan failed: ${run.stderr}`);
    continue;
  }
  const out = JSON.parse(run.stdout);
  const findings = out.findings.filter((f) => f.ruleId === 'missing-index').map((f) => ({ path: f.path, line: f.start.line + 1, message: f.message }));
  const appNeeds = needs.filter((n) => n.repository === app.repository);
  const found = appNeeds.map((n) => ({
    need: n,
    hit: findings.some((f) => f.path === n.path && Math.abs(f.line - n.line) <= 3 && new RegExp(`\\b${n.table}\\b`).test(f.message)),
  }));
  const labelled = findings.map((f) => {
    const l = labels.find((c) => c.repository === app.repository && c.path === f.path && c.line === f.line);
    return { ...f, label: l?.label ?? 'unlabelled', reason: l?.reason };
  });
  rows.push({ app: key, schema: out.schema, findings: labelled, needs: found });
}

if (asJson) console.log(JSON.stringify(rows, null, 2));
else {
  let needTotal = 0;
  let needFound = 0;
  const count = { true: 0, false: 0, debatable: 0, unlabelled: 0 };
  console.log('app                                              schema                 findings  true  false  debatable  unlabelled  needs  found');
  for (const r of rows) {
    const c = { true: 0, false: 0, debatable: 0, unlabelled: 0 };
    for (const f of r.findings) c[f.label]++;
    for (const k of Object.keys(c)) count[k] += c[k];
    const found = r.needs.filter((n) => n.hit).length;
    needTotal += r.needs.length;
    needFound += found;
    const schema = r.schema.source === 'none' ? 'none' : `${r.schema.source} ${r.schema.tables}t/${r.schema.indexes}i`;
    console.log(`${r.app.padEnd(48)} ${schema.padEnd(22)} ${String(r.findings.length).padStart(8)} ${String(c.true).padStart(5)} ${String(c.false).padStart(6)} ${String(c.debatable).padStart(10)} ${String(c.unlabelled).padStart(11)} ${String(r.needs.length).padStart(6)} ${String(found).padStart(6)}`);
    for (const n of r.needs.filter((x) => !x.hit)) console.log(`  missed need ${n.need.path}:${n.need.line} ${n.need.table} (${n.need.columns.join(', ')})`);
    for (const f of r.findings.filter((x) => x.label !== 'true')) console.log(`  [${f.label}] ${f.path}:${f.line} ${f.message.slice(0, 110)}`);
  }
  const judged = count.true + count.false + count.debatable;
  console.log(`precision: ${judged ? ((100 * count.true) / judged).toFixed(1) : '-'}% true of ${judged} labelled findings (${count.unlabelled} unlabelled); recall: ${needFound} of ${needTotal} hand-found needs (${needTotal ? ((100 * needFound) / needTotal).toFixed(1) : '-'}%)`);
}

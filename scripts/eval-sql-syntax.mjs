#!/usr/bin/env node
// `npm run eval:sql-syntax -- <dir> [--only <text>] [--json]`: how much of the SQL
// real applications send can `sql-syntax` check, and does it stay quiet on it.
//
// For every application tree listed in eval/sql-rules/apps.json (extracted
// under <dir> as `<owner>__<name>@<first 12 hex>`), every SQL text the code
// analysis finds handed to a query API is a site. Two measures:
// - false errors: `sql-syntax` findings on the unchanged tree, each matched
//   to eval/sql-rules/labels/sql-syntax.json (true / false / debatable, by a
//   reader of the code); an unlabelled one is listed to be judged;
// Files a scan leaves out by default (migrations, seeds) are not measured.
// - reach: each site that PostgreSQL parses is broken on purpose in the
//   source file, one site at a time (whether or not the site parses as it
//   stands: a site with code spliced in is still broken before the splice), in two ways that leave the rest intact:
//   the command word loses its last letter (`SELECT` → `SELEC`), and a comma
//   is put before the first FROM (`a, b, FROM t`). A site is reached when
//   the rule then reports an error inside it. Sites whose text holds code
//   spliced in before the break are counted apart: no certain verdict there.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { appTrees, evalRun, readJson, root } from './lib/evalRun.mjs';

const { dir, only, asJson } = evalRun('sql-syntax');

const require = createRequire(import.meta.url);
const { CodeAnalyzer } = require(join(root, 'out/src/core/code/analyzer.js'));
const { fsGrammarSource } = require(join(root, 'out/src/diagnostics/grammarSource.js'));
const { languageForPath } = require(join(root, 'out/src/core/code/languages/index.js'));
const { sqlOffsetToSource } = require(join(root, 'out/src/core/code/mappedText.js'));
const { loadSqlParser, parseSql } = require(join(root, 'out/src/core/sql/parser.js'));
const { checkSql, checkSqlFile, checkSummarySql } = require(join(root, 'out/src/core/sqlrules/check.js'));
const { sourceFromSqlText } = require(join(root, 'out/src/core/sqlrules/source.js'));
const { isOtherDialectPath, otherDialectMarker } = require(join(root, 'out/src/core/sqlrules/dialect.js'));
const { matchesAny } = require(join(root, 'out/src/core/code/glob.js'));
const { lineOf: lineIndex, lineStarts } = require(join(root, 'out/src/core/code/suppression.js'));
/** 1-based line of an offset. */
const lineOf = (starts, offset) => lineIndex(starts, offset) + 1;
const { DEFAULT_IGNORE_GLOBS } = require(join(root, 'out/src/core/code/rules/n-plus-one.js'));

const COMMAND_WORDS = new Set(['SELECT', 'WITH', 'INSERT', 'UPDATE', 'DELETE', 'MERGE', 'VALUES', 'CREATE', 'ALTER', 'DROP', 'TRUNCATE', 'GRANT', 'REVOKE', 'COMMENT', 'COPY', 'LOCK', 'REFRESH', 'VACUUM', 'ANALYZE', 'REINDEX', 'CLUSTER', 'NOTIFY', 'LISTEN', 'CALL', 'EXPLAIN', 'TABLE', 'SHOW', 'RESET', 'BEGIN', 'COMMIT', 'ROLLBACK', 'SAVEPOINT', 'RELEASE', 'DECLARE', 'FETCH', 'CLOSE', 'DISCARD', 'PREPARE', 'EXECUTE', 'DEALLOCATE', 'START']);
const labels = existsSync(join(root, 'eval/sql-rules/labels/sql-syntax.json')) ? readJson('eval/sql-rules/labels/sql-syntax.json').cases : [];
const apps = readJson('eval/sql-rules/apps.json').apps;
const SKIP = new Set(['node_modules', '.git', 'dist', 'out', 'build', 'vendor', '.venv', 'venv', '__pycache__']);

function* files(base, at = base) {
  for (const name of readdirSync(at)) {
    if (SKIP.has(name)) continue;
    const p = join(at, name);
    const st = statSync(p, { throwIfNoEntry: false });
    if (!st) continue;
    if (st.isDirectory()) yield* files(base, p);
    else if (st.size < 512 * 1024 && (languageForPath(p) || /\.sql$/i.test(p))) yield relative(base, p).split('\\').join('/');
  }
}


await loadSqlParser();
const analyzer = new CodeAnalyzer(fsGrammarSource([join(root, 'dist')]));
/** A reported error with its label: one covers the report's line or the statement's first lines below it. */
function labelled(app, path, line, message) {
  const label = labels.find((l) => l.repository === app.repository && l.path === path && line >= l.line && line <= l.line + 2);
  return { path, line, message, label: label?.label ?? 'unlabelled', reason: label?.reason };
}

const results = [];
for (const { app, key, tree } of appTrees(apps, dir, only)) {
  const r = { app: key, sqlFiles: 0, excludedFiles: 0, sites: 0, parsed: 0, otherDialect: 0, errors: [], mutations: { total: 0, reached: 0, afterHole: 0, missed: [] } };
  for (const path of files(tree)) {
    // What a scan leaves out by default (migrations, seeds) is not measured: no user sees it.
    if (matchesAny(path, DEFAULT_IGNORE_GLOBS)) {
      r.excludedFiles++;
      continue;
    }
    const text = readFileSync(join(tree, path), 'utf8');
    if (/\.sql$/i.test(path)) {
      r.sqlFiles++;
      const starts = lineStarts(text);
      for (const f of checkSqlFile(path, text, undefined, { rules: ['sql-syntax'] })) r.errors.push(labelled(app, path, lineOf(starts, f.start), f.message));
      continue;
    }
    const summary = await analyzer.summarize(path, text);
    if (!summary) continue;
    for (const f of checkSummarySql(summary, undefined, { rules: ['sql-syntax'] })) r.errors.push(labelled(app, path, lineOf(summary.lineStarts, f.start), f.message));
    for (const sql of summary.sql) {
      if (sql.origin === 'sql-like') continue;
      r.sites++;
      const source = sourceFromSqlText(path, sql);
      if (parseSql(source.text).ok) r.parsed++;
      if (sql.otherDatabase || isOtherDialectPath(path) || otherDialectMarker(sql.text)) {
        r.otherDialect++;
        continue;
      }
      const firstHole = source.holes[0]?.start ?? Infinity;
      for (const m of mutations(sql.text)) {
        if (m.at >= firstHole) {
          r.mutations.afterHole++;
          continue;
        }
        const at = sqlOffsetToSource(sql.map, sql.text.length, m.at);
        const end = sqlOffsetToSource(sql.map, sql.text.length, m.at + m.length - 1) + 1;
        if (text.slice(at, end).toUpperCase() !== sql.text.slice(m.at, m.at + m.length).toUpperCase()) continue;
        const broken = text.slice(0, at) + m.apply(text.slice(at, end)) + text.slice(end);
        const s2 = await analyzer.summarize(path, broken);
        r.mutations.total++;
        const hit = s2 && checkSummarySql(s2, undefined, { rules: ['sql-syntax'] }).some((f) => f.start >= sql.start - 1 && f.start <= sql.end + 2);
        if (hit) r.mutations.reached++;
        else r.mutations.missed.push({ path, line: lineOf(summary.lineStarts, at), kind: m.kind });
      }
    }
  }
  results.push(r);
}


/** The two breaks of a site's text, where they apply: offsets in the SQL text. */
function mutations(sql) {
  const out = [];
  const word = /^[\s(]*(?:--[^\n]*\n\s*)*([A-Za-z]{4,})/.exec(sql);
  // Only a statement has a command word to break; a fragment's first word is an expression.
  if (word && COMMAND_WORDS.has(word[1].toUpperCase())) {
    const at = word.index + word[0].length - word[1].length;
    out.push({ kind: 'command-word', at, length: word[1].length, apply: (s) => s.slice(0, -1) });
  }
  const from = /\s(FROM)\s/i.exec(sql);
  if (from && /^\s*(\(\s*)?(select|with)\b/i.test(sql)) {
    const at = from.index + 1;
    out.push({ kind: 'comma-before-from', at, length: 4, apply: (s) => `, ${s}` });
  }
  return out;
}

if (asJson) console.log(JSON.stringify(results, null, 2));
else {
  console.log('app                                              sites  parsed  other-db  errors  breaks  reached  after-hole');
  const sum = { sites: 0, parsed: 0, other: 0, errors: 0, total: 0, reached: 0, after: 0 };
  for (const r of results) {
    console.log(`${r.app.padEnd(48)} ${String(r.sites).padStart(6)} ${String(r.parsed).padStart(7)} ${String(r.otherDialect).padStart(9)} ${String(r.errors.length).padStart(7)} ${String(r.mutations.total).padStart(7)} ${String(r.mutations.reached).padStart(8)} ${String(r.mutations.afterHole).padStart(11)}`);
    sum.sites += r.sites; sum.parsed += r.parsed; sum.other += r.otherDialect; sum.errors += r.errors.length; sum.total += r.mutations.total; sum.reached += r.mutations.reached; sum.after += r.mutations.afterHole;
    for (const e of r.errors) console.log(`  error [${e.label}] ${e.path}:${e.line} ${e.message}${e.reason ? ` (${e.reason})` : ''}`);
    for (const m of r.mutations.missed.slice(0, 8)) console.log(`  missed ${m.kind} ${m.path}:${m.line}`);
  }
  console.log(`${'all'.padEnd(48)} ${String(sum.sites).padStart(6)} ${String(sum.parsed).padStart(7)} ${String(sum.other).padStart(9)} ${String(sum.errors).padStart(7)} ${String(sum.total).padStart(7)} ${String(sum.reached).padStart(8)} ${String(sum.after).padStart(11)}`);
  const all = results.flatMap((r) => r.errors);
  console.log(`errors reported: ${all.length} (true ${all.filter((e) => e.label === 'true').length}, false ${all.filter((e) => e.label === 'false').length}, debatable ${all.filter((e) => e.label === 'debatable').length}, unlabelled ${all.filter((e) => e.label === 'unlabelled').length}); labelled findings of earlier versions: ${labels.length}`);
  console.log(`reach: ${sum.total ? ((100 * sum.reached) / sum.total).toFixed(1) : '-'}% of ${sum.total} breaks made before any spliced code`);
}

/**
 * The labelled N+1 fixture set (test/fixtures/code/n-plus-one/<language>/):
 * each language folder is one workspace, so helpers resolve across files.
 * Labels live in comments:
 *   `expect: n-plus-one` on the line where a finding must start;
 *   `expect: n-plus-one (known miss: why)` for a real N+1 the rule misses;
 *   `expect: false-positive (known: why)` for a line the rule wrongly reports;
 *   `expect: none` near the top of a file without any N+1.
 * Every file is asserted on its own so a regression names the file; the
 * summary prints precision and recall per language and overall.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { lineOf } from '../../../src/core/code/suppression';
import { findNPlusOne, summarizeFiles } from '../../../src/core/code/scan';
import { analyzer } from './support';

const ROOT = join(__dirname, '../../../../test/fixtures/code/n-plus-one');

interface Labels {
  readonly expected: Set<number>;
  readonly knownMisses: Set<number>;
  readonly knownFalsePositives: Set<number>;
  readonly declaredNone: boolean;
}

function labelsOf(text: string): Labels {
  const expected = new Set<number>();
  const knownMisses = new Set<number>();
  const knownFalsePositives = new Set<number>();
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    const n = i + 1;
    const m = /expect:\s*(n-plus-one|false-positive|none)(\s*\(known[^)]*\))?/.exec(line);
    if (!m) return;
    if (m[1] === 'n-plus-one') {
      expected.add(n);
      if (m[2]) knownMisses.add(n);
    } else if (m[1] === 'false-positive') knownFalsePositives.add(n);
  });
  const declaredNone = lines.slice(0, 3).some((l) => /expect:\s*none\b/.test(l));
  return { expected, knownMisses, knownFalsePositives, declaredNone };
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

interface FileResult {
  readonly path: string;
  readonly labels: Labels;
  readonly found: Set<number>;
  readonly messages: string[];
}

const languages = readdirSync(ROOT).filter((d) => statSync(join(ROOT, d)).isDirectory()).sort();
const results = new Map<string, FileResult[]>();

describe('n-plus-one labelled fixtures', function () {
  this.timeout(60_000);

  before(async () => {
    for (const language of languages) {
      const dir = join(ROOT, language);
      const files = filesUnder(dir).map((full) => ({ path: relative(dir, full).replace(/\\/g, '/'), text: readFileSync(full, 'utf8') }));
      const summaries = await summarizeFiles(analyzer, files);
      const findings = findNPlusOne(summaries);
      results.set(
        language,
        files.map((f) => {
          const summary = summaries.find((s) => s.path === f.path);
          const list = findings.get(f.path) ?? [];
          const found = new Set(list.map((x) => lineOf(summary?.lineStarts ?? [0], x.start) + 1));
          return { path: f.path, labels: labelsOf(f.text), found, messages: list.map((x) => `  line ${lineOf(summary?.lineStarts ?? [0], x.start) + 1}: ${x.message}`) };
        }),
      );
    }
  });

  for (const language of languages) {
    describe(language, () => {
      for (const full of filesUnder(join(ROOT, language)).sort()) {
        const path = relative(join(ROOT, language), full).replace(/\\/g, '/');
        it(path, () => {
          const r = results.get(language)?.find((x) => x.path === path);
          assert.ok(r, `no result for ${path}`);
          const { expected, knownMisses, knownFalsePositives, declaredNone } = r.labels;
          assert.ok(declaredNone || expected.size > 0, `${path} has no label: add "expect: none" at the top or "expect: n-plus-one" on a line`);
          const wanted = [...expected].filter((l) => !knownMisses.has(l)).concat([...knownFalsePositives]).sort((a, b) => a - b);
          const got = [...r.found].sort((a, b) => a - b);
          assert.deepEqual(got, wanted, `${language}/${path}: findings on lines ${JSON.stringify(got)}, labels want ${JSON.stringify(wanted)}\n${r.messages.join('\n')}`);
        });
      }
    });
  }

  it('reports precision and recall per language', () => {
    const rows: string[] = [];
    const total = { files: 0, positiveFiles: 0, expected: 0, tp: 0, fp: 0, fn: 0 };
    for (const language of languages) {
      const list = results.get(language) ?? [];
      const t = { files: list.length, positiveFiles: 0, expected: 0, tp: 0, fp: 0, fn: 0 };
      for (const r of list) {
        if (r.labels.expected.size > 0) t.positiveFiles++;
        t.expected += r.labels.expected.size;
        for (const line of r.labels.expected) {
          if (r.found.has(line)) t.tp++;
          else t.fn++;
        }
        for (const line of r.found) if (!r.labels.expected.has(line)) t.fp++;
      }
      rows.push(row(language, t));
      for (const k of Object.keys(total) as (keyof typeof total)[]) total[k] += t[k];
    }
    rows.push(row('all', total));
    console.log(`\n    n-plus-one on the labelled fixtures\n    ${'language'.padEnd(11)} files  +files  expected  TP  FP  FN  precision  recall\n${rows.join('\n')}\n`);
    assert.ok(total.files >= 60, `the fixture set should hold at least 60 files, has ${total.files}`);
  });
});

function row(name: string, t: { files: number; positiveFiles: number; expected: number; tp: number; fp: number; fn: number }): string {
  const precision = t.tp + t.fp === 0 ? 1 : t.tp / (t.tp + t.fp);
  const recall = t.tp + t.fn === 0 ? 1 : t.tp / (t.tp + t.fn);
  return `    ${name.padEnd(11)} ${String(t.files).padStart(5)}  ${String(t.positiveFiles).padStart(6)}  ${String(t.expected).padStart(8)}  ${String(t.tp).padStart(2)}  ${String(t.fp).padStart(2)}  ${String(t.fn).padStart(2)}  ${(precision * 100).toFixed(1).padStart(8)}%  ${(recall * 100).toFixed(1).padStart(5)}%`;
}

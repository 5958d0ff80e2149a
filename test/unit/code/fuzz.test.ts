/**
 * Random and malformed input never crashes or hangs the analysis: random
 * code units (lone surrogates, NUL), fixture files cut at random points,
 * deeply nested brackets, calls and loops, and one enormous line. The PRNG is
 * seeded, so a failure reproduces; the iteration counts are fixed.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { MappedText, sqlOffsetToSource } from '../../../src/core/code/mappedText';
import { findNPlusOne } from '../../../src/core/code/scan';
import { looksLikeSql } from '../../../src/core/code/sqlExtraction';
import { normalisePlaceholders } from '../../../src/core/code/sqlPlaceholders';
import type { CodeLanguage, FileSummary } from '../../../src/core/code/types';
import { summarizeSnippet } from './support';
import { prng } from '../../support/prng';

const FIXTURES = join(__dirname, '../../../../test/fixtures/code/n-plus-one');
const LANGUAGES: CodeLanguage[] = ['typescript', 'tsx', 'javascript', 'python', 'go', 'ruby'];
const DIR: Record<CodeLanguage, string> = { typescript: 'typescript', tsx: 'typescript', javascript: 'javascript', python: 'python', go: 'go', ruby: 'ruby' };

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? filesUnder(join(dir, n)) : [join(dir, n)]));
}

function randomText(rand: () => number, length: number): string {
  const alphabet = 'for while do each map ( ) { } [ ] ` \' " $ # % ? : ; , . = \n \t SELECT FROM WHERE query execute find_by objects db sql ${ #{ \\ é 😀 \u0000 \ud800 <<~SQL end def func lambda |x| constructor toString __proto__ hasOwnProperty valueOf';
  const words = alphabet.split(' ');
  let out = '';
  while (out.length < length) {
    const r = rand();
    if (r < 0.6) out += words[Math.floor(rand() * words.length)] ?? '';
    else if (r < 0.8) out += String.fromCharCode(Math.floor(rand() * 0x10000));
    else out += ' ';
  }
  return out;
}

/** Summarises and runs the rule; both must finish without throwing. */
async function survive(language: CodeLanguage, text: string): Promise<FileSummary> {
  const s = await summarizeSnippet(language, text);
  const findings = findNPlusOne([s]);
  for (const f of findings.get(s.path) ?? []) {
    assert.ok(f.start >= 0 && f.end <= text.length && f.start <= f.end, 'finding range inside the text');
  }
  for (const q of s.sql) {
    for (let i = 0; i <= q.text.length; i += Math.max(1, Math.floor(q.text.length / 7))) {
      const at = sqlOffsetToSource(q.map, q.text.length, i);
      assert.ok(at >= 0 && at <= text.length, 'SQL offsets map into the text');
    }
  }
  return s;
}

describe('code analysis fuzzing', function () {
  this.timeout(120_000);

  for (const language of LANGUAGES) {
    it(`${language}: random code units`, async () => {
      const rand = prng(language.length * 7919);
      for (let i = 0; i < 25; i++) await survive(language, randomText(rand, 50 + Math.floor(rand() * 1500)));
    });

    it(`${language}: fixture files cut and spliced at random points`, async () => {
      const rand = prng(language.length * 104729);
      const ext = { typescript: '.ts', tsx: '.tsx', javascript: '.js', python: '.py', go: '.go', ruby: '.rb' }[language];
      const texts = filesUnder(join(FIXTURES, DIR[language])).filter((f) => f.endsWith(ext)).map((f) => readFileSync(f, 'utf8'));
      assert.ok(texts.length > 0);
      for (let i = 0; i < 30; i++) {
        const a = texts[Math.floor(rand() * texts.length)] ?? '';
        const b = texts[Math.floor(rand() * texts.length)] ?? '';
        const cut = Math.floor(rand() * a.length);
        const from = Math.floor(rand() * b.length);
        await survive(language, a.slice(0, cut) + b.slice(from, from + Math.floor(rand() * 400)));
      }
    });
  }

  it('deeply nested brackets, calls, callbacks and loops', async () => {
    const depth = 400;
    const cases: [CodeLanguage, string][] = [
      ['typescript', `${'('.repeat(depth)}db.query("SELECT 1")${')'.repeat(depth)};`],
      ['typescript', `const x = ${'['.repeat(depth)}1${']'.repeat(depth)};`],
      ['typescript', `${'ids.map((x) => '.repeat(depth)}pool.query('SELECT 1 WHERE $1 > 0', [x])${')'.repeat(depth)};`],
      ['typescript', `${'for (const x of xs) {\n'.repeat(depth)}await pool.query('SELECT 1 WHERE $1 > 0', [x]);\n${'}\n'.repeat(depth)}`],
      ['typescript', `${'a.b('.repeat(depth)}${')'.repeat(depth)};`],
      ['typescript', `pool.query('SELECT 1')${'.then((r) => r)'.repeat(depth)};`],
      ['python', `x = ${'['.repeat(depth)}1${']'.repeat(depth)}\n`],
      ['python', `${Array.from({ length: 60 }, (_, i) => `${'    '.repeat(i)}for x${i} in xs:\n`).join('')}${'    '.repeat(60)}cur.execute("SELECT 1 WHERE %s > 0", (x0,))\n`],
      ['go', `package p\nfunc f() { ${'g('.repeat(depth)}${')'.repeat(depth)} }\n`],
      ['ruby', `${'xs.each { |x| '.repeat(depth)}User.find(x)${' }'.repeat(depth)}\n`],
      ['javascript', `if (a) {${'{'.repeat(depth)}`],
    ];
    for (const [language, text] of cases) {
      const started = Date.now();
      await survive(language, text);
      assert.ok(Date.now() - started < 20_000, `${language} nested input took ${Date.now() - started} ms`);
    }
  });

  it('names that are also Object.prototype properties', async () => {
    // Regression: a lookup table keyed by method name once found Object.prototype.toString.
    const code = "x.toString(); y.constructor(z); a.hasOwnProperty('b'); c.valueOf(); d.__proto__; e.map.toString();";
    for (const language of ['typescript', 'javascript'] as const) await survive(language, code);
    await survive('python', 'x.__class__()\ny.constructor()\nz.toString()\n');
    await survive('ruby', 'x.constructor\ny.toString { |z| z }\n');
  });

  it('one enormous minified line', async () => {
    const piece = "for(const a of b){await c.query('SELECT 1 WHERE $1 > 0',[a]);d.map(e=>f.findMany({where:{id:e}}))}";
    const s = await survive('javascript', piece.repeat(3000));
    assert.ok(s.queries.length >= 3000);
  });

  it('placeholder rewriting and SQL detection on random text', () => {
    const rand = prng(42);
    for (let i = 0; i < 400; i++) {
      const text = randomText(rand, Math.floor(rand() * 300));
      looksLikeSql(text);
      for (const style of ['dollar', 'question', 'pyformat', 'any'] as const) {
        const out = normalisePlaceholders(MappedText.empty(10).append(text, 10), style);
        for (let k = 0; k <= out.text.length; k += 5) {
          const at = out.toSource(k);
          assert.ok(at >= 10 && at <= 10 + text.length, `offset ${k} maps to ${at}`);
        }
      }
    }
  });
});

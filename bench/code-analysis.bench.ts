/**
 * Code analysis speed.
 * (a) One generated 3,000-line TypeScript file: PG Insight's analysis (parse,
 *     summary, `n-plus-one`) against ESLint running only `no-await-in-loop` on
 *     the same text in the same run (goal: ratio <= 0.5), and against the raw
 *     tree-sitter parse (goal: <= 2x).
 * (b) A generated 500-file project (TypeScript, Python, Go, Ruby): a
 *     workspace scan with the cross-file index; files per second and peak
 *     memory.
 * (c) With PG_INSIGHT_BENCH_APP=<folder> (a checkout of a real application):
 *     its TypeScript files scanned whole (summaries, cross-file index, rule)
 *     against ESLint running only `no-await-in-loop` on the same files, side
 *     by side in the same run (goal: ratio <= 0.5). Third-party code is read
 *     from the folder given, never kept in the project.
 * Benchmarks report; they never assert timings.
 */
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Linter } from 'eslint';
import tseslint from 'typescript-eslint';
import { CodeAnalyzer } from '../src/core/code/analyzer';
import { CodeParser, wasmFileName, type GrammarSource } from '../src/core/code/grammar';
import { findNPlusOne, summarizeFiles, type SourceFile } from '../src/core/code/scan';
import { fmt, median, timeRuns } from './stats';
import { prng } from '../test/support/prng';

const wasmDir = dirname(require.resolve('@vscode/tree-sitter-wasm'));
const source: GrammarSource = async (name) => new Uint8Array(await readFile(join(wasmDir, wasmFileName(name))));

const TS_BLOCKS: ((i: number) => string)[] = [
  (i) => `export async function ordersWithCustomers${i}(ids: number[]) {
  const out = [];
  for (const id of ids) {
    const { rows } = await pool.query('SELECT * FROM orders WHERE id = $1', [id]);
    out.push(rows[0]);
  }
  return out;
}
`,
  (i) => `export async function authors${i}(posts: { authorId: number }[]) {
  return Promise.all(posts.map((p) => prisma.user.findUnique({ where: { id: p.authorId } })));
}
`,
  (i) => `export async function batch${i}(ids: number[]) {
  const { rows } = await pool.query('SELECT * FROM users WHERE id = ANY($1)', [ids]);
  const byId = new Map(rows.map((r: { id: number }) => [r.id, r]));
  return ids.map((id) => byId.get(id));
}
`,
  (i) => `export class Service${i} {
  constructor(private readonly repo: Repository<User>, private readonly cache: Map<number, User>) {}
  async load(ids: number[]) {
    const out: User[] = [];
    for (const id of ids) {
      let u = this.cache.get(id);
      if (!u) {
        u = await this.repo.findOneBy({ id });
        this.cache.set(id, u);
      }
      out.push(u);
    }
    return out;
  }
  private format(u: User) {
    return \`\${u.name} <\${u.email}>\`;
  }
}
`,
  (i) => `export async function page${i}() {
  let cursor = 0;
  while (true) {
    const { rows } = await pool.query('SELECT * FROM events WHERE id > $1 ORDER BY id LIMIT 100', [cursor]);
    if (rows.length === 0) break;
    cursor = rows[rows.length - 1].id;
  }
}
`,
  (i) => `export function render${i}(items: { id: number; name: string; tags: string[] }[]) {
  return items
    .filter((x) => x.tags.length > 0)
    .map((x) => ({ key: x.id, label: x.name.toUpperCase(), tags: x.tags.join(', ') }))
    .sort((a, b) => a.label.localeCompare(b.label));
}
`,
  (i) => `async function helper${i}(id: number) {
  return knex('accounts').where({ id }).first();
}
export async function useHelper${i}(ids: number[]) {
  for (let k = 0; k < ids.length; k++) {
    await helper${i}(ids[k]);
  }
}
`,
];

function typescriptFile(lines: number, seed: number): string {
  const rand = prng(seed);
  let text = "import { pool, prisma, knex } from './db';\nimport type { Repository } from 'typeorm';\ninterface User { id: number; name: string; email: string }\n\n";
  for (let i = 0; text.split('\n').length < lines; i++) text += `${TS_BLOCKS[Math.floor(rand() * TS_BLOCKS.length)]!(i)}\n`;
  return text;
}

function pythonFile(i: number): string {
  return `from app.db import get_connection
from shop.models import Order


def report_${i}(ids):
    out = []
    with get_connection().cursor() as cur:
        for oid in ids:
            cur.execute("SELECT * FROM orders WHERE id = %s", (oid,))
            out.append(cur.fetchone())
    return out


def eager_${i}():
    return [o.customer.name for o in Order.objects.select_related("customer")]


def lazy_${i}():
    return [o.customer.name for o in Order.objects.all()]
`.repeat(3);
}

function goFile(i: number): string {
  return `package store

import "database/sql"

func Names${i}(db *sql.DB, ids []int64) []string {
	out := []string{}
	for _, id := range ids {
		var n string
		_ = db.QueryRow("SELECT name FROM users WHERE id = $1", id).Scan(&n)
		out = append(out, n)
	}
	return out
}
`;
}

function rubyFile(i: number): string {
  return `class Feed${i}Controller < ApplicationController
  def index
    Post.where(published: true).each do |post|
      render_line(post.title, post.author.name)
    end
    Post.includes(:author).each { |p| p.author.name }
  end
end
`;
}

/** Runs each of `fns` in turn, `rounds` times after `warmup` unmeasured rounds; milliseconds per round and function. */
async function interleaved(rounds: number, warmup: number, fns: readonly (() => Promise<unknown>)[]): Promise<number[][]> {
  const out: number[][] = [];
  for (let i = 0; i < warmup + rounds; i++) {
    const times: number[] = [];
    for (const fn of fns) {
      const t = performance.now();
      await fn();
      times.push(performance.now() - t);
    }
    if (i >= warmup) out.push(times);
  }
  return out;
}

async function fileBench(analyzer: CodeAnalyzer): Promise<void> {
  const text = typescriptFile(3000, 7);
  const lineCount = text.split('\n').length;
  const parser = new CodeParser(source);
  const grammar = await parser.language('typescript');
  const linter = new Linter({ configType: 'flat' });
  const config = [{ files: ['**/*.ts'], languageOptions: { parser: tseslint.parser }, rules: { 'no-await-in-loop': 'error' as const } }];
  const eslintMessages = linter.verify(text, config, 'bench.ts').length;

  // Parse and analysis are timed in turn within each round, so a load spike on the shared machine hits
  // both alike; their ratio is the median of each round's own ratio. ESLint runs after them, on its
  // own: the garbage it leaves would otherwise be collected during the analysis rounds.
  const runs = 15;
  let findings = 0;
  const rounds = await interleaved(runs, 3, [
    () => Promise.resolve(parser.parseWith(grammar, text).delete()),
    async () => {
      const s = await analyzer.summarize('bench.ts', text);
      findings = s ? findNPlusOne([s]).get('bench.ts')?.length ?? 0 : 0;
    },
  ]);
  const parse = median(rounds.map((r) => r[0]!));
  const analysis = median(rounds.map((r) => r[1]!));
  const toParse = median(rounds.map((r) => r[1]! / r[0]!));
  const eslint = median(await timeRuns(runs, 3, () => Promise.resolve(linter.verify(text, config, 'bench.ts'))));

  console.log(`(a) one TypeScript file, ${lineCount} lines, ${text.length} characters (median of ${runs} rounds)`);
  console.log(`    tree-sitter parse only          ${fmt(parse)}`);
  console.log(`    PG Insight analysis             ${fmt(analysis)}  (${findings} n-plus-one findings)`);
  console.log(`    ESLint no-await-in-loop only    ${fmt(eslint)}  (${eslintMessages} messages)`);
  console.log(`    analysis / ESLint               ${(analysis / eslint).toFixed(2)}  (goal <= 0.5)`);
  console.log(`    analysis / raw parse            ${toParse.toFixed(2)}x  (goal <= 2x)`);
}

async function workspaceBench(analyzer: CodeAnalyzer): Promise<void> {
  const files: SourceFile[] = [];
  for (let i = 0; i < 500; i++) {
    const kind = i % 10;
    if (kind < 6) files.push({ path: `src/module${i}.ts`, text: typescriptFile(150 + (i % 7) * 20, i) });
    else if (kind < 8) files.push({ path: `app/report_${i}.py`, text: pythonFile(i) });
    else if (kind === 8) files.push({ path: `internal/store/names${i}.go`, text: goFile(i) });
    else files.push({ path: `app/controllers/feed${i}_controller.rb`, text: rubyFile(i) });
  }
  files.push({ path: 'shop/models.py', text: 'class Customer(models.Model):\n    name = models.CharField()\n\nclass Order(models.Model):\n    customer = models.ForeignKey(Customer, on_delete=models.CASCADE)\n' });
  files.push({ path: 'app/models/post.rb', text: 'class Post < ApplicationRecord\n  belongs_to :author\nend\n' });
  const lines = files.reduce((n, f) => n + f.text.split('\n').length, 0);

  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 5);
  const before = process.memoryUsage().rss;
  const started = performance.now();
  const summaries = await summarizeFiles(analyzer, files);
  const summarised = performance.now();
  const findings = findNPlusOne(summaries);
  const done = performance.now();
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  const total = [...findings.values()].reduce((n, l) => n + l.length, 0);
  console.log(`(b) workspace scan: ${files.length} files, ${lines} lines`);
  console.log(`    summaries ${fmt(summarised - started)}, index and rule ${fmt(done - summarised)}, total ${fmt(done - started)}`);
  console.log(`    ${(files.length / ((done - started) / 1000)).toFixed(0)} files/s, ${total} findings`);
  console.log(`    peak RSS ${(peak / 1048576).toFixed(0)} MB (${((peak - before) / 1048576).toFixed(0)} MB above the start of the scan)`);
}

/** TypeScript sources under `root`, without dependencies, build output, declarations or tests' snapshots. */
async function typescriptFiles(root: string): Promise<SourceFile[]> {
  const out: SourceFile[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const e of await readdir(dir, { withFileTypes: true })) {
      if (e.name.startsWith('.') || ['node_modules', 'dist', 'build', 'out', 'coverage', '__snapshots__'].includes(e.name)) continue;
      const full = join(dir, e.name);
      if (e.isDirectory()) await walk(full);
      else if (/\.tsx?$/.test(e.name) && !e.name.endsWith('.d.ts')) out.push({ path: relative(root, full).replace(/\\/g, '/'), text: await readFile(full, 'utf8') });
    }
  };
  await walk(root);
  return out;
}

async function applicationBench(analyzer: CodeAnalyzer, root: string): Promise<void> {
  const files = await typescriptFiles(root);
  const lines = files.reduce((n, f) => n + f.text.split('\n').length, 0);
  const linter = new Linter({ configType: 'flat' });
  const config = [{ files: ['**/*.ts', '**/*.tsx'], languageOptions: { parser: tseslint.parser, parserOptions: { ecmaFeatures: { jsx: true } } }, rules: { 'no-await-in-loop': 'error' as const } }];
  let findings = 0;
  let messages = 0;
  const scan = async () => {
    const found = findNPlusOne(await summarizeFiles(analyzer, files));
    findings = [...found.values()].reduce((n, l) => n + l.length, 0);
  };
  const lint = () => {
    messages = files.reduce((n, f) => n + linter.verify(f.text, config, f.path.endsWith('.tsx') ? 'file.tsx' : 'file.ts').length, 0);
    return Promise.resolve();
  };
  // Whole scans alternate with whole ESLint runs, so a load spike on the machine hits both alike.
  const rounds = await interleaved(5, 1, [scan, lint]);
  const analysis = median(rounds.map((r) => r[0]!));
  const eslint = median(rounds.map((r) => r[1]!));
  console.log(`(c) real application ${root}: ${files.length} TypeScript files, ${lines} lines (median of 5 rounds)`);
  console.log(`    PG Insight scan (summaries, index, rule)  ${fmt(analysis)}  (${findings} n-plus-one findings)`);
  console.log(`    ESLint no-await-in-loop only              ${fmt(eslint)}  (${messages} messages)`);
  console.log(`    scan / ESLint                             ${(analysis / eslint).toFixed(2)}  (goal <= 0.5)`);
}

async function main(): Promise<void> {
  const analyzer = new CodeAnalyzer(source);
  await analyzer.preload(['typescript', 'tsx', 'python', 'go', 'ruby']);
  await fileBench(analyzer);
  await workspaceBench(analyzer);
  const app = process.env.PG_INSIGHT_BENCH_APP;
  if (app) await applicationBench(analyzer, app);
  else console.log('(c) set PG_INSIGHT_BENCH_APP=<folder> to time a real application against ESLint');
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});

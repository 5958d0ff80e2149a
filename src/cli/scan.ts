/**
 * `pg-insight scan`: the code diagnostics of the editor, for CI. Reads the
 * files, builds the same workspace index and schema (live with --db,
 * else from the scanned migrations or schema.prisma), and prints text,
 * JSON or SARIF to standard output; messages go to standard error. Files
 * and folders that were skipped (unreadable, too large, binary) are part of
 * the output in every format: a scan that silently looked at less would
 * read as a clean result.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createDatabase } from '../db';
import { readSchema } from '../db/catalog';
import type { DbLog } from '../db/types';
import { AnalysisEngine } from '../diagnostics/engine';
import { levelFor, toView, type FindingView } from '../diagnostics/findingView';
import { fsGrammarSource } from '../diagnostics/grammarSource';
import { offlineSchema } from '../diagnostics/offlineSchema';
import type { SchemaModel } from '../core/schema/model';
import { displayText } from '../core/text/databaseText';
import { resolveTarget } from './connect';
import { parseScanArgs, SCAN_USAGE, type ScanArgs } from './scanArgs';
import { MissingPathError, readScanFiles, type SkippedPath } from './scanFiles';
import { toSarif } from './scanSarif';

const EXIT_OK = 0;
const EXIT_THRESHOLD = 1;
const EXIT_USAGE = 2;

const quietLog: DbLog = { statement: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

/** Messages quote the server (errors, names): credentials redacted, bidi controls spelled out. */
function fail(message: string): number {
  process.stderr.write(`pg-insight: ${displayText(message)}\n`);
  return EXIT_USAGE;
}

/** The package root: dist/cli.js lives one folder below it. */
function packageRoot(): string {
  return join(__dirname, '..');
}

function packageVersion(root: string): string {
  try {
    const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version?: unknown }).version;
    return typeof version === 'string' ? version : '0.0.0';
  } catch {
    return '0.0.0';
  }
}

async function liveSchema(url: string): Promise<{ ok: true; schema: SchemaModel } | { ok: false; error: string }> {
  const resolved = await resolveTarget(url, process.env);
  if (!resolved.ok) return resolved;
  const { target } = resolved;
  const db = createDatabase({ profile: target.profile, password: target.password }, { statementTimeoutMs: 30_000, lockTimeoutMs: 5_000, connectTimeoutMs: 10_000, poolMax: 1 }, quietLog);
  try {
    return { ok: true, schema: await readSchema(db) };
  } catch (e) {
    return { ok: false, error: `Could not read the schema from ${target.display}: ${e instanceof Error ? e.message : String(e)}` };
  } finally {
    await db.close();
  }
}

export interface ScanResult {
  readonly views: FindingView[];
  readonly files: number;
  readonly skipped: readonly SkippedPath[];
}

export async function scanFindings(args: ScanArgs, cwd: string): Promise<ScanResult | { error: string }> {
  let read: Awaited<ReturnType<typeof readScanFiles>>;
  try {
    read = await readScanFiles(args.paths, cwd);
  } catch (e) {
    if (e instanceof MissingPathError) return { error: e.message };
    throw e;
  }
  const { files, skipped } = read;
  let schema: SchemaModel | undefined;
  if (args.db !== undefined) {
    const live = await liveSchema(args.db);
    if (!live.ok) return { error: live.error };
    schema = live.schema;
  } else {
    schema = await offlineSchema(files);
  }
  const projectPaths = new Map(files.map((f) => [f.path, f.projectPath]));
  const engine = new AnalysisEngine(fsGrammarSource([__dirname]), { projectPath: (p) => projectPaths.get(p) ?? p });
  engine.schema = schema;
  for (const f of files) await engine.update(f.path, f.text);
  const views: FindingView[] = [];
  for (const f of files) {
    for (const finding of await engine.findings(f.path, f.text)) {
      const level = levelFor(finding, {});
      if (level) views.push(toView(finding, level, (p) => engine.lineStarts(p)));
    }
  }
  return { views, files: files.length, skipped };
}

function skipLine(s: SkippedPath): string {
  return `${s.path}: skipped: ${s.message}.`;
}

function renderText(result: ScanResult): string {
  const { views, files, skipped } = result;
  const lines = views.map((v) => `${v.path}:${v.start.line + 1}:${v.start.character + 1}: ${v.level} ${v.ruleId}: ${v.message}`);
  lines.push(...skipped.map(skipLine));
  const skips = skipped.length === 0 ? '' : ` (${skipped.length} skipped)`;
  lines.push(`${views.length} finding${views.length === 1 ? '' : 's'} in ${files} file${files === 1 ? '' : 's'}${skips}.`);
  return `${lines.join('\n')}\n`;
}

function reached(views: readonly FindingView[], failOn: ScanArgs['failOn']): boolean {
  if (!failOn) return false;
  return views.some((v) => v.level === 'error' || (failOn === 'warning' && v.level === 'warning'));
}

export async function scanMain(argv: readonly string[]): Promise<number> {
  const args = parseScanArgs(argv);
  if (args.command === 'help') {
    process.stdout.write(SCAN_USAGE);
    return EXIT_OK;
  }
  if (args.command === 'error') return fail(`${args.message}\n\n${SCAN_USAGE}`);
  let result: Awaited<ReturnType<typeof scanFindings>>;
  try {
    result = await scanFindings(args, process.cwd());
  } catch (e) {
    return fail(e instanceof Error ? e.message : String(e));
  }
  if ('error' in result) return fail(result.error);
  const { views, skipped } = result;
  // Text output lists the skips itself; with JSON or SARIF on standard output, a person reads standard error.
  if (args.format !== 'text') for (const s of skipped) process.stderr.write(`pg-insight: ${skipLine(s)}\n`);
  if (args.format === 'json') process.stdout.write(`${JSON.stringify({ files: result.files, findings: views, skipped }, null, 2)}\n`);
  else if (args.format === 'sarif') {
    const root = packageRoot();
    const version = packageVersion(root);
    const sarif = toSarif(views, { version, informationUri: pathToFileURL(join(root, 'README.md')).href, helpUri: (id) => pathToFileURL(join(root, 'docs', 'rules', `${id}.md`)).href, skipped });
    process.stdout.write(`${JSON.stringify(sarif, null, 2)}\n`);
  } else process.stdout.write(renderText(result));
  return reached(views, args.failOn) ? EXIT_THRESHOLD : EXIT_OK;
}

/**
 * `pg-insight scan`: the code diagnostics of the editor, for CI. Reads the
 * files, builds the same workspace index and schema (live with --db,
 * else from the migrations, table-creating .sql files and Prisma schemas
 * found under the scanned paths and --schema), says which schema it used,
 * and prints text,
 * JSON or SARIF to standard output; messages go to standard error. Files
 * and folders that were skipped (unreadable, too large, binary) are part of
 * the output in every format: a scan that silently looked at less would
 * read as a clean result.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createDatabase } from '../db';
import { readSchema } from '../db/catalog';
import type { DbLog } from '../db/types';
import { AnalysisEngine } from '../diagnostics/engine';
import { levelFor, toView, type FindingView } from '../diagnostics/findingView';
import { fsGrammarSource } from '../diagnostics/grammarSource';
import { isSchemaFile, offlineSchema, type WorkspaceText } from '../diagnostics/offlineSchema';
import type { SchemaModel } from '../core/schema/model';
import { matchesAny } from '../core/code/glob';
import { parseProjectConfig, PROJECT_CONFIG_FILE, withOverrides, EMPTY_PROJECT_CONFIG, type ProjectConfig } from '../core/config/projectConfig';
import { codeMigration, describeWorkspaceSchema, isCodeMigrationPath, schemaCounts, schemaForPath } from '../core/schema/workspaceSchema';
import { displayText } from '../core/text/databaseText';
import { resolveTarget } from './connect';
import { parseScanArgs, SCAN_USAGE, type ScanArgs } from './scanArgs';
import { MissingPathError, readScanFiles, type SkippedPath } from './scanFiles';
import { repositoryUrl, rulePageUrl, toSarif } from './scanSarif';
import { findingFingerprints } from './fingerprint';

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

function packageManifest(root: string): { readonly version?: unknown; readonly repository?: unknown; readonly homepage?: unknown } {
  try {
    return JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version?: unknown };
  } catch {
    return {};
  }
}

/** A rule's documentation page, shipped next to the CLI. */
function rulePage(root: string, ruleId: string): string | undefined {
  try {
    return readFileSync(join(root, 'docs', 'rules', `${ruleId}.md`), 'utf8');
  } catch {
    return undefined;
  }
}

async function liveSchema(url: string): Promise<{ ok: true; schema: SchemaModel; display: string } | { ok: false; error: string }> {
  const resolved = await resolveTarget(url, process.env);
  if (!resolved.ok) return resolved;
  const { target } = resolved;
  const db = createDatabase({ profile: target.profile, password: target.password }, { statementTimeoutMs: 30_000, lockTimeoutMs: 5_000, connectTimeoutMs: 10_000, poolMax: 1 }, quietLog);
  try {
    return { ok: true, schema: await readSchema(db), display: target.display };
  } catch (e) {
    return { ok: false, error: `Could not read the schema from ${target.display}: ${e instanceof Error ? e.message : String(e)}` };
  } finally {
    await db.close();
  }
}

/** The schema the SQL rules were judged against, as every output format reports it. */
export interface ScanSchema {
  /** `database` (--db), `files` (migrations, .sql, Prisma) or `none`. */
  readonly source: 'database' | 'files' | 'none';
  readonly tables: number;
  readonly indexes: number;
  /** The files read (source `files`). */
  readonly files: readonly string[];
  /** Sentences for a person: where each schema came from, or what to do when there is none. */
  readonly summary: readonly string[];
}

export const NO_SCHEMA_SUMMARY =
  'No schema found: no SQL migrations, .sql files that create tables or schema.prisma under the scanned paths, and no --db. missing-index and non-sargable-predicate did not run; give --db URL, or --schema PATH for the files that create the tables.';

export interface ScanResult {
  readonly views: FindingView[];
  /** A stable identity per finding: rule, file, the text of its line and its rank among equals. */
  readonly fingerprints: ReadonlyMap<FindingView, string>;
  readonly files: number;
  /** Files left out by `exclude` globs. */
  readonly excluded: number;
  /** The project file read, if any. */
  readonly config?: string;
  readonly skipped: readonly SkippedPath[];
  readonly schema: ScanSchema;
}

/** The project file (`--config`, else `.pg-insight.json` here) with the command line on top. */
export function projectConfig(args: ScanArgs, cwd: string): { config: ProjectConfig; file?: string } | { error: string } {
  const path = args.config !== undefined ? resolve(cwd, args.config) : join(cwd, PROJECT_CONFIG_FILE);
  let config = EMPTY_PROJECT_CONFIG;
  let file: string | undefined;
  if (args.config !== undefined || existsSync(path)) {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (e) {
      return { error: `Could not read ${args.config ?? PROJECT_CONFIG_FILE}: ${e instanceof Error ? e.message : String(e)}` };
    }
    const parsed = parseProjectConfig(text, args.config ?? PROJECT_CONFIG_FILE);
    // A typo in a CI configuration must stop the run, not widen it silently.
    if (parsed.problems.length > 0) return { error: parsed.problems.join('\n') };
    config = parsed.config;
    file = args.config ?? PROJECT_CONFIG_FILE;
  }
  return { config: withOverrides(config, args), ...(file !== undefined ? { file } : {}) };
}

export async function scanFindings(args: ScanArgs, cwd: string): Promise<ScanResult | { error: string }> {
  const loaded = projectConfig(args, cwd);
  if ('error' in loaded) return loaded;
  const { config } = loaded;
  let read: Awaited<ReturnType<typeof readScanFiles>>;
  try {
    read = await readScanFiles(args.paths, cwd);
  } catch (e) {
    if (e instanceof MissingPathError) return { error: e.message };
    throw e;
  }
  const { skipped } = read;
  const excluded = new Set(config.exclude.length > 0 ? read.files.filter((f) => matchesAny(f.path, config.exclude) || matchesAny(f.projectPath, config.exclude)) : []);
  const files = excluded.size > 0 ? read.files.filter((f) => !excluded.has(f)) : read.files;
  const projectPaths = new Map(files.map((f) => [f.path, f.projectPath]));
  const engine = new AnalysisEngine(fsGrammarSource([__dirname]), {
    projectPath: (p) => projectPaths.get(p) ?? p,
    ...(config.migrations ? { excludeGlobs: config.migrations } : {}),
    ...(config.missingIndexMinRows !== undefined ? { rowThreshold: config.missingIndexMinRows } : {}),
  });
  // An unreachable database fails the scan before any file is parsed.
  const live = args.db !== undefined ? await liveSchema(args.db) : undefined;
  if (live && !live.ok) return { error: live.error };
  for (const f of files) await engine.update(f.path, f.text);
  let scanSchema: ScanSchema;
  if (live?.ok) {
    engine.schema = live.schema;
    const counts = schemaCounts(live.schema);
    scanSchema = { source: 'database', ...counts, files: [], summary: [`${live.display}: ${counts.tables} tables, ${counts.indexes} indexes, with row estimates`] };
  } else {
    // Excluded files still describe the schema: leaving tests out must not lose the migrations.
    let schemaFiles: WorkspaceText[] = read.files.filter((f) => isSchemaFile(f.path));
    if (config.schema.length > 0) {
      try {
        const extra = await readScanFiles(config.schema, cwd);
        schemaFiles = [...schemaFiles, ...extra.files.filter((f) => isSchemaFile(f.path) && !schemaFiles.some((g) => g.path === f.path))];
      } catch (e) {
        if (e instanceof MissingPathError) return { error: `--schema: ${e.message}` };
        throw e;
      }
    }
    // Migrations written in code (Go, TypeScript, Python, Ruby) send their DDL as SQL strings.
    for (const f of files) {
      if (!isCodeMigrationPath(f.path)) continue;
      const sql = engine.summary(f.path)?.sql ?? [];
      const migration = codeMigration(f.path, sql.map((t) => t.text));
      if (migration) schemaFiles.push(migration);
    }
    const ws = await offlineSchema(schemaFiles);
    if (ws) {
      engine.schemaFor = (path) => schemaForPath(ws, path);
      scanSchema = { source: 'files', ...schemaCounts(ws.merged), files: ws.files, summary: describeWorkspaceSchema(ws) };
    } else scanSchema = { source: 'none', tables: 0, indexes: 0, files: [], summary: [NO_SCHEMA_SUMMARY] };
  }
  const views: FindingView[] = [];
  for (const f of files) {
    for (const finding of await engine.findings(f.path, f.text)) {
      const level = levelFor(finding, config.rules);
      if (level) views.push(toView(finding, level, (p) => engine.lineStarts(p)));
    }
  }
  const texts = new Map(files.map((f) => [f.path, f.text]));
  return { views, fingerprints: findingFingerprints(views, (path) => texts.get(path)), files: files.length, excluded: excluded.size, skipped, schema: scanSchema, ...(loaded.file !== undefined ? { config: loaded.file } : {}) };
}

/** The schema lines of the text report (and of standard error for JSON and SARIF). */
export function schemaLines(schema: ScanSchema): string[] {
  if (schema.source === 'none') return [`Schema: none. ${NO_SCHEMA_SUMMARY.replace(/^No schema found: no/, 'No')}`];
  const from = schema.source === 'database' ? 'from the database' : 'from files';
  return schema.summary.map((line) => `Schema ${from}: ${line}.`);
}

function skipLine(s: SkippedPath): string {
  return `${s.path}: skipped: ${s.message}.`;
}

function renderText(result: ScanResult): string {
  const { views, files, skipped } = result;
  const lines = schemaLines(result.schema);
  lines.push(...views.map((v) => `${v.path}:${v.start.line + 1}:${v.start.character + 1}: ${v.level} ${v.ruleId}: ${v.message}`));
  lines.push(...skipped.map(skipLine));
  const notes = [...(skipped.length > 0 ? [`${skipped.length} skipped`] : []), ...(result.excluded > 0 ? [`${result.excluded} excluded`] : [])];
  const skips = notes.length === 0 ? '' : ` (${notes.join(', ')})`;
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
  if (args.format !== 'text') {
    for (const line of schemaLines(result.schema)) process.stderr.write(`pg-insight: ${line}\n`);
    for (const s of skipped) process.stderr.write(`pg-insight: ${skipLine(s)}\n`);
  }
  if (args.format === 'json') process.stdout.write(`${JSON.stringify({ files: result.files, excluded: result.excluded, ...(result.config !== undefined ? { config: result.config } : {}), schema: result.schema, findings: views, skipped }, null, 2)}\n`);
  else if (args.format === 'sarif') {
    const root = packageRoot();
    const manifest = packageManifest(root);
    const version = typeof manifest.version === 'string' ? manifest.version : '0.0.0';
    const repository = repositoryUrl(manifest);
    const sarif = toSarif(views, {
      version,
      ...(repository !== undefined ? { informationUri: repository } : {}),
      helpUri: (id) => (repository !== undefined ? rulePageUrl(repository, version, id) : undefined),
      helpMarkdown: (id) => rulePage(root, id),
      fingerprint: (f) => result.fingerprints.get(f),
      skipped,
    });
    process.stdout.write(`${JSON.stringify(sarif, null, 2)}\n`);
  } else process.stdout.write(renderText(result));
  return reached(views, args.failOn) ? EXIT_THRESHOLD : EXIT_OK;
}

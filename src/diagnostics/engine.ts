/**
 * The analysis shared by the editor and the CLI: keeps one summary per
 * source file (the workspace index that cross-file `n-plus-one` needs),
 * the schema the SQL rules check against, and turns a file into rated
 * findings. No editor API and no file system: callers hand in text.
 */
import { CodeAnalyzer } from '../core/code/analyzer';
import type { GrammarSource } from '../core/code/grammar';
import { matchesAny } from '../core/code/glob';
import { languageForPath } from '../core/code/languages';
import { lineStarts } from '../core/code/suppression';
import { checkNPlusOne, DEFAULT_IGNORE_GLOBS } from '../core/code/rules/n-plus-one';
import { buildIndex } from '../core/code/scan';
import type { FileSummary } from '../core/code/types';
import type { WorkspaceIndex } from '../core/code/workspaceIndex';
import type { SchemaModel } from '../core/schema/model';
import { loadSqlParser } from '../core/sql/parser';
import { checkOrmFilters, checkSqlFile, checkSummarySql, type SqlRuleId } from '../core/sqlrules';
import { codeRole } from '../core/code/codeRole';
import type { RatedFinding } from './findingView';

export interface EngineOptions {
  readonly rowThreshold?: number;
  /** Files `n-plus-one` leaves alone (migrations, seeds). */
  readonly excludeGlobs?: readonly string[];
  /**
   * A file's path inside its project, from which what it is for (tests,
   * scripts) is read; by default the path itself (workspace-relative in
   * the editor).
   */
  readonly projectPath?: (path: string) => string;
}

export const SQL_EXTENSION = /\.sql$/i;

/** True for the files the analysis reads: supported source languages and `.sql`. */
export function isAnalyzable(path: string): boolean {
  return SQL_EXTENSION.test(path) || languageForPath(path) !== undefined;
}

/** A NUL in the first kilobytes marks a binary file, never worth parsing. */
export function looksBinary(text: string): boolean {
  return text.slice(0, 8000).includes('\u0000');
}

export class AnalysisEngine {
  private readonly analyzer: CodeAnalyzer;
  private readonly summaries = new Map<string, FileSummary>();
  /** `.sql` files: their text (for Find in code) and line starts. */
  private readonly sqlFiles = new Map<string, { readonly text: string; readonly lineStarts: readonly number[] }>();
  private index: WorkspaceIndex | undefined;
  schema: SchemaModel | undefined;
  /** The schema for one file, when packages keep their own (a scan of a monorepo); else `schema`. */
  schemaFor: ((path: string) => SchemaModel | undefined) | undefined;

  constructor(source: GrammarSource, public options: EngineOptions = {}) {
    this.analyzer = new CodeAnalyzer(source);
  }

  /** Parses and remembers `text` as the current content of `path` (workspace-relative, `/` separators). */
  async update(path: string, text: string): Promise<void> {
    if (SQL_EXTENSION.test(path)) {
      this.sqlFiles.set(path, { text, lineStarts: lineStarts(text) });
      return;
    }
    const summary = await this.analyzer.summarize(path, text);
    if (!summary) return;
    this.summaries.set(path, summary);
    this.index = undefined;
  }

  forget(path: string): void {
    if (this.summaries.delete(path)) this.index = undefined;
    this.sqlFiles.delete(path);
  }

  get fileCount(): number {
    return this.summaries.size;
  }

  lineStarts(path: string): readonly number[] | undefined {
    return this.summaries.get(path)?.lineStarts ?? this.sqlFiles.get(path)?.lineStarts;
  }

  summary(path: string): FileSummary | undefined {
    return this.summaries.get(path);
  }

  /** The source files in the index (`.sql` files are in `sqlPaths`). */
  get paths(): string[] {
    return [...this.summaries.keys()];
  }

  get sqlPaths(): string[] {
    return [...this.sqlFiles.keys()];
  }

  sqlFile(path: string): { readonly text: string; readonly lineStarts: readonly number[] } | undefined {
    return this.sqlFiles.get(path);
  }

  /** Findings for a file already `update`d; a `.sql` file needs its text again. */
  async findings(path: string, sqlText?: string): Promise<RatedFinding[]> {
    const ignoreGlobs = this.options.excludeGlobs ?? DEFAULT_IGNORE_GLOBS;
    // Migrations and seeds create the very tables and rows the rules would complain about.
    if (matchesAny(path, ignoreGlobs)) return [];
    await loadSqlParser();
    const rowThreshold = this.options.rowThreshold;
    const schema = this.schemaFor ? this.schemaFor(path) : this.schema;
    // An index need in a test, a fixture or a one-off script is no need: there only certain syntax errors are said.
    const role = codeRole(this.options.projectPath?.(path) ?? path);
    const rules: SqlRuleId[] | undefined = role === 'application' ? undefined : ['sql-syntax'];
    if (SQL_EXTENSION.test(path)) return sqlText === undefined ? [] : checkSqlFile(path, sqlText, schema, { rowThreshold, ...(rules ? { rules } : {}) });
    const summary = this.summaries.get(path);
    if (!summary) return [];
    this.index ??= buildIndex([...this.summaries.values()]);
    const nPlusOne: RatedFinding[] = checkNPlusOne(summary, this.index, { ignoreGlobs, projectPath: this.options.projectPath?.(path) ?? path });
    // ORM and query-builder calls (Prisma, Django, ActiveRecord, knex, Kysely) judged like raw SQL.
    const orm = schema && !rules ? checkOrmFilters(path, summary.ormFilters, schema, { rowThreshold, suppressions: summary.suppressions, lineStarts: summary.lineStarts }) : [];
    return [...nPlusOne, ...checkSummarySql(summary, schema, { rowThreshold, setFields: this.index.setFields(), ...(rules ? { rules } : {}) }), ...orm].sort((a, b) => a.start - b.start);
  }
}

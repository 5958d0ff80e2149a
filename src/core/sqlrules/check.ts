/**
 * Runs the SQL rules over SQL text: `sql-syntax` on the whole text, then,
 * for each statement that parses and with a schema at hand,
 * `missing-index` and `non-sargable-predicate`. Findings come back in the
 * source file's UTF-16 offsets, with suppression comments honoured.
 *
 * The SQL parser must be loaded (`loadSqlParser()`).
 */
import { lineOf, lineStarts, scanSuppressions, isSuppressed, type Suppression } from '../code/suppression';
import type { FileSummary, SqlText } from '../code/types';
import type { SchemaModel } from '../schema/model';
import { analyzeStatement } from '../sql/analyze';
import { parseSql } from '../sql/parser';
import { splitStatements } from '../sql/statements';
import { toFinding, type Advice, type SqlFinding, type SqlRuleOptions } from './finding';
import { missingIndex } from './missing-index';
import { nonSargable } from './non-sargable-predicate';
import { resolveStatement } from './resolve';
import { prepareSql, sourceFromFile, sourceFromSqlText, sourceSpan, type SqlSource } from './source';
import { isOtherDialectPath } from './dialect';
import { sqlSyntax } from './sql-syntax';

export const SQL_RULE_IDS = ['missing-index', 'non-sargable-predicate', 'sql-syntax'] as const;
export type SqlRuleId = (typeof SQL_RULE_IDS)[number];

export interface SqlCheckOptions extends SqlRuleOptions {
  /** Rules to run; all three by default. */
  readonly rules?: readonly SqlRuleId[];
  /** Field names some file of the workspace sets: a variant guarded by another option is never run. */
  readonly setFields?: ReadonlySet<string>;
}

/** The findings for one SQL text (unsuppressed; see `checkSummarySql` and `checkSqlFile`). */
export function checkSql(source: SqlSource, schema: SchemaModel | undefined, options: SqlCheckOptions = {}): SqlFinding[] {
  const rules = new Set(options.rules ?? SQL_RULE_IDS);
  const sql = prepareSql(source);
  const advice: Advice[] = [];
  const whole = parseSql(sql.text);
  if (rules.has('sql-syntax')) advice.push(...sqlSyntax(sql, whole));
  // SQL written for SQLite or MySQL is not judged against the PostgreSQL schema.
  const otherDatabase = source.otherDatabase === true || isOtherDialectPath(source.path);
  if (schema && !otherDatabase && (rules.has('missing-index') || rules.has('non-sargable-predicate'))) {
    // When the whole text does not parse, the statements that do are still checked.
    const statements = whole.ok
      ? whole.statements.map((s) => ({ node: s.node, text: sql.text, base: 0 }))
      : splitStatements(sql.text).statements.flatMap((s) => (s.node ? [{ node: s.node, text: s.text, base: s.start }] : []));
    for (const s of statements) {
      const resolved = resolveStatement(analyzeStatement(s.node, s.text), schema, s.base);
      if (rules.has('missing-index')) {
        const deleteTarget = resolved.shape.command === 'delete' ? resolved.target : undefined;
        advice.push(...missingIndex({ accesses: resolved.accesses, ...(deleteTarget ? { deleteTarget } : {}) }, schema, options));
      }
      if (rules.has('non-sargable-predicate')) advice.push(...nonSargable(resolved.accesses, options));
    }
  }
  return advice.map((a) => toFinding(a, source.path, (start, end) => sourceSpan(sql, start, end))).sort((a, b) => a.start - b.start);
}

/** Every SQL text of a summarised source file, with its suppression comments applied. */
export function checkSummarySql(summary: FileSummary, schema: SchemaModel | undefined, options: SqlCheckOptions = {}): SqlFinding[] {
  const out = summary.sql.flatMap((sql) => [...checkSql(sourceFromSqlText(summary.path, sql), schema, options), ...checkVariants(summary.path, sql, schema, options)]);
  const seen = new Set<string>();
  const unique = out.filter((f) => {
    // Variants of one statement often find the same need: one finding per rule and place, the first
    // (the text as written, then variants in order).
    const key = `${f.ruleId}\u0000${f.start}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return unsuppressed(unique, summary.suppressions, summary.lineStarts);
}

/** The index rules on the texts a statement takes at run time (never `sql-syntax`: a variant is a guess). */
function checkVariants(path: string, sql: SqlText, schema: SchemaModel | undefined, options: SqlCheckOptions): SqlFinding[] {
  if (!schema || !sql.variants) return [];
  const rules = (options.rules ?? SQL_RULE_IDS).filter((r) => r !== 'sql-syntax');
  if (rules.length === 0) return [];
  const set = options.setFields;
  const isSet = (guard: string): boolean => {
    const field = guard.split('.').pop() ?? '';
    // `=F`: assigned on some object; `.F`: a key of a literal of any type, for a guard whose type was not known.
    return !set || set.has(guard) || set.has(`=${field}`) || (!guard.includes('.') && set.has(`.${field}`));
  };
  const run = sql.variants.filter((v) => v.guard === undefined || isSet(v.guard));
  return run.flatMap((v) => checkSql(sourceFromSqlText(path, { ...sql, text: v.text, map: v.map, holes: [], variants: undefined }), schema, { ...options, rules }));
}

/** A `.sql` file (its own source), with its `-- pg-insight-ignore` comments applied. */
export function checkSqlFile(path: string, text: string, schema: SchemaModel | undefined, options: SqlCheckOptions = {}): SqlFinding[] {
  const starts = lineStarts(text);
  return unsuppressed(checkSql(sourceFromFile(path, text), schema, options), scanSuppressions(text, starts), starts);
}

export function unsuppressed<T extends { readonly ruleId: string; readonly start: number }>(findings: readonly T[], suppressions: readonly Suppression[], starts: readonly number[]): T[] {
  return findings.filter((f) => !isSuppressed(suppressions, f.ruleId, lineOf(starts, f.start)));
}

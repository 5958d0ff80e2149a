/**
 * Prepares an EXPLAIN: exactly one statement (decided by the real parser),
 * its safety verdict, and the EXPLAIN text with the options the server
 * version supports. Nothing here talks to the server.
 */
import { loadSqlParser, parseSql, type ParsedStatement } from '../core/sql/parser';
import { classifyStatement } from '../core/sql/safety';
import { codePointToUtf16 } from '../core/sql/offsets';
import { DbError, type ExplainOptions, type StatementSafety } from './types';

export interface PreparedExplain {
  readonly statement: ParsedStatement;
  readonly safety: StatementSafety;
  readonly explainSql: string;
  /** Options left out because the server version or the mode does not allow them, for the log. */
  readonly dropped: readonly string[];
  /** GENERIC_PLAN made it into the statement: `$n` then stay without values. */
  readonly genericPlan: boolean;
  /** Server error position (1-based code points in explainSql) -> UTF-16 offset in the caller's text. */
  mapPosition(serverPosition: number): number | undefined;
  /** Code point offset (0-based) in the statement's text -> UTF-16 offset in the caller's text. */
  mapStatementPosition(inStatement: number): number | undefined;
}

/** What PostgreSQL can EXPLAIN at all (gram.y ExplainableStmt). */
const explainable = new Set([
  'SelectStmt', 'InsertStmt', 'UpdateStmt', 'DeleteStmt', 'MergeStmt', 'CreateTableAsStmt', 'DeclareCursorStmt',
  'ExecuteStmt',
]);

/** Parses and judges the statement; throws DbError 'syntax' or 'refused'. */
export async function parseForExplain(sql: string): Promise<{ statement: ParsedStatement; safety: StatementSafety }> {
  await loadSqlParser();
  const parsed = parseSql(sql);
  if (!parsed.ok) throw new DbError('syntax', `Syntax error: ${parsed.error.message}.`, ['open-log'], '42601', parsed.error.position);
  const count = parsed.statements.length;
  const statement = parsed.statements[0];
  if (!statement) throw new DbError('refused', 'There is no statement to explain.', []);
  if (count > 1) {
    throw new DbError('refused', `The text holds ${count} statements, and EXPLAIN runs exactly one. Select the statement to explain.`, []);
  }
  const safety = classifyStatement(statement.type, statement.node);
  if (!explainable.has(statement.type)) {
    throw new DbError(
      'refused',
      `PostgreSQL has no plan for ${safety.statementType}: EXPLAIN takes SELECT, INSERT, UPDATE, DELETE, MERGE, VALUES, CREATE TABLE AS and CREATE MATERIALIZED VIEW.`,
      [],
    );
  }
  return { statement, safety };
}

/** Builds the EXPLAIN text; options the server cannot take are dropped and reported. */
export function buildExplain(statement: ParsedStatement, safety: StatementSafety, options: ExplainOptions, serverVersionNum: number): PreparedExplain {
  const dropped: string[] = [];
  const parts: string[] = [];
  const analyze = options.analyze;
  const add = (name: string, value: boolean | undefined, minVersion: number, needs?: 'analyze' | 'no-analyze') => {
    if (value === undefined) return;
    if (serverVersionNum < minVersion) {
      // An unsupported option asked to be off is off anyway; only a wanted one is worth a log line.
      if (value) dropped.push(`${name} (needs PostgreSQL ${Math.floor(minVersion / 10000)})`);
      return;
    }
    if (needs === 'analyze' && !analyze && value) {
      dropped.push(`${name} (only with ANALYZE)`);
      return;
    }
    if (needs === 'no-analyze' && analyze && value) {
      dropped.push(`${name} (not with ANALYZE)`);
      return;
    }
    parts.push(value ? name : `${name} false`);
  };
  if (analyze) parts.push('ANALYZE');
  add('VERBOSE', options.verbose, 0);
  add('SETTINGS', options.settings, 120000);
  add('GENERIC_PLAN', options.genericPlan, 160000, 'no-analyze');
  // Planning buffers without ANALYZE came with PostgreSQL 13.
  add('BUFFERS', options.buffers, analyze ? 0 : 130000);
  if (options.serialize) add('SERIALIZE', true, 170000, 'analyze');
  add('WAL', options.wal, 130000, 'analyze');
  add('TIMING', options.timing, 0, 'analyze');
  add('MEMORY', options.memory, 170000);
  parts.push('FORMAT JSON');
  const prefix = `EXPLAIN (${parts.join(', ')}) `;
  const explainSql = prefix + statement.text;
  return {
    statement,
    safety,
    explainSql,
    dropped,
    genericPlan: parts.includes('GENERIC_PLAN'),
    mapPosition(serverPosition) {
      return this.mapStatementPosition(serverPosition - 1 - prefix.length);
    },
    mapStatementPosition(inStatement) {
      if (inStatement < 0) return undefined;
      return statement.start + codePointToUtf16(statement.text, inStatement);
    },
  };
}

/** The plan from the single row EXPLAIN (FORMAT JSON) returns. */
export function planFromRows(rows: readonly Record<string, unknown>[]): unknown {
  const value = rows[0]?.['QUERY PLAN'];
  return typeof value === 'string' ? JSON.parse(value) : value;
}

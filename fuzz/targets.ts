/**
 * What the fuzz run feeds and what counts as a finding, per target. A target
 * takes one input and returns the findings it caused (empty when all is
 * well); an exception thrown out of a target is a crash.
 */
import { loadSqlParser, parseSql } from '../src/core/sql/parser';
import { splitStatements, statementAt } from '../src/core/sql/statements';
import { classifyStatement } from '../src/core/sql/safety';
import { refusalOf } from '../src/core/sql/functions';
import { rewritePlaceholders } from '../src/core/sql/placeholders';
import { objectsInTree } from '../src/core/sql/nodeTree';
import { namesInBody } from '../src/core/sql/bodyNames';
import { analysePlan, PlanParseError } from '../src/core/plan';
import type { CodeAnalyzer } from '../src/core/code/analyzer';

export interface Target<I> {
  readonly name: string;
  /** Produces input number `index` (deterministic for a seed). */
  input(index: number): I;
  run(input: I): Promise<string[]> | string[];
  /** For a report: the input as text. */
  show(input: I): string;
}

const dataChanges = new Set(['InsertStmt', 'UpdateStmt', 'DeleteStmt', 'MergeStmt']);

/**
 * The classifier's oracle, written apart from it: a statement judged 'read'
 * holds no data change, no row lock, no SELECT INTO, no call of a function
 * whose effects outlive a rollback, and is a kind of statement that reads.
 */
export function readVerdictViolations(type: string, node: Record<string, unknown>): string[] {
  const out: string[] = [];
  if (!['SelectStmt', 'VariableShowStmt', 'CopyStmt'].includes(type)) out.push(`a ${type} judged read`);
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(visit);
    if (value === null || typeof value !== 'object') return;
    for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
      if (dataChanges.has(key)) out.push(`holds ${key}`);
      if (key === 'lockingClause' && Array.isArray(child) && child.length > 0) out.push('locks rows');
      if (key === 'intoClause' && child) out.push('SELECT INTO');
      if (key === 'is_from' && child === true) out.push('COPY FROM');
      if (key === 'FuncCall' && child && typeof child === 'object') {
        const names = ((child as { funcname?: unknown }).funcname ?? []) as Array<{ String?: { sval?: string } }>;
        const last = names.at(-1)?.String?.sval ?? '';
        if (refusalOf(last)) out.push(`calls ${last}()`);
      }
      visit(child);
    }
  };
  visit(node);
  return out;
}

export function sqlTarget(make: (index: number) => string): Target<string> {
  return {
    name: 'sql: split, parse, classify, placeholders',
    input: make,
    show: (s) => JSON.stringify(s),
    run(text) {
      const findings: string[] = [];
      const split = splitStatements(text);
      for (const s of split.statements) {
        if (s.start < 0 || s.end > text.length || s.start > s.end) findings.push(`statement range ${s.start}..${s.end} outside the text`);
      }
      statementAt(text, Math.floor(text.length / 2));
      const parsed = parseSql(text);
      if (parsed.ok) {
        for (const st of parsed.statements) {
          const verdict = classifyStatement(st.type, st.node);
          if (verdict.verdict === 'read') findings.push(...readVerdictViolations(st.type, st.node).map((v) => `classifier escape: ${v}`));
        }
      } else if (parsed.error.position < 0 || parsed.error.position > text.length) {
        findings.push(`syntax error position ${parsed.error.position} outside the text`);
      }
      const rewritten = rewritePlaceholders(text);
      if (typeof rewritten.text !== 'string') findings.push('placeholder rewrite lost the text');
      // The catalog readers' pure parts take server text; they must never throw on any text.
      objectsInTree(text);
      namesInBody(text);
      return findings;
    },
  };
}

export function planTarget(make: (index: number) => unknown): Target<unknown> {
  return {
    name: 'plan: parse, enrich, tips, view model, text',
    input: make,
    show: (p) => JSON.stringify(p).slice(0, 2000),
    run(plan) {
      try {
        analysePlan(plan);
      } catch (e) {
        if (e instanceof PlanParseError) return [];
        throw e;
      }
      return [];
    },
  };
}

export function codeTarget(analyzer: CodeAnalyzer, make: (index: number) => { path: string; text: string }): Target<{ path: string; text: string }> {
  return {
    name: 'code: tree-sitter summaries',
    input: make,
    show: (f) => `${f.path}: ${JSON.stringify(f.text).slice(0, 2000)}`,
    async run(file) {
      await analyzer.summarize(file.path, file.text);
      return [];
    },
  };
}

export async function prepareSql(): Promise<void> {
  await loadSqlParser();
}

/**
 * The tables a piece of source code refers to, for "Scope to this
 * workspace". Deliberately simple: SQL files are parsed with the PostgreSQL
 * grammar; in other files, string literals that start like SQL are parsed
 * the same way; when a text does not parse (placeholders the grammar does
 * not know, string concatenation, psql commands), a keyword pattern picks the
 * names after FROM, JOIN, UPDATE, INTO and TABLE. ORM models that never spell
 * a table name are not seen. The parser must be loaded first (loadSqlParser).
 */
import { looksLikeSql } from '../code/sqlExtraction';
import { analyzeStatement } from '../sql/analyze';
import { parseSql } from '../sql/parser';

const IDENT = String.raw`(?:"(?:[^"]|"")+"|[A-Za-z_][\w$]*)`;
const NAME = String.raw`\s+(?:only\s+|if\s+(?:not\s+)?exists\s+)?(${IDENT}(?:\s*\.\s*${IDENT})?)`;
const AFTER_KEYWORD = new RegExp(String.raw`\b(?:from|join|update|into|table)${NAME}`, 'gi');
/** The statement analysis lists the tables a statement reads; the target of a write is taken from its keyword. */
const WRITE_TARGET = new RegExp(String.raw`\b(?:update|into)${NAME}`, 'gi');
const NOT_TABLES = new Set(['select', 'lateral', 'unnest', 'generate_series', 'values', 'set', 'where', 'as']);

function unquote(part: string): string {
  const p = part.trim();
  return p.startsWith('"') ? p.slice(1, -1).replace(/""/g, '"') : p.toLowerCase();
}

function byPattern(sql: string, into: Set<string>, pattern = AFTER_KEYWORD): void {
  for (const m of sql.matchAll(pattern)) {
    const name = (m[1] ?? '').split(/\s*\.\s*(?=(?:"|[A-Za-z_]))/).map(unquote).join('.');
    if (name && !NOT_TABLES.has(name)) into.add(name);
  }
}

/** Tables named in SQL text: `schema.table`, or `table` when no schema is written. */
export function tablesInSql(sql: string): string[] {
  const found = new Set<string>();
  const parsed = parseSql(sql);
  if (parsed.ok) {
    for (const s of parsed.statements) {
      for (const t of analyzeStatement(s.node, sql).tables) found.add(t.schema ? `${t.schema}.${t.name}` : t.name);
    }
    byPattern(sql, found, WRITE_TARGET);
  } else {
    byPattern(sql, found);
  }
  return [...found];
}

/** Quoted strings in code (single, double, back-ticked, Python triple quotes) that read like SQL. */
export function sqlLiterals(code: string): string[] {
  const out: string[] = [];
  const literal = /"""([\s\S]*?)"""|'''([\s\S]*?)'''|`((?:[^`\\]|\\.)*)`|"((?:[^"\\\n]|\\.)*)"|'((?:[^'\\\n]|\\.)*)'/g;
  for (const m of code.matchAll(literal)) {
    const text = m.slice(1).find((g) => g !== undefined) ?? '';
    const trimmed = text.trim();
    if (trimmed.length >= 10 && looksLikeSql(trimmed)) out.push(trimmed.replace(/\$\{[^}]*\}/g, '$1'));
  }
  return out;
}

/** The tables one file refers to. */
export function tablesInFile(path: string, text: string): string[] {
  if (/\.sql$/i.test(path)) return tablesInSql(text);
  const found = new Set<string>();
  for (const sql of sqlLiterals(text)) for (const t of tablesInSql(sql)) found.add(t);
  return [...found];
}

/**
 * The columns a recorded statement searches one table by: its filters
 * (equality first, then ranges and patterns) and the columns it joins the
 * table on. The missing-indexes check names them, so that its finding says
 * which index to add rather than only which table is scanned.
 *
 * pg_stat_statements texts are normalised (`$1` for constants), which the
 * grammar reads like any parameter. The parser must be loaded already (the
 * report loads it when a check asks for it, see `needsSqlParser`); without
 * it, or for a text it cannot read (cut at 2,000 characters), the answer is
 * null: unknown, not "none".
 */
import { analyzeStatement, type ColumnUse } from '../sql/analyze';
import { isSqlParserLoaded, parseSql } from '../sql/parser';

export interface SearchColumns {
  /** Filter columns in the order an index would want them: equality, then the rest. */
  readonly filters: readonly string[];
  readonly joins: readonly string[];
}

export function searchColumns(query: string, schema: string, table: string): SearchColumns | null {
  if (!isSqlParserLoaded()) return null;
  const parsed = parseSql(query);
  if (!parsed.ok || parsed.statements.length !== 1) return null;
  const statement = parsed.statements[0];
  if (!statement) return null;
  const shape = analyzeStatement(statement.node, statement.text);
  const mine = new Set<number>();
  shape.tables.forEach((t, i) => {
    if (t.name === table && (t.schema === undefined || t.schema === schema)) mine.add(i);
  });
  if (mine.size === 0) return null;
  // A column use belongs to the table when its best match is one of our references.
  const ours = (u: ColumnUse) => u.tables.length > 0 && mine.has(u.tables[0] ?? -1);
  // A wrapped column (lower(email)) needs an expression index or a rewrite, not the plain column.
  const filters = shape.uses.filter((u) => u.role === 'filter' && ours(u) && !u.underOr && !u.wrapper);
  const rank = (u: ColumnUse) => (u.kind === 'equality' ? 0 : u.kind === 'range' ? 1 : 2);
  return {
    filters: unique(filters.slice().sort((a, b) => rank(a) - rank(b)).map((u) => u.column)),
    joins: unique(shape.uses.filter((u) => u.role === 'join' && ours(u)).map((u) => u.column)),
  };
}

function unique(names: readonly string[]): string[] {
  return [...new Set(names)];
}

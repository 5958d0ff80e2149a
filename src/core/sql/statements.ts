/**
 * Statements of a SQL text, as the real parser sees them.
 *
 * When the whole text parses, the parser's own statement boundaries are used
 * (so a `;` inside a string, a comment or a function body never splits). When
 * it does not (the user is typing), the text is split lexically on top-level
 * semicolons and each piece is parsed on its own, so that one broken statement
 * does not hide the others. The parser must be loaded (`loadSqlParser()`).
 */
import { splitOnSemicolons } from './lexer';
import { parseSql, type ParsedStatement, type SqlSyntaxError, type StatementNode } from './parser';

export interface SqlStatement {
  /** UTF-16 offsets in the whole text, first token to last token (no `;`). */
  readonly start: number;
  readonly end: number;
  readonly text: string;
  /** Node type such as "SelectStmt"; undefined when this piece does not parse. */
  readonly type?: string;
  readonly node?: StatementNode;
  /** The syntax error of this piece, with a position in the whole text. */
  readonly error?: SqlSyntaxError;
}

export interface StatementSplit {
  readonly statements: readonly SqlStatement[];
  /** The first syntax error in the text, if any. */
  readonly error?: SqlSyntaxError;
}

export function splitStatements(text: string): StatementSplit {
  const whole = parseSql(text);
  if (whole.ok) return { statements: whole.statements.map(fromParsed(0)) };
  const statements = splitOnSemicolons(text).map(({ start, end }): SqlStatement => {
    const piece = text.slice(start, end);
    const parsed = parseSql(piece);
    if (!parsed.ok) return { start, end, text: piece, error: { message: parsed.error.message, position: start + parsed.error.position } };
    const only = parsed.statements[0];
    return only && parsed.statements.length === 1 ? fromParsed(start)(only) : { start, end, text: piece };
  });
  return { statements, error: whole.error };
}

function fromParsed(base: number): (s: ParsedStatement) => SqlStatement {
  return (s) => ({ start: base + s.start, end: base + s.end, text: s.text, type: s.type, node: s.node });
}

/**
 * The statement under the cursor: the one containing `offset` (its end
 * included), else the one just before the cursor when only blanks and `;`
 * on the same line separate them.
 */
export function statementAt(text: string, offset: number): SqlStatement | undefined {
  return statementAtIn(splitStatements(text).statements, text, offset);
}

/** As `statementAt`, for statements already split. */
export function statementAtIn(statements: readonly SqlStatement[], text: string, offset: number): SqlStatement | undefined {
  let before: SqlStatement | undefined;
  for (const s of statements) {
    if (s.start <= offset && offset <= s.end) return s;
    if (s.end < offset) before = s;
  }
  if (before && /^[ \t;]*$/.test(text.slice(before.end, offset))) return before;
  return undefined;
}

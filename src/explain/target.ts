/**
 * Which statement to explain, from the editor: the selection when there is
 * one; with no selection in a SQL file, the statement under the cursor; in
 * application code, the string literal under the cursor when it is SQL.
 * The parser must be loaded (`loadSqlParser()`).
 */
import * as vscode from 'vscode';
import { parseSql } from '../core/sql/parser';
import { rewritePlaceholders } from '../core/sql/placeholders';
import { statementAt } from '../core/sql/statements';
import { stringLiteralAt } from './stringLiteral';

export type TargetKind = 'selection' | 'statement' | 'string';

export interface ExplainTarget {
  readonly kind: TargetKind;
  /** The SQL as written (placeholders not rewritten yet). */
  readonly text: string;
  readonly document: vscode.TextDocument;
  /** Where the text is in the document (for a string literal: its content). */
  readonly range: vscode.Range;
}

const SQL_LANGUAGES = new Set(['sql', 'pgsql', 'postgres', 'postgresql', 'plpgsql', 'psql']);
const SQL_EXTENSIONS = /\.(sql|pgsql|psql)$/i;

export function isSqlDocument(document: vscode.TextDocument): boolean {
  return SQL_LANGUAGES.has(document.languageId) || SQL_EXTENSIONS.test(document.fileName);
}

/** The target, or a sentence saying what to do instead. */
export function resolveTarget(editor: vscode.TextEditor): ExplainTarget | { readonly problem: string } {
  const document = editor.document;
  const selection = editor.selection;
  if (!selection.isEmpty) {
    const text = document.getText(selection);
    if (text.trim() === '') return { problem: 'The selection is empty: select a statement to explain.' };
    return { kind: 'selection', text, document, range: new vscode.Range(selection.start, selection.end) };
  }
  const full = document.getText();
  const offset = document.offsetAt(selection.active);
  if (isSqlDocument(document)) {
    const statement = statementAt(full, offset);
    if (!statement) return { problem: 'There is no statement under the cursor: place the cursor in a statement, or select one.' };
    return { kind: 'statement', text: statement.text, document, range: new vscode.Range(document.positionAt(statement.start), document.positionAt(statement.end)) };
  }
  const literal = stringLiteralAt(full, offset, document.languageId);
  if (literal && looksLikeOneStatement(literal.text)) {
    return { kind: 'string', text: literal.text, document, range: new vscode.Range(document.positionAt(literal.start), document.positionAt(literal.end)) };
  }
  return {
    problem: literal
      ? 'The string under the cursor is not a SQL statement PostgreSQL can parse: select the statement to explain.'
      : 'Select the statement to explain, or place the cursor in a SQL string.',
  };
}

/** A string literal counts as SQL when the real grammar parses it (placeholders rewritten) into one statement. */
function looksLikeOneStatement(text: string): boolean {
  if (text.trim() === '') return false;
  const parsed = parseSql(rewritePlaceholders(text).text);
  return parsed.ok && parsed.statements.length === 1;
}

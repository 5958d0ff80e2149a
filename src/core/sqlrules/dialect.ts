/**
 * SQL written for another database. An application that supports several
 * databases keeps SQLite or MySQL text next to its PostgreSQL text (often
 * in a `sqlite/` or `mysql/` folder); PostgreSQL's grammar rejecting that
 * text says nothing about the application, so `sql-syntax` leaves it alone.
 * Each marker is syntax PostgreSQL has never accepted, looked for outside
 * strings and comments.
 */
import { segments } from '../sql/lexer';

const MARKERS: readonly (readonly [RegExp, string])[] = [
  [/`/, 'backquoted names (MySQL, SQLite)'],
  [/^\s*PRAGMA\b/i, 'PRAGMA (SQLite)'],
  [/\bCREATE\s+VIRTUAL\s+TABLE\b/i, 'virtual tables (SQLite)'],
  // PostgreSQL's MATCH is only FULL / PARTIAL / SIMPLE in a foreign key; SQLite's full-text MATCH takes a value.
  [/\bMATCH\b(?!\s+(?:FULL|PARTIAL|SIMPLE)\b)/i, 'full-text MATCH (SQLite)'],
  [/\bAUTO_?INCREMENT\b/i, 'AUTOINCREMENT (MySQL, SQLite)'],
  [/\bENGINE\s*=/i, 'table engines (MySQL)'],
  [/\bINSERT\s+(?:OR\s+(?:IGNORE|REPLACE|ABORT|FAIL|ROLLBACK)|IGNORE)\b/i, 'INSERT OR IGNORE / INSERT IGNORE (SQLite, MySQL)'],
  [/\bREPLACE\s+INTO\b/i, 'REPLACE INTO (MySQL, SQLite)'],
  [/\bON\s+DUPLICATE\s+KEY\b/i, 'ON DUPLICATE KEY (MySQL)'],
  [/\bLIMIT\s+(?:\d+|\$\d+)\s*,/i, 'LIMIT offset, count (MySQL, SQLite)'],
  [/\bSHOW\s+(?:FULL\s+)?(?:TABLES|DATABASES|COLUMNS|INDEX|CREATE)\b/i, 'SHOW TABLES (MySQL)'],
  [/\b(?:STRAIGHT_JOIN|FORCE\s+INDEX|USE\s+INDEX|IGNORE\s+INDEX)\b/i, 'index hints (MySQL)'],
  [/\bSELECT\s+TOP\b/i, 'SELECT TOP (SQL Server)'],
  [/\bUNSIGNED\b/i, 'UNSIGNED (MySQL)'],
  [/\bALTER\s+TABLE\s+\S+\s+(?:MODIFY|CHANGE)\b/i, 'ALTER TABLE … MODIFY / CHANGE (MySQL)'],
];

/** The other database's syntax the text uses, or undefined when nothing marks it as not PostgreSQL. */
export function otherDialectMarker(text: string): string | undefined {
  let code = '';
  for (const seg of segments(text)) code += seg.kind === 'code' ? text.slice(seg.start, seg.end) : ' ';
  for (const [re, what] of MARKERS) if (re.test(code)) return what;
  return undefined;
}

const DIALECT_PATH = /(?:^|[/_.-])(?:sqlite\d?|mysql|mariadb|mssql|sqlserver|oracle|tsql)(?=[/_.-]|$)/i;

/** A path that names another database (`store/db/sqlite/memo.go`, `mysql_store.py`, `seed/sqlite/dump.sql`). */
export function isOtherDialectPath(path: string): boolean {
  return DIALECT_PATH.test(path);
}

/**
 * Whether a text is a whole statement or a piece of one. Query builders
 * take SQL expressions (`knex.raw('DENSE_RANK() OVER (…)')`, a slonik
 * fragment) through the same calls as statements; PostgreSQL's grammar
 * rejects an expression standing alone, which says nothing about the code.
 * A statement starts with a command word, or with a word one slip of the
 * keyboard away from one (`SELEC`, `UDPATE`), which is worth reporting.
 */
import { segments } from '../sql/lexer';

const COMMANDS = [
  'ABORT', 'ALTER', 'ANALYSE', 'ANALYZE', 'BEGIN', 'CALL', 'CHECKPOINT', 'CLOSE', 'CLUSTER', 'COMMENT', 'COMMIT', 'COPY',
  'CREATE', 'DEALLOCATE', 'DECLARE', 'DELETE', 'DISCARD', 'DO', 'DROP', 'END', 'EXECUTE', 'EXPLAIN', 'FETCH', 'GRANT',
  'IMPORT', 'INSERT', 'LISTEN', 'LOAD', 'LOCK', 'MERGE', 'MOVE', 'NOTIFY', 'PREPARE', 'REASSIGN', 'REFRESH', 'REINDEX',
  'RELEASE', 'RESET', 'REVOKE', 'ROLLBACK', 'SAVEPOINT', 'SECURITY', 'SELECT', 'SET', 'SHOW', 'START', 'TABLE', 'TRUNCATE',
  'UNLISTEN', 'UPDATE', 'VACUUM', 'VALUES', 'WITH',
];
const COMMAND_SET = new Set(COMMANDS);
/**
 * SQL words near a command that start expressions, not statements
 * (`lead(…) over`, `value = ?`, `rank() over`).
 */
const EXPRESSION_WORDS = new Set(['LEAD', 'VALUE', 'RANK', 'LEFT', 'CAST', 'CASE', 'SETOF', 'ALL', 'ANY', 'SOME', 'ROWS', 'ROW', 'OVER', 'LOWER', 'UPPER', 'DELETED', 'UPDATED', 'CREATED', 'SELECTED', 'INSERTED', 'GRANTED', 'LOCKED', 'CLOSED', 'ALTERED', 'COMMENTS', 'TABLES', 'ENDS', 'EXP']);

/** The first word of the text outside comments, after any opening parentheses. */
export function firstWord(text: string): string | undefined {
  for (const seg of segments(text)) {
    if (seg.kind === 'comment') continue;
    if (seg.kind !== 'code') return undefined;
    const m = /^[\s(]*([A-Za-z_]+)?/.exec(text.slice(seg.start, seg.end));
    if (m?.[1]) return m[1].toUpperCase();
    if (text.slice(seg.start, seg.end).trim().replace(/^\(+/, '') !== '') return undefined;
  }
  return undefined;
}

/** True when the text starts like a statement, typos of the command word included. */
export function startsLikeStatement(text: string): boolean {
  const word = firstWord(text);
  if (word === undefined) return false;
  if (COMMAND_SET.has(word)) return true;
  // A command with a suffix is a word of its own (`updated`, `selected`), not a slip.
  if (EXPRESSION_WORDS.has(word) || COMMANDS.some((c) => word.startsWith(c))) return false;
  // A command cut short (`WIT`, `DRO`): too short for an edit distance, still a slip.
  if (word.length >= 3 && COMMANDS.some((c) => c.length === word.length + 1 && c.startsWith(word))) return true;
  // Short words are too near too many commands (`AND` is one letter from `END`, `ALL` from `CALL`).
  const allowed = word.length <= 3 ? 0 : word.length <= 6 ? 1 : 2;
  return allowed > 0 && COMMANDS.some((c) => Math.abs(c.length - word.length) <= allowed && distance(c, word) <= allowed);
}

/** Edit distance with adjacent transpositions (optimal string alignment). */
export function distance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const row = d[i]!;
      const prev = d[i - 1]!;
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) row[j] = Math.min(row[j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}

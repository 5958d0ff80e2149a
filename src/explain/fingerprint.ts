/**
 * A statement's identity for the plan history and the remembered parameter
 * values: the text with comments dropped, literals replaced by `?`,
 * whitespace and the case of unquoted words normalised, so that
 * reformatting a query or changing a constant keeps its history (as
 * pg_stat_statements groups queries). Quoted identifiers are kept as they
 * are, since their case matters.
 */
import { createHash } from 'node:crypto';
import { segments } from '../core/sql/lexer';

/** Punctuation around which spaces carry no meaning. */
const TIGHT = /\s*([(),;=<>+*/|.[\]])\s*/g;
/** Numeric constants not part of a name or a `$n` parameter. */
const NUMBER = /(?<![\w$.])\d+(?:\.\d+)?(?:e[+-]?\d+)?(?![\w$])/gi;

export function normaliseStatement(text: string): string {
  let out = '';
  for (const s of segments(text)) {
    const piece = text.slice(s.start, s.end);
    switch (s.kind) {
      case 'comment':
        out += ' ';
        break;
      case 'string':
        out += '?';
        break;
      case 'quoted-identifier':
        out += piece;
        break;
      case 'code':
        out += piece.toLowerCase().replace(NUMBER, '?');
        break;
    }
  }
  return out.replace(/\s+/g, ' ').replace(TIGHT, '$1').replace(/;+$/, '').trim();
}

/** A short stable id of the normalised text. */
export function statementFingerprint(text: string): string {
  return createHash('sha256').update(normaliseStatement(text)).digest('hex').slice(0, 16);
}

/** The statement on one line, cut for titles and pickers. */
export function statementLabel(text: string, max = 80): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/**
 * PG Insight marks the statements it sends with a comment, so that the slow
 * query list can leave them out: a developer wants to see the application's
 * statements, not the catalog reads of the tool looking at them.
 *
 * Where the tag goes matters. PostgreSQL 13 to 17 keep a comment that leads
 * the statement in pg_stat_statements' text, but PostgreSQL 18 starts the
 * text at the statement's first word, so a leading comment vanishes there.
 * A comment right after the first word survives on every version, so
 * `tagStatement` puts the tag there; `isOwnStatement` recognises both places,
 * as texts recorded by older releases of the tool may lead with it.
 *
 * A limit worth knowing: comments are not part of the queryid. When the
 * application runs a statement identical to one of ours, both share one
 * entry, and its text is whichever ran first.
 */

export const PG_INSIGHT_TAG = '/* pg-insight */';

const TAG_COMMENT = /^\/\*\s*pg-insight\s*\*\/$/;
const TAG_AFTER_WORD = /^[A-Za-z_]+\s*\/\*\s*pg-insight\s*\*\//;

/** The tag among the comments leading the text, or right after its first word. */
export function isOwnStatement(query: string): boolean {
  const { comments, end } = leadingComments(query);
  return comments.some((c) => TAG_COMMENT.test(c)) || TAG_AFTER_WORD.test(query.slice(end));
}

/** The statement with the tag after its first word (or in front when it has none). */
export function tagStatement(sql: string): string {
  if (isOwnStatement(sql)) return sql;
  const start = leadingComments(sql).end;
  const word = /^[A-Za-z_]+/.exec(sql.slice(start));
  if (!word) return `${PG_INSIGHT_TAG} ${sql}`;
  const end = start + word[0].length;
  const rest = sql.slice(end);
  return `${sql.slice(0, end)} ${PG_INSIGHT_TAG}${/^\s/.test(rest) ? '' : ' '}${rest}`;
}

/** The comments before the first word, and the index of the first character after them and white space. */
function leadingComments(sql: string): { comments: string[]; end: number } {
  const comments: string[] = [];
  let i = 0;
  for (;;) {
    while (i < sql.length && /\s/.test(sql.charAt(i))) i++;
    const start = i;
    if (sql.startsWith('--', i)) {
      const nl = sql.indexOf('\n', i);
      i = nl < 0 ? sql.length : nl + 1;
    } else if (sql.startsWith('/*', i)) {
      i = endOfBlockComment(sql, i);
    } else {
      return { comments, end: i };
    }
    comments.push(sql.slice(start, i).trim());
  }
}

/** PostgreSQL block comments nest. */
function endOfBlockComment(sql: string, start: number): number {
  let depth = 0;
  let i = start;
  while (i < sql.length) {
    if (sql.startsWith('/*', i)) {
      depth++;
      i += 2;
    } else if (sql.startsWith('*/', i)) {
      depth--;
      i += 2;
      if (depth === 0) return i;
    } else {
      i++;
    }
  }
  return sql.length;
}

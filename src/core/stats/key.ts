/**
 * The identity of a pg_stat_statements entry. The server keys its hash table
 * by user, database, queryid and (since 14) whether the statement ran at top
 * level, so the same four make an entry recognisable from one snapshot to
 * the next.
 */

export interface KeyParts {
  readonly queryid: string | null;
  readonly dbid: number;
  readonly userid: number;
  readonly toplevel: boolean;
}

/**
 * Hidden entries have no queryid; all of one role's hidden entries in one
 * database share the key "hidden/…" and are merged into one row (rows.ts).
 */
export function statementKey(p: KeyParts): string {
  return `${p.queryid ?? 'hidden'}/${p.dbid}/${p.userid}/${p.toplevel ? 't' : 'n'}`;
}

/**
 * Shared by the checks that read pg_stat_activity. A role without
 * pg_read_all_stats sees other roles' sessions with only their pid, database,
 * role and application: state, statement, transaction start and backend type
 * are NULL. Such a session may be the one idle in a transaction or running
 * for an hour, so the checks cannot say OK while one of them could be.
 *
 * pg_locks is readable by every role, and a backend holds the lock on its own
 * virtual transaction id for as long as a transaction is open (a running
 * statement always has one). Hidden sessions without that lock are idle
 * between transactions and can be neither; the others are what the role
 * cannot judge.
 */
import { plural } from './format';
import { num0 } from './rows';
import type { Limitation, Rows } from './types';

/** The grant that shows other roles' sessions (pg_monitor includes it). */
export const READ_ALL_STATS = 'pg_read_all_stats';

/** Sessions of this database hidden from the connected role, and those of them inside a transaction. */
export const HIDDEN_SESSIONS_SQL = `SELECT count(*) AS hidden,
       count(*) FILTER (WHERE EXISTS (
         SELECT 1 FROM pg_locks l WHERE l.pid = a.pid AND l.locktype = 'virtualxid' AND l.granted)) AS hidden_in_transaction
FROM pg_stat_activity a
WHERE a.backend_type IS NULL
  AND a.datname = current_database()`;

/** Hidden sessions with a transaction open, from HIDDEN_SESSIONS_SQL's row (0 when it did not run). */
export function hiddenInTransaction(rows: Rows | undefined): number {
  return num0(rows?.[0]?.hidden_in_transaction);
}

/**
 * The limitation for `inTransaction` hidden sessions: `what` (e.g. "idle
 * transactions") among them cannot be seen, and the grant that shows them.
 */
export function hiddenSessions(inTransaction: number, what: string): Limitation[] {
  if (inTransaction === 0) return [];
  return [
    {
      reason:
        `${plural(inTransaction, 'session of another role has', 'sessions of other roles have')} a transaction open in this database, ` +
        `and ${inTransaction === 1 ? 'its' : 'their'} state and statement are hidden from this role, so ${what} among them cannot be seen.`,
      fix: `GRANT ${READ_ALL_STATS} TO <role>;  -- or pg_monitor`,
      needs: READ_ALL_STATS,
    },
  ];
}

/** The end of a summary when sessions were hidden: "; 2 sessions of other roles could not be seen into". */
export function hiddenSuffix(inTransaction: number): string {
  return inTransaction === 0 ? '' : `; ${plural(inTransaction, 'session of another role', 'sessions of other roles')} with an open transaction could not be seen into`;
}

/** First line of a statement, shortened for a message. */
export function shortQuery(query: string, max = 120): string {
  const oneLine = query.replace(/\s+/g, ' ').trim();
  return oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
}

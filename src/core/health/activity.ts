/**
 * Shared by the checks that read pg_stat_activity. A role without
 * pg_read_all_stats sees other roles' sessions with every column but the pid
 * and role set to NULL, so those checks cannot tell what such sessions are
 * doing; they count them and say so instead of reporting a clean bill.
 */
import { plural } from './format';
import { num0 } from './rows';
import type { Limitation, Rows } from './types';

/** Processes whose details are hidden from the connected role. */
export const HIDDEN_SESSIONS_SQL = `SELECT count(*) AS hidden
FROM pg_stat_activity
WHERE backend_type IS NULL`;

export function hiddenSessions(rows: Rows | undefined, what: string): Limitation[] {
  const hidden = num0(rows?.[0]?.hidden);
  if (hidden === 0) return [];
  return [
    {
      reason: `${plural(hidden, 'process belongs', 'processes belong')} to other roles and ${hidden === 1 ? 'is' : 'are'} hidden, so ${what} among them cannot be seen.`,
      fix: 'GRANT pg_read_all_stats TO <role>;  -- or pg_monitor',
    },
  ];
}

/** First line of a statement, shortened for a message. */
export function shortQuery(query: string, max = 120): string {
  const oneLine = query.replace(/\s+/g, ' ').trim();
  return oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
}

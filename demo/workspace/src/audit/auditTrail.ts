import knexFactory from 'knex';

/** The audit screens were written with Knex; they share the same database. */
export const knex = knexFactory({
  client: 'pg',
  connection: process.env.DATABASE_URL,
  pool: { min: 0, max: 5 },
});

export interface AuditEntry {
  occurred_at: Date;
  user_id: number | null;
  action: string;
  details: Record<string, unknown>;
}

/**
 * The last 50 changes to one payroll. audit_log has no index on
 * (entity_type, entity_id), so PostgreSQL walks the occurred_at index
 * backwards through the whole log looking for 50 matches that mostly do not
 * exist.
 */
export async function auditTrail(payrollId: number): Promise<AuditEntry[]> {
  return knex<AuditEntry>('audit_log')
    .select('occurred_at', 'user_id', 'action', 'details')
    .where({ entity_type: 'payroll', entity_id: payrollId })
    .orderBy('occurred_at', 'desc')
    .limit(50);
}

/**
 * Activity feed with the name of whoever made each change, one user lookup
 * per entry (N+1).
 */
export async function activityFeed(since: Date): Promise<Array<AuditEntry & { who: string }>> {
  const entries = await knex<AuditEntry>('audit_log')
    .select('occurred_at', 'user_id', 'action', 'details')
    .where('occurred_at', '>=', since)
    .orderBy('occurred_at', 'desc')
    .limit(100);
  const feed: Array<AuditEntry & { who: string }> = [];
  for (const entry of entries) {
    const user = await knex('users').where({ id: entry.user_id }).first('full_name');
    feed.push({ ...entry, who: user?.full_name ?? 'system' });
  }
  return feed;
}

/** The same feed in one statement: the join brings the names along. */
export async function activityFeedJoined(since: Date): Promise<Array<AuditEntry & { who: string }>> {
  const rows = await knex('audit_log as a')
    .leftJoin('users as u', 'u.id', 'a.user_id')
    .select('a.occurred_at', 'a.user_id', 'a.action', 'a.details', knex.raw("coalesce(u.full_name, 'system') as who"))
    .where('a.occurred_at', '>=', since)
    .orderBy('a.occurred_at', 'desc')
    .limit(100);
  return rows as Array<AuditEntry & { who: string }>;
}

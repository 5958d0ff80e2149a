import { pool } from '../db.js';

export interface PayrollRow {
  id: number;
  name: string;
  cycle: 'weekly' | 'fortnightly' | 'monthly';
  status: string;
  employee_count: number;
  client_name: string;
}

export interface DashboardCard extends PayrollRow {
  nextPayDate: Date | null;
  billedLastYear: number;
}

/**
 * The payrolls a consultant looks after, current versions only.
 * payrolls.primary_consultant_user_id has no index, so this reads the whole
 * table on every dashboard load.
 */
export async function payrollsForConsultant(userId: number): Promise<PayrollRow[]> {
  const { rows } = await pool.query<PayrollRow>(
    `SELECT p.id, p.name, p.cycle, p.status, p.employee_count, c.name AS client_name
       FROM payrolls p
       JOIN clients c ON c.id = p.client_id
      WHERE p.primary_consultant_user_id = $1
        AND p.superseded_date IS NULL
      ORDER BY c.name, p.name`,
    [userId],
  );
  return rows;
}

/**
 * Dashboard cards, the slow way: two queries per payroll (N+1). A consultant
 * with 100 payrolls costs 201 round trips, and the billing query scans
 * billing_items each time because billing_items.payroll_id has no index.
 */
export async function dashboardCards(userId: number): Promise<DashboardCard[]> {
  const payrolls = await payrollsForConsultant(userId);
  const cards: DashboardCard[] = [];
  for (const payroll of payrolls) {
    const next = await pool.query<{ adjusted_eft_date: Date }>(
      `SELECT adjusted_eft_date
         FROM payroll_dates
        WHERE payroll_id = $1 AND adjusted_eft_date >= current_date
        ORDER BY adjusted_eft_date
        LIMIT 1`,
      [payroll.id],
    );
    const billing = await pool.query<{ billed: string }>(
      `SELECT coalesce(sum(amount), 0) AS billed
         FROM billing_items
        WHERE payroll_id = $1 AND billed_on >= current_date - 365`,
      [payroll.id],
    );
    cards.push({
      ...payroll,
      nextPayDate: next.rows[0]?.adjusted_eft_date ?? null,
      billedLastYear: Number(billing.rows[0]?.billed ?? 0),
    });
  }
  return cards;
}

/**
 * The same cards with three queries in total, whatever the number of
 * payrolls: the per-payroll lookups are batched with = ANY($1).
 */
export async function dashboardCardsBatched(userId: number): Promise<DashboardCard[]> {
  const payrolls = await payrollsForConsultant(userId);
  const ids = payrolls.map((p) => p.id);
  const [dates, billing] = await Promise.all([
    pool.query<{ payroll_id: number; next_date: Date }>(
      `SELECT payroll_id, min(adjusted_eft_date) AS next_date
         FROM payroll_dates
        WHERE payroll_id = ANY($1) AND adjusted_eft_date >= current_date
        GROUP BY payroll_id`,
      [ids],
    ),
    pool.query<{ payroll_id: number; billed: string }>(
      `SELECT payroll_id, sum(amount) AS billed
         FROM billing_items
        WHERE payroll_id = ANY($1) AND billed_on >= current_date - 365
        GROUP BY payroll_id`,
      [ids],
    ),
  ]);
  const nextDate = new Map(dates.rows.map((r) => [r.payroll_id, r.next_date]));
  const billed = new Map(billing.rows.map((r) => [r.payroll_id, Number(r.billed)]));
  return payrolls.map((p) => ({
    ...p,
    nextPayDate: nextDate.get(p.id) ?? null,
    billedLastYear: billed.get(p.id) ?? 0,
  }));
}

/**
 * Search box on the payrolls page. The leading wildcard means no B-tree
 * index can help, including payrolls_lower_name_idx, which was created for
 * this screen and has never been used.
 */
export async function searchPayrolls(term: string): Promise<PayrollRow[]> {
  const { rows } = await pool.query<PayrollRow>(
    `SELECT p.id, p.name, p.cycle, p.status, p.employee_count, c.name AS client_name
       FROM payrolls p
       JOIN clients c ON c.id = p.client_id
      WHERE p.name ILIKE '%' || $1 || '%'
        AND p.superseded_date IS NULL
      ORDER BY p.name
      LIMIT 50`,
    [term],
  );
  return rows;
}

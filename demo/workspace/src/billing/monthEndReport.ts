import { pool } from '../db.js';

export interface ConsultantMonth {
  consultant: string;
  month: Date;
  clients: number;
  items: number;
  revenue: string;
}

/**
 * Revenue per consultant and month, for the month-end meeting. It joins all
 * of billing_items to payrolls and sorts for the DISTINCT count: the slowest
 * statement in the application (about half a second), and it runs each time
 * someone opens the finance page.
 */
export async function monthEndReport(): Promise<ConsultantMonth[]> {
  const { rows } = await pool.query<ConsultantMonth>(
    `SELECT u.full_name AS consultant,
            date_trunc('month', b.billed_on)::date AS month,
            count(DISTINCT b.client_id) AS clients,
            count(*) AS items,
            sum(b.amount) AS revenue
       FROM billing_items b
       JOIN payrolls p ON p.id = b.payroll_id
       JOIN users u ON u.id = p.primary_consultant_user_id
      WHERE b.status <> 'void'
      GROUP BY u.full_name, date_trunc('month', b.billed_on)
      ORDER BY month DESC, revenue DESC`,
  );
  return rows;
}

import { pool } from '../db.js';

export interface InvoiceLine {
  id: number;
  payroll_id: number;
  service_code: string;
  description: string;
  quantity: string;
  unit_price: string;
  amount: string;
}

export interface Invoice {
  clientId: number;
  clientName: string;
  lines: Array<InvoiceLine & { payrollName: string }>;
  total: number;
}

async function approvedLines(clientId: number): Promise<InvoiceLine[]> {
  const { rows } = await pool.query<InvoiceLine>(
    `SELECT id, payroll_id, service_code, description, quantity, unit_price, amount
       FROM billing_items
      WHERE client_id = $1 AND status = 'approved'
      ORDER BY billed_on, id`,
    [clientId],
  );
  return rows;
}

async function clientName(clientId: number): Promise<string> {
  const { rows } = await pool.query<{ name: string }>('SELECT name FROM clients WHERE id = $1', [clientId]);
  return rows[0]?.name ?? `client ${clientId}`;
}

/**
 * Builds a draft invoice. Each line looks up its payroll separately: the
 * lookups run concurrently, but it is still one query per line (N+1), and a
 * large invoice empties the connection pool for everyone else.
 */
export async function draftInvoice(clientId: number): Promise<Invoice> {
  const lines = await approvedLines(clientId);
  const named = await Promise.all(
    lines.map(async (line) => {
      const { rows } = await pool.query<{ name: string }>(
        'SELECT name FROM payrolls WHERE id = $1',
        [line.payroll_id],
      );
      return { ...line, payrollName: rows[0]?.name ?? '' };
    }),
  );
  return {
    clientId,
    clientName: await clientName(clientId),
    lines: named,
    total: named.reduce((sum, l) => sum + Number(l.amount), 0),
  };
}

/** The same invoice with one lookup for all payroll names. */
export async function draftInvoiceBatched(clientId: number): Promise<Invoice> {
  const lines = await approvedLines(clientId);
  const payrollIds = [...new Set(lines.map((l) => l.payroll_id))];
  const { rows } = await pool.query<{ id: number; name: string }>(
    'SELECT id, name FROM payrolls WHERE id = ANY($1)',
    [payrollIds],
  );
  const names = new Map(rows.map((r) => [r.id, r.name]));
  const named = lines.map((line) => ({ ...line, payrollName: names.get(line.payroll_id) ?? '' }));
  return {
    clientId,
    clientName: await clientName(clientId),
    lines: named,
    total: named.reduce((sum, l) => sum + Number(l.amount), 0),
  };
}

/**
 * Marks a client's approved lines as invoiced. Run through PG Insight's
 * EXPLAIN ANALYZE, this is executed inside a transaction that is rolled back.
 */
export async function markInvoiced(clientId: number): Promise<number> {
  const { rowCount } = await pool.query(
    `UPDATE billing_items
        SET status = 'invoiced', invoiced_at = now()
      WHERE client_id = $1 AND status = 'approved'`,
    [clientId],
  );
  return rowCount ?? 0;
}

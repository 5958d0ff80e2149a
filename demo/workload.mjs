// A few seconds of application traffic against the demo database, so that
// pg_stat_statements has something to show: the N+1 loops, the scans caused
// by the missing indexes, a report that takes about half a second, and the
// fast single-row lookups the ORMs send by the hundred.
//
// The statements are the ones the demo workspace's code sends, with the same
// text (node-postgres, Knex, Prisma, psycopg and Django spell their SQL
// differently, and so does this file), so a statement found in
// pg_stat_statements can be traced back to the code that sent it.
//
//   node demo/workload.mjs [DATABASE_URL]      (default: $DATABASE_URL)
import pg from 'pg';
import { pathToFileURL } from 'node:url';

/** The consultants, clients and payrolls the simulated users look at. */
const CONSULTANTS = [42, 7, 133, 256, 301];
const AUDITED_PAYROLLS = [1234, 20480, 31337, 5];

const SQL = {
  // src/payrolls/dashboard.ts
  payrollsForConsultant: `SELECT p.id, p.name, p.cycle, p.status, p.employee_count, c.name AS client_name
       FROM payrolls p
       JOIN clients c ON c.id = p.client_id
      WHERE p.primary_consultant_user_id = $1
        AND p.superseded_date IS NULL
      ORDER BY c.name, p.name`,
  nextPayDate: `SELECT adjusted_eft_date
         FROM payroll_dates
        WHERE payroll_id = $1 AND adjusted_eft_date >= current_date
        ORDER BY adjusted_eft_date
        LIMIT 1`,
  billedLastYear: `SELECT coalesce(sum(amount), 0) AS billed
         FROM billing_items
        WHERE payroll_id = $1 AND billed_on >= current_date - 365`,
  nextPayDatesBatched: `SELECT payroll_id, min(adjusted_eft_date) AS next_date
         FROM payroll_dates
        WHERE payroll_id = ANY($1) AND adjusted_eft_date >= current_date
        GROUP BY payroll_id`,
  billedBatched: `SELECT payroll_id, sum(amount) AS billed
         FROM billing_items
        WHERE payroll_id = ANY($1) AND billed_on >= current_date - 365
        GROUP BY payroll_id`,
  searchPayrolls: `SELECT p.id, p.name, p.cycle, p.status, p.employee_count, c.name AS client_name
       FROM payrolls p
       JOIN clients c ON c.id = p.client_id
      WHERE p.name ILIKE '%' || $1 || '%'
        AND p.superseded_date IS NULL
      ORDER BY p.name
      LIMIT 50`,
  // src/billing/invoices.ts
  approvedLines: `SELECT id, payroll_id, service_code, description, quantity, unit_price, amount
       FROM billing_items
      WHERE client_id = $1 AND status = 'approved'
      ORDER BY billed_on, id`,
  clientName: 'SELECT name FROM clients WHERE id = $1',
  payrollName: 'SELECT name FROM payrolls WHERE id = $1',
  // src/billing/monthEndReport.ts
  monthEndReport: `SELECT u.full_name AS consultant,
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
  // src/audit/auditTrail.ts, as Knex writes it
  auditTrail: 'select "occurred_at", "user_id", "action", "details" from "audit_log" where "entity_type" = $1 and "entity_id" = $2 order by "occurred_at" desc limit $3',
  activityFeed: 'select "occurred_at", "user_id", "action", "details" from "audit_log" where "occurred_at" >= $1 order by "occurred_at" desc limit $2',
  feedUser: 'select "full_name" from "users" where "id" = $1 limit $2',
  // src/clients/accountManager.ts, as Prisma writes it
  prismaClients: 'SELECT "public"."clients"."id", "public"."clients"."name", "public"."clients"."registration_number", "public"."clients"."industry", "public"."clients"."state", "public"."clients"."account_manager_user_id", "public"."clients"."created_at" FROM "public"."clients" WHERE "public"."clients"."account_manager_user_id" = $1 ORDER BY "public"."clients"."name" ASC OFFSET $2',
  prismaPayrolls: 'SELECT "public"."payrolls"."id", "public"."payrolls"."employee_count" FROM "public"."payrolls" WHERE ("public"."payrolls"."client_id" = $1 AND "public"."payrolls"."superseded_date" IS NULL) OFFSET $2',
  // python/payroll_reports/pay_calendar.py, as psycopg sends it
  upcomingPayDates: `
                SELECT adjusted_eft_date, processing_date
                  FROM payroll_dates
                 WHERE payroll_id = $1 AND adjusted_eft_date >= current_date
                 ORDER BY adjusted_eft_date
                 LIMIT 3
                `,
  processingToday: `
            SELECT p.id, p.name, c.name AS client, d.adjusted_eft_date
              FROM payroll_dates d
              JOIN payrolls p ON p.id = d.payroll_id
              JOIN clients c ON c.id = p.client_id
             WHERE d.processing_date = $1 AND NOT d.is_processed
             ORDER BY c.name, p.name
            `,
  // python/payroll_reports/views.py, as Django writes it
  djangoPayrolls: 'SELECT "payrolls"."id", "payrolls"."client_id", "payrolls"."name", "payrolls"."cycle", "payrolls"."status", "payrolls"."primary_consultant_user_id", "payrolls"."employee_count", "payrolls"."go_live_date", "payrolls"."superseded_date" FROM "payrolls" WHERE ("payrolls"."primary_consultant_user_id" = $1 AND "payrolls"."superseded_date" IS NULL) ORDER BY "payrolls"."name" ASC',
  djangoClient: 'SELECT "clients"."id", "clients"."name", "clients"."registration_number", "clients"."industry", "clients"."state", "clients"."account_manager_user_id" FROM "clients" WHERE "clients"."id" = $1 LIMIT 21',
  // Writes: the audit trail of the actions above.
  auditInsert: `INSERT INTO audit_log (occurred_at, user_id, entity_type, entity_id, action, details)
     VALUES (now(), $1, 'payroll', $2, 'viewed', $3)`,
};

/** Each simulated screen, as the application code runs it. */
function screens(pool) {
  const q = (sql, params) => pool.query(sql, params);
  return {
    /** dashboardCards(): two queries per payroll, for the first page of cards. */
    async dashboardNPlusOne(userId) {
      const { rows } = await q(SQL.payrollsForConsultant, [userId]);
      for (const payroll of rows.slice(0, 6)) {
        await q(SQL.nextPayDate, [payroll.id]);
        await q(SQL.billedLastYear, [payroll.id]);
      }
    },
    /** dashboardCardsBatched(): three queries in all. */
    async dashboardBatched(userId) {
      const { rows } = await q(SQL.payrollsForConsultant, [userId]);
      const ids = rows.map((r) => r.id);
      await Promise.all([q(SQL.nextPayDatesBatched, [ids]), q(SQL.billedBatched, [ids])]);
      await q(SQL.auditInsert, [userId, ids[0] ?? 0, JSON.stringify({ screen: 'dashboard' })]);
    },
    /** draftInvoice(): a concurrent lookup per invoice line. */
    async invoice(clientId) {
      const { rows } = await q(SQL.approvedLines, [clientId]);
      await Promise.all(rows.map((line) => q(SQL.payrollName, [line.payroll_id])));
      await q(SQL.clientName, [clientId]);
    },
    async search(term) {
      await q(SQL.searchPayrolls, [term]);
    },
    async monthEnd() {
      await q(SQL.monthEndReport);
    },
    async auditTrail(payrollId) {
      await q(SQL.auditTrail, ['payroll', payrollId, 50]);
    },
    /** activityFeed(): a user lookup per entry. */
    async activityFeed() {
      const { rows } = await q(SQL.activityFeed, [new Date(Date.now() - 7 * 86_400_000), 100]);
      for (const entry of rows) await q(SQL.feedUser, [entry.user_id, 1]);
    },
    /** clientsForAccountManager(): Prisma, one payroll query per client. */
    async accountManager(userId) {
      const { rows } = await q(SQL.prismaClients, [userId, 0]);
      for (const client of rows.slice(0, 40)) await q(SQL.prismaPayrolls, [client.id, 0]);
    },
    /** upcoming_pay_dates(): psycopg, a cursor.execute per payroll. */
    async payCalendar(userId) {
      const { rows } = await q(SQL.payrollsForConsultant, [userId]);
      for (const payroll of rows) await q(SQL.upcomingPayDates, [payroll.id]);
    },
    async processingToday() {
      await q(SQL.processingToday, [new Date().toISOString().slice(0, 10)]);
    },
    /** consultant_payrolls(): Django, payroll.client loaded lazily in the loop. */
    async djangoConsultant(userId) {
      const { rows } = await q(SQL.djangoPayrolls, [userId]);
      for (const payroll of rows) await q(SQL.djangoClient, [payroll.client_id]);
    },
  };
}

/**
 * Runs the traffic once. With `reset` (the default), pg_stat_statements is
 * emptied first so that it shows this traffic only, not the data load.
 * Returns the number of statements sent and the time taken.
 */
export async function runWorkload(url, { reset = true, log = () => undefined } = {}) {
  const started = Date.now();
  if (reset) {
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      await admin.query('SELECT pg_stat_statements_reset()');
    } finally {
      await admin.end();
    }
  }
  const pool = new pg.Pool({ connectionString: url, max: 4, application_name: 'payroll-backoffice' });
  let sent = 0;
  pool.on('acquire', () => { sent += 1; });
  try {
    const s = screens(pool);
    // Two users at a time, as in a quiet office: enough to overlap, not enough to drown two cores.
    const tracks = [
      async () => {
        for (const userId of CONSULTANTS.slice(0, 2)) await s.dashboardNPlusOne(userId);
        for (const userId of CONSULTANTS) await s.dashboardBatched(userId);
        for (let clientId = 100; clientId < 160; clientId += 1) await s.invoice(clientId);
        await s.monthEnd();
        for (const term of ['casual', 'warehouse', 'exec']) await s.search(term);
        await s.activityFeed();
      },
      async () => {
        for (const payrollId of AUDITED_PAYROLLS) await s.auditTrail(payrollId);
        await s.accountManager(350);
        for (const userId of CONSULTANTS.slice(0, 2)) await s.payCalendar(userId);
        await s.processingToday();
        for (const userId of CONSULTANTS.slice(2, 4)) await s.djangoConsultant(userId);
        await s.monthEnd();
      },
    ];
    await Promise.all(tracks.map((t) => t()));
  } finally {
    await pool.end();
  }
  const seconds = (Date.now() - started) / 1000;
  log(`workload: ${sent} statements in ${seconds.toFixed(1)} s`);
  return { statements: sent, seconds };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const url = process.argv[2] ?? process.env.DATABASE_URL;
  if (!url) {
    console.error('usage: node demo/workload.mjs <DATABASE_URL>   (or set DATABASE_URL)');
    process.exit(2);
  }
  await runWorkload(url, { log: (m) => console.log(m) });
}

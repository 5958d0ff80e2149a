-- Demo data, generated in the database with generate_series so that loading
-- needs no data files: about 1.1 million rows in a few seconds.
--
-- Runs after schema.sql. The random generator is seeded, so every load
-- produces the same rows (dates are relative to the day of the load, so
-- "upcoming pay dates" always has something to show). random() is called in
-- the select list or in a subquery that depends on the row, never in an
-- uncorrelated LATERAL, which PostgreSQL evaluates once for all rows.

SELECT setseed(0.4242);

-- Every row is generated consistent with its references, so the foreign key
-- triggers are skipped while loading (this halves the load time; superuser only).
SET session_replication_role = replica;

-- ---------------------------------------------------------------- users ---
-- 400 staff: mostly consultants, who each look after about a hundred payrolls.
INSERT INTO users (email, full_name, role, team, is_active, created_at)
SELECT lower(f.name || '.' || l.name) || i || '@bureau.example',
       f.name || ' ' || l.name,
       CASE WHEN i <= 340 THEN 'consultant' WHEN i <= 375 THEN 'team_lead' WHEN i <= 392 THEN 'manager' ELSE 'admin' END,
       (ARRAY['Sydney', 'Melbourne', 'Brisbane', 'Perth', 'Adelaide'])[1 + i % 5],
       i % 23 <> 0,
       now() - make_interval(days => 30 + (random() * 2500)::int)
FROM generate_series(1, 400) AS i
CROSS JOIN LATERAL (SELECT (ARRAY['Olivia', 'Jack', 'Charlotte', 'Noah', 'Amelia', 'William', 'Isla', 'Oliver',
        'Mia', 'Thomas', 'Grace', 'James', 'Chloe', 'Lucas', 'Ava', 'Henry', 'Zoe', 'Leo', 'Ruby', 'Samuel',
        'Priya', 'Wei', 'Aisha', 'Mateo', 'Hannah', 'Arjun', 'Sofia', 'Daniel', 'Mei', 'Ethan'])[1 + (i * 7) % 30] AS name) AS f
CROSS JOIN LATERAL (SELECT (ARRAY['Smith', 'Nguyen', 'Williams', 'Brown', 'Wilson', 'Taylor', 'Johnson', 'White',
        'Martin', 'Anderson', 'Thompson', 'Tran', 'Walker', 'Harris', 'Lee', 'Ryan', 'Robinson', 'Kelly',
        'King', 'Chen', 'Patel', 'Singh', 'Murphy', 'Campbell', 'Clarke'])[1 + (i * 11) % 25] AS name) AS l;

-- -------------------------------------------------------------- clients ---
INSERT INTO clients (name, registration_number, industry, state, account_manager_user_id, created_at)
SELECT (ARRAY['Coastal', 'Summit', 'Harbour', 'Redgum', 'Southern', 'Bluewater', 'Ironbark', 'Golden', 'Northside',
        'Wattle', 'Silver', 'Outback', 'Bayside', 'Highland', 'Riverina', 'Eastern'])[1 + i % 16] || ' ' ||
       (ARRAY['Logistics', 'Hospitality', 'Dental', 'Constructions', 'Retail', 'Engineering', 'Care Services',
        'Foods', 'Legal', 'Motors', 'Energy', 'Education', 'Fitness', 'Plumbing', 'Media'])[1 + (i / 16) % 15] || ' ' ||
       (ARRAY['Pty Ltd', 'Group', 'Holdings', 'Co', 'Partners', 'Services'])[1 + (i / 240) % 6] ||
       CASE WHEN i > 1440 THEN ' ' || (i / 1440 + 1) ELSE '' END,
       lpad(((i * 7919) % 100000000000)::text, 11, '0'),
       (ARRAY['Transport', 'Hospitality', 'Health', 'Construction', 'Retail', 'Manufacturing', 'Professional services',
        'Education', 'Mining', 'Agriculture'])[1 + (i * 3) % 10],
       (ARRAY['NSW', 'VIC', 'QLD', 'WA', 'SA', 'TAS', 'ACT', 'NT'])[1 + (i * 5) % 8],
       341 + (i % 52),
       now() - make_interval(days => 60 + (random() * 3000)::int)
FROM generate_series(1, 6000) AS i;

-- ------------------------------------------------------------- payrolls ---
-- 40,000 payrolls; one in five has been superseded by a newer version.
INSERT INTO payrolls (client_id, name, cycle, status, primary_consultant_user_id, backup_consultant_user_id,
                      employee_count, go_live_date, superseded_date, created_at, updated_at)
SELECT 1 + (i * 37) % 6000,
       (ARRAY['Head Office', 'Warehouse', 'Casual Staff', 'Executive', 'Retail Stores', 'Field Staff', 'Contractors',
        'Salaried', 'Hourly', 'Apprentices'])[1 + i % 10] || ' ' || initcap(c.cycle),
       c.cycle,
       CASE WHEN i % 5 = 0 THEN 'superseded'
            WHEN i % 17 = 0 THEN 'on_hold'
            WHEN i % 29 = 0 THEN 'draft'
            WHEN i % 31 = 0 THEN 'closed'
            ELSE 'active' END,
       1 + (random() * 339)::int,
       CASE WHEN i % 4 = 0 THEN NULL ELSE 1 + (random() * 339)::int END,
       5 + (random() * random() * 900)::int,
       g.go_live,
       CASE WHEN i % 5 = 0 THEN g.go_live + (30 + (random() * 400)::int) END,
       g.go_live - 21,
       now() - make_interval(days => (random() * 60)::int)
FROM (SELECT i, current_date - (200 + (random() * 1500)::int) AS go_live FROM generate_series(1, 40000) AS i) AS g
CROSS JOIN LATERAL (SELECT (ARRAY['weekly', 'fortnightly', 'fortnightly', 'monthly'])[1 + (g.i * 13) % 4] AS cycle) AS c;

-- -------------------------------------------------------- payroll_dates ---
-- Ten pay dates per payroll around today, moved off weekends: 400,000 rows.
INSERT INTO payroll_dates (payroll_id, original_eft_date, adjusted_eft_date, processing_date, is_processed, notes)
SELECT p.id,
       d.original,
       d.adjusted,
       d.adjusted - 2,
       d.adjusted < current_date,
       CASE WHEN d.original <> d.adjusted THEN 'Moved from weekend' END
FROM payrolls AS p
CROSS JOIN generate_series(-6, 3) AS n
CROSS JOIN LATERAL (SELECT current_date + (p.id % 7)::int
                           + n * CASE p.cycle WHEN 'weekly' THEN 7 WHEN 'fortnightly' THEN 14 ELSE 30 END AS original) AS o
CROSS JOIN LATERAL (SELECT o.original AS original,
                           o.original - CASE extract(isodow FROM o.original) WHEN 6 THEN 1 WHEN 7 THEN 2 ELSE 0 END AS adjusted) AS d;

-- -------------------------------------------------------- billing_items ---
-- 300,000 items: each pay run bills processing fees, plus occasional extras.
INSERT INTO billing_items (payroll_id, client_id, service_code, description, quantity, unit_price, amount,
                           status, billed_on, invoiced_at, created_at)
SELECT p.id,
       p.client_id,
       s.code,
       s.description,
       q.quantity,
       s.price,
       round(q.quantity * s.price, 2),
       b.status,
       b.billed_on,
       CASE WHEN b.status = 'invoiced' THEN b.billed_on + interval '3 days' END,
       b.billed_on + interval '9 hours'
FROM (SELECT i, current_date - (random() * 720)::int AS billed_on FROM generate_series(1, 300000) AS i) AS d
JOIN payrolls AS p ON p.id = 1 + (d.i::bigint * 7477) % 40000
CROSS JOIN LATERAL (SELECT (ARRAY['PAYRUN', 'PAYRUN', 'PAYRUN', 'PAYSLIP', 'STP', 'SUPER', 'LEAVE', 'TERM', 'ADHOC', 'EOFY'])[1 + i % 10] AS code) AS k
CROSS JOIN LATERAL (SELECT k.code,
                           CASE k.code WHEN 'PAYRUN' THEN 'Pay run processing' WHEN 'PAYSLIP' THEN 'Payslips issued'
                                       WHEN 'STP' THEN 'Single Touch Payroll lodgement' WHEN 'SUPER' THEN 'Superannuation clearing'
                                       WHEN 'LEAVE' THEN 'Leave adjustments' WHEN 'TERM' THEN 'Termination payment'
                                       WHEN 'ADHOC' THEN 'Ad hoc pay run' ELSE 'End of financial year processing' END AS description,
                           CASE k.code WHEN 'PAYRUN' THEN 185.00 WHEN 'PAYSLIP' THEN 1.20 WHEN 'STP' THEN 12.50 WHEN 'SUPER' THEN 45.00
                                       WHEN 'LEAVE' THEN 35.00 WHEN 'TERM' THEN 95.00 WHEN 'ADHOC' THEN 250.00 ELSE 420.00 END AS price) AS s
CROSS JOIN LATERAL (SELECT CASE WHEN k.code = 'PAYSLIP' THEN p.employee_count ELSE 1 + (random() * random() * 4)::int END AS quantity) AS q
CROSS JOIN LATERAL (SELECT d.billed_on,
                           CASE WHEN d.billed_on > current_date - 20 THEN (ARRAY['pending', 'approved'])[1 + i % 2]
                                WHEN i % 41 = 0 THEN 'void'
                                ELSE 'invoiced' END AS status) AS b;

-- DELIBERATE PROBLEM (sequence close to its maximum): an old import moved the
-- integer key's sequence to 2,000,000,000 of 2,147,483,647 (93%).
SELECT setval(pg_get_serial_sequence('billing_items', 'id'), 2000000000);

-- ------------------------------------------------------------ audit_log ---
-- 500,000 entries over two years; details carry the payroll they concern.
INSERT INTO audit_log (occurred_at, user_id, entity_type, entity_id, action, details)
SELECT now() - make_interval(secs => (random() * 63000000)::int),
       1 + (random() * 399)::int,
       e.entity_type,
       e.entity_id,
       (ARRAY['created', 'updated', 'updated', 'updated', 'status_changed', 'approved'])[1 + (i * 7) % 6],
       jsonb_build_object('payroll_id', e.payroll_id,
                          'field', (ARRAY['employee_count', 'status', 'adjusted_eft_date', 'amount', 'notes'])[1 + i % 5],
                          'source', (ARRAY['web', 'web', 'import', 'api'])[1 + i % 4])
FROM generate_series(1, 400000) AS i
CROSS JOIN LATERAL (SELECT 1 + (i::bigint * 7919) % 40000 AS payroll_id) AS pr
CROSS JOIN LATERAL (SELECT (ARRAY['payroll', 'payroll_date', 'billing_item', 'payroll'])[1 + i % 4] AS entity_type,
                           CASE i % 4 WHEN 1 THEN 1 + (i * 13) % 400000 WHEN 2 THEN 1 + (i * 17) % 300000 ELSE pr.payroll_id END AS entity_id,
                           pr.payroll_id) AS e;

-- ---------------------------------------------------------- dead tuples ---
-- DELIBERATE PROBLEM (dead tuples, autovacuum off): someone switched
-- autovacuum off for payroll_dates during a migration and never switched it
-- back. The nightly job below then rewrote every upcoming pay date and removed
-- the dates of closed payrolls; the old row versions stay behind as dead
-- tuples that nothing cleans up. (It runs before the indexes are built only
-- because the load is faster that way; the table ends up the same.)
ALTER TABLE payroll_dates SET (autovacuum_enabled = false);

UPDATE payroll_dates
SET processing_date = adjusted_eft_date - 3,
    notes = coalesce(notes || '; ', '') || 'Processing lead time changed to 3 days'
WHERE adjusted_eft_date >= current_date;

DELETE FROM payroll_dates
WHERE payroll_id IN (SELECT id FROM payrolls WHERE status = 'closed');

-- -------------------------------------------------------------- indexes ---
CREATE UNIQUE INDEX users_email_key ON users (email);

CREATE INDEX payrolls_client_id_idx ON payrolls (client_id);
-- DELIBERATE PROBLEM (unused index): added for a search box that uses
-- ILIKE '%...%', which this index cannot serve; no query ever scans it, yet
-- every write to payrolls maintains it.
CREATE INDEX payrolls_lower_name_idx ON payrolls (lower(name));

CREATE INDEX payroll_dates_payroll_id_idx ON payroll_dates (payroll_id);
-- DELIBERATE PROBLEM (duplicate index): a later migration added the same
-- index again under another name. Twice the writes, twice the space, no gain.
CREATE INDEX idx_payroll_dates_payroll ON payroll_dates (payroll_id);
CREATE INDEX payroll_dates_adjusted_eft_date_idx ON payroll_dates (adjusted_eft_date);

CREATE INDEX billing_items_status_billed_on_idx ON billing_items (status, billed_on);
-- (No index on billing_items.payroll_id: see schema.sql.)

CREATE INDEX audit_log_occurred_at_idx ON audit_log (occurred_at);
-- (No index on audit_log (entity_type, entity_id): the audit trail of one
-- payroll reads the whole log.)

-- Fresh statistics, as autovacuum would have gathered them by now.
ANALYZE;

RESET session_replication_role;

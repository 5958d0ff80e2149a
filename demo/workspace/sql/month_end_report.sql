-- Revenue per consultant and month: the slowest statement of the demo
-- (hash joins over all billing items, then a sort for the DISTINCT count).
SELECT u.full_name AS consultant,
       date_trunc('month', b.billed_on)::date AS month,
       count(DISTINCT b.client_id) AS clients,
       count(*) AS items,
       sum(b.amount) AS revenue
  FROM billing_items b
  JOIN payrolls p ON p.id = b.payroll_id
  JOIN users u ON u.id = p.primary_consultant_user_id
 WHERE b.status <> 'void'
 GROUP BY u.full_name, date_trunc('month', b.billed_on)
 ORDER BY month DESC, revenue DESC;

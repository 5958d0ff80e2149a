-- One payroll's billing over the last year (the dashboard card's total).
-- billing_items.payroll_id is a foreign key without an index: the whole
-- table (300,000 rows) is read to find a handful.
SELECT coalesce(sum(amount), 0) AS billed
  FROM billing_items
 WHERE payroll_id = 1234
   AND billed_on >= current_date - 365;

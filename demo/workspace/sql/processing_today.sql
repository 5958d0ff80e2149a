-- What must be processed today. processing_date has no index, and
-- payroll_dates carries dead row versions nobody vacuums (autovacuum is off
-- for it), so the scan reads far more pages than the live rows need.
SELECT p.id, p.name, c.name AS client, d.adjusted_eft_date
  FROM payroll_dates d
  JOIN payrolls p ON p.id = d.payroll_id
  JOIN clients c ON c.id = p.client_id
 WHERE d.processing_date = current_date
   AND NOT d.is_processed
 ORDER BY c.name, p.name;

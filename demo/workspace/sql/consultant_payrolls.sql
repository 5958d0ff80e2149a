-- A consultant's current payrolls (the dashboard's first query).
-- Try "Explain" on it: payrolls is read in full because nothing indexes
-- primary_consultant_user_id.
SELECT p.id, p.name, p.cycle, p.status, p.employee_count, c.name AS client_name
  FROM payrolls p
  JOIN clients c ON c.id = p.client_id
 WHERE p.primary_consultant_user_id = 42
   AND p.superseded_date IS NULL
 ORDER BY c.name, p.name;

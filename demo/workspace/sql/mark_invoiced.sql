-- A writing statement. PG Insight runs EXPLAIN ANALYZE of it inside a
-- transaction that is always rolled back (after asking), so the billing
-- items stay as they are.
UPDATE billing_items
   SET status = 'invoiced', invoiced_at = now()
 WHERE client_id = 77
   AND status = 'approved';

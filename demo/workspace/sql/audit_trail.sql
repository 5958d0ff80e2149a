-- The last 50 changes to a payroll. With no index on (entity_type, entity_id)
-- the plan walks the occurred_at index backwards over the whole log.
SELECT occurred_at, user_id, action, details
  FROM audit_log
 WHERE entity_type = 'payroll'
   AND entity_id = 1234
 ORDER BY occurred_at DESC
 LIMIT 50;

-- Every version of one client's payrolls, newest first; superseded rows keep
-- the date a newer version replaced them.
SELECT id, name, status, go_live_date, superseded_date
  FROM payrolls
 WHERE client_id = 77
 ORDER BY name, superseded_date DESC NULLS FIRST;

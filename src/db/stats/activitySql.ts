/**
 * The reads of the live activity tab. They use only pg_stat_activity,
 * pg_blocking_pids and pg_roles, so they work without pg_stat_statements.
 */
import { tagStatement } from '../../core/stats/ownTag';

/**
 * Client sessions worth a look: a statement running at least $1 ms, idle in
 * a transaction, waiting for a lock, or holding one that another session
 * waits for. Sessions hidden from this role (no pg_read_all_stats) have no
 * backend type or state but still show when they block or wait.
 *
 * `canSignal` mirrors the server's rule for pg_cancel_backend and
 * pg_terminate_backend, so the panel can offer the buttons only where they
 * will work; the server still decides when they are pressed.
 */
export const ACTIVITY_SQL = tagStatement(`SELECT a.pid,
       a.usename AS "user",
       a.datname AS database,
       a.application_name AS application,
       pg_catalog.host(a.client_addr) AS client,
       a.backend_type AS "backendType",
       a.state,
       a.wait_event_type AS "waitEventType",
       a.wait_event AS "waitEvent",
       a.query,
       a.query_start AS "queryStart",
       a.xact_start AS "xactStart",
       a.state_change AS "stateChange",
       pg_catalog.clock_timestamp() AS now,
       pg_catalog.pg_blocking_pids(a.pid) AS "blockedBy",
       CASE
         WHEN a.usesysid IS NULL THEN false
         WHEN r.rolsuper THEN me.rolsuper
         ELSE me.rolsuper OR pg_catalog.pg_has_role(a.usesysid, 'USAGE') OR pg_catalog.pg_has_role('pg_signal_backend', 'USAGE')
       END AS "canSignal"
FROM pg_catalog.pg_stat_activity a
LEFT JOIN pg_catalog.pg_roles r ON r.oid = a.usesysid
CROSS JOIN (SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = current_user) me
WHERE a.pid <> pg_catalog.pg_backend_pid()
  AND (a.backend_type = 'client backend' OR a.backend_type IS NULL)
  AND ((a.state = 'active' AND a.query_start <= pg_catalog.clock_timestamp() - $1::float8 * interval '1 millisecond')
       OR a.state IN ('idle in transaction', 'idle in transaction (aborted)')
       OR pg_catalog.cardinality(pg_catalog.pg_blocking_pids(a.pid)) > 0
       OR a.pid IN (SELECT pg_catalog.unnest(pg_catalog.pg_blocking_pids(w.pid)) FROM pg_catalog.pg_stat_activity w))
ORDER BY a.pid`);

/** Whose session a pid is, read just before signalling it (for the refusal message). */
export const SESSION_OWNER_SQL = tagStatement(`SELECT a.usename AS "user",
       coalesce(r.rolsuper, false) AS superuser
FROM pg_catalog.pg_stat_activity a
LEFT JOIN pg_catalog.pg_roles r ON r.oid = a.usesysid
WHERE a.pid = $1`);

export const CANCEL_SQL = tagStatement('SELECT pg_catalog.pg_cancel_backend($1) AS done');

export const TERMINATE_SQL = tagStatement('SELECT pg_catalog.pg_terminate_backend($1) AS done');

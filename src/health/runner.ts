/**
 * The adapter from the database layer to the health checks: each statement
 * runs in its own READ ONLY transaction through the safe runner, with the
 * check's remaining time as its statement timeout and the check's signal to
 * cancel it on the server. Used by the command and the CLI alike.
 */
import type { HealthRunner } from '../core/health';
import type { Database } from '../db/types';

export function healthRunner(db: Database, versionNum: number): HealthRunner {
  return {
    versionNum,
    query: (sql, params, o) => db.read(o.label, async (tx) => (await tx.query(sql, params)).rows, { signal: o.signal, statementTimeoutMs: o.timeoutMs }),
  };
}

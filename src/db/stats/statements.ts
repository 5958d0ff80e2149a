/**
 * Reads one snapshot of pg_stat_statements, and resets the statistics.
 * Both need the source found by diagnoseStatements (availability.ts).
 */
import { numberOrNull, statementRowsFrom, statsInfoFrom, timeOrNull } from '../../core/stats/rows';
import { resetRefusedMessage } from '../../core/stats/privileges';
import type { Snapshot, StatsScope } from '../../core/stats/types';
import { tagStatement } from '../../core/stats/ownTag';
import { quoteIdent } from '../../core/health/ident';
import { DbError, type Database, type RunOptions } from '../types';
import { snapshotHeadSql, statementsSql, type StatementsSource } from './statementsSql';

/** All statements of the connected database ('database') or of every database ('all'), with the read's time. */
export function readSnapshot(db: Database, source: StatementsSource, scope: StatsScope, options?: RunOptions): Promise<Snapshot> {
  return db.read(
    'slow queries: read pg_stat_statements',
    async (tx) => {
      const head = (await tx.query(snapshotHeadSql(source))).rows[0];
      const raws = (await tx.query(statementsSql(source, scope))).rows;
      const takenAt = timeOrNull(head?.takenAt);
      if (takenAt === null) throw new DbError('other', 'The server did not return its clock with the statistics.');
      return { takenAt, scope, dbid: numberOrNull(head?.dbid) ?? 0, ...statsInfoFrom(head), rows: statementRowsFrom(raws) };
    },
    options,
  );
}

/**
 * pg_stat_statements_reset() for every statement of every database. By
 * default only superusers may run it; a refusal becomes a message with the
 * GRANT that allows it. Resolves with the reset time on 17+ (null before).
 */
export async function resetStatements(db: Database, source: StatementsSource, user: string, options?: RunOptions): Promise<number | null> {
  const fn = `${quoteIdent(source.schema)}.pg_stat_statements_reset`;
  try {
    return await db.admin(
      'reset pg_stat_statements',
      async (tx) => {
        const r = (await tx.query<{ reset: unknown }>(tagStatement(`SELECT ${fn}() AS reset`))).rows[0];
        return timeOrNull(r?.reset);
      },
      options,
    );
  } catch (e) {
    if (e instanceof DbError && e.kind === 'privilege') throw new DbError('privilege', resetRefusedMessage(user, source.schema, source.extensionVersion), [], e.code);
    throw e;
  }
}

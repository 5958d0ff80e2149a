/**
 * Diagnoses pg_stat_statements on the connected server: gathers the facts
 * (two short reads) and lets the core judge them. When the statements are
 * readable it also returns where and in what shape, for the reader.
 */
import { judgeAvailability, type Availability, type AvailabilityFacts } from '../../core/stats/availability';
import { quoteIdent } from '../../core/health/ident';
import { DbError, type Database, type RunOptions } from '../types';
import { AVAILABILITY_FACTS_SQL, entriesProbeSql } from './availabilitySql';
import { missingColumns, type StatementsSource } from './statementsSql';

export interface StatementsDiagnosis {
  readonly availability: Availability;
  /** Set when the statements can be read. */
  readonly source: StatementsSource | null;
}

/** SQLSTATE of "pg_stat_statements must be loaded via shared_preload_libraries". */
const NOT_LOADED = '55000';

interface FactsRow extends Record<string, unknown> {
  versionNum: number;
  database: string;
  user: string;
  superuser: boolean;
  availableVersion: string | null;
  installedVersion: string | null;
  schema: string | null;
  preloadLibraries: string | null;
  canReadAll: boolean;
  canReset: boolean;
  columns: string[] | null;
  hasInfo: boolean;
}

export async function diagnoseStatements(db: Database, options?: RunOptions): Promise<StatementsDiagnosis> {
  const row = await db.read('slow queries: is pg_stat_statements usable', async (tx) => (await tx.query<FactsRow>(AVAILABILITY_FACTS_SQL)).rows[0], options);
  if (!row) throw new DbError('other', 'The server returned nothing about pg_stat_statements.');
  let loaded: boolean | null = null;
  let entries = { total: 0, hidden: 0 };
  if (row.installedVersion !== null && row.schema !== null) {
    const fn = `${quoteIdent(row.schema)}.pg_stat_statements`;
    try {
      entries = await db.read('slow queries: pg_stat_statements entries', async (tx) => {
        const r = (await tx.query<{ total: number; hidden: number }>(entriesProbeSql(fn))).rows[0];
        return { total: r?.total ?? 0, hidden: r?.hidden ?? 0 };
      }, options);
      loaded = true;
    } catch (e) {
      if (!(e instanceof DbError && e.code === NOT_LOADED)) throw e;
      loaded = false;
    }
  }
  const facts: AvailabilityFacts = {
    versionNum: row.versionNum,
    database: row.database,
    user: row.user,
    superuser: row.superuser,
    availableVersion: row.availableVersion,
    installedVersion: row.installedVersion,
    schema: row.schema,
    preloadLibraries: row.preloadLibraries,
    loaded,
    canReadAll: row.canReadAll || row.superuser,
    hiddenEntries: entries.hidden,
    totalEntries: entries.total,
    canReset: row.canReset || row.superuser,
  };
  const availability = judgeAvailability(facts);
  if (!availability.usable || row.schema === null || row.installedVersion === null) return { availability, source: null };
  const columns = new Set(row.columns ?? []);
  const missing = missingColumns(columns);
  if (missing.length > 0) {
    throw new DbError('other', `pg_stat_statements ${row.installedVersion} lacks the columns ${missing.join(', ')}; update it with ALTER EXTENSION pg_stat_statements UPDATE;`);
  }
  return { availability, source: { schema: row.schema, extensionVersion: row.installedVersion, columns, hasInfo: row.hasInfo } };
}

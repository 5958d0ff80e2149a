/**
 * Every health check, in the order the report presents them: what is
 * happening now, then what will break, then what is slow or wasteful, then
 * housekeeping and settings.
 */
import { blockedQueries } from './checks/blocked-queries';
import { cacheHitRatio } from './checks/cache-hit-ratio';
import { configurationReview } from './checks/configuration-review';
import { connections } from './checks/connections';
import { duplicateIndexes } from './checks/duplicate-indexes';
import { foreignKeysWithoutIndex } from './checks/foreign-keys-without-index';
import { idleInTransaction } from './checks/idle-in-transaction';
import { indexBloat } from './checks/index-bloat';
import { invalidConstraints } from './checks/invalid-constraints';
import { invalidIndexes } from './checks/invalid-indexes';
import { longRunningQueries } from './checks/long-running-queries';
import { missingIndexes } from './checks/missing-indexes';
import { pgStatStatements } from './checks/pg-stat-statements';
import { relationSizes } from './checks/relation-sizes';
import { replication } from './checks/replication';
import { sequenceOverflow } from './checks/sequence-overflow';
import { tableBloat } from './checks/table-bloat';
import { tablesWithoutPrimaryKey } from './checks/tables-without-primary-key';
import { tempFilesAndCheckpoints } from './checks/temp-files-and-checkpoints';
import { transactionIdWraparound } from './checks/transaction-id-wraparound';
import { unusedIndexes } from './checks/unused-indexes';
import { vacuumAnalyzeStaleness } from './checks/vacuum-analyze-staleness';
import type { HealthCheck } from './types';

export const ALL_CHECKS: readonly HealthCheck[] = [
  connections,
  idleInTransaction,
  longRunningQueries,
  blockedQueries,
  transactionIdWraparound,
  sequenceOverflow,
  replication,
  invalidIndexes,
  invalidConstraints,
  cacheHitRatio,
  missingIndexes,
  pgStatStatements,
  foreignKeysWithoutIndex,
  unusedIndexes,
  duplicateIndexes,
  tableBloat,
  indexBloat,
  vacuumAnalyzeStaleness,
  tempFilesAndCheckpoints,
  tablesWithoutPrimaryKey,
  relationSizes,
  configurationReview,
];

export function checkById(id: string): HealthCheck | undefined {
  return ALL_CHECKS.find((c) => c.id === id);
}

/**
 * Every number a health check compares against, with its default and unit.
 *
 * Defaults follow PgHero where it has one (cache hit 99 %, long-running 60 s,
 * unused index 10 MB, missing index < 95 % index use on >= 10,000 rows,
 * sequence 90 %, 1.5 billion transactions left) and the project's own seeds
 * elsewhere (cache hit critical below 40 %, bloat 20 %, connections 80 %, slow
 * statements 100 / 500 / 1000 ms). One table holds default, unit and meaning,
 * so settings and docs are generated from the same place the checks read.
 */

export type ThresholdUnit = 'percent' | 'seconds' | 'bytes' | 'rows' | 'count' | 'transactions' | 'days' | 'ms';

interface ThresholdSpec {
  readonly default: number;
  readonly unit: ThresholdUnit;
  readonly description: string;
}

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

export const THRESHOLD_SPECS = {
  cacheHitWarningPercent: { default: 99, unit: 'percent', description: 'Warn when the buffer cache hit ratio of tables or indexes is below this.' },
  cacheHitCriticalPercent: { default: 40, unit: 'percent', description: 'Critical when the cache hit ratio is below this.' },
  cacheHitMinBlocks: { default: 1000, unit: 'count', description: 'Do not judge a ratio computed from fewer block accesses than this.' },

  connectionsWarningPercent: { default: 80, unit: 'percent', description: 'Warn when connections in use exceed this share of max_connections.' },
  connectionsCriticalPercent: { default: 95, unit: 'percent', description: 'Critical when connections in use exceed this share of max_connections.' },

  idleInTransactionWarningSeconds: { default: 60, unit: 'seconds', description: 'Warn about a session idle inside a transaction for longer than this.' },
  idleInTransactionCriticalSeconds: { default: 600, unit: 'seconds', description: 'Critical when a session has been idle in transaction for longer than this.' },

  longRunningWarningSeconds: { default: 60, unit: 'seconds', description: 'Warn about a statement running for longer than this.' },
  longRunningCriticalSeconds: { default: 600, unit: 'seconds', description: 'Critical when a statement has been running for longer than this.' },

  blockedWarningSeconds: { default: 10, unit: 'seconds', description: 'Warn about a statement waiting for a lock for longer than this.' },
  blockedCriticalSeconds: { default: 60, unit: 'seconds', description: 'Critical when a statement has waited for a lock for longer than this.' },

  wraparoundWarningRemaining: { default: 1_500_000_000, unit: 'transactions', description: 'Warn when fewer transaction IDs than this remain before the 2^31 limit.' },
  wraparoundCriticalRemaining: { default: 500_000_000, unit: 'transactions', description: 'Critical when fewer transaction IDs than this remain.' },

  sequenceWarningPercent: { default: 90, unit: 'percent', description: 'Warn when a sequence, or the column it feeds, has used this share of its range.' },
  sequenceCriticalPercent: { default: 98, unit: 'percent', description: 'Critical when a sequence or its column has used this share of its range.' },

  unusedIndexMinBytes: { default: 10 * MiB, unit: 'bytes', description: 'Only report unused indexes at least this large.' },
  unusedIndexMinStatsDays: { default: 7, unit: 'days', description: 'With statistics younger than this, unused indexes are reported as info only.' },

  missingIndexMinRows: { default: 10_000, unit: 'rows', description: 'Only consider tables with at least this many live rows.' },
  missingIndexMaxIndexUsePercent: { default: 95, unit: 'percent', description: 'Report tables whose scans use an index less often than this.' },
  missingIndexMinSeqScans: { default: 10, unit: 'count', description: 'Ignore tables sequentially scanned fewer times than this.' },

  fkWithoutIndexMinRows: { default: 1000, unit: 'rows', description: 'Warn about an unindexed foreign key on a table this large; smaller tables get info.' },

  bloatWarningPercent: { default: 20, unit: 'percent', description: 'Warn when this share of a table or index is wasted space.' },
  bloatCriticalPercent: { default: 50, unit: 'percent', description: 'Critical when this share of a table or index is wasted space.' },
  bloatMinBytes: { default: 10 * MiB, unit: 'bytes', description: 'Ignore relations wasting less space than this.' },

  deadTupleWarningPercent: { default: 20, unit: 'percent', description: 'Warn when dead rows are this share of a table.' },
  deadTupleCriticalPercent: { default: 50, unit: 'percent', description: 'Critical when dead rows are this share of a table.' },
  deadTupleMinRows: { default: 1000, unit: 'rows', description: 'Ignore tables with fewer dead rows than this.' },
  neverAnalyzedMinRows: { default: 1000, unit: 'rows', description: 'Report never-analysed tables with at least this many rows.' },
  staleAnalyzePercent: { default: 50, unit: 'percent', description: 'Warn when rows modified since the last analyse exceed this share of the table.' },

  relationSizesTopN: { default: 10, unit: 'count', description: 'How many tables and indexes the size section lists (at most 50).' },

  tempBytesWarningPerDay: { default: 1 * GiB, unit: 'bytes', description: 'Warn when queries write more temporary file bytes than this per day.' },
  checkpointRequestedWarningPercent: { default: 10, unit: 'percent', description: 'Warn when more checkpoints than this share were requested rather than timed.' },
  checkpointMinCount: { default: 10, unit: 'count', description: 'Do not judge checkpoints before this many have happened.' },

  replicationLagWarningSeconds: { default: 5, unit: 'seconds', description: 'Warn when a replica replays WAL this far behind.' },
  replicationLagCriticalSeconds: { default: 60, unit: 'seconds', description: 'Critical when a replica replays WAL this far behind.' },
  slotRetainedCriticalBytes: { default: 10 * GiB, unit: 'bytes', description: 'Critical when an inactive replication slot retains this much WAL.' },

  slowQueryInfoMs: { default: 100, unit: 'ms', description: 'Statements slower than this on average are listed as info.' },
  slowQueryWarningMs: { default: 500, unit: 'ms', description: 'Warn about statements slower than this on average.' },
  slowQueryCriticalMs: { default: 1000, unit: 'ms', description: 'Critical for statements slower than this on average.' },
  slowQueryMinCalls: { default: 10, unit: 'count', description: 'Ignore statements called fewer times than this.' },
} as const satisfies Record<string, ThresholdSpec>;

export type ThresholdName = keyof typeof THRESHOLD_SPECS;
export type HealthThresholds = { readonly [K in ThresholdName]: number };

export const DEFAULT_THRESHOLDS: HealthThresholds = Object.fromEntries(
  Object.entries(THRESHOLD_SPECS).map(([name, spec]) => [name, spec.default]),
) as HealthThresholds;

const UNIT_LABELS: Readonly<Record<ThresholdUnit, (n: number) => string>> = {
  percent: (n) => `${n} %`,
  seconds: (n) => `${n} s`,
  ms: (n) => `${n} ms`,
  days: (n) => `${n} ${n === 1 ? 'day' : 'days'}`,
  rows: (n) => `${n.toLocaleString('en-US')} rows`,
  count: (n) => n.toLocaleString('en-US'),
  transactions: (n) => `${n.toLocaleString('en-US')} transactions`,
  bytes: (n) => (n % 1024 ** 3 === 0 && n > 0 ? `${n / 1024 ** 3} GB` : n % 1024 ** 2 === 0 && n > 0 ? `${n / 1024 ** 2} MB` : `${n} bytes`),
};

/** A threshold value with its unit, as docs and settings show it: "99 %", "10 MB", "1,500,000,000 transactions". */
export function formatThreshold(name: ThresholdName, value: number = THRESHOLD_SPECS[name].default): string {
  return UNIT_LABELS[THRESHOLD_SPECS[name].unit](value);
}

export interface ResolvedThresholds {
  readonly thresholds: HealthThresholds;
  /** Overrides that were ignored, in sentences for the log or a settings warning. */
  readonly problems: readonly string[];
}

/**
 * Applies user overrides (from settings or a CLI flag) on top of the
 * defaults. Unknown names and values that are not finite, non-negative
 * numbers are ignored and reported, so a typo never disables a check.
 */
export function resolveThresholds(overrides: Readonly<Record<string, unknown>> = {}): ResolvedThresholds {
  const values: Record<string, number> = { ...DEFAULT_THRESHOLDS };
  const problems: string[] = [];
  for (const [name, value] of Object.entries(overrides)) {
    if (!(name in THRESHOLD_SPECS)) {
      problems.push(`Unknown health threshold "${name}" was ignored.`);
    } else if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      problems.push(`Health threshold "${name}" must be a non-negative number; the default ${values[name]} is used.`);
    } else {
      values[name] = value;
    }
  }
  return { thresholds: values as HealthThresholds, problems };
}

/**
 * pg_stat_statements entries and snapshots, normalised across the
 * extension's versions 1.8 to 1.12 (PostgreSQL 13 to 18). A column that a
 * version does not have is null here, never 0, so that "not tracked" and
 * "nothing happened" stay different things all the way to the panel.
 */

/** Which statements a snapshot holds: the connected database's, or every database's. */
export type StatsScope = 'database' | 'all';

/**
 * The cumulative counters of an entry, the ones a window subtracts. Times are
 * milliseconds, as pg_stat_statements reports them.
 */
export const COUNTERS = [
  'calls',
  'totalExecMs',
  'plans',
  'totalPlanMs',
  'rows',
  'sharedBlksHit',
  'sharedBlksRead',
  'sharedBlksDirtied',
  'sharedBlksWritten',
  'localBlksHit',
  'localBlksRead',
  'tempBlksRead',
  'tempBlksWritten',
  'sharedBlkReadMs',
  'sharedBlkWriteMs',
  'tempBlkReadMs',
  'tempBlkWriteMs',
  'walRecords',
  'walFpi',
  'walBytes',
  'jitFunctions',
  'jitMs',
] as const;

export type CounterName = (typeof COUNTERS)[number];

/** null: the server's pg_stat_statements version has no such column. */
export type Counters = Readonly<Record<CounterName, number | null>>;

/**
 * Figures that are not sums and so cannot be subtracted: they describe the
 * entry's whole life (since `stats_since`, or `minmax_stats_since` for min
 * and max on 17+).
 */
export const GAUGES = ['minExecMs', 'maxExecMs', 'meanExecMs', 'stddevExecMs'] as const;

export type GaugeName = (typeof GAUGES)[number];

export type Gauges = Readonly<Record<GaugeName, number | null>>;

/** One entry of pg_stat_statements. */
export interface StatementRow {
  /** Identity across snapshots: queryid, dbid, userid and toplevel (see key.ts). */
  readonly key: string;
  /** bigint as text; null when the role may not see it ("<insufficient privilege>"). */
  readonly queryid: string | null;
  readonly dbid: number;
  readonly userid: number;
  /**
   * False for statements run inside functions (with track = all). Before
   * PostgreSQL 14 there was no such column and both kinds shared one entry;
   * those entries count as top level.
   */
  readonly toplevel: boolean;
  readonly database: string | null;
  readonly user: string | null;
  /** Normalised text (constants as $n), exactly as the server returned it. */
  readonly query: string;
  /** True when the text and queryid are hidden from the connected role. */
  readonly hidden: boolean;
  /** How many server entries this row stands for (hidden entries of one role are merged). */
  readonly entries: number;
  readonly counters: Counters;
  readonly gauges: Gauges;
  /** When this entry started counting (17+), epoch ms. */
  readonly statsSince: number | null;
}

/** What pg_stat_statements_info says (14+); both null before. */
export interface StatsInfo {
  /** When all statistics were last reset, epoch ms. */
  readonly statsReset: number | null;
  /** Entries evicted because pg_stat_statements.max was reached, since the reset. */
  readonly dealloc: number | null;
}

/** The statements as read at one moment. */
export interface Snapshot extends StatsInfo {
  /** The server's clock when the rows were read, epoch ms (the same clock as statsReset). */
  readonly takenAt: number;
  readonly scope: StatsScope;
  /** The connected database (its oid), which the 'database' scope is limited to. */
  readonly dbid: number;
  readonly rows: readonly StatementRow[];
}

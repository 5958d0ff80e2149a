/**
 * Snapshots to JSON and back, for workspace storage. The format is compact
 * because a server holds up to pg_stat_statements.max (5,000 by default)
 * entries: each statement's identity and text are written once, the first
 * snapshot lists every row, and each later one only the rows that changed
 * and the keys that disappeared. Reading checks everything and, on any
 * problem, gives an empty history and says why; stored data from an older
 * version of the extension must never break the panel.
 */
import { statementKey } from './key';
import { SnapshotStore, type StoreLimits } from './store';
import { COUNTERS, GAUGES, type Counters, type Gauges, type Snapshot, type StatementRow, type StatsScope } from './types';

export const HISTORY_FORMAT = 'pg-insight.stats-history';
export const HISTORY_VERSION = 1;

/** Value columns of a stored row, in this order. */
const FIELDS = [...COUNTERS, ...GAUGES, 'statsSince', 'entries'] as const;

/** queryid, dbid, userid, toplevel, database, user, query */
type StoredIdentity = [string | null, number, number, boolean, string | null, string | null, string];
type StoredRow = [string, ...(number | null)[]];

interface StoredSnapshot {
  takenAt: number;
  statsReset: number | null;
  dealloc: number | null;
  /** Full list for the first snapshot; rows changed since the previous one afterwards. */
  rows: StoredRow[];
  /** Keys present in the previous snapshot and absent from this one. */
  gone: string[];
}

export interface StoredHistory {
  format: typeof HISTORY_FORMAT;
  version: typeof HISTORY_VERSION;
  scope: StatsScope;
  dbid: number;
  fields: string[];
  statements: Record<string, StoredIdentity>;
  snapshots: StoredSnapshot[];
}

export function historyToJson(snapshots: readonly Snapshot[]): StoredHistory | null {
  const first = snapshots[0];
  if (!first) return null;
  const statements: Record<string, StoredIdentity> = {};
  const stored: StoredSnapshot[] = [];
  let previous = new Map<string, StatementRow>();
  for (const s of snapshots) {
    const current = new Map(s.rows.map((r) => [r.key, r]));
    const rows: StoredRow[] = [];
    for (const r of s.rows) {
      statements[r.key] = [r.queryid, r.dbid, r.userid, r.toplevel, r.database, r.user, r.query];
      // Rows are shared between snapshots when unchanged (store.ts), so identity is the cheap test.
      if (previous.get(r.key) !== r) rows.push([r.key, ...values(r)]);
    }
    const gone = [...previous.keys()].filter((k) => !current.has(k));
    stored.push({ takenAt: s.takenAt, statsReset: s.statsReset, dealloc: s.dealloc, rows, gone });
    previous = current;
  }
  return { format: HISTORY_FORMAT, version: HISTORY_VERSION, scope: first.scope, dbid: first.dbid, fields: [...FIELDS], statements, snapshots: stored };
}

function values(r: StatementRow): (number | null)[] {
  return [...COUNTERS.map((c) => r.counters[c]), ...GAUGES.map((g) => r.gauges[g]), r.statsSince, r.entries];
}

/** A store filled from stored JSON; `problem` says why it is empty when the data was unusable. */
export function historyFromJson(value: unknown, limits?: StoreLimits): { store: SnapshotStore; problem?: string } {
  const store = new SnapshotStore(limits);
  if (value === undefined || value === null) return { store };
  try {
    store.load(decode(value));
    return { store };
  } catch (e) {
    return { store, problem: `The stored statistics history was not usable and was discarded: ${(e as Error).message}` };
  }
}

function decode(value: unknown): Snapshot[] {
  const h = value as Partial<StoredHistory>;
  check(typeof h === 'object' && h.format === HISTORY_FORMAT, 'not a statistics history');
  check(h.version === HISTORY_VERSION, `format version ${String(h.version)} is not ${HISTORY_VERSION}`);
  check(h.scope === 'database' || h.scope === 'all', 'unknown scope');
  check(typeof h.dbid === 'number', 'no database');
  check(Array.isArray(h.fields) && Array.isArray(h.snapshots) && typeof h.statements === 'object' && h.statements !== null, 'missing parts');
  const fields = h.fields as unknown[];
  const index = new Map(fields.map((f, i) => [String(f), i + 1]));
  for (const f of FIELDS) check(index.has(f), `field ${f} is missing`);
  const statements = h.statements as Record<string, unknown>;
  const scope = h.scope;
  const dbid = h.dbid;
  const out: Snapshot[] = [];
  let current = new Map<string, StatementRow>();
  for (const raw of h.snapshots as unknown[]) {
    const s = raw as Partial<StoredSnapshot>;
    check(typeof s.takenAt === 'number' && Array.isArray(s.rows) && Array.isArray(s.gone), 'a snapshot is malformed');
    const next = new Map(current);
    for (const k of s.gone as unknown[]) next.delete(String(k));
    for (const stored of s.rows as unknown[]) {
      check(Array.isArray(stored) && typeof stored[0] === 'string', 'a row is malformed');
      const row = rowFrom(stored as StoredRow, statements, index);
      next.set(row.key, row);
    }
    out.push({ takenAt: s.takenAt, statsReset: nullableNumber(s.statsReset), dealloc: nullableNumber(s.dealloc), scope, dbid, rows: [...next.values()] });
    current = next;
  }
  for (let i = 1; i < out.length; i++) check((out[i]?.takenAt ?? 0) >= (out[i - 1]?.takenAt ?? 0), 'snapshots are out of order');
  return out;
}

function rowFrom(stored: StoredRow, statements: Record<string, unknown>, index: Map<string, number>): StatementRow {
  const key = stored[0];
  const id = statements[key];
  check(Array.isArray(id) && id.length === 7, `statement ${key} is unknown`);
  const [queryid, dbid, userid, toplevel, database, user, query] = id as StoredIdentity;
  check(typeof dbid === 'number' && typeof userid === 'number' && typeof query === 'string', `statement ${key} is malformed`);
  check(statementKey({ queryid, dbid, userid, toplevel }) === key, `statement ${key} does not match its key`);
  const get = (f: string) => nullableNumber(stored[index.get(f) ?? -1]);
  return {
    key,
    queryid,
    dbid,
    userid,
    toplevel: toplevel === true,
    database,
    user,
    query,
    hidden: queryid === null,
    entries: get('entries') ?? 1,
    counters: Object.fromEntries(COUNTERS.map((c) => [c, get(c)])) as Counters,
    gauges: Object.fromEntries(GAUGES.map((g) => [g, get(g)])) as Gauges,
    statsSince: get('statsSince'),
  };
}

function nullableNumber(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

function check(condition: boolean, problem: string): asserts condition {
  if (!condition) throw new Error(problem);
}

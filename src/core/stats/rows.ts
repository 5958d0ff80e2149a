/**
 * From the rows the statements reader returns to StatementRow. The reader's
 * SQL names its columns after the fields here (COUNTERS, GAUGES and the
 * identity), selecting NULL for what the server's version lacks; this module
 * converts types, merges the entries the role may not see, and redacts
 * credentials from the texts: a statement may quote a password (utility
 * statements before PostgreSQL 16 keep their constants), and from here the
 * text is shown, stored with the snapshots, exported and copied.
 */
import { redact } from '../connection/redact';
import { statementKey } from './key';
import { COUNTERS, GAUGES, type Counters, type Gauges, type StatementRow, type StatsInfo } from './types';

/** The text pg_stat_statements shows instead of another role's statement. */
export const INSUFFICIENT_PRIVILEGE = '<insufficient privilege>';

/** A number from what pg returns: number, numeric/bigint as text, or null. */
export function numberOrNull(value: unknown): number | null {
  if (value === null || value === undefined || value === '') return null;
  const n = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(n) ? n : null;
}

/** Epoch ms from a Date, an ISO text or a number; null otherwise. */
export function timeOrNull(value: unknown): number | null {
  if (value === null || value === undefined || value === '') return null;
  if (value instanceof Date) return Number.isFinite(value.getTime()) ? value.getTime() : null;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string') {
    const t = Date.parse(value);
    return Number.isFinite(t) ? t : null;
  }
  return null;
}

function textOrNull(value: unknown): string | null {
  if (typeof value === 'string') return value;
  return typeof value === 'number' || typeof value === 'bigint' ? String(value) : null;
}

/** A text from the server, without the credentials it may quote. */
export function redactedOrNull(value: unknown): string | null {
  const text = textOrNull(value);
  return text === null ? null : redact(text);
}

/** One raw row of the reader to a StatementRow (not yet merged). */
export function statementRowFrom(raw: Readonly<Record<string, unknown>>): StatementRow {
  const queryid = textOrNull(raw.queryid);
  const hidden = queryid === null;
  const parts = {
    queryid,
    dbid: numberOrNull(raw.dbid) ?? 0,
    userid: numberOrNull(raw.userid) ?? 0,
    // Before 14 the column does not exist and the reader selects NULL: such entries count as top level.
    toplevel: raw.toplevel !== false,
  };
  const counters = Object.fromEntries(COUNTERS.map((c) => [c, numberOrNull(raw[c])])) as Record<string, number | null>;
  const gauges = Object.fromEntries(GAUGES.map((g) => [g, numberOrNull(raw[g])])) as Record<string, number | null>;
  return {
    key: statementKey(parts),
    ...parts,
    database: redactedOrNull(raw.database),
    user: redactedOrNull(raw.user),
    query: redactedOrNull(raw.query) ?? INSUFFICIENT_PRIVILEGE,
    hidden,
    entries: 1,
    counters: counters as Counters,
    gauges: gauges as Gauges,
    statsSince: timeOrNull(raw.statsSince),
  };
}

/**
 * The rows of one read, with the hidden entries of each role and database
 * merged: without a queryid they cannot be told apart from one snapshot to
 * the next, but their sums still show how much time that role's statements
 * take. Means are recomputed from the sums; a standard deviation cannot be.
 */
export function statementRowsFrom(raws: readonly Readonly<Record<string, unknown>>[]): StatementRow[] {
  const out: StatementRow[] = [];
  const merged = new Map<string, StatementRow>();
  for (const raw of raws) {
    const row = statementRowFrom(raw);
    if (!row.hidden) {
      out.push(row);
      continue;
    }
    const seen = merged.get(row.key);
    merged.set(row.key, seen ? mergeHidden(seen, row) : row);
  }
  return [...out, ...merged.values()];
}

function mergeHidden(a: StatementRow, b: StatementRow): StatementRow {
  const counters = Object.fromEntries(COUNTERS.map((c) => [c, sumOrNull(a.counters[c], b.counters[c])])) as Record<string, number | null>;
  const calls = counters.calls ?? 0;
  const total = counters.totalExecMs ?? null;
  const gauges: Gauges = {
    minExecMs: pick(Math.min, a.gauges.minExecMs, b.gauges.minExecMs),
    maxExecMs: pick(Math.max, a.gauges.maxExecMs, b.gauges.maxExecMs),
    meanExecMs: total !== null && calls > 0 ? total / calls : null,
    stddevExecMs: null,
  };
  const since = pick(Math.min, a.statsSince, b.statsSince);
  return { ...a, entries: a.entries + b.entries, counters: counters as Counters, gauges, statsSince: since };
}

function sumOrNull(a: number | null, b: number | null): number | null {
  return a === null || b === null ? null : a + b;
}

function pick(f: (x: number, y: number) => number, a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return f(a, b);
}

/** pg_stat_statements_info's row; an absent row (before 14) gives nulls. */
export function statsInfoFrom(raw: Readonly<Record<string, unknown>> | undefined): StatsInfo {
  return { statsReset: timeOrNull(raw?.statsReset), dealloc: numberOrNull(raw?.dealloc) };
}

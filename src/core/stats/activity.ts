/**
 * The live activity tab: sessions from pg_stat_activity worth a look now —
 * statements running longer than a threshold, sessions idle inside an open
 * transaction (they hold locks and stop vacuum), sessions waiting for a lock
 * and the sessions they wait for.
 *
 * Without pg_read_all_stats, other roles' sessions come back with the pid
 * and role but no state or text; they are kept (hidden: true) because they
 * may still be the ones blocking.
 */
import { INSUFFICIENT_PRIVILEGE, numberOrNull, redactedOrNull, timeOrNull } from './rows';
import { isOwnStatement } from './ownTag';

export interface SessionRow {
  readonly pid: number;
  readonly user: string | null;
  readonly database: string | null;
  readonly application: string | null;
  readonly client: string | null;
  readonly backendType: string | null;
  /** 'active', 'idle in transaction', ...; null when hidden from this role. */
  readonly state: string | null;
  readonly waitEventType: string | null;
  readonly waitEvent: string | null;
  readonly query: string | null;
  readonly queryStart: number | null;
  readonly xactStart: number | null;
  readonly stateChange: number | null;
  /** The server's clock at the read, epoch ms. */
  readonly now: number;
  /** pg_blocking_pids: the sessions this one waits for. */
  readonly blockedBy: readonly number[];
  /** Whether the connected role may cancel or terminate this session. */
  readonly canSignal: boolean;
}

export type SessionKind = 'waiting' | 'blocking' | 'long-running' | 'idle-in-transaction';

export interface Session extends SessionRow {
  readonly kinds: readonly SessionKind[];
  /** The sessions waiting for this one. */
  readonly blocking: readonly number[];
  /** How long the current statement has run (active) or the session has been idle in its transaction, ms. */
  readonly stateMs: number | null;
  /** How long the transaction has been open, ms. */
  readonly transactionMs: number | null;
  readonly hidden: boolean;
  readonly own: boolean;
}

export interface ActivityOptions {
  /** A statement running at least this long is "long running", ms (default 5 s). */
  readonly longRunningMs?: number;
}

export const DEFAULT_LONG_RUNNING_MS = 5_000;

/** One row of the reader; texts lose the credentials they may quote (another session's statement, its application name). */
export function sessionRowFrom(raw: Readonly<Record<string, unknown>>): SessionRow {
  const text = (v: unknown) => (typeof v === 'string' ? redactedOrNull(v) : null);
  return {
    pid: numberOrNull(raw.pid) ?? 0,
    user: text(raw.user),
    database: text(raw.database),
    application: text(raw.application),
    client: text(raw.client),
    backendType: text(raw.backendType),
    state: text(raw.state),
    waitEventType: text(raw.waitEventType),
    waitEvent: text(raw.waitEvent),
    query: text(raw.query),
    queryStart: timeOrNull(raw.queryStart),
    xactStart: timeOrNull(raw.xactStart),
    stateChange: timeOrNull(raw.stateChange),
    now: timeOrNull(raw.now) ?? 0,
    blockedBy: pids(raw.blockedBy),
    canSignal: raw.canSignal === true,
  };
}

/** pg returns int[] as an array; be lenient with the text form "{1,2}". */
function pids(value: unknown): number[] {
  const list = Array.isArray(value) ? value : typeof value === 'string' ? value.replace(/[{}]/g, '').split(',') : [];
  return list.map((v) => numberOrNull(v)).filter((n): n is number => n !== null);
}

/** Sessions with what makes each worth showing, most urgent first. */
export function classifySessions(rows: readonly SessionRow[], options: ActivityOptions = {}): Session[] {
  const longMs = options.longRunningMs ?? DEFAULT_LONG_RUNNING_MS;
  const waitingFor = new Map<number, number[]>();
  for (const r of rows) for (const b of r.blockedBy) waitingFor.set(b, [...(waitingFor.get(b) ?? []), r.pid]);
  const sessions = rows.map((r): Session => {
    const stateMs = r.state === 'active' ? since(r.now, r.queryStart) : since(r.now, r.stateChange);
    const kinds: SessionKind[] = [];
    const blocking = waitingFor.get(r.pid) ?? [];
    if (r.blockedBy.length > 0) kinds.push('waiting');
    if (blocking.length > 0) kinds.push('blocking');
    if (r.state === 'active' && stateMs !== null && stateMs >= longMs) kinds.push('long-running');
    if (r.state === 'idle in transaction' || r.state === 'idle in transaction (aborted)') kinds.push('idle-in-transaction');
    return {
      ...r,
      kinds,
      blocking,
      stateMs,
      transactionMs: since(r.now, r.xactStart),
      hidden: r.query === INSUFFICIENT_PRIVILEGE || (r.state === null && r.query === null),
      own: r.query !== null && isOwnStatement(r.query),
    };
  });
  return sessions.filter((s) => s.kinds.length > 0).sort(byUrgency);
}

const URGENCY: readonly SessionKind[] = ['blocking', 'waiting', 'long-running', 'idle-in-transaction'];

function byUrgency(a: Session, b: Session): number {
  const rank = (s: Session) => Math.min(...s.kinds.map((k) => URGENCY.indexOf(k)));
  return rank(a) - rank(b) || (b.stateMs ?? 0) - (a.stateMs ?? 0) || a.pid - b.pid;
}

function since(now: number, start: number | null): number | null {
  return start === null || now === 0 ? null : Math.max(0, now - start);
}

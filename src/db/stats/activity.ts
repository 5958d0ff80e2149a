/**
 * The live activity tab's reads and its two actions. Cancelling and
 * terminating are not reads: they go through `Database.admin`, and a
 * refusal by the server becomes a message naming the rule and the GRANT.
 */
import { classifySessions, sessionRowFrom, DEFAULT_LONG_RUNNING_MS, type Session } from '../../core/stats/activity';
import { signalMissedMessage, signalRefusedMessage, type SignalAction } from '../../core/stats/privileges';
import { DbError, type Database, type RunOptions } from '../types';
import { ACTIVITY_SQL, CANCEL_SQL, SESSION_OWNER_SQL, TERMINATE_SQL } from './activitySql';

export interface ActivityReadOptions extends RunOptions {
  /** Statements running at least this long are listed, ms (default 5 s). */
  readonly longRunningMs?: number;
}

/** Sessions running long, idle in transaction, waiting or blocking; most urgent first. */
export async function readActivity(db: Database, options: ActivityReadOptions = {}): Promise<Session[]> {
  const longRunningMs = Math.max(0, options.longRunningMs ?? DEFAULT_LONG_RUNNING_MS);
  const raws = await db.read('activity: sessions', async (tx) => (await tx.query(ACTIVITY_SQL, [longRunningMs])).rows, options);
  return classifySessions(raws.map(sessionRowFrom), { longRunningMs });
}

export interface SignalResult {
  readonly pid: number;
  readonly action: SignalAction;
  readonly message: string;
}

/**
 * Cancels the session's running statement (pg_cancel_backend) or ends the
 * session (pg_terminate_backend). Rejects with a DbError of kind
 * 'privilege' when the role may not, and 'other' when the session is gone.
 */
export async function signalSession(db: Database, action: SignalAction, pid: number, options?: RunOptions): Promise<SignalResult> {
  if (!Number.isInteger(pid) || pid <= 0) throw new DbError('other', `${pid} is not a server process id.`, []);
  const owner = await db.read(
    'activity: session owner',
    async (tx) => {
      const [who] = (await tx.query<{ user: string | null; superuser: boolean }>(SESSION_OWNER_SQL, [pid])).rows;
      const [me] = (await tx.query<{ me: string }>('SELECT current_user AS me', [])).rows;
      return { who, me: me?.me ?? '' };
    },
    options,
  );
  if (!owner.who) throw new DbError('other', signalMissedMessage(action, pid), []);
  const target = { pid, user: owner.who.user, superuser: owner.who.superuser };
  let done: boolean;
  try {
    done = await db.admin(
      `${action} session ${pid}`,
      async (tx) => (await tx.query<{ done: boolean }>(action === 'cancel' ? CANCEL_SQL : TERMINATE_SQL, [pid])).rows[0]?.done === true,
      options,
    );
  } catch (e) {
    if (e instanceof DbError && e.kind === 'privilege') throw new DbError('privilege', signalRefusedMessage(action, target, owner.me), [], e.code);
    throw e;
  }
  if (!done) throw new DbError('other', signalMissedMessage(action, pid), []);
  const whose = target.user === null ? '' : ` of role "${target.user}"`;
  const message = action === 'cancel' ? `Asked session ${pid}${whose} to cancel its statement.` : `Asked session ${pid}${whose} to end.`;
  return { pid, action, message };
}

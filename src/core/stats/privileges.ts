/**
 * What to say when the server refuses one of the panel's actions for lack
 * of privilege, with the statement that would grant it. The server's own
 * messages name the rule but not the fix, and differ between versions.
 */
import { quoteIdent } from '../health/ident';

/**
 * pg_stat_statements_reset's signature, which GRANT must spell out: three
 * arguments from extension version 1.7, four (minmax_only) from 1.11
 * (PostgreSQL 17).
 */
export function resetFunctionSignature(schema: string, extensionVersion: string): string {
  const [major = 0, minor = 0] = extensionVersion.split('.').map(Number);
  const at = (m: number, n: number) => major > m || (major === m && minor >= n);
  const args = at(1, 11) ? 'oid, oid, bigint, boolean' : at(1, 7) ? 'oid, oid, bigint' : '';
  return `${quoteIdent(schema)}.pg_stat_statements_reset(${args})`;
}

export function resetRefusedMessage(user: string, schema: string, extensionVersion: string): string {
  const fn = resetFunctionSignature(schema, extensionVersion);
  return `Role "${user}" may not reset pg_stat_statements: that needs a superuser or the EXECUTE privilege on the reset function. A superuser can grant it with: GRANT EXECUTE ON FUNCTION ${fn} TO ${quoteIdent(user)};`;
}

export type SignalAction = 'cancel' | 'terminate';

export interface SignalTarget {
  readonly pid: number;
  /** The session's role; null when the server did not say. */
  readonly user: string | null;
  readonly superuser: boolean;
}

/**
 * Why the server refused to cancel or terminate another session. The rule
 * (the same from 13 to 18): the caller needs the privileges of the
 * session's role or of pg_signal_backend, and only a superuser may signal a
 * superuser's session.
 */
export function signalRefusedMessage(action: SignalAction, target: SignalTarget, user: string): string {
  const verb = action === 'cancel' ? 'cancel the statement of' : 'terminate';
  const whose = target.user === null ? `session ${target.pid}` : `session ${target.pid} of role "${target.user}"`;
  if (target.superuser) {
    return `Role "${user}" may not ${verb} ${whose}: it belongs to a superuser, and only superusers may signal superusers' sessions.`;
  }
  return `Role "${user}" may not ${verb} ${whose}: that needs the privileges of role "${target.user ?? '?'}" or of pg_signal_backend. A superuser can grant it with: GRANT pg_signal_backend TO ${quoteIdent(user)};`;
}

/** pg_cancel_backend / pg_terminate_backend returned false: no such server process (any more). */
export function signalMissedMessage(action: SignalAction, pid: number): string {
  return `Session ${pid} could not be ${action === 'cancel' ? 'cancelled' : 'terminated'}: it is no longer running.`;
}

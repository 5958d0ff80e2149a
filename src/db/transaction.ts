/**
 * The one place statements are sent: a transaction on a pooled client with
 * the limits set by `SET LOCAL` (so they end with the transaction and never
 * leak into the next use of the client), every statement logged, and
 * cancellation that reaches the server.
 *
 * A client on which a cancel was requested, or whose connection failed, is
 * discarded instead of going back to the pool: a late cancel request must
 * never hit the next caller's statement.
 */
import { performance } from 'node:perf_hooks';
import type { PoolClient, QueryConfig } from 'pg';
import { DbError, type DbLog, type Tx } from './types';
import { isConnectionLoss } from './failure';
import { firstLine } from './redact';
import { tagStatement } from '../core/stats/ownTag';

export interface TransactionSpec {
  /** For the log: what this transaction is for. */
  readonly label: string;
  readonly readOnly: boolean;
  /** Reads commit; EXPLAIN always rolls back. */
  readonly finish: 'commit' | 'rollback';
  readonly statementTimeoutMs: number;
  readonly lockTimeoutMs: number;
  readonly signal?: AbortSignal;
  /** Maps a server error position (1-based, in the statement sent) to the caller's text. */
  readonly mapPosition?: (serverPosition: number) => number | undefined;
  /**
   * Asked when the transaction has ended: true closes the connection instead
   * of returning it to the pool, so that whatever the work may have left in
   * the session (advisory locks, prepared statements, dblink connections,
   * settings) goes with it.
   */
  readonly discardAfter?: () => boolean;
}

export interface TransactionDeps {
  readonly log: DbLog;
  checkout(): Promise<PoolClient>;
  /** Cancels whatever the client's backend is running. */
  cancel(client: PoolClient): Promise<void>;
  classify(error: unknown, cancelRequested: boolean, mapPosition?: (p: number) => number | undefined): DbError;
}

/** How long a cancelled call may wait for the server to confirm before it rejects anyway. */
const CANCEL_GRACE_MS = 800;

export function cancelledError(): DbError {
  return new DbError('cancelled', 'The query was cancelled.', []);
}

/** Runs `fn` in one transaction; retried once on a fresh client when a stale one failed at BEGIN. */
export function runTransaction<T>(deps: TransactionDeps, spec: TransactionSpec, fn: (tx: Tx) => Promise<T>): Promise<T> {
  const work = (async () => {
    try {
      return await attempt(deps, spec, fn, true);
    } catch (e) {
      if (!(e instanceof StaleClient)) throw e;
      deps.log.info(`${spec.label}: the pooled connection was closed by the server; retrying on a new connection.`);
      return attempt(deps, spec, fn, false);
    }
  })();
  return settleSoonAfterAbort(work, spec.signal);
}

/** A failure at BEGIN on a client that turned out to be dead: nothing ran, so a retry is safe. */
class StaleClient extends Error {}

async function attempt<T>(deps: TransactionDeps, spec: TransactionSpec, fn: (tx: Tx) => Promise<T>, mayRetry: boolean): Promise<T> {
  const { signal } = spec;
  if (signal?.aborted) throw cancelledError();
  const client = await deps.checkout().catch((e: unknown) => {
    throw deps.classify(e, signal?.aborted ?? false);
  });
  let discard = false;
  let begun = false;
  let ended = false;
  let inFlight = false;
  const onClientError = (e: Error) => {
    // The pool only listens while the client is idle; an error now must not crash the host.
    discard = true;
    deps.log.warn(`${spec.label}: connection error: ${deps.classify(e, false).message}`);
  };
  client.on('error', onClientError);
  const onAbort = () => {
    discard = true;
    if (!inFlight) return;
    deps.cancel(client).catch((e: unknown) => deps.log.warn(`${spec.label}: the cancel request failed: ${deps.classify(e, true).message}`));
  };
  signal?.addEventListener('abort', onAbort, { once: true });

  const send = async (text: string, values?: readonly unknown[], extended = false, wire = tagStatement(text)) => {
    const started = performance.now();
    inFlight = true;
    try {
      // Tagged so that the slow query list can leave the tool's own statements out; the log keeps the text as written.
      const config: QueryConfig & { queryMode?: 'extended' } = { text: wire, values: values ? [...values] : undefined };
      // The extended protocol accepts exactly one statement per call.
      if (extended) config.queryMode = 'extended';
      const result = await client.query(config);
      deps.log.statement(firstLine(text), Math.round(performance.now() - started), result.rowCount ?? null);
      return result;
    } catch (e) {
      deps.log.statement(firstLine(text), Math.round(performance.now() - started), null);
      throw untagPosition(e, text, wire);
    } finally {
      inFlight = false;
    }
  };
  const checked = (text: string, values?: readonly unknown[], extended = false, wire?: string) => {
    if (signal?.aborted) return Promise.reject(cancelledError());
    return send(text, values, extended, wire);
  };

  try {
    // standard_conforming_strings is pinned on: the server then reads every later text of the
    // transaction as PG Insight's parser does, so that a backslash in a literal can never end it
    // early and smuggle a second statement onto the simple protocol (which GENERIC_PLAN needs).
    const beginParts = [
      `BEGIN ${spec.readOnly ? 'READ ONLY' : 'READ WRITE'}`,
      `SET LOCAL statement_timeout = ${ms(spec.statementTimeoutMs)}`,
      `SET LOCAL lock_timeout = ${ms(spec.lockTimeoutMs)}`,
      'SET LOCAL standard_conforming_strings = on',
    ];
    const begin = beginParts.join('; ');
    try {
      // Each statement of the opening carries the tag (a tag only marks the statement it is in).
      await checked(begin, undefined, false, beginParts.map(tagStatement).join('; '));
    } catch (e) {
      const failure = deps.classify(e, signal?.aborted ?? false);
      if (mayRetry && isConnectionLoss(failure) && !signal?.aborted) {
        discard = true;
        throw new StaleClient(failure.message);
      }
      throw failure;
    }
    begun = true;
    const tx: Tx = {
      // The extended protocol (even with no parameters) guarantees one statement per call.
      query: async <R extends Record<string, unknown>>(sql: string, params?: readonly unknown[]) => {
        const r = await checked(sql, params ?? [], true);
        return { rows: r.rows as R[], rowCount: r.rowCount ?? null };
      },
      querySimple: async <R extends Record<string, unknown>>(sql: string) => {
        const r = await checked(sql, undefined, false);
        return { rows: r.rows as R[], rowCount: r.rowCount ?? null };
      },
    };
    const result = await fn(tx);
    await checked(spec.finish === 'commit' ? 'COMMIT' : 'ROLLBACK');
    ended = true;
    return result;
  } catch (e) {
    if (begun && !ended && !discard) {
      // Always end the transaction; if even that fails, the connection goes.
      await send('ROLLBACK').catch(() => {
        discard = true;
      });
    }
    if (e instanceof StaleClient) throw e;
    throw deps.classify(e, signal?.aborted ?? false, spec.mapPosition);
  } finally {
    signal?.removeEventListener('abort', onAbort);
    client.off('error', onClientError);
    // A discarded client is closed, which also rolls back anything left open on the server.
    if (!discard && spec.discardAfter?.()) discard = true;
    client.release(discard ? new Error('discarded after a failure, a cancel, or work that may leave state in the session') : undefined);
  }
}

/**
 * Once the signal aborts, the call rejects as cancelled as soon as the server
 * confirms (the statement fails with 57014), and at the latest after a short
 * grace period; the clean-up continues in the background.
 */
function settleSoonAfterAbort<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  return new Promise<T>((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    const onAbort = () => {
      timer = setTimeout(() => reject(cancelledError()), CANCEL_GRACE_MS);
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    const done = () => {
      if (timer) clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
    };
    work.then(
      (value) => {
        done();
        if (signal.aborted) reject(cancelledError());
        else resolve(value);
      },
      (error: unknown) => {
        done();
        reject(signal.aborted ? cancelledError() : (error as Error));
      },
    );
  });
}

/** A whole, non-negative number of milliseconds, safe to put in SQL text. */
function ms(value: number): number {
  return Number.isFinite(value) && value > 0 ? Math.floor(value) : 0;
}

/**
 * A server error's position counts characters of the tagged text that was
 * sent; callers map it into the text they gave, so the tag's length comes off
 * positions after it.
 */
function untagPosition(e: unknown, text: string, wire: string): unknown {
  if (wire === text || typeof e !== 'object' || e === null) return e;
  const error = e as { position?: unknown };
  const position = Number(error.position);
  if (!Number.isFinite(position) || position <= 0) return e;
  let at = 0;
  while (at < text.length && text.charCodeAt(at) === wire.charCodeAt(at)) at++;
  if (position > at) error.position = String(Math.max(at + 1, position - (wire.length - text.length)));
  return e;
}

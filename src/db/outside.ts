/**
 * The runner's one way to send a statement outside a transaction block:
 * `CREATE INDEX CONCURRENTLY` (and its clean-up, `DROP INDEX CONCURRENTLY`)
 * refuse to run inside one. The limits are set for the session first,
 * because `SET LOCAL` needs a transaction; the client is then discarded
 * rather than returned to the pool, so the session settings, and a cancel
 * request that arrives late, never reach another caller's statement.
 *
 * The statement goes by the extended protocol, which takes exactly one
 * statement: a text smuggling a second one fails instead of running it.
 */
import { performance } from 'node:perf_hooks';
import type { QueryConfig } from 'pg';
import { cancelledError, type TransactionDeps } from './transaction';
import { firstLine } from './redact';
import { tagStatement } from '../core/stats/ownTag';

export interface OutsideSpec {
  readonly label: string;
  readonly statementTimeoutMs: number;
  readonly lockTimeoutMs: number;
  readonly signal?: AbortSignal;
}

export async function runOutsideTransaction(deps: TransactionDeps, spec: OutsideSpec, sql: string): Promise<void> {
  const { signal } = spec;
  if (signal?.aborted) throw cancelledError();
  const client = await deps.checkout().catch((e: unknown) => {
    throw deps.classify(e, signal?.aborted ?? false);
  });
  let inFlight = false;
  const onClientError = (e: Error) => deps.log.warn(`${spec.label}: connection error: ${deps.classify(e, false).message}`);
  client.on('error', onClientError);
  const onAbort = () => {
    if (!inFlight) return;
    deps.cancel(client).catch((e: unknown) => deps.log.warn(`${spec.label}: the cancel request failed: ${deps.classify(e, true).message}`));
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  const send = async (text: string, extended: boolean) => {
    if (signal?.aborted) throw cancelledError();
    const started = performance.now();
    inFlight = true;
    try {
      // Tagged like every statement of the runner, so that the slow query list leaves it out.
      const config: QueryConfig & { queryMode?: 'extended' } = { text: extended ? tagStatement(text) : text.split('; ').map(tagStatement).join('; '), values: extended ? [] : undefined };
      if (extended) config.queryMode = 'extended';
      const result = await client.query(config);
      deps.log.statement(firstLine(text), Math.round(performance.now() - started), result.rowCount ?? null);
    } catch (e) {
      deps.log.statement(firstLine(text), Math.round(performance.now() - started), null);
      throw e;
    } finally {
      inFlight = false;
    }
  };
  try {
    // The session is discarded afterwards, so session settings are safe here; literals are read as PG Insight's parser reads them.
    await send(`SET statement_timeout = ${ms(spec.statementTimeoutMs)}; SET lock_timeout = ${ms(spec.lockTimeoutMs)}; SET standard_conforming_strings = on`, false);
    await send(sql, true);
  } catch (e) {
    throw deps.classify(e, signal?.aborted ?? false);
  } finally {
    signal?.removeEventListener('abort', onAbort);
    client.off('error', onClientError);
    client.release(new Error('discarded after a statement outside a transaction'));
  }
}

/** A whole, non-negative number of milliseconds, safe to put in SQL text. */
function ms(value: number): number {
  return Number.isFinite(value) && value > 0 ? Math.floor(value) : 0;
}

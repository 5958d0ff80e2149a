/**
 * Runs health checks against a HealthRunner: a few at a time, each with its
 * own deadline, so one slow or forbidden check never holds up or fails the
 * others. Results come back in the order the checks were given.
 *
 * Rows and error messages are cleaned here, as they arrive (credentials
 * redacted, bidirectional controls spelled out): other sessions' statements
 * and settings may quote a connection URL with its password, and every
 * rendering of the report (webview, Markdown, JSON, text) is built from what
 * the checks make of these rows.
 */
import { loadSqlParser } from '../sql/parser';
import { displayText, displayValues } from '../text/databaseText';
import { CONTEXT_SQL, contextFromRows, versionLabel } from './context';
import { resultStatus } from './outcome';
import { DEFAULT_THRESHOLDS, type HealthThresholds } from './thresholds';
import type {
  CheckContext,
  CheckResult,
  CheckStatus,
  HealthCheck,
  HealthRunner,
  QueryFailure,
  Rows,
  SingleQueryCheck,
  SqlSource,
} from './types';

export interface RunChecksOptions {
  /** Checks running at the same time (default 3, the size of the extension's pool). */
  readonly concurrency?: number;
  /** Time allowed for each check, all its statements together (default 15 s). */
  readonly perCheckTimeoutMs?: number;
  /** Cancels the report: running statements are aborted, the remaining checks are skipped. */
  readonly signal?: AbortSignal;
  readonly thresholds?: HealthThresholds;
  /** Called after each check, in completion order. */
  readonly onProgress?: (progress: { readonly done: number; readonly total: number; readonly result: CheckResult }) => void;
}

export interface HealthReport {
  /** Null when even the first statement failed (then every result says why). */
  readonly context: CheckContext | null;
  readonly results: readonly CheckResult[];
  readonly durationMs: number;
}

export const DEFAULT_CONCURRENCY = 3;
export const DEFAULT_CHECK_TIMEOUT_MS = 15_000;

export async function runChecks(checks: readonly HealthCheck[], runner: HealthRunner, options: RunChecksOptions = {}): Promise<HealthReport> {
  const started = Date.now();
  const timeoutMs = options.perCheckTimeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS;
  const thresholds = options.thresholds ?? DEFAULT_THRESHOLDS;
  const total = checks.length;
  const results: CheckResult[] = new Array<CheckResult>(total);
  let done = 0;
  const finish = (index: number, result: CheckResult) => {
    results[index] = result;
    done++;
    options.onProgress?.({ done, total, result });
  };

  // Loaded once for the checks that read statement texts; a failure only makes them say less.
  if (checks.some((c) => c.needsSqlParser)) await loadSqlParser().catch(() => undefined);

  let ctx: CheckContext;
  try {
    const rows = await withDeadline(runner, CONTEXT_SQL, { label: 'health: context', timeoutMs, outer: options.signal });
    ctx = contextFromRows(rows, runner.versionNum);
  } catch (error) {
    const failure = describeFailure(error, options.signal?.aborted ? 'cancelled' : null);
    checks.forEach((check, i) =>
      finish(i, blank(check, failure.status, {
        reason: `The server's version and privileges could not be read: ${failure.reason}`,
        fix: failure.fix ?? 'Check the connection and run the report again.',
        sql: [CONTEXT_SQL],
      })),
    );
    return { context: null, results, durationMs: Date.now() - started };
  }

  let next = 0;
  const worker = async () => {
    while (next < total) {
      const index = next++;
      const check = checks[index];
      if (check) finish(index, await runOne(check, ctx, runner, thresholds, timeoutMs, options.signal));
    }
  };
  const workers = Math.max(1, Math.min(options.concurrency ?? DEFAULT_CONCURRENCY, total));
  await Promise.all(Array.from({ length: workers }, worker));
  return { context: ctx, results, durationMs: Date.now() - started };
}

/** Runs one check to a result; never throws. */
export async function runOne(
  check: HealthCheck,
  ctx: CheckContext,
  runner: HealthRunner,
  thresholds: HealthThresholds,
  timeoutMs: number,
  outer?: AbortSignal,
): Promise<CheckResult> {
  const started = Date.now();
  if (outer?.aborted) return blank(check, 'skipped', { reason: 'The report was cancelled before this check ran.' });
  if (ctx.versionNum < check.minVersion) {
    return blank(check, 'skipped', {
      reason: `Needs PostgreSQL ${versionLabel(check.minVersion)} or later; the server runs ${versionLabel(ctx.versionNum)}.`,
      fix: 'Upgrade the server to run this check.',
    });
  }
  if (check.requiresExtension && !ctx.extensions.has(check.requiresExtension)) {
    return blank(check, 'skipped', {
      reason: `The ${check.requiresExtension} extension is not installed in this database.`,
      fix: `CREATE EXTENSION ${check.requiresExtension};`,
    });
  }

  const single = isSingle(check);
  const sources: [string, SqlSource][] = isSingle(check) ? [['main', check.sql]] : Object.entries(check.sql);
  const optional = new Set<string>(isSingle(check) ? [] : (check.optional ?? []));
  const deadline = started + timeoutMs;
  const sent: string[] = [];
  const rows: Record<string, Rows | undefined> = {};
  const failures: Record<string, QueryFailure> = {};

  try {
    for (const [name, source] of sources) {
      const sql = typeof source === 'function' ? source(ctx) : source;
      if (sql === null) {
        if (single) return blank(check, 'skipped', { reason: 'This check does not apply to this server.' });
        continue;
      }
      sent.push(sql);
      try {
        rows[name] = await withDeadline(runner, sql, {
          label: `health: ${check.id}${single ? '' : ` (${name})`}`,
          timeoutMs: Math.max(1, deadline - Date.now()),
          outer,
        });
      } catch (error) {
        if (!optional.has(name) || error instanceof DeadlineError) throw error;
        failures[name] = queryFailure(error);
      }
    }
  } catch (error) {
    const failure = describeFailure(error, outer?.aborted ? 'cancelled' : null, check, timeoutMs);
    return blank(check, failure.status, { reason: failure.reason, fix: failure.fix, sql: sent, durationMs: Date.now() - started });
  }

  try {
    const evaluation = { ...ctx, failures };
    const outcome = isSingle(check) ? check.evaluate(rows.main ?? [], thresholds, evaluation) : check.evaluate(rows, thresholds, evaluation);
    const limitations = outcome.limitations ?? [];
    return {
      ...identity(check),
      status: resultStatus(outcome.status, limitations),
      summary: outcome.summary,
      findings: outcome.findings,
      details: outcome.details ?? [],
      limitations,
      sql: sent,
      durationMs: Date.now() - started,
    };
  } catch (error) {
    // A check's own bug must not take the report down; it shows as that check's error.
    return blank(check, 'error', {
      reason: `The check could not interpret the server's answer: ${messageOf(error)}`,
      fix: 'Report this with the server version; the other checks are unaffected.',
      sql: sent,
      durationMs: Date.now() - started,
    });
  }
}

function isSingle(check: HealthCheck): check is SingleQueryCheck {
  return typeof check.sql === 'string' || typeof check.sql === 'function';
}

/** Raised when the check's own time is up or the report is cancelled. */
class DeadlineError extends Error {
  constructor(readonly why: 'timeout' | 'cancelled') {
    super(why);
  }
}

interface DeadlineOptions {
  readonly label: string;
  readonly timeoutMs: number;
  readonly outer: AbortSignal | undefined;
}

/**
 * Sends one statement and stops waiting when the time is up or the report is
 * cancelled. The abort signal asks the runner to cancel the statement on the
 * server; the race makes sure a runner that ignores it cannot hold us.
 */
async function withDeadline(runner: HealthRunner, sql: string, o: DeadlineOptions): Promise<Rows> {
  const controller = new AbortController();
  let why: 'timeout' | 'cancelled' | null = null;
  let rejectStop: (e: Error) => void = () => undefined;
  const stopped = new Promise<never>((_, reject) => (rejectStop = reject));
  const stop = (reason: 'timeout' | 'cancelled') => {
    why ??= reason;
    controller.abort();
    rejectStop(new DeadlineError(why));
  };
  const onOuterAbort = () => stop('cancelled');
  if (o.outer?.aborted) stop('cancelled');
  o.outer?.addEventListener('abort', onOuterAbort, { once: true });
  const timer = setTimeout(() => stop('timeout'), o.timeoutMs);
  const running = runner.query(sql, undefined, { label: o.label, signal: controller.signal, timeoutMs: o.timeoutMs });
  // After a stop, the runner's own rejection (cancelled statement) has nobody waiting for it.
  running.catch(() => undefined);
  try {
    return displayValues(await Promise.race([running, stopped]));
  } catch (error) {
    if (why !== null) throw new DeadlineError(why);
    throw error;
  } finally {
    clearTimeout(timer);
    o.outer?.removeEventListener('abort', onOuterAbort);
  }
}

interface FailureDescription {
  readonly status: Extract<CheckStatus, 'skipped' | 'error'>;
  readonly reason: string;
  readonly fix?: string;
}

function describeFailure(error: unknown, override: 'cancelled' | null, check?: HealthCheck, timeoutMs?: number): FailureDescription {
  const { code, kind } = errorFields(error);
  const why = error instanceof DeadlineError ? error.why : override;
  if (why === 'cancelled' || kind === 'cancelled') return { status: 'skipped', reason: 'The report was cancelled while this check ran.' };
  if (why === 'timeout' || code === '57014' || kind === 'statement-timeout') {
    const limit = timeoutMs === undefined ? '' : timeoutMs < 1000 ? ` (${timeoutMs} ms)` : ` (${Math.round(timeoutMs / 1000)} s)`;
    return {
      status: 'error',
      reason: `The check did not finish in time${limit}.`,
      fix: 'Run the report again when the server is less busy, or raise the per-check timeout.',
    };
  }
  if (code === '42501' || kind === 'privilege') {
    const message = messageOf(error);
    return {
      status: 'error',
      reason: /permission denied/i.test(message) ? message : `Permission denied: ${message}`,
      fix: check ? `This check needs: ${check.privileges}` : 'Connect with a role that has pg_monitor (or pg_read_all_stats).',
    };
  }
  if (code === '55000' && /shared_preload_libraries/.test(messageOf(error))) {
    return {
      status: 'error',
      reason: messageOf(error),
      fix: "Add the library to shared_preload_libraries (ALTER SYSTEM SET shared_preload_libraries = '...') and restart the server.",
    };
  }
  return { status: 'error', reason: messageOf(error) + (code ? ` (${code})` : '') };
}

function queryFailure(error: unknown): QueryFailure {
  const { code } = errorFields(error);
  return code ? { code, message: messageOf(error) } : { message: messageOf(error) };
}

/** Reads `code` (SQLSTATE, as pg errors and DbError carry it) and `kind` (DbError) without trusting the type. */
function errorFields(error: unknown): { code?: string; kind?: string } {
  if (typeof error !== 'object' || error === null) return {};
  const e = error as { code?: unknown; kind?: unknown };
  return {
    ...(typeof e.code === 'string' ? { code: e.code } : {}),
    ...(typeof e.kind === 'string' ? { kind: e.kind } : {}),
  };
}

/** The first line of an error's message, as shown in the report. */
function messageOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return displayText(message.split('\n')[0] ?? message);
}

function identity(check: HealthCheck) {
  return { id: check.id, title: check.title, category: check.category, level: check.level };
}

function blank(
  check: HealthCheck,
  status: 'skipped' | 'error',
  extra: { reason: string; fix?: string | undefined; sql?: readonly string[]; durationMs?: number },
): CheckResult {
  return {
    ...identity(check),
    status,
    summary: extra.reason,
    findings: [],
    details: [],
    limitations: [],
    reason: extra.reason,
    ...(extra.fix !== undefined ? { fix: extra.fix } : {}),
    sql: extra.sql ?? [],
    durationMs: extra.durationMs ?? 0,
  };
}

/**
 * `createDatabase`: one live connection target, a small pool plus the safe
 * runner. Everything the extension sends to PostgreSQL goes through here.
 */
import { performance } from 'node:perf_hooks';
import { Pool, type PoolClient, type PoolConfig } from 'pg';
import type { ConnectionProfile } from '../core/connection/profile';
import {
  DbError,
  type Database,
  type DatabaseFactory,
  type DbLimits,
  type DbLog,
  type ExplainHooks,
  type ExplainOptions,
  type ExplainResult,
  type ResolvedConnection,
  type RunOptions,
  type ServerInfo,
  type StatementSafety,
  type TrialOptions,
  type Tx,
} from './types';
import { classifyFailure, type FailureContext } from './failure';
import { PgClient } from './pgClient';
import { tlsPlan, type TlsChoice } from './tls';
import { backendKey, sendCancelRequest } from './cancel';
import { runTransaction, type TransactionDeps, type TransactionSpec } from './transaction';
import { buildExplain, parseForExplain, planFromRows, type PreparedExplain } from './explain';
import { PREPARE_PREFIX_LENGTH, readEffectsByName, readStatementEffects, type ProbeOutcome } from './statementEffects';
import { namesInStatement } from '../core/sql/statementNames';
import { judgeEffects, planTimeRefusals, type EffectVerdict } from '../core/sql/effects';
import { combineSafety, functionRules } from '../core/sql/safety';
import { redact } from './redact';
import { runOutsideTransaction } from './outside';
import { planTables, readPlanContextIn } from './planContext';
import type { PlanContext } from '../core/plan';

export const APPLICATION_NAME = 'pg-insight';

export const createDatabase: DatabaseFactory = (target, limits, log) => new PgDatabase(target, limits, log);

class PgDatabase implements Database {
  readonly profile: ConnectionProfile;
  private pool: Pool | undefined;
  private tls: TlsChoice | undefined;
  private tlsFallback: TlsChoice | undefined;
  private info: ServerInfo | undefined;
  private closed = false;

  constructor(
    private readonly target: ResolvedConnection,
    private readonly limits: DbLimits,
    private readonly log: DbLog,
  ) {
    this.profile = target.profile;
  }

  async serverInfo(options?: RunOptions): Promise<ServerInfo> {
    const info = await this.read('server info', async (tx) => {
      const { rows } = await tx.query<{ version: string; num: string; database: string; user: string; superuser: boolean | null; recovery: boolean }>(
        `SELECT current_setting('server_version') AS version,
                current_setting('server_version_num') AS num,
                current_database() AS database,
                current_user AS "user",
                (SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = current_user) AS superuser,
                pg_catalog.pg_is_in_recovery() AS recovery`,
      );
      const r = rows[0];
      if (!r) throw new DbError('other', 'The server returned no version information.');
      return {
        version: r.version.split(' ')[0] ?? r.version,
        versionNum: Number(r.num),
        database: r.database,
        user: r.user,
        isSuperuser: r.superuser === true,
        inRecovery: r.recovery,
      };
    }, options);
    this.info = info;
    return info;
  }

  read<T>(label: string, fn: (tx: Tx) => Promise<T>, options?: RunOptions): Promise<T> {
    return this.transaction({ label, readOnly: true, finish: 'commit', ...this.timeouts(options), signal: options?.signal }, fn);
  }

  admin<T>(label: string, fn: (tx: Tx) => Promise<T>, options?: RunOptions): Promise<T> {
    this.log.info(`Server action: ${label}.`);
    return this.transaction({ label, readOnly: true, finish: 'commit', ...this.timeouts(options), signal: options?.signal }, fn);
  }

  trial<T>(label: string, fn: (tx: Tx) => Promise<T>, options: TrialOptions = {}): Promise<T> {
    if (options.write) this.refuseChanges(label, 'its changes are rolled back, but it builds on the server and takes locks while it runs');
    return this.transaction({ label, readOnly: options.write !== true, finish: 'rollback', ...this.timeouts(options), signal: options.signal }, fn);
  }

  outsideTransaction(label: string, sql: string, options: RunOptions = {}): Promise<void> {
    this.refuseChanges(label, 'it changes the database for good');
    this.log.info(`Server action: ${label}.`);
    const spec = { label, ...this.timeouts(options), signal: options.signal };
    return runOutsideTransaction(this.transactionDeps(spec.statementTimeoutMs), spec, sql).catch((e: unknown) => {
      const failure = e instanceof DbError ? e : classifyFailure(e, this.failureContext(false));
      if (failure.kind !== 'cancelled') this.log.warn(`${label}: ${failure.message}`);
      throw failure;
    });
  }

  async explain(sql: string, params: readonly unknown[], options: ExplainOptions, hooks: ExplainHooks = {}): Promise<ExplainResult> {
    const { statement, safety: fromText } = await parseForExplain(sql);
    if (options.analyze && fromText.verdict === 'refuse') {
      throw new DbError('refused', `EXPLAIN ANALYZE would run this ${fromText.statementType}, and it is not safe to run: ${fromText.reason ?? ''}`, []);
    }
    // A statement that writes by its text is refused on production and read-only connections before anything is sent.
    if (options.analyze && fromText.verdict === 'write' && fromText.namesOnly !== true) this.refuseWriteHere(fromText);
    const versionNum = (this.info ?? (await this.serverInfo(hooks))).versionNum;
    const prepared = buildExplain(statement, fromText, options, versionNum);
    // ANALYZE executes the statement: what it will execute is read from the catalog first.
    // Plain EXPLAIN only plans it, which can still run what a lying IMMUTABLE or STABLE function calls.
    const outcome = await this.readEffects(prepared, versionNum, hooks);
    const safety = options.analyze ? this.judgeForAnalyze(fromText, outcome) : fromText;
    if (!options.analyze && outcome.ok) {
      const planned = planTimeRefusals(outcome.facts, functionRules);
      if (planned.length > 0) {
        throw new DbError('refused', `Even plain EXPLAIN would run part of this ${fromText.statementType}: the planner evaluates IMMUTABLE and STABLE functions while it plans, and it ${planned.join('; ')}.`, []);
      }
    }
    const writes = options.analyze && safety.verdict === 'write';
    if (options.analyze) {
      if (safety.verdict === 'refuse') {
        throw new DbError('refused', `EXPLAIN ANALYZE would run this ${safety.statementType}, and it is not safe to run: ${safety.reason ?? ''}`, []);
      }
      if (writes) await this.confirmWrite(safety, hooks);
    }
    if (prepared.dropped.length > 0) this.log.info(`EXPLAIN options left out: ${prepared.dropped.join(', ')}.`);
    // GENERIC_PLAN plans `$n` without values, which only the simple protocol allows; the text is one parsed statement.
    const values = prepared.genericPlan ? undefined : params;
    let durationMs = 0;
    const { plan, context } = await this.transaction(
      {
        label: writes ? 'EXPLAIN ANALYZE (rolled back)' : 'EXPLAIN',
        readOnly: !writes,
        finish: 'rollback',
        ...this.timeouts(hooks),
        signal: hooks.signal,
        mapPosition: (p) => prepared.mapPosition(p),
        // A writing run may leave session state a rollback does not clear; its connection is closed.
        discardAfter: () => writes,
      },
      async (tx) => {
        const started = performance.now();
        const result = values === undefined ? await tx.querySimple(prepared.explainSql) : await tx.query(prepared.explainSql, values);
        durationMs = performance.now() - started;
        const plan = planFromRows(result.rows);
        return { plan, context: hooks.withContext ? await this.contextIn(tx, plan, hooks.signal) : undefined };
      },
    );
    return { plan, safety, rolledBack: writes, durationMs, explainSql: prepared.explainSql, ...(context ? { context } : {}) };
  }

  /**
   * What the statement will execute, read from the catalog
   * (src/db/statementEffects.ts), or why it could not be read: an old
   * server, a standby, no right to create temporary objects.
   */
  private async readEffects(prepared: PreparedExplain, versionNum: number, hooks: ExplainHooks): Promise<ProbeOutcome> {
    const statement = prepared.statement;
    if (versionNum < 140000) return { ok: false, limit: 'PostgreSQL 14 or later is needed to read what a statement executes' };
    const parameters = JSON.stringify(statement.node).includes('"ParamRef"');
    const first = await this.readEffectsOnce(prepared, hooks, parameters);
    // Failed as a function body: PREPARE tells the statement's own error (thrown) from a limit of the reading.
    const outcome = !first.ok && first.again ? await this.readEffectsOnce(prepared, hooks, true) : first;
    if (outcome.ok) return outcome;
    // PostgreSQL could not resolve it for us: read by the names it uses, with catalog reads only.
    this.log.info(`EXPLAIN: what the statement executes is read by name (${outcome.limit}).`);
    const text = prepared.safety;
    const writes = text.verdict === 'write' && text.namesOnly !== true;
    const tree = JSON.stringify(statement.node);
    const inserts = tree.includes('"InsertStmt"') || tree.includes('"MergeStmt"');
    try {
      const facts = await this.read('EXPLAIN: what the statement executes, by name', (tx) => readEffectsByName(tx, namesInStatement(statement.node), { modifies: writes, locks: false, inserts }), hooks);
      return { ok: true, facts };
    } catch (e) {
      const failure = e instanceof DbError ? e : classifyFailure(e, this.failureContext(false));
      if (failure.kind === 'cancelled') throw failure;
      return { ok: false, limit: `${outcome.limit}; by name: ${failure.message}` };
    }
  }

  private async readEffectsOnce(prepared: PreparedExplain, hooks: ExplainHooks, viaPrepare: boolean): Promise<ProbeOutcome> {
    const statement = prepared.statement;
    let dirty = false;
    try {
      return await this.transaction(
        {
          label: 'EXPLAIN: what the statement executes',
          readOnly: false,
          finish: 'rollback',
          ...this.timeouts(hooks),
          signal: hooks.signal,
          mapPosition: (p) => prepared.mapStatementPosition(p - 1 - PREPARE_PREFIX_LENGTH),
          discardAfter: () => dirty,
        },
        (tx) => readStatementEffects(tx, { text: statement.text, type: statement.type, viaPrepare }, functionRules, (holds) => {
          dirty = holds;
        }),
      );
    } catch (e) {
      const failure = e instanceof DbError ? e : classifyFailure(e, this.failureContext(false));
      // A standby cannot open the READ WRITE transaction the reading needs; every other failure
      // (the statement's own error, a cancel, a lost connection) ends the explain as it would anyway.
      const standby = failure.code === '25006' || (failure.code === '0A000' && /during recovery/.test(failure.message));
      if (!standby) throw failure;
      return { ok: false, limit: 'the server is read-only (a standby)' };
    }
  }

  /**
   * The verdict for ANALYZE: the catalog's, joined with the one from the
   * text. What could not be read counts as writing: it runs only rolled
   * back, after confirmation, and never on production or read-only
   * connections.
   */
  private judgeForAnalyze(fromText: StatementSafety, outcome: ProbeOutcome): StatementSafety {
    const judged: EffectVerdict = outcome.ok
      ? judgeEffects(outcome.facts, functionRules)
      : { verdict: 'write', findings: [`what it executes could not be read from the catalog: ${outcome.limit}`], kept: [] };
    if (judged.findings.length > 0 || judged.kept.length > 0) this.log.info(`EXPLAIN ANALYZE: the catalog says ${judged.verdict}: ${[...judged.findings, ...judged.kept].join('; ')}.`);
    return combineSafety(fromText, judged);
  }

  /**
   * The plan context, read before the EXPLAIN's transaction ends. A write
   * explained with ANALYZE has not published its statistics counters yet,
   * so they show the table as it is without the rolled-back change. A plan
   * is worth showing without its context, so a failed read (which leaves
   * the transaction aborted, and the rollback ends it alike) only warns;
   * a cancel still cancels the whole explain.
   */
  private async contextIn(tx: Tx, plan: unknown, signal: AbortSignal | undefined): Promise<PlanContext | undefined> {
    try {
      return await readPlanContextIn(tx, planTables(plan));
    } catch (e) {
      if (signal?.aborted) throw e;
      const failure = e instanceof DbError ? e : classifyFailure(e, this.failureContext(false));
      this.log.warn(`Could not read table statistics for the plan's tips: ${failure.message}`);
      return undefined;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const pool = this.pool;
    this.pool = undefined;
    await pool?.end();
  }

  /** Production and read-only connections never get statements that change the database. */
  private refuseChanges(label: string, why: string): void {
    if (this.profile.production) throw new DbError('refused', `Not run: ${label} — ${why}, and "${this.profile.name}" is marked as a production connection.`, []);
    if (this.profile.readOnly) throw new DbError('refused', `Not run: ${label} — ${why}, and "${this.profile.name}" is marked read-only.`, []);
  }

  /** ANALYZE of a statement that may write never runs on production or read-only connections. */
  private refuseWriteHere(safety: StatementSafety): void {
    const what = `EXPLAIN ANALYZE would run this ${safety.statementType}`;
    const why = safety.findings?.[0] ? `, which may change data (it ${safety.findings[0]})` : ', which changes data';
    if (this.profile.production) {
      throw new DbError('refused', `${what}${why}, and "${this.profile.name}" is marked as a production connection: ANALYZE of writing statements is never run there. Plain EXPLAIN (without ANALYZE) works.`, []);
    }
    if (this.profile.readOnly) {
      throw new DbError('refused', `${what}${why}, and "${this.profile.name}" is marked read-only. Plain EXPLAIN (without ANALYZE) works.`, []);
    }
  }

  /** Writes run only when the connection allows them and the user confirmed. */
  private async confirmWrite(safety: ExplainResult['safety'], hooks: ExplainHooks): Promise<void> {
    const what = `EXPLAIN ANALYZE would run this ${safety.statementType}`;
    this.refuseWriteHere(safety);
    if (!hooks.confirmWrite) {
      throw new DbError('refused', `${what}, which changes data (it would be rolled back), and no confirmation was possible.`, []);
    }
    const confirmed = await hooks.confirmWrite(safety).catch(() => false);
    if (!confirmed) throw new DbError('cancelled', 'Not run: running the writing statement was not confirmed.', []);
    if (hooks.signal?.aborted) throw new DbError('cancelled', 'The query was cancelled.', []);
  }

  private timeouts(options?: RunOptions): { statementTimeoutMs: number; lockTimeoutMs: number } {
    return { statementTimeoutMs: options?.statementTimeoutMs ?? this.limits.statementTimeoutMs, lockTimeoutMs: this.limits.lockTimeoutMs };
  }

  private transactionDeps(statementTimeoutMs: number): TransactionDeps {
    return {
      log: this.log,
      checkout: () => this.checkout(),
      cancel: (client) => this.cancelBackend(client),
      classify: (error, cancelRequested, mapPosition) => classifyFailure(error, { ...this.failureContext(cancelRequested, mapPosition), statementTimeoutMs }),
    };
  }

  private transaction<T>(spec: TransactionSpec, fn: (tx: Tx) => Promise<T>): Promise<T> {
    return runTransaction(this.transactionDeps(spec.statementTimeoutMs), spec, fn).catch((e: unknown) => {
      const failure = e instanceof DbError ? e : classifyFailure(e, this.failureContext(false));
      if (failure.kind !== 'cancelled') this.log.warn(`${spec.label}: ${failure.message}`);
      throw failure;
    });
  }

  /**
   * A client from the pool. For sslmode 'prefer' and 'allow', a server that
   * does not support (or insists on) SSL makes the pool switch once.
   */
  private async checkout(): Promise<PoolClient> {
    if (this.closed) throw new DbError('other', 'This connection was closed.', ['retry']);
    try {
      return await this.poolNow().connect();
    } catch (e) {
      const failure = classifyFailure(e, this.failureContext(false));
      const switchTo = this.tlsFallback;
      const serverDisagrees = (failure.kind === 'tls-refused' && /does not support SSL/.test(failure.message) && switchTo === false) || (failure.kind === 'tls-required' && switchTo !== undefined && switchTo !== false);
      if (!serverDisagrees || switchTo === undefined) throw failure;
      this.log.info(switchTo === false ? 'The server does not support SSL; connecting without encryption (sslmode=prefer).' : 'The server requires SSL; connecting with encryption (sslmode=allow).');
      this.tls = switchTo;
      this.tlsFallback = undefined;
      const old = this.pool;
      this.pool = undefined;
      void old?.end().catch(() => undefined);
      return this.poolNow().connect();
    }
  }

  private poolNow(): Pool {
    if (this.pool) return this.pool;
    if (this.tls === undefined) {
      const plan = tlsPlan(this.profile);
      this.tls = plan.first;
      this.tlsFallback = plan.fallback;
    }
    const pool = new Pool(this.poolConfig(this.limits.poolMax));
    // Idle clients whose server went away emit errors; the pool drops them, and the host must not crash.
    pool.on('error', (e) => this.log.warn(`An idle connection failed and was dropped: ${classifyFailure(e, this.failureContext(false)).message}`));
    pool.on('connect', () => this.log.info(`Connected to ${this.where()} as ${this.profile.user}${this.tls ? ' (SSL)' : ''}.`));
    this.pool = pool;
    return pool;
  }

  private poolConfig(max: number): PoolConfig {
    const p = this.profile;
    return {
      host: p.host,
      port: p.port,
      database: p.database,
      user: p.user,
      password: this.target.password,
      ssl: this.tls ?? false,
      application_name: APPLICATION_NAME,
      // Closes its socket when connecting fails, so that no backend waits in authentication for nothing.
      Client: PgClient,
      connectionTimeoutMillis: this.limits.connectTimeoutMs,
      max,
      idleTimeoutMillis: 30_000,
      allowExitOnIdle: true,
      keepAlive: true,
    };
  }

  /** Asks the server to cancel what the client's backend runs now. */
  private async cancelBackend(client: PoolClient): Promise<void> {
    const key = backendKey(client);
    this.log.info('Cancelling the running statement on the server.');
    if (key) return sendCancelRequest(this.profile.host, this.profile.port, key);
    // No secret key (some poolers): cancel by process id from a short-lived connection.
    const pid = (client as unknown as { processID?: number }).processID;
    if (typeof pid !== 'number') return;
    const other = new PgClient({ ...this.poolConfig(1), application_name: `${APPLICATION_NAME} cancel` });
    await other.connect();
    try {
      await other.query('SELECT /* pg-insight */ pg_catalog.pg_cancel_backend($1)', [pid]);
    } finally {
      await other.end();
    }
  }

  private where(): string {
    return `${this.profile.host}:${this.profile.port}/${this.profile.database}`;
  }

  private failureContext(cancelRequested: boolean, mapPosition?: (p: number) => number | undefined): FailureContext {
    return {
      where: redact(this.where(), this.target.password),
      host: this.profile.host,
      user: this.profile.user,
      database: this.profile.database,
      password: this.target.password,
      cancelRequested,
      statementTimeoutMs: this.limits.statementTimeoutMs,
      lockTimeoutMs: this.limits.lockTimeoutMs,
      connectTimeoutMs: this.limits.connectTimeoutMs,
      poolMax: this.limits.poolMax,
      mapPosition,
    };
  }
}

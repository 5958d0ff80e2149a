/**
 * The vocabulary of the health report: what a check is, what it returns, and
 * the small interface it needs from the database layer.
 *
 * A check is data plus one pure function. The SQL is plain text (or a function
 * of the server version and installed extensions, when catalogs differ between
 * releases); `evaluate` turns the rows into a status, findings and tables, and
 * never touches the database. That keeps every judgement unit-testable on
 * literal rows and lets the report show exactly the SQL that ran.
 */
import type { HealthThresholds } from './thresholds';

/** A row as the driver returns it. Checks coerce values with the helpers in rows.ts. */
export type Row = Readonly<Record<string, unknown>>;
export type Rows = readonly Row[];
/** Rows of a check with several named statements; `undefined` means that statement did not run. */
export type NamedRows = Readonly<Record<string, Rows | undefined>>;

export type Severity = 'info' | 'warning' | 'critical';
/**
 * `limited`: nothing worse than information in what the check could see, but
 * the role's privileges hid part of what it judges, so it cannot say OK (see
 * Limitation.needs). `skipped`: not applicable here (version, extension,
 * cancelled); `error`: tried and failed.
 */
export type CheckStatus = 'ok' | Severity | 'limited' | 'skipped' | 'error';

export type CheckCategory =
  | 'activity'
  | 'performance'
  | 'indexes'
  | 'maintenance'
  | 'schema'
  | 'storage'
  | 'replication'
  | 'configuration';

/**
 * What a check looks at. Table-level findings name a relation, so a report can
 * be limited to the tables a workspace refers to.
 */
export type CheckLevel = 'table' | 'database' | 'server';

/** Facts read once per report, before any check runs. */
export interface CheckContext {
  /** server_version_num, e.g. 150004 or 180001. */
  readonly versionNum: number;
  readonly database: string;
  /** True on a standby (`pg_is_in_recovery()`). */
  readonly inRecovery: boolean;
  /** Extensions installed in the current database: name to version, e.g. pg_stat_statements to "1.11". */
  readonly extensions: ReadonlyMap<string, string>;
  /** What the connected role may see; superusers have all of these. */
  readonly privileges: RolePrivileges;
}

export interface RolePrivileges {
  readonly superuser: boolean;
  /** Member of pg_read_all_stats (or pg_monitor): sees other roles' sessions and statements. */
  readonly readAllStats: boolean;
  /** Member of pg_read_all_settings: sees superuser-only settings such as shared_preload_libraries. */
  readonly readAllSettings: boolean;
  /** Member of pg_stat_scan_tables: may run pgstattuple functions. */
  readonly statScanTables: boolean;
}

/** A statement that failed while the rest of its check ran (only for `optional` statements). */
export interface QueryFailure {
  /** SQLSTATE when known, e.g. 42501 or 55000. */
  readonly code?: string;
  readonly message: string;
}

export interface EvaluationContext extends CheckContext {
  /** Failures of the check's optional statements, by statement name. */
  readonly failures: Readonly<Record<string, QueryFailure>>;
}

/** SQL text, or a function of the context when the catalogs differ by version; null: do not run here. */
export type SqlSource = string | ((ctx: CheckContext) => string | null);

export interface Remediation {
  /** What to do, in a sentence or two. */
  readonly text: string;
  /** DDL or a setting change the user can copy; never run by the report. */
  readonly sql?: string;
  /**
   * An index the SQL creates, as one statement a transaction accepts, and the
   * statement (pg_stat_statements text, `$n` parameters) it is meant to
   * serve: the report's edge verifies it with HypoPG when the database has it.
   */
  readonly trial?: { readonly index: string; readonly statement: string };
  /** Set by that verification: the planner's verdict, in a sentence. */
  readonly verified?: string;
}

/** The relation a table-level finding is about (for workspace scoping and links). */
export interface RelationRef {
  readonly schema: string;
  readonly table: string;
}

export interface Finding {
  readonly severity: Severity;
  /** The object named by the finding: `schema.table`, an index, a setting, a session. */
  readonly object: string;
  readonly message: string;
  readonly relation?: RelationRef;
  readonly remediation?: Remediation;
}

export type CellValue = string | number | boolean | null;

export interface DetailColumn {
  readonly label: string;
  /** How a renderer should format the values; numbers stay raw in the rows. */
  readonly kind?: 'text' | 'number' | 'bytes' | 'percent' | 'seconds' | 'timestamp';
}

/** A table for the report: columns and rows of cells, already in display order. */
export interface DetailTable {
  readonly title?: string;
  readonly columns: readonly DetailColumn[];
  readonly rows: readonly (readonly CellValue[])[];
}

/** Something that kept the check from seeing everything, and how to lift it. */
export interface Limitation {
  readonly reason: string;
  readonly fix?: string;
  /**
   * The privilege the role lacks, as a grant names it ("pg_read_all_stats"),
   * when a problem could be among what it hid: the result is then 'limited'
   * rather than 'ok'. Left out when the verdict is complete and only the
   * details are thinner (a breakdown of sessions whose total is known).
   */
  readonly needs?: string;
}

/** What `evaluate` returns. */
export interface CheckOutcome {
  readonly status: 'ok' | Severity;
  /** One sentence for the report's section header. */
  readonly summary: string;
  readonly findings: readonly Finding[];
  readonly details?: readonly DetailTable[];
  /**
   * Partial results: hidden sessions, statistics the role cannot read,
   * statements that failed. One with `needs` turns an 'ok' or 'info' status
   * into 'limited' (resultStatus in outcome.ts).
   */
  readonly limitations?: readonly Limitation[];
}

interface CheckBase {
  /** Kebab-case, equal to the file name and the docs page docs/checks/<id>.md. */
  readonly id: string;
  readonly title: string;
  readonly category: CheckCategory;
  readonly level: CheckLevel;
  /** Lowest server_version_num the SQL supports. */
  readonly minVersion: number;
  /** Who can run it and what a less privileged role misses, in a sentence. */
  readonly privileges: string;
  /** Skip the check unless this extension is installed in the database. */
  readonly requiresExtension?: string;
  /** The thresholds `evaluate` reads, for documentation and settings. */
  readonly thresholds: readonly (keyof HealthThresholds)[];
  /** `evaluate` reads statement texts with the SQL grammar: the report loads it first (and evaluates without it if it cannot). */
  readonly needsSqlParser?: boolean;
}

/** A check with one statement: evaluate receives its rows. */
export interface SingleQueryCheck extends CheckBase {
  readonly sql: SqlSource;
  evaluate(rows: Rows, thresholds: HealthThresholds, ctx: EvaluationContext): CheckOutcome;
}

/**
 * A check with a few named statements, run one after another. Statements
 * listed in `optional` may fail (or return null from their SqlSource) without
 * failing the check: evaluate then sees `undefined` and, for a failure, the
 * reason in `ctx.failures`.
 */
export interface MultiQueryCheck<R extends NamedRows = NamedRows> extends CheckBase {
  readonly sql: { readonly [K in keyof R]-?: SqlSource };
  readonly optional?: readonly (keyof R & string)[];
  evaluate(rows: R, thresholds: HealthThresholds, ctx: EvaluationContext): CheckOutcome;
}

export type HealthCheck = SingleQueryCheck | MultiQueryCheck;

/** The result of one check in a report. */
export interface CheckResult {
  readonly id: string;
  readonly title: string;
  readonly category: CheckCategory;
  readonly level: CheckLevel;
  readonly status: CheckStatus;
  readonly summary: string;
  readonly findings: readonly Finding[];
  readonly details: readonly DetailTable[];
  readonly limitations: readonly Limitation[];
  /** For skipped and error: why, and what would let the check run. */
  readonly reason?: string;
  readonly fix?: string;
  /** The statements sent, in order (shown in the report for transparency). */
  readonly sql: readonly string[];
  readonly durationMs: number;
}

export interface QueryOptions {
  /** A short label for the log, e.g. "health: unused-indexes". */
  readonly label: string;
  /** Aborted on cancel or when the check's time is up: the runner should cancel the statement. */
  readonly signal: AbortSignal;
  /** Remaining time of the check, ms; suitable as a statement timeout. */
  readonly timeoutMs: number;
}

/**
 * What the checks need from the database layer: one read-only statement at a
 * time. Over src/db's `Database` an adapter is three lines:
 *
 *     const runner: HealthRunner = { versionNum: info.versionNum,
 *       query: (sql, params, o) => db.read(o.label, async (tx) => (await tx.query(sql, params)).rows,
 *         { signal: o.signal, statementTimeoutMs: o.timeoutMs }) };
 *
 * Errors should carry the SQLSTATE in `code` (pg errors and DbError do).
 */
export interface HealthRunner {
  readonly versionNum: number;
  query(sql: string, params: readonly unknown[] | undefined, options: QueryOptions): Promise<Rows>;
}

/**
 * The command line of `pg-insight`, parsed without a library: a handful of
 * flags, each with `--flag value` or `--flag=value`, and a usage text that
 * says what the exit codes mean (CI scripts branch on them).
 */
import type { FailOn } from '../core/health/report';

export type OutputFormat = 'text' | 'md' | 'json';

export interface HealthArgs {
  readonly command: 'health';
  readonly db?: string;
  readonly format: OutputFormat;
  readonly failOn?: FailOn;
  /** Threshold overrides as JSON, the same object as the pgInsight.health.thresholds setting. */
  readonly thresholds?: string;
  readonly concurrency?: number;
}

export type ParsedArgs = HealthArgs | { readonly command: 'help' } | { readonly command: 'error'; readonly message: string };

export const EXIT_OK = 0;
export const EXIT_THRESHOLD = 1;
export const EXIT_USAGE = 2;

export const USAGE = `Usage: pg-insight health [--db URL] [--format text|md|json] [--fail-on warning|critical]
                        [--thresholds JSON] [--concurrency N]

Runs the database health report (the same checks as the editor's "Database
Health Report") and prints it to standard output.

  --db URL          postgresql://user@host:port/database?sslmode=...; default:
                    DATABASE_URL, else the libpq variables (PGHOST, PGPORT,
                    PGDATABASE, PGUSER). Parts the URL leaves out come from the
                    libpq variables. The password comes from the URL, else
                    PGPASSWORD, else ~/.pgpass (or PGPASSFILE).
  --format FORMAT   text (default), md (Markdown) or json.
  --fail-on LEVEL   exit with 1 when a check reaches LEVEL: warning (a warning,
                    an error or a critical) or critical.
  --thresholds JSON overrides, e.g. '{"cacheHitWarningPercent":95}'.
  --concurrency N   checks running at the same time (1-10, default 3).

Exit codes: 0 the report ran (and --fail-on was not reached); 1 --fail-on was
reached; 2 bad usage, a bad URL, the database could not be reached, or the
report was interrupted (Ctrl+C cancels the running statements on the server).
`;

const FORMATS: readonly string[] = ['text', 'md', 'json'];
const LEVELS: readonly string[] = ['warning', 'critical'];

export function parseArgs(argv: readonly string[]): ParsedArgs {
  if (argv.length === 0 || argv.includes('--help') || argv.includes('-h') || argv[0] === 'help') return { command: 'help' };
  const [command, ...rest] = argv;
  if (command !== 'health') return { command: 'error', message: `Unknown command "${command}". The commands are "health" and "scan".` };
  const values: Record<string, string> = {};
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i] ?? '';
    const m = /^--([a-z-]+)(?:=(.*))?$/s.exec(arg);
    if (!m) return { command: 'error', message: `Unexpected argument "${arg}".` };
    const name = m[1] ?? '';
    if (!['db', 'format', 'fail-on', 'thresholds', 'concurrency'].includes(name)) return { command: 'error', message: `Unknown option --${name}.` };
    let value = m[2];
    if (value === undefined) {
      value = rest[++i];
      if (value === undefined) return { command: 'error', message: `--${name} needs a value.` };
    }
    values[name] = value;
  }
  const format = values.format ?? 'text';
  if (!FORMATS.includes(format)) return { command: 'error', message: `--format must be text, md or json, not "${format}".` };
  const failOn = values['fail-on'];
  if (failOn !== undefined && !LEVELS.includes(failOn)) return { command: 'error', message: `--fail-on must be warning or critical, not "${failOn}".` };
  let concurrency: number | undefined;
  if (values.concurrency !== undefined) {
    concurrency = Number(values.concurrency);
    if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 10) return { command: 'error', message: '--concurrency must be a whole number from 1 to 10.' };
  }
  return {
    command: 'health',
    db: values.db,
    format: format as OutputFormat,
    failOn: failOn as FailOn | undefined,
    thresholds: values.thresholds,
    concurrency,
  };
}

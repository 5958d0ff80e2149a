/**
 * The command line of `pg-insight scan`: paths, and the flags --db,
 * --format and --fail-on, each as `--flag value` or `--flag=value`.
 */
export type ScanFormat = 'text' | 'json' | 'sarif';
export type ScanFailOn = 'warning' | 'error';

export interface ScanArgs {
  readonly command: 'scan';
  readonly paths: readonly string[];
  readonly db?: string;
  readonly format: ScanFormat;
  readonly failOn?: ScanFailOn;
}

export const SCAN_USAGE = `Usage: pg-insight scan [paths...] [--db URL] [--format text|json|sarif] [--fail-on warning|error]

Checks application code and .sql files for N+1 query loops (n-plus-one), SQL
that no index serves (missing-index), predicates that defeat an index
(non-sargable-predicate) and SQL PostgreSQL would reject (sql-syntax).

  paths             files or folders to scan (default: the current folder);
                    node_modules, .git, dist and out are left out; files over
                    512 KB, binary files and what cannot be read are skipped
                    and listed in the output.
  --db URL          read the schema and row estimates from this database; without
                    it the schema comes from the scanned migrations or
                    schema.prisma, and missing-index findings are informational.
  --format FORMAT   text (default), json, or sarif (SARIF 2.1.0, for code scanning).
  --fail-on LEVEL   exit with 1 when a finding reaches LEVEL: warning (a warning
                    or an error) or error.

Exit codes: 0 the scan ran (and --fail-on was not reached); 1 --fail-on was
reached; 2 bad usage, a path that does not exist, or the database could not
be read.
`;

const FORMATS: readonly string[] = ['text', 'json', 'sarif'];
const LEVELS: readonly string[] = ['warning', 'error'];

export function parseScanArgs(argv: readonly string[]): ScanArgs | { readonly command: 'help' } | { readonly command: 'error'; readonly message: string } {
  if (argv.includes('--help') || argv.includes('-h')) return { command: 'help' };
  const paths: string[] = [];
  const values: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const m = /^--([a-z-]+)(?:=(.*))?$/s.exec(arg);
    if (!m) {
      paths.push(arg);
      continue;
    }
    const name = m[1] ?? '';
    if (!['db', 'format', 'fail-on'].includes(name)) return { command: 'error', message: `Unknown option --${name}.` };
    let value = m[2];
    if (value === undefined) {
      value = argv[++i];
      if (value === undefined) return { command: 'error', message: `--${name} needs a value.` };
    }
    values[name] = value;
  }
  const format = values.format ?? 'text';
  if (!FORMATS.includes(format)) return { command: 'error', message: `--format must be text, json or sarif, not "${format}".` };
  const failOn = values['fail-on'];
  if (failOn !== undefined && !LEVELS.includes(failOn)) return { command: 'error', message: `--fail-on must be warning or error, not "${failOn}".` };
  return {
    command: 'scan',
    paths: paths.length > 0 ? paths : ['.'],
    ...(values.db !== undefined ? { db: values.db } : {}),
    format: format as ScanFormat,
    ...(failOn !== undefined ? { failOn: failOn as ScanFailOn } : {}),
  };
}

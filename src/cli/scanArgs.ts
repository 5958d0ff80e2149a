/**
 * The command line of `pg-insight scan`: paths, and the flags --db,
 * --format, --fail-on, --config and the repeatable --schema, --exclude and
 * --rule, each as `--flag value` or `--flag=value`.
 */
import { ruleLevelProblem, type RuleLevel } from '../core/config/projectConfig';
export type ScanFormat = 'text' | 'json' | 'sarif';
export type ScanFailOn = 'warning' | 'error';

export interface ScanArgs {
  readonly command: 'scan';
  readonly paths: readonly string[];
  readonly db?: string;
  /** Files or folders read for the schema only (migrations kept outside the scanned paths). */
  readonly schema: readonly string[];
  /** Globs of files not scanned. */
  readonly exclude: readonly string[];
  /** `--rule id=level`. */
  readonly rules: Readonly<Record<string, RuleLevel>>;
  /** `--config FILE`; else `.pg-insight.json` in the current folder when there is one. */
  readonly config?: string;
  readonly format: ScanFormat;
  readonly failOn?: ScanFailOn;
}

export const SCAN_USAGE = `Usage: pg-insight scan [paths...] [--db URL] [--schema PATH]... [--exclude GLOB]...
                        [--rule ID=LEVEL]... [--config FILE] [--format text|json|sarif]
                        [--fail-on warning|error]

Checks application code and .sql files for N+1 query loops (n-plus-one), SQL
that no index serves (missing-index), predicates that defeat an index
(non-sargable-predicate) and SQL PostgreSQL would reject (sql-syntax).

  paths             files or folders to scan (default: the current folder);
                    node_modules, .git, dist and out are left out; files over
                    512 KB, binary files and what cannot be read are skipped
                    and listed in the output.
  --db URL          read the schema and row estimates from this database; without
                    it the schema comes from the SQL migrations, .sql files that
                    create tables and schema.prisma files under the scanned
                    paths (each package its own), and missing-index findings
                    are informational. The report says which schema was used.
  --schema PATH     also read the schema from this file or folder (repeatable).
  --exclude GLOB    leave out files matching GLOB, relative to the current
                    folder (repeatable), e.g. --exclude 'test/**'.
  --rule ID=LEVEL   set a rule's level: off, info, warning or error (repeatable),
                    e.g. --rule missing-index=off.
  --config FILE     read settings from FILE; by default .pg-insight.json in the
                    current folder (exclude, rules, schema, migrations,
                    missingIndexMinRows). The command line adds to it.
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
  const schema: string[] = [];
  const exclude: string[] = [];
  const rules: Record<string, RuleLevel> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const m = /^--([a-z-]+)(?:=(.*))?$/s.exec(arg);
    if (!m) {
      paths.push(arg);
      continue;
    }
    const name = m[1] ?? '';
    if (!['db', 'format', 'fail-on', 'schema', 'exclude', 'rule', 'config'].includes(name)) return { command: 'error', message: `Unknown option --${name}.` };
    let value = m[2];
    if (value === undefined) {
      value = argv[++i];
      if (value === undefined) return { command: 'error', message: `--${name} needs a value.` };
    }
    if (name === 'schema') schema.push(value);
    else if (name === 'exclude') exclude.push(value);
    else if (name === 'rule') {
      const [id = '', level] = value.split('=', 2);
      const problem = level === undefined ? `--rule takes ID=LEVEL, not "${value}".` : ruleLevelProblem(id, level);
      if (problem) return { command: 'error', message: problem };
      rules[id] = level as RuleLevel;
    } else values[name] = value;
  }
  const format = values.format ?? 'text';
  if (!FORMATS.includes(format)) return { command: 'error', message: `--format must be text, json or sarif, not "${format}".` };
  const failOn = values['fail-on'];
  if (failOn !== undefined && !LEVELS.includes(failOn)) return { command: 'error', message: `--fail-on must be warning or error, not "${failOn}".` };
  return {
    command: 'scan',
    paths: paths.length > 0 ? paths : ['.'],
    ...(values.db !== undefined ? { db: values.db } : {}),
    schema,
    exclude,
    rules,
    ...(values.config !== undefined ? { config: values.config } : {}),
    format: format as ScanFormat,
    ...(failOn !== undefined ? { failOn: failOn as ScanFailOn } : {}),
  };
}

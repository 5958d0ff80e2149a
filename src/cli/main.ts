/**
 * `pg-insight`: the health report for CI and terminals, on the same checks
 * and the same safe database layer as the extension (every statement in a
 * READ ONLY transaction, with timeouts). See USAGE in args.ts for flags and
 * exit codes. Messages go to standard error, the report to standard output,
 * so `--format json > report.json` stays clean.
 */
import { ALL_CHECKS, runChecks } from '../core/health';
import { verifyProposals } from '../health/verifyProposals';
import { limitedResults, reportDocument, thresholdReached } from '../core/health/report';
import { renderJson, renderMarkdown, renderText } from '../core/health/reportRender';
import { healthSettings } from '../core/health/reportSettings';
import { displayText } from '../core/text/databaseText';
import { createDatabase } from '../db';
import { DbError, type DbLog } from '../db/types';
import { healthRunner } from '../health/runner';
import { EXIT_OK, EXIT_THRESHOLD, EXIT_USAGE, parseArgs, USAGE, type HealthArgs } from './args';
import { resolveTarget } from './connect';
import { scanMain } from './scan';

/** Statements are not echoed: the report shows the SQL each check ran. */
const quietLog: DbLog = { statement: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

/** Messages quote the server (errors, names): credentials redacted, bidi controls spelled out. */
function fail(message: string): number {
  process.stderr.write(`pg-insight: ${displayText(message)}\n`);
  return EXIT_USAGE;
}

async function health(args: HealthArgs): Promise<number> {
  let overrides: unknown;
  if (args.thresholds !== undefined) {
    try {
      overrides = JSON.parse(args.thresholds);
    } catch {
      return fail(`--thresholds is not valid JSON: ${args.thresholds}`);
    }
  }
  const settings = healthSettings({ thresholds: overrides, concurrency: args.concurrency });
  if (settings.problems.length > 0) return fail(settings.problems.join(' '));

  const resolved = await resolveTarget(args.db, process.env);
  if (!resolved.ok) return fail(resolved.error);
  const { target } = resolved;
  for (const w of target.warnings) process.stderr.write(`pg-insight: ${w}\n`);

  const db = createDatabase({ profile: target.profile, password: target.password }, { statementTimeoutMs: 30_000, lockTimeoutMs: 5_000, connectTimeoutMs: 10_000, poolMax: settings.concurrency }, quietLog);
  const abort = new AbortController();
  // Ctrl+C cancels the running statements on the server before exiting.
  const onSignal = () => abort.abort();
  process.once('SIGINT', onSignal);
  try {
    let versionNum: number;
    try {
      versionNum = (await db.serverInfo({ signal: abort.signal })).versionNum;
    } catch (e) {
      const hint = e instanceof DbError && e.kind === 'password-needed' ? ' Give it in the URL, with PGPASSWORD or in the password file (PGPASSFILE, ~/.pgpass).' : '';
      return fail(`Could not connect to ${target.display}: ${e instanceof Error ? e.message : String(e)}${hint}`);
    }
    const report = await runChecks(ALL_CHECKS, healthRunner(db, versionNum), { concurrency: settings.concurrency, thresholds: settings.thresholds, signal: abort.signal });
    if (report.context === null) {
      const reason = report.results[0]?.reason ?? 'the first statement failed';
      return fail(`Could not read from ${target.display}: ${reason}`);
    }
    // A cancelled report is incomplete: nothing is printed that a script could mistake for a result.
    if (abort.signal.aborted) return fail('Cancelled: the running statements were cancelled on the server.');
    const checked = await verifyProposals(db, report, { signal: abort.signal }).catch(() => ({ report, method: 'none' as const }));
    const doc = reportDocument(checked.report, target.display);
    const render = args.format === 'json' ? renderJson : args.format === 'md' ? renderMarkdown : renderText;
    process.stdout.write(render(doc));
    const limited = limitedResults(doc);
    if (limited.length > 0) {
      // The exit code judges what the checks could see; a script reading only the code must still be told what they could not.
      const needs = [...new Set(limited.flatMap((l) => l.needs))].join(', ');
      const checks = limited.length === 1 ? '1 check was' : `${limited.length} checks were`;
      process.stderr.write(`pg-insight: ${checks} limited by the role's privileges (needs ${needs}); what they could not see was not judged${args.failOn ? ' and does not count towards --fail-on' : ''}.\n`);
    }
    return args.failOn && thresholdReached(doc, args.failOn) ? EXIT_THRESHOLD : EXIT_OK;
  } finally {
    process.off('SIGINT', onSignal);
    await db.close();
  }
}

/** What `pg-insight` alone (or with --help) prints: the commands, each with its own --help. */
export const OVERVIEW = `Usage: pg-insight <command> [options]

Commands:
  health   the database health report (the editor's "Database Health Report"),
           as text, Markdown or JSON, with --fail-on for CI
  scan     code diagnostics (N+1, missing indexes, non-sargable predicates,
           SQL syntax) over files or folders, as text, JSON or SARIF

Run \`pg-insight <command> --help\` for the options of a command.
`;

export async function main(argv: readonly string[]): Promise<number> {
  if (argv[0] === 'scan') return scanMain(argv.slice(1));
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    process.stdout.write(OVERVIEW);
    return argv.length === 0 ? EXIT_USAGE : EXIT_OK;
  }
  if (!argv[0]!.startsWith('-') && argv[0] !== 'health') return fail(`Unknown command "${argv[0]}". The commands are "health" and "scan".\n\n${OVERVIEW}`);
  const args = parseArgs(argv);
  switch (args.command) {
    case 'help':
      process.stdout.write(USAGE);
      return argv.length === 0 ? EXIT_USAGE : EXIT_OK;
    case 'error':
      return fail(`${args.message}\n\n${USAGE}`);
    case 'health':
      try {
        return await health(args);
      } catch (e) {
        return fail(e instanceof DbError || e instanceof Error ? e.message : String(e));
      }
  }
}

/**
 * Ends the process once standard output and error have been written out.
 * The answer is complete when main returns; a socket the driver still holds
 * must not hold it back (one whose authentication failed on the client's
 * side stays open until the server's authentication_timeout, 60 s by
 * default, unless the database layer closes it).
 */
function exitWhenWritten(code: number): void {
  let pending = 2;
  const written = () => {
    if (--pending === 0) process.exit(code);
  };
  process.stdout.write('', written);
  process.stderr.write('', written);
}

if (require.main === module) {
  void main(process.argv.slice(2)).then(exitWhenWritten);
}

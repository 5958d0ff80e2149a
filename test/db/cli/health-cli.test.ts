/**
 * The `pg-insight health` command line as CI runs it: node dist/cli.js as a
 * child process against the db tier's server, with an unindexed foreign key
 * and a duplicate index in a fresh database. Checks the output formats, the
 * exit codes of --fail-on, the password from PGPASSWORD, and the messages
 * for a bad URL and an unreachable server.
 */
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ReportDocument } from '../../../src/core/health/report';
import { freePort } from '../../support/postgres';
import { client, freshDatabase, until } from '../health/support';
import { testServer } from '../server';

const CLI = join(__dirname, '../../../../dist/cli.js');

interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function cli(args: readonly string[], env: Record<string, string | undefined> = {}): Promise<CliRun> {
  const base = { ...process.env };
  for (const k of ['DATABASE_URL', 'PGHOST', 'PGPORT', 'PGDATABASE', 'PGUSER', 'PGPASSWORD', 'PGSSLMODE']) delete base[k];
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { env: { ...base, PGPASSFILE: '/nonexistent/pgpass', ...env }, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

describe('pg-insight health (CLI, db)', function () {
  this.timeout(90_000);
  let url: string;
  let noPasswordUrl: string;

  before(async () => {
    assert.ok(existsSync(CLI), `${CLI} is missing: build with node esbuild.mjs`);
    const s = testServer();
    const fresh = await freshDatabase('health_cli');
    try {
      await fresh.admin.query(`
        CREATE TABLE authors (id bigint PRIMARY KEY, name text NOT NULL);
        CREATE TABLE books (id bigint PRIMARY KEY, author_id bigint NOT NULL REFERENCES authors (id), title text NOT NULL);
        INSERT INTO authors SELECT g, 'author ' || g FROM generate_series(1, 2000) g;
        INSERT INTO books SELECT g, 1 + g % 2000, 'book ' || g FROM generate_series(1, 5000) g;
        CREATE INDEX books_title_idx ON books (title);
        CREATE INDEX books_title_copy_idx ON books (title);
        ANALYZE authors, books;
      `);
    } finally {
      await fresh.admin.end();
    }
    const user = encodeURIComponent(s.user);
    noPasswordUrl = `postgresql://${user}@${s.host}:${s.port}/health_cli?sslmode=disable`;
    url = `postgresql://${user}:${encodeURIComponent(s.password)}@${s.host}:${s.port}/health_cli?sslmode=disable`;
  });

  it('prints the report as JSON with the findings and exits 0 without --fail-on', async () => {
    const run = await cli(['health', '--db', url, '--format', 'json']);
    assert.equal(run.code, 0, run.stderr);
    const doc = JSON.parse(run.stdout) as ReportDocument;
    assert.equal(doc.format, 'pg-insight-health-report');
    assert.equal(doc.target.database, 'health_cli');
    assert.ok(!doc.target.connection.includes(testServer().password), 'the password never appears in the report');
    assert.equal(doc.results.length, 22);
    const dup = doc.results.find((r) => r.id === 'duplicate-indexes');
    assert.ok(dup?.findings.some((f) => /books_title(_copy)?_idx/.test(f.object)), JSON.stringify(dup?.findings));
    const fk = doc.results.find((r) => r.id === 'foreign-keys-without-index');
    assert.ok(fk?.findings.some((f) => f.relation?.table === 'books'), JSON.stringify(fk?.findings));
    assert.equal(doc.summary.counts.warning > 0, true);
  });

  it('exits 1 when --fail-on is reached and 0 when it is not', async () => {
    const warning = await cli(['health', '--db', url, '--format', 'json', '--fail-on', 'warning']);
    assert.equal(warning.code, 1, warning.stderr);
    const critical = await cli(['health', '--db', url, '--format', 'json', '--fail-on=critical']);
    const doc = JSON.parse(critical.stdout) as ReportDocument;
    assert.equal(critical.code, doc.summary.counts.critical > 0 ? 1 : 0, critical.stderr);
    // Raising the bars the findings crossed makes the same database pass.
    const relaxed = await cli(['health', '--db', url, '--format', 'json', '--fail-on', 'critical',
      '--thresholds', JSON.stringify({ cacheHitCriticalPercent: 0, connectionsCriticalPercent: 100 })]);
    const relaxedDoc = JSON.parse(relaxed.stdout) as ReportDocument;
    assert.equal(relaxed.code, relaxedDoc.summary.counts.critical > 0 ? 1 : 0);
  });

  it('reads the password from PGPASSWORD and writes Markdown and text', async () => {
    const md = await cli(['health', '--db', noPasswordUrl, '--format', 'md'], { PGPASSWORD: testServer().password });
    assert.equal(md.code, 0, md.stderr);
    assert.match(md.stdout, /^# Database health report\n/);
    assert.match(md.stdout, /### Duplicate and redundant indexes: Warning/);
    const text = await cli(['health'], { DATABASE_URL: noPasswordUrl, PGPASSWORD: testServer().password });
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /^Database health report: health_cli on PostgreSQL \d+/);
  });

  it('cancels the running statements on the server on Ctrl+C and exits 2 without a report', async () => {
    // A session holding ACCESS EXCLUSIVE on a table makes the size checks wait for their lock.
    const holder = await client('health_cli');
    const observer = await client('health_cli');
    try {
      await holder.query('BEGIN; LOCK TABLE books IN ACCESS EXCLUSIVE MODE');
      const base: NodeJS.ProcessEnv = { ...process.env, PGPASSFILE: '/nonexistent/pgpass' };
      delete base.DATABASE_URL;
      const child = spawn(process.execPath, [CLI, 'health', '--db', url, '--format', 'json'], { env: base });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
      child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      const waiting = "SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'pg-insight' AND wait_event_type = 'Lock'";
      await until('the CLI to wait for the lock', async () => ((await observer.query<{ n: number }>(waiting)).rows[0]?.n ?? 0) > 0);
      const signalled = Date.now();
      child.kill('SIGINT');
      const code = await exited;
      assert.equal(code, 2, stderr);
      // Well before the 5 s lock timeout: the statement was cancelled, not timed out.
      assert.ok(Date.now() - signalled < 4000, `took ${Date.now() - signalled} ms`);
      assert.match(stderr, /Cancelled: the running statements were cancelled on the server/);
      assert.equal(stdout, '');
      await until('no pg-insight statement left waiting', async () => ((await observer.query<{ n: number }>(waiting)).rows[0]?.n ?? 1) === 0);
    } finally {
      await holder.query('ROLLBACK').catch(() => undefined);
      await holder.end();
      await observer.end();
    }
  });

  it('exits 2 with a clear message for bad usage, a bad URL, a wrong password and an unreachable server', async () => {
    const usage = await cli(['health', '--format', 'xml', '--db', url]);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /--format must be text, md or json, not "xml"/);
    const badUrl = await cli(['health', '--db', 'mysql://localhost/app']);
    assert.equal(badUrl.code, 2);
    assert.match(badUrl.stderr, /The database URL is not valid/);
    const wrong = await cli(['health', '--db', noPasswordUrl], { PGPASSWORD: 'not-the-password' });
    assert.equal(wrong.code, 2);
    assert.match(wrong.stderr, /^pg-insight: Could not connect to postgresql:\/\/[^:]+@/);
    assert.ok(!wrong.stderr.includes('not-the-password'));
    const port = await freePort();
    const down = await cli(['health', '--db', `postgresql://app@127.0.0.1:${port}/app?sslmode=disable`]);
    assert.equal(down.code, 2);
    assert.match(down.stderr, new RegExp(`Could not connect to postgresql://app@127\\.0\\.0\\.1:${port}/app\\?sslmode=disable: .*connection refused`));
    assert.equal(down.stdout, '');
  });

  it("redacts a password in another session's statement from the JSON, Markdown and text reports", async () => {
    const secret = 'S3cr3t-etl-pw';
    const sleeper = await client('health_cli');
    const observer = await client('health_cli');
    try {
      const pid = (await sleeper.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid;
      const running = sleeper.query(`SELECT pg_sleep(30) /* copied from postgres://etl:${secret}@warehouse/dw, host=dw password=${secret} */`).catch(() => undefined);
      const longEnough = `SELECT 1 FROM pg_stat_activity WHERE pid = ${pid} AND state = 'active' AND now() - query_start > interval '1.2 s'`;
      await until('the statement to run for more than a second', async () => (await observer.query(longEnough)).rowCount === 1);
      const thresholds = ['--thresholds', '{"longRunningWarningSeconds":1,"longRunningCriticalSeconds":600}'];
      for (const format of ['json', 'md', 'text']) {
        const run = await cli(['health', '--db', url, '--format', format, ...thresholds]);
        assert.equal(run.code, 0, run.stderr);
        // Markdown escapes the asterisks.
        const shown = format === 'md' ? 'postgres://etl:\\*\\*\\*@warehouse/dw' : 'postgres://etl:***@warehouse/dw';
        assert.ok(run.stdout.includes(shown), `${format}: the statement is shown\n${run.stdout}`);
        assert.ok(!run.stdout.includes(secret), `${format} shows the password`);
      }
      await observer.query(`SELECT pg_cancel_backend(${pid})`);
      await running;
    } finally {
      await sleeper.end();
      await observer.end();
    }
  });

  it('never echoes a piece of a password that breaks the URL (an unencoded "/" or "?")', async () => {
    for (const bad of ['postgres://app:qx/jz@127.0.0.1:5432/app', 'postgresql://app:qx?jz@127.0.0.1/app']) {
      for (const run of [await cli(['health', '--db', bad]), await cli(['health'], { DATABASE_URL: bad })]) {
        assert.equal(run.code, 2);
        assert.match(run.stderr, /The database URL is not valid: Invalid connection URL: .*percent-encoded/);
        assert.ok(!/qx|jz/.test(run.stderr), run.stderr);
      }
    }
  });

  it('as a role without monitoring privileges: the limited checks in the report, and a line on standard error', async () => {
    const s = testServer();
    const reader = { user: 'health_cli_reader', password: 'health-cli-reader-secret' };
    const admin = await client('health_cli');
    // Another role's session with a transaction open: it could be idle in it, for all the reader can tell.
    const holder = await client('health_cli');
    try {
      await admin.query(`DROP ROLE IF EXISTS ${reader.user}`);
      await admin.query(`CREATE ROLE ${reader.user} LOGIN PASSWORD '${reader.password}'`);
      await holder.query('BEGIN');
      const readerUrl = `postgresql://${reader.user}:${encodeURIComponent(reader.password)}@${s.host}:${s.port}/health_cli?sslmode=disable`;
      const run = await cli(['health', '--db', readerUrl]);
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, /\n {2}\[Limited \] Idle in transaction: No session this role can see is idle in a transaction; 1 session of another role with an open transaction could not be seen into\.\n {6}limited: needs pg_read_all_stats\n/);
      assert.match(run.stderr, /^pg-insight: \d+ checks were limited by the role's privileges \(needs [^)]*pg_read_all_stats[^)]*\); what they could not see was not judged\.$/m);
      const gated = await cli(['health', '--db', readerUrl, '--format', 'json', '--fail-on', 'critical']);
      assert.match(gated.stderr, /not judged and does not count towards --fail-on\.$/m);
      assert.ok((JSON.parse(gated.stdout) as ReportDocument).summary.counts.limited > 0);
    } finally {
      await holder.query('ROLLBACK');
      await holder.end();
      await admin.query(`DROP ROLE IF EXISTS ${reader.user}`);
      await admin.end();
    }
  });

  it('lists both commands when run alone or with --help, and names them for an unknown one', async () => {
    const alone = await cli([]);
    assert.equal(alone.code, 2);
    assert.match(alone.stdout, /^Usage: pg-insight <command>/);
    assert.match(alone.stdout, /^  health /m);
    assert.match(alone.stdout, /^  scan /m);
    const help = await cli(['--help']);
    assert.equal(help.code, 0);
    assert.equal(help.stdout, alone.stdout);
    const unknown = await cli(['vacuum']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /Unknown command "vacuum"\. The commands are "health" and "scan"\./);
  });
});

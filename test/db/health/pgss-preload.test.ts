/**
 * pg_stat_statements created in a database but its library not preloaded, on
 * servers started that way for real: embedded PostgreSQL 18 with another
 * library (auto_explain) preloaded instead, and Debian's PostgreSQL 15 with
 * nothing preloaded (pending when its binaries are not installed). The check
 * must name shared_preload_libraries with its value, and its ALTER SYSTEM must
 * be one the server accepts.
 */
import assert from 'node:assert/strict';
import { pgStatStatements } from '../../../src/core/health/checks/pg-stat-statements';
import { startDebianPostgres15, startEmbeddedPostgres, type TestServer } from '../../support/postgres';
import { openHealthOn, superuserOn } from './private-server';
import { runOne, type HealthDb } from './support';

const WITH_EXTENSION = 'health_pgss_created';
const WITHOUT_EXTENSION = 'health_pgss_absent';

interface Case {
  readonly title: string;
  readonly start: (settings: Record<string, string | null>) => Promise<TestServer | null>;
  readonly preload: string;
  /** The fix as the check must write it, and the value the server then reads from postgresql.auto.conf. */
  readonly fix: string;
  readonly written: string;
}

const cases: readonly Case[] = [
  {
    title: 'embedded PostgreSQL 18 preloading auto_explain only',
    start: (settings) => startEmbeddedPostgres({ settings }),
    preload: 'auto_explain',
    fix: "ALTER SYSTEM SET shared_preload_libraries = 'auto_explain', 'pg_stat_statements';  -- then restart the server",
    written: 'auto_explain, pg_stat_statements',
  },
  {
    title: "Debian's PostgreSQL 15 preloading nothing (pending when /usr/lib/postgresql/15/bin is not installed)",
    start: (settings) => startDebianPostgres15({ settings }),
    preload: '',
    fix: "ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements';  -- then restart the server",
    written: 'pg_stat_statements',
  },
];

for (const c of cases) {
  describe(`health checks: pg_stat_statements not preloaded, on ${c.title} (db)`, function () {
    this.timeout(60_000);
    let server: TestServer | null = null;
    const opened: HealthDb[] = [];
    const open = async (database: string) => {
      if (!server) throw new Error('the server is not running');
      const h = await openHealthOn(server, database);
      opened.push(h);
      return h;
    };

    before(async function () {
      this.timeout(120_000);
      // Not on the command line (which would override ALTER SYSTEM, and so the fix): in postgresql.auto.conf, as an administrator sets it.
      server = await c.start({ shared_preload_libraries: null });
      if (!server) this.skip();
      const setup = await superuserOn(server, 'postgres');
      try {
        // SET to '' would write a list of one empty name, which the server then fails to load: RESET is "nothing".
        await setup.query(c.preload === '' ? 'ALTER SYSTEM RESET shared_preload_libraries' : `ALTER SYSTEM SET shared_preload_libraries = '${c.preload}'`);
      } finally {
        await setup.end();
      }
      await server.restart();
      // createDatabase runs CREATE EXTENSION, which succeeds without the library loaded.
      await server.createDatabase(WITH_EXTENSION);
      await server.createDatabase(WITHOUT_EXTENSION);
      const admin = await superuserOn(server, WITHOUT_EXTENSION);
      try {
        await admin.query('DROP EXTENSION IF EXISTS pg_stat_statements');
      } finally {
        await admin.end();
      }
    });

    after(async function () {
      this.timeout(60_000);
      for (const h of opened) await h.close();
      await server?.stop();
    });

    it('created but not loaded: warns, naming shared_preload_libraries and its value, with the ALTER SYSTEM that keeps the other libraries', async () => {
      const result = await runOne(await open(WITH_EXTENSION), pgStatStatements);
      assert.equal(result.status, 'warning');
      assert.equal(result.summary, 'pg_stat_statements is installed but not loaded.');
      assert.equal(result.findings.length, 1);
      const [f] = result.findings;
      assert.equal(f?.severity, 'warning');
      assert.equal(f.object, 'shared_preload_libraries');
      const value = c.preload === '' ? 'shared_preload_libraries is empty' : `shared_preload_libraries is '${c.preload}'`;
      assert.match(f.message, new RegExp(`^pg_stat_statements 1\\.\\d+ is installed but its library is not loaded at server start \\(${value}\\), so it records nothing\\.$`));
      assert.equal(f.remediation?.sql, c.fix);
      assert.match(f.remediation?.text ?? '', /restart the server/);
    });

    it('neither created nor loaded: says so, with both steps in order', async () => {
      const result = await runOne(await open(WITHOUT_EXTENSION), pgStatStatements);
      assert.equal(result.status, 'info');
      const [f] = result.findings;
      assert.match(f?.message ?? '', /^pg_stat_statements \(1\.\d+\) is available but not installed in this database, and not loaded:/);
      assert.equal(f?.remediation?.sql, `${c.fix}\nCREATE EXTENSION pg_stat_statements;`);
    });

    it('the fix is one the server accepts, and after the restart it asks for the statements are recorded', async function () {
      this.timeout(120_000);
      if (!server) throw new Error('the server is not running');
      const admin = await superuserOn(server, WITH_EXTENSION);
      try {
        await admin.query(c.fix);
        // The file as the server parses it: one line, no syntax error, a list
        // of separate libraries (a single quoted "a, b" would be one library).
        // It waits for the restart, which is all "could not be applied" says here.
        const r = await admin.query<{ name: string | null; setting: string | null; error: string | null }>(
          "SELECT name, setting, error FROM pg_file_settings WHERE sourcefile LIKE '%postgresql.auto.conf'",
        );
        assert.deepEqual(r.rows, [{ name: 'shared_preload_libraries', setting: c.written, error: 'setting could not be applied' }]);
      } finally {
        await admin.end();
      }
      await server.restart();
      const after = await superuserOn(server, WITH_EXTENSION);
      try {
        for (let i = 0; i < 3; i++) await after.query('SELECT count(*) FROM pg_class WHERE relname = $1', [`probe_${i}`]);
      } finally {
        await after.end();
      }
      const h = await open(WITH_EXTENSION);
      const result = await runOne(h, pgStatStatements);
      assert.equal(result.findings.length, 0, JSON.stringify(result.findings));
      assert.match(result.summary, /is recording/);
    });
  });
}

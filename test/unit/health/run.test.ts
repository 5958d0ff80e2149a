import assert from 'node:assert/strict';
import { CONTEXT_SQL, contextFromRows, extensionAtLeast, versionLabel } from '../../../src/core/health/context';
import { runChecks } from '../../../src/core/health/run';
import type { CheckResult, HealthCheck, HealthRunner, MultiQueryCheck, QueryOptions, Rows } from '../../../src/core/health/types';
import { ctx } from './support';

type Answer = Rows | Error | 'hang';

/** A runner answering by statement text; 'hang' never answers unless aborted. */
function fakeRunner(answers: Record<string, Answer>, context: Rows = [{ version_num: 150004, database: 'app', extensions: 'plpgsql=1.0,pg_stat_statements=1.10' }]) {
  const seen: { sql: string; options: QueryOptions }[] = [];
  let running = 0;
  let maxRunning = 0;
  const runner: HealthRunner = {
    versionNum: 150004,
    async query(sql, _params, options) {
      seen.push({ sql, options });
      if (sql === CONTEXT_SQL) return context;
      const answer = answers[sql];
      if (answer === undefined) throw new Error(`unexpected statement ${sql}`);
      running++;
      maxRunning = Math.max(maxRunning, running);
      try {
        await new Promise((r) => setTimeout(r, 5));
        if (answer === 'hang') {
          await new Promise((_, reject) => options.signal.addEventListener('abort', () => reject(Object.assign(new Error('canceling statement due to user request'), { code: '57014' }))));
        }
        if (answer instanceof Error) throw answer;
        return answer as Rows;
      } finally {
        running--;
      }
    },
  };
  return { runner, seen, maxRunning: () => maxRunning };
}

function check(id: string, sql: HealthCheck['sql'] & string, overrides: Partial<HealthCheck> = {}): HealthCheck {
  return {
    id,
    title: id,
    category: 'performance',
    level: 'database',
    minVersion: 90600,
    privileges: 'pg_read_all_stats',
    thresholds: [],
    sql,
    evaluate: (rows: Rows) => ({ status: rows.length > 0 ? 'warning' : 'ok', summary: `${rows.length} rows`, findings: [] }),
    ...overrides,
  } as HealthCheck;
}

function pgError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

describe('runChecks', () => {
  it('returns results in the order of the checks, whatever order they finish in', async () => {
    const { runner } = fakeRunner({ 'SELECT 1': [{ a: 1 }], 'SELECT 2': [] });
    const report = await runChecks([check('one', 'SELECT 1'), check('two', 'SELECT 2')], runner);
    assert.deepEqual(report.results.map((r) => [r.id, r.status, r.summary]), [['one', 'warning', '1 rows'], ['two', 'ok', '0 rows']]);
    assert.deepEqual(report.results[0]?.sql, ['SELECT 1']);
    assert.equal(report.context?.versionNum, 150004);
    assert.equal(report.context?.extensions.get('pg_stat_statements'), '1.10');
  });

  it('runs at most `concurrency` statements at a time and reports progress after each check', async () => {
    const answers = Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`SELECT ${i}`, []]));
    const { runner, maxRunning } = fakeRunner(answers);
    const progress: [number, number][] = [];
    await runChecks(Array.from({ length: 6 }, (_, i) => check(`c${i}`, `SELECT ${i}`)), runner, {
      concurrency: 2,
      onProgress: (p) => progress.push([p.done, p.total]),
    });
    assert.equal(maxRunning(), 2);
    assert.deepEqual(progress.map((p) => p[0]), [1, 2, 3, 4, 5, 6]);
    assert.ok(progress.every((p) => p[1] === 6));
  });

  it('skips a check the server version is too old for, saying which version it needs', async () => {
    const { runner, seen } = fakeRunner({});
    const [result] = (await runChecks([check('new', 'SELECT new', { minVersion: 170000 })], runner)).results;
    assert.equal(result?.status, 'skipped');
    assert.equal(result?.reason, 'Needs PostgreSQL 17 or later; the server runs 15.4.');
    assert.equal(seen.length, 1, 'only the context statement was sent');
  });

  it('skips a check whose extension is not installed, with the statement that installs it', async () => {
    const { runner } = fakeRunner({});
    const [result] = (await runChecks([check('ext', 'SELECT ext', { requiresExtension: 'pgstattuple' })], runner)).results;
    assert.equal(result?.status, 'skipped');
    assert.match(result?.reason ?? '', /pgstattuple extension is not installed/);
    assert.equal(result?.fix, 'CREATE EXTENSION pgstattuple;');
  });

  it('turns a privilege error into that check\'s error with the privileges it needs, and runs the others', async () => {
    const { runner } = fakeRunner({ 'SELECT secret': pgError('42501', 'permission denied for view pg_stat_activity'), 'SELECT fine': [] });
    const report = await runChecks([check('secret', 'SELECT secret'), check('fine', 'SELECT fine')], runner);
    assert.equal(report.results[0]?.status, 'error');
    assert.equal(report.results[0]?.reason, 'permission denied for view pg_stat_activity');
    assert.equal(report.results[0]?.fix, 'This check needs: pg_read_all_stats');
    assert.equal(report.results[1]?.status, 'ok');
  });

  it('reads the failure kind of the database layer\'s errors as well as SQLSTATEs', async () => {
    const dbError = Object.assign(new Error('You may not read this.'), { kind: 'privilege' });
    const { runner } = fakeRunner({ 'SELECT x': dbError });
    const [result] = (await runChecks([check('x', 'SELECT x')], runner)).results;
    assert.equal(result?.reason, 'Permission denied: You may not read this.');
  });

  it('gives up on a check at its deadline, aborting the statement, without holding the others', async () => {
    const { runner, seen } = fakeRunner({ 'SELECT slow': 'hang', 'SELECT fast': [] });
    const started = Date.now();
    const report = await runChecks([check('slow', 'SELECT slow'), check('fast', 'SELECT fast')], runner, { perCheckTimeoutMs: 50 });
    assert.ok(Date.now() - started < 1000);
    assert.equal(report.results[0]?.status, 'error');
    assert.equal(report.results[0]?.reason, 'The check did not finish in time (50 ms).');
    assert.equal(report.results[1]?.status, 'ok');
    const slow = seen.find((s) => s.sql === 'SELECT slow');
    assert.equal(slow?.options.signal.aborted, true);
    assert.ok((slow?.options.timeoutMs ?? 0) <= 50);
    assert.equal(slow?.options.label, 'health: slow');
  });

  it('stops waiting even for a runner that ignores the abort signal', async () => {
    const runner: HealthRunner = {
      versionNum: 150000,
      query: (sql) => (sql === CONTEXT_SQL ? Promise.resolve([{ version_num: 150000 }]) : new Promise<Rows>(() => undefined)),
    };
    const [result] = (await runChecks([check('deaf', 'SELECT deaf')], runner, { perCheckTimeoutMs: 30 })).results;
    assert.equal(result?.status, 'error');
    assert.match(result?.reason ?? '', /did not finish in time/);
  });

  it('reports a server-side statement timeout as the check not finishing in time', async () => {
    const { runner } = fakeRunner({ 'SELECT t': pgError('57014', 'canceling statement due to statement timeout') });
    const [result] = (await runChecks([check('t', 'SELECT t')], runner)).results;
    assert.equal(result?.status, 'error');
    assert.match(result?.reason ?? '', /did not finish in time/);
  });

  it('skips the running and remaining checks when the report is cancelled', async () => {
    const { runner } = fakeRunner({ 'SELECT a': 'hang', 'SELECT b': [] });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);
    const report = await runChecks([check('a', 'SELECT a'), check('b', 'SELECT b')], runner, { concurrency: 1, signal: controller.signal });
    assert.deepEqual(report.results.map((r) => r.status), ['skipped', 'skipped']);
    assert.match(report.results[0]?.reason ?? '', /while this check ran/);
    assert.match(report.results[1]?.reason ?? '', /before this check ran/);
  });

  it('passes the failure of an optional statement to evaluate and still runs the check', async () => {
    let seenFailures: unknown;
    const multi: MultiQueryCheck<{ main: Rows; extra?: Rows }> = {
      id: 'multi', title: 'multi', category: 'performance', level: 'database', minVersion: 0, privileges: 'any', thresholds: [],
      sql: { main: 'SELECT main', extra: (c) => (c.extensions.has('pg_stat_statements') ? 'SELECT extra' : null) },
      optional: ['extra'],
      evaluate(rows, _t, c) {
        seenFailures = c.failures;
        return { status: 'ok', summary: `${rows.main.length} main, extra ${rows.extra === undefined ? 'missing' : 'present'}`, findings: [] };
      },
    };
    const { runner } = fakeRunner({ 'SELECT main': [{}], 'SELECT extra': pgError('55000', 'pg_stat_statements must be loaded via "shared_preload_libraries"') });
    const [result] = (await runChecks([multi], runner)).results;
    assert.equal(result?.summary, '1 main, extra missing');
    assert.deepEqual(seenFailures, { extra: { code: '55000', message: 'pg_stat_statements must be loaded via "shared_preload_libraries"' } });
    assert.deepEqual(result?.sql, ['SELECT main', 'SELECT extra']);
  });

  it('does not send a named statement whose SQL is null for this server', async () => {
    const multi: MultiQueryCheck<{ main: Rows; extra?: Rows }> = {
      id: 'multi', title: 'multi', category: 'performance', level: 'database', minVersion: 0, privileges: 'any', thresholds: [],
      sql: { main: 'SELECT main', extra: () => null },
      evaluate: (rows) => ({ status: 'ok', summary: `extra ${rows.extra === undefined ? 'not run' : 'run'}`, findings: [] }),
    };
    const { runner } = fakeRunner({ 'SELECT main': [] });
    const [result] = (await runChecks([multi], runner)).results;
    assert.equal(result?.summary, 'extra not run');
    assert.deepEqual(result?.sql, ['SELECT main']);
  });

  it('fails a check whose required statement fails, even when another is optional', async () => {
    const multi: MultiQueryCheck<{ main: Rows; extra?: Rows }> = {
      id: 'multi', title: 'multi', category: 'performance', level: 'database', minVersion: 0, privileges: 'any', thresholds: [],
      sql: { main: 'SELECT main', extra: 'SELECT extra' },
      optional: ['extra'],
      evaluate: () => ({ status: 'ok', summary: 'never', findings: [] }),
    };
    const { runner } = fakeRunner({ 'SELECT main': pgError('42P01', 'relation "pg_stat_nothing" does not exist'), 'SELECT extra': [] });
    const [result] = (await runChecks([multi], runner)).results;
    assert.equal(result?.status, 'error');
    assert.equal(result?.reason, 'relation "pg_stat_nothing" does not exist (42P01)');
  });

  it('reports an exception in evaluate as that check\'s error', async () => {
    const { runner } = fakeRunner({ 'SELECT 1': [] });
    const broken = check('broken', 'SELECT 1', {
      evaluate: () => {
        throw new TypeError('cannot read properties of undefined');
      },
    });
    const [result] = (await runChecks([broken], runner)).results;
    assert.equal(result?.status, 'error');
    assert.match(result?.reason ?? '', /could not interpret the server's answer: cannot read properties/);
  });

  it('reports every check as failed, with the reason, when the server context cannot be read', async () => {
    const runner: HealthRunner = { versionNum: 0, query: () => Promise.reject(Object.assign(new Error('Connection refused'), { code: 'ECONNREFUSED' })) };
    const report = await runChecks([check('a', 'SELECT a'), check('b', 'SELECT b')], runner);
    assert.equal(report.context, null);
    assert.deepEqual(report.results.map((r: CheckResult) => r.status), ['error', 'error']);
    assert.match(report.results[0]?.reason ?? '', /could not be read: Connection refused \(ECONNREFUSED\)/);
  });
});

describe('health context', () => {
  it('reads version, extensions and privileges from the context row', () => {
    const c = contextFromRows(
      [{ version_num: '180001', database: 'app', in_recovery: 't', extensions: 'plpgsql=1.0,pgstattuple=1.5', superuser: false, read_all_stats: true, read_all_settings: false, stat_scan_tables: 'f' }],
      0,
    );
    assert.equal(c.versionNum, 180001);
    assert.equal(c.inRecovery, true);
    assert.deepEqual([...c.extensions], [['plpgsql', '1.0'], ['pgstattuple', '1.5']]);
    assert.deepEqual(c.privileges, { superuser: false, readAllStats: true, readAllSettings: false, statScanTables: false });
  });

  it('labels versions in both numbering schemes', () => {
    assert.equal(versionLabel(150004), '15.4');
    assert.equal(versionLabel(170000), '17');
    assert.equal(versionLabel(90624), '9.6.24');
    assert.equal(versionLabel(90600), '9.6');
  });

  it('compares extension versions numerically', () => {
    const c = ctx({ extensions: { pg_stat_statements: '1.10' } });
    assert.equal(extensionAtLeast(c, 'pg_stat_statements', '1.8'), true);
    assert.equal(extensionAtLeast(c, 'pg_stat_statements', '1.11'), false);
    assert.equal(extensionAtLeast(c, 'pgstattuple', '1.0'), false);
  });
});

import assert from 'node:assert/strict';
import { cacheHitRatio } from '../../../src/core/health/checks/cache-hit-ratio';
import { configurationReview } from '../../../src/core/health/checks/configuration-review';
import { pgStatStatements, preloadSql } from '../../../src/core/health/checks/pg-stat-statements';
import { relationSizes } from '../../../src/core/health/checks/relation-sizes';
import { replication } from '../../../src/core/health/checks/replication';
import { tempFilesAndCheckpoints, workMemFor } from '../../../src/core/health/checks/temp-files-and-checkpoints';
import { resultStatus } from '../../../src/core/health/outcome';
import { ctx, finding, severities, thresholds } from './support';

const t = thresholds();
const GiB = 1024 ** 3;

describe('cache-hit-ratio.evaluate', () => {
  const totals = (tables: [number, number], indexes: [number, number]) => [
    { kind: 'tables', hit: tables[0], read: tables[1] },
    { kind: 'indexes', hit: indexes[0], read: indexes[1] },
  ];

  it('is ok at 99 %, warns below it and is critical below 40 %', () => {
    const outcome = cacheHitRatio.evaluate({ totals: totals([9900, 100], [9899, 101]), tables: [] }, t, ctx());
    assert.deepEqual(severities(outcome), { indexes: 'warning' });
    assert.equal(cacheHitRatio.evaluate({ totals: totals([3999, 6001], [990, 10]), tables: [] }, t, ctx()).status, 'critical');
  });

  it('does not judge a ratio computed from fewer than 1,000 block reads', () => {
    const outcome = cacheHitRatio.evaluate({ totals: totals([0, 999], [0, 0]), tables: [] }, t, ctx());
    assert.equal(outcome.status, 'ok');
    assert.match(outcome.summary, /tables: too little activity to judge \(999 block reads\)/);
  });

  it('lists the tables reading the most from outside shared buffers, in bytes', () => {
    const outcome = cacheHitRatio.evaluate({ totals: totals([0, 0], [0, 0]), tables: [{ schema: 'public', table: 'cold', hit: 1, read: 3, index_hit: 0, index_read: 2, block_size: 8192 }] }, t, ctx());
    assert.deepEqual(outcome.details?.[0]?.rows[0], ['public.cold', 25, 3 * 8192, 2 * 8192]);
  });
});

describe('temp-files-and-checkpoints.evaluate', () => {
  const temp = (bytes: number, seconds: number) => [{ temp_files: 3, temp_bytes: bytes, database: 'shop', since: 'x', seconds, work_mem: '4MB' }];
  const cp = (timed: number, requested: number) => [{ timed, requested, write_time: 0, sync_time: 0, buffers_written: 0, since: 'y', seconds: 1, max_wal_size: '1GB', checkpoint_timeout: '5min' }];

  it('offers work_mem for this database at twice the average temporary file, as a power of two from 16 MB to 1 GB', () => {
    assert.deepEqual([1, 5, 20, 100, 300, 2048].map((mb) => workMemFor(mb * 1024 * 1024)), ['16MB', '16MB', '64MB', '256MB', '1GB', '1GB']);
    const outcome = tempFilesAndCheckpoints.evaluate({ temp: temp(3 * 20 * 1024 * 1024, 600), checkpoints: cp(0, 0) }, { ...t, tempBytesWarningPerDay: 1 }, ctx());
    assert.equal(outcome.findings[0]?.remediation?.sql, "ALTER DATABASE shop SET work_mem = '64MB';");
  });

  it('rates temporary bytes per day, without extrapolating a first day', () => {
    assert.equal(tempFilesAndCheckpoints.evaluate({ temp: temp(GiB, 600), checkpoints: cp(0, 0) }, t, ctx()).status, 'ok');
    assert.equal(tempFilesAndCheckpoints.evaluate({ temp: temp(GiB + 1, 600), checkpoints: cp(0, 0) }, t, ctx()).status, 'warning');
    assert.equal(tempFilesAndCheckpoints.evaluate({ temp: temp(10 * GiB, 20 * 86400), checkpoints: cp(0, 0) }, t, ctx()).status, 'ok');
  });

  it('warns when more than 10 % of at least 10 checkpoints were requested', () => {
    assert.equal(tempFilesAndCheckpoints.evaluate({ temp: temp(0, 1), checkpoints: cp(9, 1) }, t, ctx()).status, 'ok');
    const outcome = tempFilesAndCheckpoints.evaluate({ temp: temp(0, 1), checkpoints: cp(8, 2) }, t, ctx());
    assert.match(finding(outcome, 'max_wal_size').message, /^20 % of checkpoints \(2 of 10\) were requested/);
    const early = tempFilesAndCheckpoints.evaluate({ temp: temp(0, 1), checkpoints: cp(0, 9) }, t, ctx());
    assert.equal(early.status, 'ok');
    assert.match(early.summary, /9 checkpoints so far, too few to judge/);
  });

  it('reads pg_stat_checkpointer from PostgreSQL 17 and pg_stat_bgwriter before', () => {
    const sql = tempFilesAndCheckpoints.sql.checkpoints;
    assert.ok(typeof sql === 'function');
    assert.match(sql(ctx({ versionNum: 170000 })) ?? '', /pg_stat_checkpointer/);
    assert.match(sql(ctx({ versionNum: 160000 })) ?? '', /checkpoints_req AS requested[\s\S]*pg_stat_bgwriter/);
  });
});

describe('replication.evaluate', () => {
  const slot = (name: string, active: boolean, retained: number, walStatus: string | null = 'reserved') => ({ slot_name: name, slot_type: 'physical', database: null, active, temporary: false, retained_bytes: retained, wal_status: walStatus });

  it('warns about an inactive slot and is critical when it retains 10 GB or more', () => {
    const outcome = replication.evaluate({ standbys: [], slots: [slot('live', true, 5 * GiB), slot('idle', false, GiB), slot('huge', false, 10 * GiB)] }, t, ctx());
    assert.deepEqual(severities(outcome), { 'slot idle': 'warning', 'slot huge': 'critical' });
    assert.equal(finding(outcome, 'slot idle').remediation?.sql, "SELECT pg_drop_replication_slot('idle');");
    assert.equal(outcome.summary, 'No standby connected; 3 slots, 2 inactive.');
  });

  it('is critical for a slot that lost WAL', () => {
    const outcome = replication.evaluate({ standbys: [], slots: [slot('gone', true, 0, 'lost')] }, t, ctx());
    assert.match(finding(outcome, 'slot gone').message, /cannot resume/);
  });

  it('judges replay lag on a replica and on connected standbys', () => {
    const replica = replication.evaluate({ lag: [{ lag_seconds: 6, last_replayed: 'z', pending_bytes: 0 }], slots: [] }, t, ctx({ inRecovery: true }));
    assert.equal(finding(replica, 'replay lag').severity, 'warning');
    assert.equal(replica.summary, 'Replica 6 s behind; no replication slots.');
    const caughtUp = replication.evaluate({ lag: [{ lag_seconds: 0 }], slots: [] }, t, ctx({ inRecovery: true }));
    assert.equal(caughtUp.status, 'ok');
    const primary = replication.evaluate({ standbys: [{ application_name: 'replica1', client: '10.0.0.2', state: 'streaming', sync_state: 'async', replay_lag_seconds: 61, replay_lag_bytes: 1024 }], slots: [] }, t, ctx());
    assert.equal(finding(primary, 'standby replica1').severity, 'critical');
  });

  it('is limited when the standbys\' state and lag are hidden from the role', () => {
    const hidden = { application_name: 'replica1', client: null, state: null, sync_state: null, hidden: true, replay_lag_seconds: null, replay_lag_bytes: null };
    const outcome = replication.evaluate({ standbys: [hidden], slots: [] }, t, ctx());
    assert.equal(outcome.summary, '1 standby connected; its lag is hidden from this role; no replication slots.');
    assert.deepEqual(outcome.limitations?.map((l) => [l.reason, l.needs]), [
      ['1 standby is connected, but its state and replay lag are hidden from this role, so a standby falling behind cannot be seen.', 'pg_read_all_stats'],
    ]);
    assert.equal(resultStatus(outcome.status, outcome.limitations ?? []), 'limited');
    const visible = { ...hidden, state: 'streaming', sync_state: 'async', hidden: false, replay_lag_seconds: 0, replay_lag_bytes: 0 };
    const mixed = replication.evaluate({ standbys: [visible, { ...hidden, application_name: 'replica2' }], slots: [] }, t, ctx());
    assert.equal(mixed.summary, '2 standbys connected; the lag of 1 of them is hidden from this role; no replication slots.');
    assert.deepEqual(replication.evaluate({ standbys: [visible], slots: [] }, t, ctx()).limitations, []);
  });

  it('asks for replay lag only on a replica, and for standbys only on a primary', () => {
    const { lag, standbys, slots } = replication.sql;
    assert.ok(typeof lag === 'function' && typeof standbys === 'function' && typeof slots === 'function');
    assert.equal(lag(ctx()), null);
    assert.equal(standbys(ctx({ inRecovery: true })), null);
    assert.match(slots(ctx({ inRecovery: true })) ?? '', /pg_last_wal_receive_lsn\(\)/);
    assert.match(slots(ctx({ versionNum: 120000 })) ?? '', /NULL::text AS wal_status/);
  });

  it('shows a standby\'s address without the netmask of inet\'s text form', () => {
    const { standbys } = replication.sql;
    assert.ok(typeof standbys === 'function');
    assert.match(standbys(ctx()) ?? '', /host\(client_addr\) AS client/);
    assert.doesNotMatch(standbys(ctx()) ?? '', /client_addr::text/);
  });
});

describe('pg-stat-statements.evaluate', () => {
  const availability = (installed: string | null, extra: Record<string, unknown> = {}) => [{ installed_version: installed, available_version: '1.11', preload: 'pg_stat_statements', track: 'top', ...extra }];
  const statement = (query: string, mean: number, calls = 10) => ({ queryid: '42', query, calls, total_ms: mean * calls, mean_ms: mean, rows: calls, shared_blks_hit: 9, shared_blks_read: 1 });

  it('says how to install it when it is missing, with the preload step when the library is not loaded', () => {
    const loaded = pgStatStatements.evaluate({ availability: availability(null) }, t, ctx());
    assert.equal(loaded.status, 'info');
    assert.equal(loaded.findings[0]?.remediation?.sql, 'CREATE EXTENSION pg_stat_statements;');
    const unloaded = pgStatStatements.evaluate({ availability: availability(null, { preload: '', track: null }) }, t, ctx());
    assert.match(unloaded.findings[0]?.remediation?.sql ?? '', /^ALTER SYSTEM SET shared_preload_libraries[\s\S]*CREATE EXTENSION/);
    const unavailable = pgStatStatements.evaluate({ availability: availability(null, { available_version: null }) }, t, ctx());
    assert.match(unavailable.findings[0]?.message ?? '', /contrib package is not installed/);
  });

  it('warns when the extension is installed but its library is not loaded', () => {
    const outcome = pgStatStatements.evaluate(
      { availability: availability('1.10', { preload: '', track: null }) },
      t,
      ctx({ extensions: { pg_stat_statements: '1.10' }, failures: { top: { code: '55000', message: 'pg_stat_statements must be loaded via "shared_preload_libraries"' } } }),
    );
    assert.equal(outcome.status, 'warning');
    assert.equal(outcome.findings[0]?.object, 'shared_preload_libraries');
    assert.match(outcome.findings[0]?.message ?? '', /not loaded at server start \(shared_preload_libraries is empty\)/);
    assert.equal(outcome.findings[0]?.remediation?.sql, "ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements';  -- then restart the server");
  });

  it('keeps the libraries already preloaded in the fix, each as its own literal', () => {
    assert.equal(preloadSql('auto_explain, "$libdir/pg_o\'k"'), "ALTER SYSTEM SET shared_preload_libraries = 'auto_explain', '$libdir/pg_o''k', 'pg_stat_statements';  -- then restart the server");
    assert.match(preloadSql(null), /^ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements';  -- keep any libraries already listed/);
    const outcome = pgStatStatements.evaluate(
      { availability: availability('1.10', { preload: 'auto_explain', track: null }) },
      t,
      ctx({ extensions: { pg_stat_statements: '1.10' }, failures: { top: { code: '55000', message: 'pg_stat_statements must be loaded via "shared_preload_libraries"' } } }),
    );
    assert.match(outcome.findings[0]?.message ?? '', /\(shared_preload_libraries is 'auto_explain'\)/);
  });

  it('ranks statements by total time and rates those with at least 10 calls at 100 / 500 / 1000 ms on average', () => {
    const top = [statement('SELECT slowest', 1001), statement('SELECT rare', 5000, 9), statement('SELECT slow', 501), statement('SELECT meh', 101), statement('SELECT fast', 100)];
    const outcome = pgStatStatements.evaluate({ availability: availability('1.10'), top }, t, ctx({ extensions: { pg_stat_statements: '1.10' } }));
    assert.deepEqual(outcome.findings.map((f) => [f.severity, f.message.split(': ')[1]]), [['critical', 'SELECT slowest'], ['warning', 'SELECT slow'], ['info', 'SELECT meh']]);
    assert.equal(outcome.details?.[0]?.rows.length, 4);
    assert.deepEqual(outcome.details?.[0]?.rows[0]?.slice(1), [10, 1001, 10010, 0, 10, 90]);
  });

  it('puts the statement using the most time first, ahead of one-off slow statements, and leaves its own statements out', () => {
    const allMs = 55 * 1500 + 10_000 * 2.21 + 500 * 100;
    const oneOffs = Array.from({ length: 55 }, (_, i) => ({ ...statement(`SELECT report_${i}`, 1500, 1), all_ms: allMs }));
    const heavy = { ...statement('SELECT heavy FROM payrolls', 2.21, 10_000), all_ms: allMs };
    const own = { ...statement('SELECT /* pg-insight */ n.nspname FROM pg_namespace n', 100, 500), all_ms: allMs };
    const outcome = pgStatStatements.evaluate({ availability: availability('1.11'), top: [...oneOffs, own, heavy] }, t, ctx({ extensions: { pg_stat_statements: '1.11' } }));
    assert.equal(outcome.details?.[0]?.rows[0]?.[0], 'SELECT heavy FROM payrolls');
    assert.ok(!outcome.details?.[0]?.rows.some((r) => /pg-insight/.test(String(r[0]))));
    assert.match(outcome.summary, /the statement taking the most time \(14\.\d %|\(14\.\d%/);
    assert.match(outcome.summary, /averages 2\.2 ms over 10,000 calls/);
  });

  it('reports what a role without privileges cannot read', () => {
    const hidden = pgStatStatements.evaluate(
      { availability: availability('1.10', { preload: null }), top: [statement('<insufficient privilege>', 1)] },
      t,
      ctx({ extensions: { pg_stat_statements: '1.10' }, privileges: { superuser: false, readAllStats: false, readAllSettings: false, statScanTables: false } }),
    );
    assert.deepEqual(hidden.limitations?.map((l) => l.fix), ['GRANT pg_read_all_settings TO <role>;', 'GRANT pg_read_all_stats TO <role>;']);
    // The hidden setting is worked around (the library is detected by its own settings); hidden texts are not.
    assert.deepEqual(hidden.limitations?.map((l) => l.needs), [undefined, 'pg_read_all_stats']);
    assert.equal(resultStatus(hidden.status, hidden.limitations ?? []), 'limited');
    const refused = pgStatStatements.evaluate(
      { availability: availability('1.10') },
      t,
      ctx({ extensions: { pg_stat_statements: '1.10' }, failures: { top: { code: '42501', message: 'permission denied for view pg_stat_statements' } } }),
    );
    assert.match(refused.summary, /cannot read it/);
    assert.match(refused.limitations?.[0]?.fix ?? '', /GRANT SELECT ON pg_stat_statements/);
    assert.equal(refused.limitations?.[0]?.needs, 'SELECT on pg_stat_statements');
    assert.equal(resultStatus(refused.status, refused.limitations ?? []), 'limited');
    // Only the grant makes it limited: another failure says what happened without inventing a privilege.
    const broken = pgStatStatements.evaluate(
      { availability: availability('1.10') },
      t,
      ctx({ extensions: { pg_stat_statements: '1.10' }, failures: { top: { code: 'XX000', message: 'could not read file' } } }),
    );
    assert.deepEqual(broken.limitations?.map((l) => [l.fix, l.needs]), [[undefined, undefined]]);
  });

  it('uses the column names of the installed version', () => {
    const sql = pgStatStatements.sql.top;
    assert.ok(typeof sql === 'function');
    assert.match(sql(ctx({ extensions: { pg_stat_statements: '1.7' } })) ?? '', /mean_time AS mean_ms/);
    assert.match(sql(ctx({ extensions: { pg_stat_statements: '1.8' } })) ?? '', /mean_exec_time AS mean_ms/);
    assert.equal(sql(ctx()), null);
  });
});

describe('configuration-review.evaluate', () => {
  const setting = (name: string, value: string, unit: string | null = null, source = 'configuration file', context = 'sighup') => ({ name, setting: value, unit, source, context, pending_restart: false });
  const tuned = [
    setting('shared_buffers', '524288', '8kB', 'configuration file', 'postmaster'),
    setting('effective_cache_size', '1572864', '8kB'),
    setting('work_mem', '32768', 'kB', 'configuration file', 'user'),
    setting('maintenance_work_mem', '524288', 'kB'),
    setting('max_connections', '200', null, 'configuration file', 'postmaster'),
    setting('random_page_cost', '1.1'),
    setting('autovacuum', 'on'),
    setting('track_counts', 'on'),
    setting('track_io_timing', 'on'),
    setting('log_min_duration_statement', '1000', 'ms'),
    setting('jit', 'off'),
  ];

  it('finds nothing to say about a tuned server, and shows every setting with a suggestion', () => {
    const outcome = configurationReview.evaluate(tuned, t, ctx());
    assert.equal(outcome.status, 'ok');
    assert.equal(outcome.details?.[0]?.rows.length, 11);
    assert.deepEqual(outcome.details?.[0]?.rows[0]?.slice(0, 2), ['shared_buffers', '4 GB']);
    assert.equal(outcome.details?.[0]?.rows[9]?.[1], '1000 ms');
  });

  it('leaves shared_buffers alone when the whole database fits in it', () => {
    const small = [setting('shared_buffers', '16384', '8kB', 'default', 'postmaster')].map((r) => ({ ...r, database_bytes: 194 * 1024 * 1024 }));
    assert.equal(finding(configurationReview.evaluate(small, t, ctx()), 'shared_buffers').severity, 'info');
    const tiny = [setting('shared_buffers', '16384', '8kB', 'default', 'postmaster')].map((r) => ({ ...r, database_bytes: 20 * 1024 * 1024 }));
    assert.deepEqual(configurationReview.evaluate(tiny, t, ctx()).findings, []);
  });

  it('flags clear mistakes as warnings and autovacuum off as critical', () => {
    const replace = (name: string, value: string) => tuned.map((s) => (s.name === name ? { ...s, setting: value, source: 'configuration file' } : s));
    assert.equal(finding(configurationReview.evaluate(replace('autovacuum', 'off'), t, ctx()), 'autovacuum').severity, 'critical');
    const small = configurationReview.evaluate(replace('effective_cache_size', '16384'), t, ctx());
    assert.match(finding(small, 'effective_cache_size').message, /smaller than shared_buffers/);
    assert.match(finding(small, 'effective_cache_size').remediation?.sql ?? '', /^ALTER SYSTEM SET effective_cache_size = '4GB';/);
    // 4 GB per sort times 200 connections is far over twice a 12 GB cache.
    const greedy = configurationReview.evaluate(replace('work_mem', '4194304'), t, ctx());
    assert.equal(finding(greedy, 'work_mem').severity, 'warning');
  });

  it('points at defaults that are usually wrong on a server, with the restart or reload they need', () => {
    const defaults = [setting('shared_buffers', '16384', '8kB', 'default', 'postmaster'), setting('random_page_cost', '4', null, 'default'), setting('jit', 'on', null, 'default', 'user')];
    const outcome = configurationReview.evaluate(defaults, t, ctx());
    assert.deepEqual(severities(outcome), { shared_buffers: 'info', random_page_cost: 'info', jit: 'info' });
    // The right size depends on the server's RAM, which SQL cannot see: described, never a fixed 4GB.
    assert.equal(finding(outcome, 'shared_buffers').remediation?.sql, undefined);
    assert.match(finding(outcome, 'shared_buffers').remediation?.text ?? '', /about 25 % of the server's RAM/);
    assert.match(finding(outcome, 'jit').remediation?.sql ?? '', /pg_reload_conf/);
  });
});

describe('relation-sizes.evaluate', () => {
  it('shows the top N tables and indexes and never warns', () => {
    const tables = Array.from({ length: 12 }, (_, i) => ({ schema: 'public', table: `t${i}`, total_bytes: 1000 - i, heap_bytes: 1, index_bytes: 1, toast_bytes: 0, estimated_rows: 1 }));
    const outcome = relationSizes.evaluate({ database: [{ bytes: 1536 }], tables, indexes: [] }, t, ctx());
    assert.equal(outcome.status, 'ok');
    assert.equal(outcome.details?.[0]?.rows.length, 10);
    assert.equal(outcome.summary, 'The database takes 1.5 kB; the largest table is public.t0 at 1000 B with its indexes.');
    assert.equal(relationSizes.evaluate({ database: [{ bytes: 1 }], tables, indexes: [] }, thresholds({ relationSizesTopN: 3 }), ctx()).details?.[0]?.rows.length, 3);
  });
});

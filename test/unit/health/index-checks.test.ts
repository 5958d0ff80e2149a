import assert from 'node:assert/strict';
import { duplicateIndexes } from '../../../src/core/health/checks/duplicate-indexes';
import { foreignKeysWithoutIndex } from '../../../src/core/health/checks/foreign-keys-without-index';
import { indexBloat } from '../../../src/core/health/checks/index-bloat';
import { invalidIndexes } from '../../../src/core/health/checks/invalid-indexes';
import { missingIndexes } from '../../../src/core/health/checks/missing-indexes';
import { tableBloat } from '../../../src/core/health/checks/table-bloat';
import { unusedIndexes } from '../../../src/core/health/checks/unused-indexes';
import { resultStatus } from '../../../src/core/health/outcome';
import { loadSqlParser } from '../../../src/core/sql/parser';
import { ctx, finding, severities, thresholds } from './support';

const t = thresholds();
const MiB = 1024 * 1024;
const DAY = 86400;

describe('unused-indexes.evaluate', () => {
  const index = (name: string, bytes: number) => ({ schema: 'public', table: 'orders', index: name, scans: 0, bytes, definition: `CREATE INDEX ${name} ON public.orders USING btree (x)` });
  const stats = (days: number) => [{ since: '2024-01-01 00:00:00+00', was_reset: true, seconds: days * DAY }];

  it('warns about unused indexes of 10 MB or more once statistics cover a week', () => {
    const outcome = unusedIndexes.evaluate({ indexes: [index('big', 10 * MiB), index('small', 10 * MiB - 1)], stats: stats(8) }, t, ctx());
    assert.deepEqual(severities(outcome), { 'public.big': 'warning' });
    assert.equal(finding(outcome, 'public.big').remediation?.sql, 'DROP INDEX CONCURRENTLY public.big;  -- to restore: CREATE INDEX big ON public.orders USING btree (x);');
    assert.equal(outcome.summary, '1 index (10 MB) unused in 8 days (since 2024-01-01 00:00:00+00, when statistics were reset).');
  });

  it('only informs while statistics are younger than a week', () => {
    const outcome = unusedIndexes.evaluate({ indexes: [index('big', 20 * MiB)], stats: stats(6.9) }, t, ctx());
    assert.equal(outcome.status, 'info');
    assert.match(finding(outcome, 'public.big').remediation?.text ?? '', /wait for a full business cycle/);
  });

  it('reminds that a replica counts only its own scans', () => {
    const outcome = unusedIndexes.evaluate({ indexes: [], stats: stats(30) }, t, ctx({ inRecovery: true }));
    assert.match(outcome.limitations?.[0]?.reason ?? '', /replica/);
    assert.equal(outcome.status, 'ok');
  });
});

describe('duplicate-indexes.evaluate', () => {
  it('reports each redundant index once, naming the index that covers it', () => {
    const row = (index: string, covering: string, kind: string) => ({ schema: 'public', table: 't', index, definition: `def ${index}`, bytes: 8192, covering_index: covering, covering_definition: `def ${covering}`, kind });
    const outcome = duplicateIndexes.evaluate([row('a', 'b', 'identical'), row('c', 'd', 'prefix'), row('c', 'e', 'prefix')], t, ctx());
    assert.deepEqual(outcome.findings.map((f) => f.object), ['public.a', 'public.c']);
    assert.match(finding(outcome, 'public.a').message, /is identical to public.b/);
    assert.match(finding(outcome, 'public.c').message, /covered by public.d: its columns are a leading prefix/);
    assert.equal(outcome.summary, '2 redundant indexes (16 kB).');
  });
});

describe('foreign-keys-without-index.evaluate', () => {
  it('warns from 1,000 rows and informs below', () => {
    const fk = (table: string, rows: number) => ({ schema: 'public', table, constraint: `${table}_fk`, columns: 'customer_id, region', referenced_table: 'customers', rows });
    const outcome = foreignKeysWithoutIndex.evaluate([fk('big', 1000), fk('small', 999)], t, ctx());
    assert.deepEqual(severities(outcome), { 'public.big (customer_id, region)': 'warning', 'public.small (customer_id, region)': 'info' });
    assert.equal(finding(outcome, 'public.big (customer_id, region)').remediation?.sql, 'CREATE INDEX CONCURRENTLY ON public.big (customer_id, region);');
  });
});

describe('missing-indexes.evaluate', () => {
  const table = (name: string, live: number, seq: number, idx: number) => ({ schema: 'public', table: name, seq_scan: seq, seq_tup_read: seq * live, idx_scan: idx, live_rows: live, bytes: 1, indexes: 1 });

  before(() => loadSqlParser());

  it('reports tables of 10,000 rows or more using an index in less than 95 % of scans', () => {
    const outcome = missingIndexes.evaluate({
      tables: [table('hot', 10_000, 100, 1899), table('fine', 10_000, 100, 1900), table('small', 9_999, 100, 0), table('rare', 50_000, 9, 0)],
      statements: [],
    }, t, ctx({ extensions: { pg_stat_statements: '1.10' } }));
    assert.deepEqual(outcome.findings.map((f) => f.object), ['public.hot']);
    assert.match(finding(outcome, 'public.hot').message, /is read often by sequential scans: an index served 95 % of its scans/);
    assert.match(outcome.summary, /1 large table is read by sequential scans in 5 % or more of its scans/);
  });

  it('counts a parallel query once, not once per worker', () => {
    // 300 queries with two workers each: seq_scan says 900, the rows read say 300 whole reads.
    const parallel = { ...table('big', 100_000, 900, 0), seq_tup_read: 300 * 100_000 };
    const outcome = missingIndexes.evaluate({ tables: [parallel] }, t, ctx());
    assert.match(finding(outcome, 'public.big').message, /about 300 queries read it sequentially, 100,000 rows each/);
    assert.equal(outcome.details?.[0]?.rows[0]?.[2], 300);
    // Five whole-table counts run by three processes each stay under the floor of 10 queries.
    const counts = { ...table('counted', 100_000, 15, 0), seq_tup_read: 5 * 100_000 };
    assert.deepEqual(missingIndexes.evaluate({ tables: [counts] }, t, ctx()).findings, []);
  });

  it('names the reading statements that touch the table, by total time, and the index their filters need', () => {
    const statements = [
      { query: 'INSERT INTO orders VALUES ($1)', calls: 9, mean_ms: 1 },
      { query: 'SELECT * FROM public.orders o WHERE o.note = $1 AND o.created_at > $2', calls: 40, mean_ms: 12.5 },
      { query: 'SELECT * FROM orders_archive WHERE id = $1', calls: 3, mean_ms: 1 },
      { query: 'UPDATE "orders" SET x = $1 WHERE note = $2', calls: 2, mean_ms: 3 },
    ];
    const outcome = missingIndexes.evaluate({ tables: [table('orders', 20_000, 50, 0)], statements }, t, ctx({ extensions: { pg_stat_statements: '1.10' } }));
    const f = finding(outcome, 'public.orders');
    assert.match(f.message, /is read mostly by sequential scans/);
    assert.match(f.message, /Statements reading it, by total time: "SELECT \* FROM public.orders o WHERE o.note = \$1 AND o.created_at > \$2" \(40 calls, 12.5 ms avg, filters note, created_at\); "UPDATE "orders" SET x = \$1 WHERE note = \$2" \(2 calls, 3.0 ms avg, filters note\)\.$/);
    assert.equal(f.remediation?.sql, 'CREATE INDEX CONCURRENTLY ON public.orders (note, created_at);');
    assert.deepEqual(outcome.limitations, []);
  });

  it('leaves out a table whose statements all read it whole, and proposes no index a column already leads', () => {
    const whole = [{ query: 'SELECT count(*) FROM orders', calls: 300, mean_ms: 40 }, { query: 'SELECT status, sum(total) FROM orders GROUP BY status', calls: 20, mean_ms: 90 }];
    assert.deepEqual(missingIndexes.evaluate({ tables: [table('orders', 20_000, 50, 0)], statements: whole }, t, ctx({ extensions: { pg_stat_statements: '1.10' } })).findings, []);
    const filtered = [{ query: "SELECT * FROM orders WHERE status = $1", calls: 300, mean_ms: 40 }];
    const led = missingIndexes.evaluate({ tables: [{ ...table('orders', 20_000, 50, 0), leading_columns: ['status'] }], statements: filtered }, t, ctx({ extensions: { pg_stat_statements: '1.10' } }));
    assert.equal(finding(led, 'public.orders').remediation?.sql, undefined);
    assert.match(finding(led, 'public.orders').remediation?.text ?? '', /An index on status exists but the planner prefers a sequential scan/);
  });

  it('says why statements are missing: extension absent, or unreadable', () => {
    const absent = missingIndexes.evaluate({ tables: [] }, t, ctx());
    assert.match(absent.limitations?.[0]?.reason ?? '', /not installed/);
    const failed = missingIndexes.evaluate({ tables: [] }, t, ctx({ extensions: { pg_stat_statements: '1.10' }, failures: { statements: { code: '42501', message: 'permission denied for view pg_stat_statements' } } }));
    assert.match(failed.limitations?.[0]?.reason ?? '', /could not be read from pg_stat_statements: permission denied/);
  });
});

describe('invalid-indexes.evaluate', () => {
  const row = { schema: 'public', table: 'customers', index: 'customers_email_idx', is_unique: false, is_ready: true, keys: 'email', bytes: 16384, definition: 'CREATE INDEX customers_email_idx ON public.customers USING btree (email)' };

  it('suggests REINDEX CONCURRENTLY from PostgreSQL 12, and dropping and rebuilding before', () => {
    const modern = invalidIndexes.evaluate([row], t, ctx({ versionNum: 120000 }));
    assert.equal(modern.status, 'warning');
    assert.equal(finding(modern, 'public.customers_email_idx').remediation?.sql, 'REINDEX INDEX CONCURRENTLY public.customers_email_idx;');
    assert.match(finding(modern, 'public.customers_email_idx').message, /writes still maintain it/);
    const old = invalidIndexes.evaluate([row], t, ctx({ versionNum: 110000 }));
    assert.equal(
      finding(old, 'public.customers_email_idx').remediation?.sql,
      'DROP INDEX CONCURRENTLY public.customers_email_idx;\nCREATE INDEX CONCURRENTLY customers_email_idx ON public.customers USING btree (email);',
    );
  });

  it('drops a failed unique index and says how to find the duplicates, instead of a REINDEX that fails on them again', () => {
    const unique = { ...row, index: 'customers_region_key', is_unique: true, is_ready: false, keys: 'region, lower(email)', definition: 'CREATE UNIQUE INDEX customers_region_key ON public.customers USING btree (region, lower(email))' };
    const f = finding(invalidIndexes.evaluate([unique], t, ctx({ versionNum: 180000 })), 'public.customers_region_key');
    assert.equal(f.remediation?.sql, 'DROP INDEX CONCURRENTLY public.customers_region_key;');
    assert.match(f.message, /writes do not maintain it yet/);
    assert.match(f.remediation?.text ?? '', /SELECT region, lower\(email\), count\(\*\) FROM public\.customers GROUP BY region, lower\(email\) HAVING count\(\*\) > 1/);
    assert.match(f.remediation?.text ?? '', /CREATE UNIQUE INDEX CONCURRENTLY customers_region_key ON/);
  });

  it('drops the leftovers of a failed REINDEX CONCURRENTLY rather than rebuilding them', () => {
    const leftover = { ...row, index: 'customers_region_key_ccnew1', is_unique: true };
    const f = finding(invalidIndexes.evaluate([leftover], t, ctx({ versionNum: 180000 })), 'public.customers_region_key_ccnew1');
    assert.equal(f.remediation?.sql, 'DROP INDEX CONCURRENTLY public.customers_region_key_ccnew1;');
    assert.match(f.message, /left over from a REINDEX CONCURRENTLY that failed/);
  });

  it('leaves out indexes being built, from PostgreSQL 12 where progress is visible', () => {
    const sql = invalidIndexes.sql;
    assert.ok(typeof sql === 'function');
    assert.match(sql(ctx({ versionNum: 120000 })) ?? '', /pg_stat_progress_create_index/);
    assert.doesNotMatch(sql(ctx({ versionNum: 110000 })) ?? '', /pg_stat_progress_create_index/);
  });
});

describe('table-bloat.evaluate and index-bloat.evaluate', () => {
  const estimate = (table: string, percent: number, wasted = 20 * MiB, isNa = false) => ({ schema: 'public', table, index: `${table}_idx`, bytes: 100 * MiB, wasted_bytes: wasted, wasted_percent: percent, is_na: isNa, not_estimated: 0 });

  it('warns above 20 % and is critical above 50 %, only for 10 MB wasted or more', () => {
    const outcome = tableBloat.evaluate({ estimate: [estimate('a', 20), estimate('b', 20.5), estimate('c', 50.5), estimate('d', 90, 10 * MiB - 1)] }, t, ctx());
    assert.deepEqual(severities(outcome), { 'public.b': 'warning', 'public.c': 'critical' });
    assert.match(finding(outcome, 'public.c').message, /wastes about 20 MB of 100 MB \(50.5 %, estimated from statistics\)/);
    assert.match(outcome.limitations?.[0]?.reason ?? '', /pgstattuple is not installed/);
  });

  it('offers the rewrite that gives the space back, and is at most a warning just after a vacuum', () => {
    const rows = { estimate: [estimate('swept', 70), estimate('old', 70)], vacuumed: [{ schema: 'public', table: 'swept', vacuum_age_seconds: 60, dead_rows: 0 }, { schema: 'public', table: 'old', vacuum_age_seconds: 30 * 86400, dead_rows: 5 }] };
    const outcome = tableBloat.evaluate(rows, t, ctx());
    assert.deepEqual(severities(outcome), { 'public.swept': 'warning', 'public.old': 'critical' });
    assert.match(finding(outcome, 'public.swept').message, /It was vacuumed 1 min ago: the space is free for new rows/);
    assert.equal(finding(outcome, 'public.old').remediation?.sql, 'VACUUM (FULL, ANALYZE) public.old;  -- rewrites the table under an ACCESS EXCLUSIVE lock');
  });

  it('counts the relations the statistics cannot estimate instead of judging them', () => {
    const outcome = indexBloat.evaluate({ estimate: [{ ...estimate('x', 99, 99 * MiB, true), not_estimated: '3' }] }, t, ctx({ extensions: { pgstattuple: '1.5' } }));
    assert.equal(outcome.status, 'ok');
    assert.match(outcome.limitations?.map((l) => l.reason).join(' ') ?? '', /3 indexes could not be estimated: never analysed/);
    // Never analysed is for ANALYZE to fix, not a privilege: the result stays OK.
    assert.deepEqual(outcome.limitations?.map((l) => l.needs), [undefined]);
  });

  it('is limited when statistics are hidden from the role, apart from those never analysed', () => {
    const outcome = tableBloat.evaluate({ estimate: [{ ...estimate('x', 99, 99 * MiB, true), not_estimated: '3', not_readable: '2' }] }, t, ctx({ extensions: { pgstattuple: '1.5' } }));
    assert.deepEqual(outcome.limitations?.map((l) => [l.reason, l.needs]), [
      ['2 tables could not be estimated because the statistics of their columns are hidden from this role (pg_stats shows only columns it may SELECT, and none under row security).', 'SELECT on the tables'],
      ['1 table could not be estimated: never analysed, or with a column of type name, whose width the statistics misreport.', undefined],
    ]);
    assert.equal(resultStatus(outcome.status, outcome.limitations ?? []), 'limited');
  });

  it('reads which relations lack statistics because of privileges as pg_stats decides it', () => {
    for (const sql of [tableBloat.sql.estimate, indexBloat.sql.estimate]) {
      assert.ok(typeof sql === 'string');
      assert.match(sql, /has_column_privilege\(/);
      assert.match(sql, /row_security_active\(/);
      assert.match(sql, /AS not_readable/);
    }
  });

  it('replaces estimates with pgstattuple measurements when the role may run it', () => {
    const rows = { estimate: [estimate('t', 60)], exact: [{ schema: 'public', table: 't', index: 't_idx', bytes: 100 * MiB, wasted_bytes: 15 * MiB, wasted_percent: 15 }] };
    const measured = indexBloat.evaluate(rows, t, ctx({ extensions: { pgstattuple: '1.5' } }));
    assert.equal(measured.status, 'ok');
    assert.deepEqual(measured.details?.[0]?.rows[0], ['public.t_idx', 100 * MiB, 15 * MiB, 15, 'pgstattuple']);
    assert.deepEqual(measured.limitations, []);
    const refused = indexBloat.evaluate(rows, t, ctx({ extensions: { pgstattuple: '1.5' }, privileges: { superuser: false, readAllStats: false, readAllSettings: false, statScanTables: false } }));
    assert.equal(refused.status, 'critical');
    assert.match(refused.limitations?.[0]?.fix ?? '', /pg_stat_scan_tables/);
    // Without a finding, an estimate where pgstattuple could have measured is not an OK.
    const calm = indexBloat.evaluate({ estimate: [estimate('t', 5)] }, t, ctx({ extensions: { pgstattuple: '1.5' }, privileges: { superuser: false, readAllStats: false, readAllSettings: false, statScanTables: false } }));
    assert.equal(resultStatus(calm.status, calm.limitations ?? []), 'limited');
    assert.equal(calm.limitations?.[0]?.needs, 'pg_stat_scan_tables');
    // pgstattuple absent: estimates are all there is, and that is said without a privilege.
    const absent = indexBloat.evaluate({ estimate: [estimate('t', 5)] }, t, ctx());
    assert.equal(resultStatus(absent.status, absent.limitations ?? []), 'ok');
    // pgstattuple refused by the server (a grant on the functions revoked) is the same privilege.
    const failed = indexBloat.evaluate({ estimate: [estimate('t', 5)] }, t, ctx({ extensions: { pgstattuple: '1.5' }, failures: { exact: { code: '42501', message: 'permission denied for function pgstatindex' } } }));
    assert.equal(failed.limitations?.[0]?.needs, 'pg_stat_scan_tables');
  });

  it('asks pgstattuple only when it is installed and allowed', () => {
    const sql = tableBloat.sql.exact;
    assert.ok(typeof sql === 'function');
    assert.equal(sql(ctx()), null);
    assert.match(sql(ctx({ extensions: { pgstattuple: '1.5' } })) ?? '', /pgstattuple_approx/);
    assert.equal(sql(ctx({ extensions: { pgstattuple: '1.5' }, privileges: { superuser: false, readAllStats: true, readAllSettings: true, statScanTables: false } })), null);
  });
});

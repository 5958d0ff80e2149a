import assert from 'node:assert/strict';
import { invalidConstraints } from '../../../src/core/health/checks/invalid-constraints';
import { sequenceOverflow } from '../../../src/core/health/checks/sequence-overflow';
import { tablesWithoutPrimaryKey } from '../../../src/core/health/checks/tables-without-primary-key';
import { transactionIdWraparound, XID_LIMIT } from '../../../src/core/health/checks/transaction-id-wraparound';
import { vacuumAnalyzeStaleness } from '../../../src/core/health/checks/vacuum-analyze-staleness';
import { resultStatus } from '../../../src/core/health/outcome';
import { ctx, finding, severities, thresholds } from './support';

const t = thresholds();

describe('transaction-id-wraparound.evaluate', () => {
  // autovacuum_freeze_max_age at its maximum, so that these rows meet the remaining-ID thresholds alone.
  const db = (database: string, left: number, mxidAge = 1000) => ({ database, xid_age: XID_LIMIT - left, mxid_age: mxidAge, freeze_max_age: 2_000_000_000 });

  it('warns below 1.5 billion transactions left and is critical below 500 million', () => {
    const outcome = transactionIdWraparound.evaluate({ databases: [db('a', 400_000_000), db('b', 1_499_999_999), db('c', 1_500_000_000)], tables: [] }, t, ctx());
    assert.deepEqual(severities(outcome), { a: 'critical', b: 'warning' });
    assert.match(finding(outcome, 'a').message, /400,000,000 remain/);
    assert.match(outcome.summary, /^Oldest database a: 1,747,483,648 transactions old, 400,000,000 left/);
  });

  it('judges multixact age the same way, and names it', () => {
    const outcome = transactionIdWraparound.evaluate({ databases: [db('m', 2_000_000_000, XID_LIMIT - 100_000_000)], tables: [] }, t, ctx());
    assert.match(finding(outcome, 'm').message, /multixact IDs old/);
    assert.equal(finding(outcome, 'm').severity, 'critical');
  });

  it('reports old tables with a VACUUM FREEZE to copy', () => {
    const outcome = transactionIdWraparound.evaluate({ databases: [], tables: [{ schema: 'Sales', table: 'orders', xid_age: XID_LIMIT - 1_000_000_000, mxid_age: 0, bytes: 1 }] }, t, ctx());
    const f = finding(outcome, 'Sales.orders');
    assert.deepEqual(f.relation, { schema: 'Sales', table: 'orders' });
    assert.equal(f.remediation?.sql, 'VACUUM (FREEZE, VERBOSE) "Sales".orders;');
  });

  const aged = (database: string, xidAge: number, mxidAge = 1000) => ({ database, xid_age: xidAge, mxid_age: mxidAge, freeze_max_age: 200_000_000, multixact_freeze_max_age: 400_000_000 });

  it('judges ages against autovacuum_freeze_max_age: info past it, warning past twice it', () => {
    const outcome = transactionIdWraparound.evaluate({ databases: [aged('due', 200_000_001), aged('fine', 200_000_000), aged('stuck', 400_000_001)], tables: [] }, t, ctx());
    assert.deepEqual(severities(outcome), { due: 'info', stuck: 'warning' });
    assert.match(finding(outcome, 'due').message, /^database due is 200,000,001 transaction IDs old, past autovacuum_freeze_max_age \(200,000,000\): autovacuum forces an anti-wraparound vacuum/);
    assert.match(finding(outcome, 'stuck').message, /more than twice autovacuum_freeze_max_age \(200,000,000\): autovacuum should have frozen it long ago.* 1,747,483,647 remain before the hard limit\.$/);
  });

  it('judges multixact ages against autovacuum_multixact_freeze_max_age, and a table against its own lower setting', () => {
    const outcome = transactionIdWraparound.evaluate(
      {
        databases: [{ ...aged('m', 1000, 600_000_000), multixact_freeze_max_age: 250_000_000 }],
        tables: [{ schema: 'public', table: 'hot', xid_age: 150_000, mxid_age: 0, freeze_max_age: 100_000, multixact_freeze_max_age: 400_000_000, bytes: 1 }],
      },
      t,
      ctx(),
    );
    assert.equal(finding(outcome, 'm').severity, 'warning');
    assert.match(finding(outcome, 'm').message, /600,000,000 multixact IDs old, more than twice autovacuum_multixact_freeze_max_age \(250,000,000\)/);
    const hot = finding(outcome, 'public.hot');
    assert.equal(hot.severity, 'info');
    assert.match(hot.remediation?.text ?? '', /idle in transaction/);
  });

  it('does not judge against autovacuum_freeze_max_age when the rows do not carry it', () => {
    const outcome = transactionIdWraparound.evaluate({ databases: [{ database: 'x', xid_age: 600_000_000, mxid_age: 0 }], tables: [] }, t, ctx());
    assert.deepEqual(outcome.findings, []);
  });
});

describe('sequence-overflow.evaluate', () => {
  const seq = (name: string, type: string, last: number | string | null, extra: Record<string, unknown> = {}) => ({
    schema: 'public', sequence: name, sequence_type: type, min_value: 1,
    max_value: { smallint: 32767, integer: 2147483647, bigint: '9223372036854775807' }[type], increment: 1, cycles: false,
    last_value: last === null ? null : String(last), readable: true, table_schema: null, table: null, column: null, column_type: null, ...extra,
  });

  it('warns above 90 % of the range and is critical above 98 %', () => {
    const outcome = sequenceOverflow.evaluate([
      seq('under', 'integer', 1_932_735_282),
      seq('over', 'integer', 1_932_735_284),
      seq('nearly', 'smallint', 32_200),
      seq('unused', 'bigint', null),
    ], t, ctx());
    assert.deepEqual(severities(outcome), { 'public.over': 'warning', 'public.nearly': 'critical' });
    assert.equal(finding(outcome, 'public.nearly').remediation?.sql, 'ALTER SEQUENCE public.nearly AS bigint;');
    assert.match(outcome.summary, /^4 sequences; the fullest has used 98.3 % of its range\.$/);
  });

  it('measures a sequence against the narrower column it feeds', () => {
    const fed = seq('legacy_id_seq', 'bigint', 2_000_000_000, { table_schema: 'public', table: 'legacy', column: 'id', column_type: 'integer' });
    const f = finding(sequenceOverflow.evaluate([fed], t, ctx()), 'public.legacy.id');
    assert.equal(f.severity, 'warning');
    assert.match(f.message, /fed by sequence public.legacy_id_seq, which is at 2,000,000,000: 93.1 % of the column's range, 147,483,647 values left/);
    assert.equal(f.remediation?.sql, 'ALTER TABLE public.legacy ALTER COLUMN id TYPE bigint;');
  });

  it('widens a serial column, its integer sequence and the foreign keys that reference it, naming the column', () => {
    const serial = seq('orders_id_seq', 'integer', 2_000_000_000, {
      table_schema: 'public', table: 'orders', column: 'id', column_type: 'integer', referencing_alters: ['ALTER TABLE public.order_lines ALTER COLUMN order_id TYPE bigint;', 'ALTER TABLE audit."Order Refs" ALTER COLUMN ref TYPE bigint;'],
    });
    const f = finding(sequenceOverflow.evaluate([serial], t, ctx()), 'public.orders.id');
    assert.match(f.message, /^Column public\.orders\.id \(integer\) is fed by sequence public\.orders_id_seq/);
    assert.equal(
      f.remediation?.sql,
      [
        'ALTER TABLE public.orders ALTER COLUMN id TYPE bigint;',
        'ALTER SEQUENCE public.orders_id_seq AS bigint;',
        'ALTER TABLE public.order_lines ALTER COLUMN order_id TYPE bigint;',
        'ALTER TABLE audit."Order Refs" ALTER COLUMN ref TYPE bigint;',
      ].join('\n'),
    );
    assert.match(f.remediation?.text ?? '', /2 foreign key columns.*ACCESS EXCLUSIVE/);
  });

  it('raises a bigint sequence maximum only when it is set short of the limit', () => {
    const short = seq('short', 'bigint', 950, { max_value: '1000' });
    assert.equal(finding(sequenceOverflow.evaluate([short], t, ctx()), 'public.short').remediation?.sql, 'ALTER SEQUENCE public.short MAXVALUE 9223372036854775807;');
    const down = seq('down', 'bigint', -950, { increment: -1, min_value: '-1000', max_value: '-1' });
    assert.equal(finding(sequenceOverflow.evaluate([down], t, ctx()), 'public.down').remediation?.sql, 'ALTER SEQUENCE public.down MINVALUE -9223372036854775808;');
    const full = seq('full', 'bigint', '9000000000000000000');
    assert.equal(finding(sequenceOverflow.evaluate([full], t, ctx()), 'public.full').remediation?.sql, undefined);
  });

  it('follows descending sequences towards their minimum', () => {
    const down = seq('down', 'integer', -2_100_000_000, { increment: -1, min_value: -2147483648, max_value: -1 });
    assert.equal(finding(sequenceOverflow.evaluate([down], t, ctx()), 'public.down').severity, 'warning');
  });

  it('leaves cycling sequences alone and says which sequences it could not read', () => {
    const outcome = sequenceOverflow.evaluate([seq('cyc', 'smallint', 32_700, { cycles: true }), seq('secret', 'integer', null, { readable: false })], t, ctx());
    assert.equal(outcome.status, 'ok');
    assert.match(outcome.limitations?.[0]?.reason ?? '', /1 sequence cannot be read/);
    // The unread one might be the one about to run out.
    assert.equal(outcome.limitations?.[0]?.needs, 'SELECT or USAGE on the sequences');
    assert.equal(resultStatus(outcome.status, outcome.limitations ?? []), 'limited');
    assert.deepEqual(sequenceOverflow.evaluate([seq('cyc', 'smallint', 32_700, { cycles: true })], t, ctx()).limitations, []);
  });
});

describe('vacuum-analyze-staleness.evaluate', () => {
  const table = (name: string, extra: Record<string, unknown>) => ({
    schema: 'public', table: name, live_rows: 10_000, dead_rows: 0, modified_since_analyze: 0,
    last_vacuum: '2024-01-01 00:00:00+00', last_analyze: '2024-01-01 00:00:00+00', vacuum_age_seconds: 3600, analyze_age_seconds: 3600, autovacuum_disabled: false, ...extra,
  });

  it('judges dead rows strictly above 20 % and 50 %, from 1,000 dead rows', () => {
    const outcome = vacuumAnalyzeStaleness.evaluate([
      table('at20', { live_rows: 8000, dead_rows: 2000 }),
      table('over20', { live_rows: 7900, dead_rows: 2100 }),
      table('over50', { live_rows: 4000, dead_rows: 6000 }),
      table('tiny', { live_rows: 10, dead_rows: 990 }),
    ], t, ctx());
    assert.deepEqual(severities(outcome), { 'public.over20': 'warning', 'public.over50': 'critical' });
    assert.match(finding(outcome, 'public.over50').message, /6,000 dead rows \(60 % of its rows\); last vacuum 1 h ago\./);
  });

  it('warns about a table never analysed once it has 1,000 rows when autovacuum cannot reach it', () => {
    const outcome = vacuumAnalyzeStaleness.evaluate([
      table('never', { last_analyze: null, analyze_age_seconds: null, live_rows: 1000, autovacuum_running: false }),
      table('small', { last_analyze: null, analyze_age_seconds: null, live_rows: 999, autovacuum_running: false }),
    ], t, ctx());
    assert.deepEqual(severities(outcome), { 'public.never': 'warning' });
    assert.match(finding(outcome, 'public.never').message, /never been analysed.*Autovacuum is off on this server/);
  });

  it('only informs about a table just filled, which autovacuum analyses at its next round', () => {
    const outcome = vacuumAnalyzeStaleness.evaluate([table('fresh', { last_analyze: null, analyze_age_seconds: null, live_rows: 5000, autovacuum_running: true, naptime: '1min' })], t, ctx());
    assert.equal(outcome.status, 'info');
    assert.match(finding(outcome, 'public.fresh').message, /at its next round \(every 1min\)/);
  });

  it('turns autovacuum back on for a table it left full of dead rows, instead of tuning a scale factor it ignores', () => {
    const outcome = vacuumAnalyzeStaleness.evaluate([table('churn', { live_rows: 4000, dead_rows: 6000, autovacuum_disabled: true })], t, ctx());
    assert.equal(finding(outcome, 'public.churn').remediation?.sql, 'VACUUM (VERBOSE, ANALYZE) public.churn;\nALTER TABLE public.churn RESET (autovacuum_enabled);');
    const enabled = vacuumAnalyzeStaleness.evaluate([table('churn', { live_rows: 4000, dead_rows: 6000 })], t, ctx());
    assert.match(finding(enabled, 'public.churn').remediation?.sql ?? '', /autovacuum_vacuum_scale_factor = 0\.05/);
  });

  it('warns about statistics older than half the table\'s changes', () => {
    const outcome = vacuumAnalyzeStaleness.evaluate([table('stale', { modified_since_analyze: 5001 }), table('fine', { modified_since_analyze: 5000 })], t, ctx());
    assert.deepEqual(severities(outcome), { 'public.stale': 'warning' });
  });

  it('mentions autovacuum turned off on a table, as information', () => {
    const outcome = vacuumAnalyzeStaleness.evaluate([table('manual', { autovacuum_disabled: true })], t, ctx());
    assert.equal(outcome.status, 'info');
    assert.equal(finding(outcome, 'public.manual').remediation?.sql, 'ALTER TABLE public.manual RESET (autovacuum_enabled);');
    assert.match(outcome.summary, /1 table needs vacuum or analyze attention/);
  });
});

describe('invalid-constraints.evaluate and tables-without-primary-key.evaluate', () => {
  it('names the constraint kind and how to validate it', () => {
    const outcome = invalidConstraints.evaluate([{ schema: 'public', table: 'orders', constraint: 'orders_customer_fk', kind: 'f', definition: 'FOREIGN KEY (customer_id) REFERENCES customers(id) NOT VALID' }], t, ctx());
    const f = finding(outcome, 'public.orders orders_customer_fk');
    assert.match(f.message, /^The foreign key constraint/);
    assert.equal(f.remediation?.sql, 'ALTER TABLE public.orders VALIDATE CONSTRAINT orders_customer_fk;');
    assert.equal(invalidConstraints.evaluate([], t, ctx()).status, 'ok');
  });

  it('warns about a table without key, and suggests promoting a unique index when there is one', () => {
    const outcome = tablesWithoutPrimaryKey.evaluate([
      { schema: 'public', table: 'log', estimated_rows: 5, bytes: 8192, candidate_index: null },
      { schema: 'public', table: 'tags', estimated_rows: 5, bytes: 8192, candidate_index: 'tags_name_key' },
    ], t, ctx());
    assert.deepEqual(severities(outcome), { 'public.log': 'warning', 'public.tags': 'info' });
    assert.equal(finding(outcome, 'public.tags').remediation?.sql, 'ALTER TABLE public.tags ADD PRIMARY KEY USING INDEX tags_name_key;');
  });

  it('builds a twin of an index that belongs to a UNIQUE constraint, and names a new key column around an existing id', () => {
    const outcome = tablesWithoutPrimaryKey.evaluate([
      { schema: 'public', table: 'tags', kind: 'r', estimated_rows: 5, bytes: 8192, candidate_index: 'tags_name_key', candidate_columns: 'name, "Kind"', candidate_constraint: 'tags_name_key' },
      { schema: 'public', table: 'events', kind: 'r', estimated_rows: 5, bytes: 8192, candidate_index: null, has_id: true },
      { schema: 'public', table: 'measures', kind: 'p', estimated_rows: 5, bytes: 8192, candidate_index: null },
    ], t, ctx());
    assert.equal(
      finding(outcome, 'public.tags').remediation?.sql,
      'CREATE UNIQUE INDEX CONCURRENTLY tags_pkey ON public.tags (name, "Kind");\nALTER TABLE public.tags ADD CONSTRAINT tags_pkey PRIMARY KEY USING INDEX tags_pkey;',
    );
    assert.equal(finding(outcome, 'public.events').remediation?.sql, 'ALTER TABLE public.events ADD COLUMN events_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY;');
    // A partitioned table's key must include the partition key, and USING INDEX is refused there: described, not guessed.
    const partitioned = tablesWithoutPrimaryKey.evaluate([{ schema: 'public', table: 'm', kind: 'p', estimated_rows: 5, bytes: 8192, candidate_index: 'm_key', candidate_columns: 'k' }], t, ctx());
    assert.equal(finding(partitioned, 'public.m').remediation?.sql, undefined);
    assert.equal(finding(outcome, 'public.measures').remediation?.sql, undefined);
  });
});

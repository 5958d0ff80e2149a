import assert from 'node:assert/strict';
import { schemaFromCatalog, textArray } from '../../../src/core/schema/catalog';
import { canonical } from '../../../src/core/schema/expression';
import { loadSqlParser, parseSql } from '../../../src/core/sql/parser';
import { unwrapNode } from '../../../src/core/sql/nodeSpans';

/** Rows as the catalog queries return them through node-postgres (bigint as strings, arrays parsed). */
const rows = {
  tables: [
    { oid: '16400', schema: 'public', name: 'users', reltuples: 52000, size_bytes: '7421952' },
    { oid: '16410', schema: 'app', name: 'events', reltuples: -1, size_bytes: '8192' },
  ],
  columns: [
    { table_oid: '16400', name: 'id', type: 'bigint', not_null: true, null_frac: 0, n_distinct: -1, common_values: null, common_freqs: null },
    { table_oid: '16400', name: 'email', type: 'character varying(255)', not_null: true, null_frac: null, n_distinct: null, common_values: null, common_freqs: null },
    { table_oid: '16400', name: 'status', type: 'text', not_null: false, null_frac: 0.1, n_distinct: 3, common_values: ['active', 'pending', 'closed'], common_freqs: [0.7, 0.15, 0.05] },
    { table_oid: '16410', name: 'created_at', type: 'timestamp with time zone', not_null: false, null_frac: null, n_distinct: null, common_values: null, common_freqs: null },
  ],
  indexes: [
    { table_oid: '16400', name: 'users_pkey', definition: 'CREATE UNIQUE INDEX users_pkey ON public.users USING btree (id)', predicate: null, valid: true, primary: true, unique: true, method: 'btree' },
    { table_oid: '16400', name: 'users_lower_email', definition: 'CREATE INDEX users_lower_email ON public.users USING btree (lower((email)::text))', predicate: null, valid: true, primary: false, unique: false, method: 'btree' },
    {
      table_oid: '16400', name: 'users_pending', definition: "CREATE INDEX users_pending ON public.users USING btree (id) WHERE (status = 'pending'::text)",
      predicate: "(status = 'pending'::text)", valid: true, primary: false, unique: false, method: 'btree',
    },
    { table_oid: '16400', name: 'users_status_broken', definition: 'CREATE INDEX users_status_broken ON public.users USING btree (status)', predicate: null, valid: false, primary: false, unique: false, method: 'btree' },
    { table_oid: '16410', name: 'events_day', definition: "CREATE INDEX events_day ON app.events USING btree (date_trunc('day'::text, created_at))", predicate: null, valid: true, primary: false, unique: false, method: 'btree' },
  ],
  constraints: [
    { table_oid: '16400', name: 'users_pkey', type: 'p', columns: ['id'], ref_schema: null, ref_table: null, ref_columns: [], on_delete: ' ', validated: true },
    { table_oid: '16410', name: 'events_user_fk', type: 'f', columns: '{user_id}', ref_schema: 'public', ref_table: 'users', ref_columns: '{id}', on_delete: 'c', validated: false },
  ],
};

function queryKey(expression: string): string {
  const parsed = parseSql(`SELECT ${expression}`);
  assert.ok(parsed.ok);
  const target = unwrapNode(parsed.statements[0]?.node)?.[1].targetList as unknown[];
  return canonical(unwrapNode(target[0])?.[1].val);
}

describe('schema from the live catalog rows', () => {
  before(() => loadSqlParser());

  it('builds tables with row estimates; -1 (never analysed) is unknown', () => {
    const model = schemaFromCatalog(rows);
    assert.equal(model.source, 'catalog');
    assert.deepEqual(model.tables.map((t) => `${t.schema}.${t.name} ${t.rowEstimate} ${t.sizeBytes}`), ['public.users 52000 7421952', 'app.events null 8192']);
  });

  it('reads columns with their planner statistics when present', () => {
    const users = schemaFromCatalog(rows).tables[0]!;
    assert.deepEqual(users.columns.map((c) => c.name), ['id', 'email', 'status']);
    assert.equal(users.columns[1]!.stats, undefined);
    assert.deepEqual(users.columns[2]!.stats, { nullFraction: 0.1, distinct: 3, commonValues: ['active', 'pending', 'closed'], commonFrequencies: [0.7, 0.15, 0.05] });
  });

  it('parses pg_get_indexdef so that catalog spellings match what queries write', () => {
    const [users, events] = schemaFromCatalog(rows).tables;
    const lower = users!.indexes.find((i) => i.name === 'users_lower_email')!.keys[0]!;
    assert.ok(lower.kind === 'expression');
    assert.equal(lower.canonical, queryKey('lower(email)'), 'the catalog adds ::text to a varchar column');
    const day = events!.indexes[0]!.keys[0]!;
    assert.ok(day.kind === 'expression');
    assert.equal(day.canonical, queryKey("date_trunc('day', e.created_at)"));
    const pending = users!.indexes.find((i) => i.name === 'users_pending')!;
    assert.equal(pending.predicate, "(status = 'pending'::text)");
    assert.deepEqual(pending.predicateConjuncts, [queryKey("status = 'pending'")]);
    assert.equal(users!.indexes.find((i) => i.name === 'users_status_broken')!.valid, false);
  });

  it('reads constraints, with arrays given parsed or as literals', () => {
    const events = schemaFromCatalog(rows).tables[1]!;
    assert.deepEqual(events.constraints, [
      { kind: 'foreign', name: 'events_user_fk', columns: ['user_id'], references: { schema: 'public', table: 'users', columns: ['id'] }, onDelete: 'cascade', validated: false },
    ]);
    assert.deepEqual(textArray('{a,"b c","d\\"e",f}'), ['a', 'b c', 'd"e', 'f']);
    assert.deepEqual(textArray('{}'), []);
    assert.deepEqual(textArray(null), []);
  });
});

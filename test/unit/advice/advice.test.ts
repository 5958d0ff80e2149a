import assert from 'node:assert/strict';
import type { ColumnNeed, TableAccess } from '../../../src/core/advice/access';
import { proposeIndex, trigramProposal } from '../../../src/core/advice/candidate';
import { coversColumns, indexServes, servesOrder } from '../../../src/core/advice/coverage';
import { createIndexDdl, indexName } from '../../../src/core/advice/ddl';
import { constantSelectivity, distinctValues, parameterSelectivity } from '../../../src/core/advice/selectivity';
import { expressionIndexable, wrapperFix } from '../../../src/core/advice/wrappers';
import type { ColumnInfo, IndexInfo, TableInfo } from '../../../src/core/schema/model';

function table(indexes: IndexInfo[] = [], columns: ColumnInfo[] = [], rowEstimate: number | null = 100_000): TableInfo {
  return { schema: 'public', name: 'orders', columns, indexes, constraints: [], rowEstimate, sizeBytes: null };
}

function btree(name: string, columns: string[], extra: Partial<IndexInfo> = {}): IndexInfo {
  return {
    name,
    method: 'btree',
    keys: columns.map((c) => ({ kind: 'column' as const, column: c.replace(/ DESC$/, ''), descending: c.endsWith(' DESC') })),
    include: [],
    unique: false,
    primary: false,
    valid: true,
    predicate: null,
    predicateConjuncts: [],
    ...extra,
  };
}

function need(column: string, extra: Partial<ColumnNeed> = {}): ColumnNeed {
  return { role: 'filter', kind: 'equality', column, start: 0, end: column.length, underOr: false, constant: false, ...extra };
}

function access(t: TableInfo, needs: ColumnNeed[], conjuncts: string[] = [], limited = false): TableAccess {
  return { table: t, start: 0, end: 1, needs, conjuncts: new Set(conjuncts), limited };
}

describe('index advice', () => {
  describe('coverage', () => {
    it('serves a need through the leading key only, of a valid index whose predicate holds', () => {
      const composite = btree('c', ['status', 'created_at']);
      const t = table([composite]);
      assert.equal(indexServes(composite, need('status'), access(t, [])), true);
      assert.equal(indexServes(composite, need('created_at', { kind: 'range' }), access(t, [])), false);
      assert.equal(indexServes({ ...composite, valid: false }, need('status'), access(t, [])), false);
      const partial = btree('p', ['total'], { predicate: "status = 'x'", predicateConjuncts: ['AEXPR_OP:=(col:status,const:s:x)'] });
      assert.equal(indexServes(partial, need('total'), access(t, [])), false);
      assert.equal(indexServes(partial, need('total'), access(t, [], ['AEXPR_OP:=(col:status,const:s:x)'])), true);
    });

    it('knows what hash, BRIN and trigram indexes can do', () => {
      const hash = { ...btree('h', ['code']), method: 'hash' };
      const t = table();
      assert.equal(indexServes(hash, need('code'), access(t, [])), true);
      assert.equal(indexServes(hash, need('code', { kind: 'range' }), access(t, [])), false);
      const brin = { ...btree('b', ['created_at']), method: 'brin' };
      assert.equal(indexServes(brin, need('created_at', { kind: 'range' }), access(t, [])), true);
      const trgm: IndexInfo = { ...btree('t', ['title']), method: 'gin', keys: [{ kind: 'column', column: 'title', descending: false, opclass: 'gin_trgm_ops' }] };
      const pattern = need('title', { kind: 'pattern', constant: true, pattern: { operator: 'ILIKE', leadingWildcard: true, constant: true, start: 0, end: 1 } });
      assert.equal(indexServes(trgm, pattern, access(t, [])), true);
      assert.equal(indexServes(btree('bt', ['title']), pattern, access(t, [])), false);
      assert.equal(indexServes(trgm, need('title'), access(t, [])), false, 'a trigram index is not an equality index here');
    });

    it('serves ORDER BY after the equality columns, in either direction', () => {
      const t = table();
      const order = [need('created_at', { role: 'order', descending: true }), need('id', { role: 'order', descending: true })];
      assert.equal(servesOrder(btree('i', ['user_id', 'created_at', 'id']), ['user_id'], order, access(t, [])), true);
      assert.equal(servesOrder(btree('i', ['user_id', 'created_at', 'id DESC']), ['user_id'], order, access(t, [])), false, 'mixed directions');
      assert.equal(servesOrder(btree('i', ['created_at', 'id']), ['user_id'], order, access(t, [])), true);
      assert.equal(servesOrder(btree('i', ['status', 'created_at']), ['user_id'], order, access(t, [])), false);
    });

    it('covers a foreign key with its columns leading, in any order, without a predicate', () => {
      assert.equal(coversColumns(btree('i', ['b', 'a', 'c']), ['a', 'b']), true);
      assert.equal(coversColumns(btree('i', ['a', 'c', 'b']), ['a', 'b']), false);
      assert.equal(coversColumns(btree('i', ['a'], { predicate: 'a > 0', predicateConjuncts: ['x'] }), ['a']), false);
    });
  });

  describe('proposals and DDL', () => {
    it('puts equality before range before sort, and a selective constant into the predicate', () => {
      const t = table();
      const p = proposeIndex(access(t, []), [
        need('created_at', { kind: 'range' }),
        need('status', { constant: true, conjunct: { canonical: 'AEXPR_OP:=(col:status,const:s:open)', text: "status = 'open'" } }),
        need('user_id'),
        need('created_at', { role: 'order' }),
      ]);
      assert.equal(p?.ddl, "CREATE INDEX CONCURRENTLY orders_user_id_created_at_idx ON orders (user_id, created_at) WHERE status = 'open';");
    });

    it('keys a sample id written into the statement instead of baking it into a predicate', () => {
      // payroll_id = 1234: an id typed to try the query; an index for that one value serves no other call.
      const untyped = proposeIndex(access(table(), []), [
        need('payroll_id', { constant: true, conjunct: { canonical: 'AEXPR_OP:=(col:payroll_id,const:n:1234)', text: 'payroll_id = 1234' } }),
        need('superseded_date', { kind: 'range' }),
      ]);
      assert.equal(untyped?.ddl, 'CREATE INDEX CONCURRENTLY orders_payroll_id_superseded_date_idx ON orders (payroll_id, superseded_date);');
      const uuid: ColumnInfo = { name: 'owner_id', type: 'uuid', notNull: true };
      const typed = proposeIndex(access(table([], [uuid]), []), [
        need('owner_id', { constant: true, conjunct: { canonical: "AEXPR_OP:=(col:owner_id,const:s:0b5e)", text: "owner_id = '0b5e'" } }),
        need('created_at', { role: 'order' }),
      ]);
      assert.equal(typed?.ddl, 'CREATE INDEX CONCURRENTLY orders_owner_id_created_at_idx ON orders (owner_id, created_at);');
      // With statistics, many distinct values make it a key too; few keep the partial index.
      const many: ColumnInfo = { name: 'consultant', type: 'text', notNull: true, stats: { nullFraction: 0, distinct: 5000, commonValues: [], commonFrequencies: [] } };
      const keyed = proposeIndex(access(table([], [many]), []), [
        need('consultant', { constant: true, conjunct: { canonical: 'AEXPR_OP:=(col:consultant,const:s:ann)', text: "consultant = 'ann'" } }),
        need('created_at', { role: 'order' }),
      ]);
      assert.equal(keyed?.ddl, 'CREATE INDEX CONCURRENTLY orders_consultant_created_at_idx ON orders (consultant, created_at);');
    });

    it('indexes a trigram GIN for a leading wildcard, with the extension noted', () => {
      const p = trigramProposal(table(), need('note', { kind: 'pattern' }));
      assert.equal(p.ddl, 'CREATE INDEX CONCURRENTLY orders_note_trgm_idx ON orders USING gin (note gin_trgm_ops);');
      assert.equal(p.extension, 'pg_trgm');
    });

    it('quotes what needs quoting and qualifies other schemas', () => {
      const shape = { table: { schema: 'Sales', name: 'Order Lines' }, method: 'btree' as const, keys: ['"customerId"', '"select"'], nameParts: ['customerId', 'select'] };
      assert.equal(indexName(shape), 'order_lines_customerid_select_idx');
      assert.equal(createIndexDdl(shape), 'CREATE INDEX CONCURRENTLY order_lines_customerid_select_idx ON "Sales"."Order Lines" ("customerId", "select");');
      const long = indexName({ table: { schema: 'public', name: 'ä'.repeat(40) }, nameParts: ['b'.repeat(40)] });
      assert.ok(new TextEncoder().encode(long).length <= 63 && long.endsWith('_idx'), long);
    });

    it('says which wrappings to rewrite and which can be indexed', () => {
      assert.equal(wrapperFix({ kind: 'arithmetic', name: '+' }), 'arithmetic');
      assert.equal(wrapperFix({ kind: 'cast', name: 'date' }), 'range');
      assert.equal(wrapperFix({ kind: 'function', name: 'date_trunc' }), 'range');
      assert.equal(wrapperFix({ kind: 'function', name: 'lower' }), 'expression');
      assert.equal(expressionIndexable({ kind: 'cast', name: 'date' }, 'timestamp with time zone'), false);
      assert.equal(expressionIndexable({ kind: 'cast', name: 'date' }, 'timestamp without time zone'), true);
    });
  });

  describe('selectivity from planner statistics', () => {
    const status: ColumnInfo = { name: 'status', type: 'text', notNull: true, stats: { nullFraction: 0.1, distinct: 5, commonValues: ['done', 'open'], commonFrequencies: [0.6, 0.2] } };
    const eq = (value: string) => need('status', { constant: true, conjunct: { canonical: `AEXPR_OP:=(col:status,const:s:${value})`, text: '' } });

    it('reads common values, shares the rest among the other values, and knows NULLs', () => {
      assert.equal(constantSelectivity(eq('open'), status, 1000), 0.2);
      // 1 - 0.1 NULL - 0.8 common = 0.1, over 3 other values.
      assert.ok(Math.abs((constantSelectivity(eq('rare'), status, 1000) ?? 0) - 0.1 / 3) < 1e-9);
      assert.equal(constantSelectivity(need('status', { kind: 'null', constant: true, conjunct: { canonical: 'is_null(col:status)', text: '' } }), status, 1000), 0.1);
      assert.equal(constantSelectivity(eq('open'), { ...status, stats: undefined }, 1000), undefined);
    });

    it('turns negative n_distinct into a count and averages a parameter', () => {
      const id: ColumnInfo = { name: 'id', type: 'bigint', notNull: true, stats: { nullFraction: 0, distinct: -1, commonValues: [], commonFrequencies: [] } };
      assert.equal(distinctValues(id, 5000), 5000);
      assert.equal(distinctValues(id, null), undefined);
      assert.equal(parameterSelectivity(id, 5000), 1 / 5000);
      assert.equal(parameterSelectivity(status, 1000), 0.9 / 5);
    });
  });
});

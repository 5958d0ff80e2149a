/**
 * Parameter values sampled from column statistics, on a real server: a
 * table with skewed data, analysed; the inferred columns read through the
 * safe runner; the most common value for an equality, the median histogram
 * bound for a unique column, 10 for LIMIT; a table never analysed named as
 * the reason; and the sampled values bound to the real EXPLAIN.
 */
import assert from 'node:assert/strict';
import { analysePlan } from '../../src/core/plan';
import { inferParameterColumns, sampleParameters, type SampledParameter } from '../../src/core/sql/parameterSamples';
import { loadSqlParser } from '../../src/core/sql/parser';
import { readColumnStatistics } from '../../src/db/columnSamples';
import type { Database } from '../../src/db/types';
import { asSuperuser, onEachServer, openOn } from './stats/support';

const DB = 'pgi_column_samples';

async function sample(db: Database, sql: string, count: number): Promise<SampledParameter[]> {
  const columns = inferParameterColumns(sql, count);
  return sampleParameters(columns, await readColumnStatistics(db, columns.requests), count);
}

onEachServer('db: parameter values from column statistics', (server) => {
  let db: Database;

  before(async function () {
    this.timeout(60_000);
    await loadSqlParser();
    await server().createDatabase(DB);
    // Skewed: 'paid' is 70% of the rows, then 'new', 'shipped', 'refunded' ever rarer. The ids
    // are all distinct, so pg_stats gives them a histogram and no common values.
    await asSuperuser(server(), DB, `
      CREATE SCHEMA shop;
      CREATE TABLE shop.orders (id int PRIMARY KEY, status text NOT NULL, placed_on date NOT NULL, "Note" text);
      INSERT INTO shop.orders
        SELECT g, CASE WHEN g % 10 < 7 THEN 'paid' WHEN g % 10 < 9 THEN 'new' WHEN g % 100 < 99 THEN 'shipped' ELSE 'refunded' END,
               date '2024-01-01' + (g % 3), CASE WHEN g % 2 = 0 THEN 'it''s "quoted"' END
        FROM generate_series(1, 20000) g;
      CREATE TABLE shop.unanalysed (id int, kind text);
      ALTER TABLE shop.orders SET (autovacuum_enabled = false);
      ALTER TABLE shop.unanalysed SET (autovacuum_enabled = false);
      ANALYZE shop.orders;
      ALTER DATABASE ${DB} SET search_path = shop, public;
    `);
    db = openOn(server(), DB);
  });

  after(async () => {
    await db?.close();
  });

  it('takes the most common value for an equality, the median bound for a unique column, 10 for LIMIT', async () => {
    const sql = 'SELECT o.id FROM orders o WHERE o.status = $1 AND o.id > $2 ORDER BY o.id LIMIT $3';
    const sampled = await sample(db, sql, 3);
    assert.deepEqual(sampled.map((s) => s.value), ['paid', sampled[1]!.value, '10']);
    assert.match(sampled[0]!.value === undefined ? '' : sampled[0]!.source, /^orders\.status text, most common value$/);
    const median = Number(sampled[1]!.value);
    // The histogram's middle bound of 1..20000 sits near the middle (each bucket holds ~1% of the rows).
    assert.ok(median > 8000 && median < 12000, `median bound ${median}`);
    assert.match(sampled[1]!.value === undefined ? '' : sampled[1]!.source, /median of the histogram/);
  });

  it('reads dates and quoted text in their text form, for IN lists and unqualified columns', async () => {
    const sampled = await sample(db, 'SELECT count(*) FROM shop.orders WHERE placed_on IN ($1, $2) AND "Note" = $3', 3);
    assert.equal(sampled[0]!.value, sampled[1]!.value);
    assert.match(sampled[0]!.value ?? '', /^2024-01-0[123]$/);
    assert.equal(sampled[2]!.value, 'it\'s "quoted"');
  });

  it('names what it cannot sample: a table never analysed, a missing column, a parameter compared to nothing', async () => {
    const sampled = await sample(db, 'SELECT * FROM unanalysed u WHERE u.kind = $1 AND u.missing = $2 AND $3::int > 0', 3);
    assert.deepEqual(sampled.map((s) => (s.value === undefined ? s.reason : s.value)), [
      'unanalysed has no statistics (run ANALYZE unanalysed)',
      'the catalog has no column unanalysed.missing',
      'it is not compared to a column',
    ]);
  });

  it('binds the sampled values to the real EXPLAIN ANALYZE, which finds the rows they stand for', async () => {
    const sql = 'SELECT o.id FROM orders o WHERE o.status = $1 AND o.placed_on = $2';
    const sampled = await sample(db, sql, 2);
    const values = sampled.map((s) => s.value ?? null);
    assert.ok(values.every((v) => v !== null), JSON.stringify(sampled));
    const result = await db.explain(sql, values, { analyze: true });
    const scan = analysePlan(result.plan).plan.nodes.find((n) => n.relation?.name === 'orders');
    assert.ok((scan?.rows.actualTotal ?? 0) > 1000, `rows found: ${scan?.rows.actualTotal}`);
  });
});

/**
 * The batched forms `n-plus-one` proposes in plain SQL, run on a real
 * server: each replaces a loop of one statement per row with one statement,
 * and leaves the table as the loop would have (the loop's result is built
 * first on a copy, then compared).
 */
import assert from 'node:assert/strict';
import type { Client } from 'pg';
import { adminClient } from './helpers';
import { testServer } from './server';

const DB = 'pgi_batch_forms';

describe('db: the batched forms n-plus-one proposes do what the loop did, in one statement', () => {
  let c: Client;
  const rows = Array.from({ length: 500 }, (_, i) => ({ id: i + 1, name: `name ${i + 1}` }));
  const ids = rows.map((r) => r.id);
  const names = rows.map((r) => r.name);

  before(async () => {
    await testServer().createDatabase(DB);
    c = await adminClient(DB);
    await c.query('CREATE TABLE looped (id int PRIMARY KEY, name text); CREATE TABLE batched (id int PRIMARY KEY, name text)');
    // What the loop does: one statement per row.
    for (const r of rows) await c.query('INSERT INTO looped (id, name) VALUES ($1, $2)', [r.id, r.name]);
  });
  after(async () => {
    await c?.end();
  });

  const same = async () => {
    const { rows: diff } = await c.query('(SELECT * FROM looped EXCEPT SELECT * FROM batched) UNION ALL (SELECT * FROM batched EXCEPT SELECT * FROM looped)');
    assert.equal(diff.length, 0, JSON.stringify(diff.slice(0, 3)));
  };

  it('INSERT … SELECT * FROM unnest($1::int[], $2::text[]) inserts every row', async () => {
    const r = await c.query('INSERT INTO batched (id, name) SELECT * FROM unnest($1::int[], $2::text[])', [ids, names]);
    assert.equal(r.rowCount, rows.length);
    await same();
  });

  it('UPDATE … FROM unnest(…) updates every row', async () => {
    for (const r of rows.slice(0, 100)) await c.query('UPDATE looped SET name = $2 WHERE id = $1', [r.id, `${r.name}!`]);
    const r = await c.query('UPDATE batched AS t SET name = u.name FROM unnest($1::int[], $2::text[]) AS u(id, name) WHERE t.id = u.id', [ids.slice(0, 100), names.slice(0, 100).map((n) => `${n}!`)]);
    assert.equal(r.rowCount, 100);
    await same();
  });

  it('DELETE … WHERE id = ANY($1) deletes every row, and SELECT … WHERE id = ANY($1) reads them', async () => {
    const gone = ids.filter((id) => id % 7 === 0);
    const read = await c.query('SELECT id FROM batched WHERE id = ANY($1) ORDER BY id', [gone]);
    assert.deepEqual(read.rows.map((r: { id: number }) => r.id), gone);
    for (const id of gone) await c.query('DELETE FROM looped WHERE id = $1', [id]);
    const r = await c.query('DELETE FROM batched WHERE id = ANY($1)', [gone]);
    assert.equal(r.rowCount, gone.length);
    await same();
  });
});

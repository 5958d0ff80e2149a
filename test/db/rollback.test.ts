/**
 * Every writing statement kind runs under EXPLAIN ANALYZE (it really
 * executes: the plan carries actual row counts) and leaves the database
 * exactly as it was: row contents and catalog compared before and after.
 */
import assert from 'node:assert/strict';
import type { Client } from 'pg';
import type { Database, StatementSafety } from '../../src/db/types';
import { adminClient, openDatabase, type CapturingLog } from './helpers';
import { snapshot } from './snapshot';
import { testServer } from './server';

const DB = 'pgi_rollback';

const schema = `
  CREATE TABLE items (id serial PRIMARY KEY, name text NOT NULL, qty int NOT NULL);
  CREATE TABLE audit (item_id int, note text);
  CREATE TABLE incoming (id int, name text, qty int);
  INSERT INTO items (name, qty) VALUES ('apple', 1), ('pear', 2), ('plum', 3);
  INSERT INTO incoming VALUES (1, 'apple', 10), (9, 'fig', 9);
  CREATE FUNCTION audit_item() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN INSERT INTO audit VALUES (NEW.id, 'changed'); RETURN NEW; END $$;
  CREATE TRIGGER items_audit AFTER INSERT OR UPDATE ON items FOR EACH ROW EXECUTE FUNCTION audit_item();
  CREATE FUNCTION add_item(n text) RETURNS int LANGUAGE sql VOLATILE AS $$
    INSERT INTO items (name, qty) VALUES (n, 0) RETURNING id $$;
  CREATE FUNCTION ddl(stmt text) RETURNS int LANGUAGE plpgsql VOLATILE AS $$
    BEGIN EXECUTE stmt; RETURN 1; END $$;
`;

/** The largest "Actual Rows" anywhere in a JSON plan: > 0 proves the statement executed. */
function actualRows(plan: unknown): number {
  let max = -1;
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === 'object') {
      for (const [k, child] of Object.entries(v)) {
        if (k === 'Actual Rows' && typeof child === 'number') max = Math.max(max, child);
        visit(child);
      }
    }
  };
  visit(plan);
  return max;
}

describe('db: EXPLAIN ANALYZE of writing statements is always rolled back', function () {
  let db: Database;
  let log: CapturingLog;
  let admin: Client;

  before(async () => {
    await testServer().createDatabase(DB);
    admin = await adminClient(DB);
    await admin.query(schema);
    ({ db, log } = openDatabase(DB));
  });
  after(async () => {
    await db?.close();
    await admin?.end();
  });

  const kinds: ReadonlyArray<readonly [string, string]> = [
    ['INSERT (with a trigger that writes an audit row)', "INSERT INTO items (name, qty) VALUES ('kiwi', 4)"],
    ['UPDATE', 'UPDATE items SET qty = qty + 100'],
    ['DELETE', 'DELETE FROM items WHERE qty > 1'],
    ['MERGE', 'MERGE INTO items t USING incoming s ON t.id = s.id WHEN MATCHED THEN UPDATE SET qty = s.qty WHEN NOT MATCHED THEN INSERT (name, qty) VALUES (s.name, s.qty)'],
    ['data-modifying CTE', 'WITH gone AS (DELETE FROM items RETURNING *) INSERT INTO audit SELECT id, name FROM gone'],
    ['SELECT ... FOR UPDATE', 'SELECT * FROM items FOR UPDATE'],
    ['SELECT INTO', 'SELECT * INTO items_copy FROM items'],
    ['CREATE TABLE AS', 'CREATE TABLE items_backup AS SELECT * FROM items'],
    ['CREATE MATERIALIZED VIEW', 'CREATE MATERIALIZED VIEW item_totals AS SELECT sum(qty) FROM items'],
    ['a volatile user function that inserts', "SELECT add_item('from a function')"],
    ['CREATE TABLE (through a function)', "SELECT ddl('CREATE TABLE made_here (id int)')"],
    ['ALTER TABLE ADD COLUMN (through a function)', "SELECT ddl('ALTER TABLE items ADD COLUMN extra text DEFAULT ''x''')"],
    ['DROP TABLE (through a function)', "SELECT ddl('DROP TABLE incoming')"],
    ['TRUNCATE (through a function)', "SELECT ddl('TRUNCATE items, audit')"],
    ['CREATE INDEX (through a function)', "SELECT ddl('CREATE INDEX items_name_idx ON items (name)')"],
  ];

  for (const [kind, sql] of kinds) {
    it(kind, async () => {
      const before = await snapshot(admin);
      const asked: StatementSafety[] = [];
      const result = await db.explain(sql, [], { analyze: true }, { confirmWrite: (s) => { asked.push(s); return Promise.resolve(true); } });
      assert.equal(asked.length, 1, 'the write was confirmed first');
      assert.equal(result.safety.verdict, 'write');
      assert.equal(result.rolledBack, true);
      assert.ok(actualRows(result.plan) > 0, `the statement executed: ${JSON.stringify(result.plan).slice(0, 300)}`);
      assert.deepEqual(await snapshot(admin), before);
      assert.ok(log.statements.some((s) => s.firstLine === 'ROLLBACK'), 'the transaction was rolled back');
    });
  }

  it('still rolls back when the writing statement fails halfway', async () => {
    const before = await snapshot(admin);
    // The first rows are inserted, then the division fails.
    const sql = 'INSERT INTO items (name, qty) SELECT name, 10 / (qty - 2) FROM items ORDER BY id';
    await assert.rejects(db.explain(sql, [], { analyze: true }, { confirmWrite: () => Promise.resolve(true) }), /division by zero/);
    assert.deepEqual(await snapshot(admin), before);
  });

  it('DDL given directly has no plan: refused before anything runs', async () => {
    for (const sql of ['CREATE TABLE t2 (id int)', 'ALTER TABLE items ADD COLUMN c int', 'DROP TABLE items', 'TRUNCATE items', 'CREATE INDEX ON items (qty)']) {
      const before = await snapshot(admin);
      const sent = log.statements.length;
      const e = await db.explain(sql, [], { analyze: true }, { confirmWrite: () => Promise.resolve(true) }).then(() => null, (err: unknown) => err as { kind: string; message: string });
      assert.equal(e?.kind, 'refused', sql);
      assert.match(e.message, /no plan/);
      assert.equal(log.statements.length, sent, `nothing was sent for ${sql}`);
      assert.deepEqual(await snapshot(admin), before);
    }
  });

  it('EXPLAIN without ANALYZE of a write only plans it, in a read-only transaction', async () => {
    const before = await snapshot(admin);
    const result = await db.explain('DELETE FROM items', [], { analyze: false }, { confirmWrite: () => Promise.reject(new Error('must not ask')) });
    assert.equal(result.rolledBack, false);
    assert.equal(actualRows(result.plan), -1, 'no actual rows: nothing executed');
    assert.ok(log.statements.some((s) => s.firstLine.startsWith('BEGIN READ ONLY')));
    assert.deepEqual(await snapshot(admin), before);
  });
});

/**
 * Index advice verified against real servers: the tier's embedded
 * PostgreSQL 18 (no HypoPG: the real index is built inside a transaction
 * and rolled back, and the catalog shows it is gone afterwards) and
 * Debian's PostgreSQL 15 with HypoPG (hypothetical indexes, nothing built).
 * The candidates come from the live schema, as in the editor.
 */
import assert from 'node:assert/strict';
import { Client } from 'pg';
import { statementCandidates, type IndexCandidate } from '../../src/core/advice/statementCandidates';
import { createDatabase } from '../../src/db';
import { readSchema } from '../../src/db/catalog';
import { createIndexNow, verifyCandidates, type CandidateOutcome, type TableSize, type VerifyRequest } from '../../src/db/indexVerify';
import type { Database } from '../../src/db/types';
import { startDebianPostgres15, type TestServer } from '../support/postgres';
import { CapturingLog, rejection, until } from './helpers';
import { testServer } from './server';

const SETUP = `
  CREATE TABLE customers (id int PRIMARY KEY, name text NOT NULL);
  INSERT INTO customers SELECT g, 'customer ' || g FROM generate_series(1, 2000) g;
  CREATE TABLE orders (id int PRIMARY KEY, customer_id int NOT NULL REFERENCES customers, note text NOT NULL, amount int NOT NULL, status text NOT NULL);
  INSERT INTO orders SELECT g, 1 + g % 2000, 'note ' || g, g % 100, CASE WHEN g % 100 = 0 THEN 'pending' ELSE 'done' END FROM generate_series(1, 100000) g;
  ANALYZE customers, orders;
`;
const ON_NOTE = "SELECT o.id, c.name FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.note = 'note 4242'";
const MB = 1024 * 1024;

function open(server: TestServer, database: string, production = false): Database {
  return createDatabase(
    {
      profile: { id: `test:${database}`, name: database, source: 'user-settings', host: server.host, port: server.port, database, user: server.user, sslmode: 'disable', ...(production ? { production: true } : {}) },
      password: server.password,
    },
    { statementTimeoutMs: 30_000, lockTimeoutMs: 5_000, connectTimeoutMs: 10_000, poolMax: 3 },
    new CapturingLog(),
  );
}

async function withClient<T>(server: TestServer, database: string, fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ host: server.host, port: server.port, user: server.user, password: server.password, database });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** Index names on the test tables, straight from pg_class: what really exists. */
async function indexNames(server: TestServer, database: string): Promise<string[]> {
  return withClient(server, database, async (c) => (await c.query<{ relname: string }>(
    "SELECT i.relname FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid WHERE x.indrelid IN ('orders'::regclass, 'customers'::regclass) ORDER BY 1",
  )).rows.map((r) => r.relname));
}

async function candidatesFor(db: Database, sql: string): Promise<IndexCandidate[]> {
  return statementCandidates(sql, await readSchema(db));
}

function verified(outcomes: readonly CandidateOutcome[], name: string): Extract<CandidateOutcome, { status: 'verified' }> {
  const o = outcomes.find((x) => x.name === name);
  assert.ok(o, `no outcome for ${name}: ${JSON.stringify(outcomes)}`);
  assert.equal(o.status, 'verified', JSON.stringify(o));
  return o;
}

describe('index advice verified on embedded PostgreSQL 18 (no HypoPG: real index in a rolled-back transaction)', function () {
  this.timeout(120_000);
  const database = 'index_verify';
  const server = () => testServer();
  let db: Database;
  const asked: TableSize[][] = [];
  const request = (sql: string, candidates: readonly IndexCandidate[], extra: Partial<VerifyRequest> = {}): VerifyRequest => ({
    sql,
    values: [],
    analyze: false,
    candidates,
    maxTableBytes: 100 * MB,
    confirm: (tables) => {
      asked.push([...tables]);
      return Promise.resolve(true);
    },
    ...extra,
  });

  before(async () => {
    await server().createDatabase(database);
    await withClient(server(), database, (c) => c.query(SETUP));
    db = open(server(), database);
  });

  after(async () => {
    await db?.close();
  });

  it('builds each candidate inside a transaction, measures cost and time before and after, and rolls it back', async () => {
    const candidates = await candidatesFor(db, ON_NOTE);
    assert.deepEqual(candidates.map((c) => c.name), ['orders_note_idx']);
    asked.length = 0;
    const result = await verifyCandidates(db, request(ON_NOTE, candidates, { analyze: true }));
    assert.equal(result.method, 'rolled-back');
    assert.equal(asked.length, 1, 'confirmation asked once');
    assert.deepEqual(asked[0]?.map((t) => t.table), ['orders']);
    assert.ok((asked[0]?.[0]?.bytes ?? 0) > 1 * MB);
    const note = verified(result.outcomes, 'orders_note_idx');
    assert.equal(note.method, 'rolled-back');
    assert.equal(note.verdict.helps, true, JSON.stringify(note));
    assert.ok(note.after.totalCost < note.before.totalCost * 0.2, `${note.before.totalCost} → ${note.after.totalCost}`);
    assert.ok(note.after.indexes.includes('orders_note_idx'));
    assert.ok(note.before.timeMs !== undefined && note.after.timeMs !== undefined, 'ANALYZE times measured for a read-only statement');
    // Nothing was kept: the catalog has only the primary keys.
    assert.deepEqual(await indexNames(server(), database), ['customers_pkey', 'orders_pkey']);
  });

  it('finds that an index on an unselective range does not help', async () => {
    const sql = 'SELECT sum(amount) FROM orders WHERE amount >= 1';
    const candidates = await candidatesFor(db, sql);
    assert.deepEqual(candidates.map((c) => c.name), ['orders_amount_idx']);
    const result = await verifyCandidates(db, request(sql, candidates));
    const o = verified(result.outcomes, 'orders_amount_idx');
    assert.equal(o.verdict.helps, false);
    assert.match(o.verdict.why ?? '', /does not use the index|less than the 20 %/);
  });

  it('verifies a trigram index for a leading-wildcard LIKE, creating pg_trgm inside the trial only', async () => {
    const sql = "SELECT id FROM orders WHERE note LIKE '%note 4242%'";
    const candidates = await candidatesFor(db, sql);
    assert.deepEqual(candidates.map((c) => c.ddl), ['CREATE INDEX CONCURRENTLY orders_note_trgm_idx ON orders USING gin (note gin_trgm_ops);']);
    const result = await verifyCandidates(db, request(sql, candidates));
    assert.equal(verified(result.outcomes, 'orders_note_trgm_idx').verdict.helps, true);
    const ext = await withClient(server(), database, (c) => c.query("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'"));
    assert.equal(ext.rowCount, 0, 'pg_trgm was rolled back with the trial');
    assert.deepEqual(await indexNames(server(), database), ['customers_pkey', 'orders_pkey']);
  });

  it('verifies a statement with $n planned generically (the simple protocol, one parsed statement)', async () => {
    const sql = 'SELECT id, customer_id FROM orders WHERE note = $1';
    const candidates = await candidatesFor(db, sql);
    const result = await verifyCandidates(db, request(sql, candidates, { genericPlan: true }));
    assert.equal(verified(result.outcomes, 'orders_note_idx').verdict.helps, true);
  });

  it('never builds an expression index whose expression would do what a rollback cannot undo', async () => {
    // A function that claims IMMUTABLE (PostgreSQL then accepts it in an index) but takes a sequence value.
    await withClient(server(), database, (c) => c.query(`CREATE SEQUENCE IF NOT EXISTS lying_counter;
      CREATE OR REPLACE FUNCTION lying_bucket(int) RETURNS int LANGUAGE plpgsql IMMUTABLE AS $$ BEGIN PERFORM nextval('lying_counter'); RETURN $1 % 10; END $$`));
    const sequence = async () => (await withClient(server(), database, (c) => c.query<{ v: string }>('SELECT last_value::text || is_called::text AS v FROM lying_counter'))).rows[0]?.v;
    const before = await sequence();
    const sql = 'SELECT id FROM orders WHERE lying_bucket(amount) = 3';
    const candidates = await candidatesFor(db, sql);
    assert.ok(candidates.some((c) => c.ddl.includes('lying_bucket(amount)')), JSON.stringify(candidates.map((c) => c.ddl)));
    const result = await verifyCandidates(db, request(sql, candidates));
    const o = result.outcomes.find((x) => x.name.includes('lying_bucket'));
    assert.equal(o?.status, 'skipped', JSON.stringify(result));
    assert.match(o?.status === 'skipped' ? o.reason : '', /every row.*nextval.*lying_bucket/);
    assert.equal(await sequence(), before, 'no sequence value was taken');
    assert.deepEqual(await indexNames(server(), database), ['customers_pkey', 'orders_pkey']);
  });

  it('explains a writing statement without ANALYZE and leaves its table unchanged', async () => {
    const sql = "UPDATE orders SET amount = amount + 1 WHERE note = 'note 7'";
    const candidates = await candidatesFor(db, sql);
    const result = await verifyCandidates(db, request(sql, candidates, { analyze: true }));
    const o = verified(result.outcomes, 'orders_note_idx');
    assert.equal(o.before.timeMs, undefined);
    assert.equal(o.verdict.helps, true);
    const amount = await withClient(server(), database, (c) => c.query<{ amount: number }>('SELECT amount FROM orders WHERE id = 7'));
    assert.equal(amount.rows[0]?.amount, 7);
  });

  it('skips tables over the size limit without asking, and builds nothing when the user declines', async () => {
    const candidates = await candidatesFor(db, ON_NOTE);
    asked.length = 0;
    const big = await verifyCandidates(db, request(ON_NOTE, candidates, { maxTableBytes: 1 * MB }));
    assert.equal(big.method, 'none');
    assert.equal(asked.length, 0);
    assert.equal(big.outcomes.length, 1);
    for (const o of big.outcomes) assert.match(o.status === 'skipped' ? o.reason : '', /over the limit of 1\.0 MB .*indexVerifyMaxTableMb/);
    const declined = await verifyCandidates(db, request(ON_NOTE, candidates, { confirm: () => Promise.resolve(false) }));
    assert.equal(declined.method, 'none');
    assert.match(declined.note ?? '', /not confirmed/);
  });

  it('never builds a trial index on a production connection', async () => {
    const prod = open(server(), database, true);
    try {
      const result = await verifyCandidates(prod, request(ON_NOTE, await candidatesFor(prod, ON_NOTE), { confirm: () => Promise.reject(new Error('must not ask')) }));
      assert.equal(result.method, 'none');
      assert.match(result.note ?? '', /production connection/);
      const refused = await rejection(() => prod.trial('a writing trial', () => Promise.resolve(1), { write: true }));
      assert.equal(refused.kind, 'refused');
      const [c] = await candidatesFor(prod, ON_NOTE);
      assert.ok(c);
      const refusedCreate = await rejection(() => createIndexNow(prod, c));
      assert.equal(refusedCreate.kind, 'refused');
    } finally {
      await prod.close();
    }
    assert.deepEqual(await indexNames(server(), database), ['customers_pkey', 'orders_pkey']);
  });

  it('creates a verified index for real with CREATE INDEX CONCURRENTLY, outside a transaction', async () => {
    const [c] = await candidatesFor(db, ON_NOTE);
    assert.ok(c);
    await createIndexNow(db, c);
    const valid = await withClient(server(), database, (cl) => cl.query<{ valid: boolean }>("SELECT indisvalid AS valid FROM pg_index WHERE indexrelid = 'orders_note_idx'::regclass"));
    assert.equal(valid.rows[0]?.valid, true);
    // Now the candidate is covered, and a second build of the same name is refused.
    assert.deepEqual(await candidatesFor(db, ON_NOTE), []);
    assert.equal((await rejection(() => createIndexNow(db, c))).kind, 'refused');
    await withClient(server(), database, (cl) => cl.query('DROP INDEX orders_note_idx'));
  });
  it('drops the invalid index a failed concurrent build leaves behind', async () => {
    // amount repeats, so a unique build fails after the index entry is in the catalog.
    const failing = { name: 'orders_amount_unique_idx', schema: 'public', ddl: 'CREATE UNIQUE INDEX CONCURRENTLY orders_amount_unique_idx ON orders (amount);' };
    const error = await rejection(() => createIndexNow(db, failing));
    assert.match(error.message, /could not create unique index|duplicate/i);
    assert.deepEqual(await indexNames(server(), database), ['customers_pkey', 'orders_pkey']);
  });

  it('runs statements outside a transaction with the runner\'s timeout, cancellable, one statement at a time', async () => {
    const timedOut = await rejection(() => db.outsideTransaction('a slow statement', 'SELECT pg_sleep(5)', { statementTimeoutMs: 200 }));
    assert.equal(timedOut.kind, 'statement-timeout');
    const abort = new AbortController();
    const started = Date.now();
    const pending = rejection(() => db.outsideTransaction('a cancelled statement', 'SELECT pg_sleep(5)', { signal: abort.signal }));
    await until('the statement to run on the server', async () => withClient(server(), database, async (c) => (await c.query("SELECT 1 FROM pg_stat_activity WHERE query LIKE '%pg_sleep(5)%' AND state = 'active' AND pid <> pg_backend_pid()")).rowCount === 1));
    abort.abort();
    assert.equal((await pending).kind, 'cancelled');
    assert.ok(Date.now() - started < 4_000, 'cancelled on the server, not waited out');
    assert.equal((await rejection(() => db.outsideTransaction('two statements', 'SELECT 1; SELECT 2'))).kind, 'syntax');
  });
});

describe('index advice verified on PostgreSQL 15 with HypoPG (pending when Debian\'s PostgreSQL 15 is not installed)', function () {
  this.timeout(120_000);
  const database = 'index_verify_hypo';
  let server: TestServer | null = null;
  let db: Database;
  const request = (sql: string, candidates: readonly IndexCandidate[]): VerifyRequest => ({
    sql,
    values: [],
    analyze: true,
    candidates,
    maxTableBytes: 1,
    confirm: () => Promise.reject(new Error('HypoPG needs no confirmation')),
  });

  before(async function () {
    server = await startDebianPostgres15();
    if (!server) this.skip();
    await server.createDatabase(database);
    await withClient(server, database, (c) => c.query(`CREATE EXTENSION hypopg; ${SETUP}`));
    db = open(server, database);
  });

  after(async () => {
    await db?.close();
    await server?.stop();
  });

  it('verifies candidates with hypothetical indexes, ignoring the size limit, and builds nothing', async () => {
    const s = server!;
    const candidates = await candidatesFor(db, ON_NOTE);
    const result = await verifyCandidates(db, request(ON_NOTE, candidates));
    assert.equal(result.method, 'hypopg');
    const note = verified(result.outcomes, 'orders_note_idx');
    assert.equal(note.method, 'hypopg');
    assert.equal(note.verdict.helps, true, JSON.stringify(note));
    assert.ok(note.after.indexes.some((i) => /btree_orders_note/.test(i)), note.after.indexes.join(', '));
    assert.equal(note.before.timeMs, undefined, 'a hypothetical index cannot be executed');
    assert.deepEqual(await indexNames(s, database), ['customers_pkey', 'orders_pkey']);
  });

  it('also verifies on a production connection, since nothing is built', async () => {
    const prod = open(server!, database, true);
    try {
      const result = await verifyCandidates(prod, request(ON_NOTE, await candidatesFor(prod, ON_NOTE)));
      assert.equal(result.method, 'hypopg');
      assert.equal(verified(result.outcomes, 'orders_note_idx').verdict.helps, true);
    } finally {
      await prod.close();
    }
  });

  it('reports a trigram candidate HypoPG cannot simulate instead of failing the others', async () => {
    const sql = "SELECT id FROM orders WHERE note LIKE '%note 4242%' AND customer_id = 42";
    const candidates = await candidatesFor(db, sql);
    assert.deepEqual(candidates.map((c) => c.name), ['orders_customer_id_idx', 'orders_customer_id_id_note_idx', 'orders_note_trgm_idx']);
    // With pg_trgm installed, HypoPG still refuses the GIN access method.
    await withClient(server!, database, (c) => c.query('CREATE EXTENSION IF NOT EXISTS pg_trgm'));
    const result = await verifyCandidates(db, request(sql, candidates));
    assert.equal(verified(result.outcomes, 'orders_customer_id_idx').verdict.helps, true);
    const trgm = result.outcomes.find((o) => o.name === 'orders_note_trgm_idx');
    assert.equal(trgm?.status, 'skipped');
    assert.match(trgm?.status === 'skipped' ? trgm.reason : '', /HypoPG cannot simulate a GIN/);
  });
});

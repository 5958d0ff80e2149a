/**
 * The statements reader against real servers: the view's columns match the
 * version table the SQL is built from, two snapshots around a known
 * workload give exactly its calls, the scope toggle, texts kept literally,
 * our own statements recognised, and a reset between snapshots.
 */
import assert from 'node:assert/strict';
import type { Client } from 'pg';
import { windowStats, type QueryStat } from '../../../src/core/stats/deltas';
import { isOwnStatement } from '../../../src/core/stats/ownTag';
import { diagnoseStatements, readSnapshot, resetStatements, type StatementsSource } from '../../../src/db/stats';
import type { Database } from '../../../src/db/types';
import type { Snapshot } from '../../../src/core/stats/types';
import { COLUMNS_BY_MAJOR } from '../../unit/stats/fixtures';
import { clientOn, onEachServer, openOn } from './support';

const DB = 'pgi_stats_statements';
const OTHER_DB = 'pgi_stats_statements_other';
const LOOKUP = 'SELECT name FROM stats_items WHERE id = $1';
const N = 7;

function find(rows: readonly QueryStat[], query: string): QueryStat {
  const r = rows.find((x) => x.query === query);
  assert.ok(r, `no statement ${JSON.stringify(query)} among:\n${rows.map((x) => x.query).join('\n')}`);
  return r;
}

onEachServer('db: pg_stat_statements reader', (server) => {
  let db: Database;
  let app: Client;
  let source: StatementsSource;
  let first: Snapshot;
  let second: Snapshot;

  before(async () => {
    await server().createDatabase(DB);
    await server().createDatabase(OTHER_DB);
    app = await clientOn(server(), DB);
    await app.query('CREATE TABLE stats_items (id int PRIMARY KEY, name text NOT NULL)');
    await app.query("INSERT INTO stats_items SELECT g, 'item ' || g FROM generate_series(1, 100) g");
    db = openOn(server(), DB);
    const diagnosis = await diagnoseStatements(db);
    assert.equal(diagnosis.availability.status, 'ready', diagnosis.availability.message);
    assert.ok(diagnosis.source);
    source = diagnosis.source;
    // The lookup exists before the first snapshot, so its delta is exactly the workload.
    await app.query(LOOKUP, [1]);
    first = await readSnapshot(db, source, 'database');
    for (let i = 1; i <= N; i++) await app.query(LOOKUP, [i]);
    for (let i = 0; i < 3; i++) await app.query('SELECT count(*) FROM stats_items WHERE name LIKE $1', [`item ${i}%`]);
    await app.query('SELECT pg_sleep(0.12)');
    await app.query(`SELECT '<img src=x onerror=alert(1)>' AS "</script><b>"`);
    second = await readSnapshot(db, source, 'database');
  });
  after(async () => {
    await app?.end();
    await db?.close();
  });

  it('finds the columns of the extension version this PostgreSQL ships, as the SQL generator expects', () => {
    const major = server().major;
    const expected = COLUMNS_BY_MAJOR[major];
    assert.ok(expected, `no column table for PostgreSQL ${major}`);
    assert.equal(source.extensionVersion, expected.extension);
    assert.deepEqual([...source.columns], expected.columns);
    assert.equal(source.hasInfo, major >= 14);
  });

  it(`counts exactly the ${N} calls run between two snapshots`, () => {
    const w = windowStats([first, second], 'last')!;
    const lookup = find(w.rows, LOOKUP);
    assert.equal(lookup.status, 'steady');
    assert.equal(lookup.calls, N);
    assert.equal(lookup.rows, N);
    assert.equal(lookup.rowsPerCall, 1);
    assert.equal(lookup.lifetimeCalls, N + 1);
    assert.ok(lookup.meanMs !== null && lookup.meanMs > 0);
    assert.ok(lookup.hitRatio !== null && lookup.hitRatio > 0.5, `hit ratio ${lookup.hitRatio}`);
    assert.equal(lookup.database, DB);
    assert.equal(lookup.user, server().user);
    assert.ok(w.spanMs !== null && w.spanMs > 0 && w.spanMs < 60_000);
  });

  it('a statement first run between the snapshots is new, with all its calls', () => {
    const w = windowStats([first, second], 'last')!;
    const like = find(w.rows, 'SELECT count(*) FROM stats_items WHERE name LIKE $1');
    assert.equal(like.status, 'new');
    assert.equal(like.calls, 3);
    const sleep = find(w.rows, 'SELECT pg_sleep($1)');
    assert.ok((sleep.meanMs ?? 0) >= 120, `pg_sleep(0.12) took ${sleep.meanMs} ms`);
    assert.equal(sleep.band, 'warning');
    assert.ok((sleep.pctOfTotal ?? 0) > 50, 'the sleep dominates the window');
  });

  it('keeps texts literally, markup included', () => {
    const w = windowStats([first, second], 'last')!;
    find(w.rows, 'SELECT $1 AS "</script><b>"');
  });

  it('recognises its own statements by their tag on this version', () => {
    const own = second.rows.filter((r) => r.query.includes('/* pg-insight */'));
    assert.ok(own.length >= 2, 'the reader\'s own reads are in the statistics');
    const stats = windowStats([first, second], 'last')!.rows;
    for (const r of own) assert.equal(stats.find((s) => s.key === r.key)?.own, true, r.query);
    // The reader's two reads of the first snapshot: the statements and the head with pg_stat_statements_info.
    assert.ok(stats.some((s) => s.own && s.query.includes('FROM public.pg_stat_statements s')));
    assert.ok(stats.some((s) => s.own && s.query.includes('FROM public.pg_stat_statements_info i')));
  });

  it('tags the transactions of its own runner too: BEGIN, SET LOCAL and COMMIT', () => {
    // Only the runner opened transactions here; the application's client sent single statements.
    const control = second.rows.filter((r) => /^\s*(BEGIN|SET|COMMIT|ROLLBACK)\b/i.test(r.query));
    assert.ok(control.length >= 3, `the runner's transaction statements are in the statistics: ${control.map((r) => r.query).join(' | ')}`);
    for (const r of control) assert.ok(isOwnStatement(r.query), r.query);
  });

  it('limits the database scope to the connected database; the all scope sees the others', async () => {
    const other = await clientOn(server(), OTHER_DB);
    try {
      await other.query('SELECT 42 AS other_database_marker');
    } finally {
      await other.end();
    }
    const mine = await readSnapshot(db, source, 'database');
    const all = await readSnapshot(db, source, 'all');
    const marker = 'SELECT $1 AS other_database_marker';
    assert.equal(mine.rows.some((r) => r.query === marker), false);
    const there = all.rows.find((r) => r.query === marker);
    assert.equal(there?.database, OTHER_DB);
    assert.ok(mine.rows.every((r) => r.dbid === mine.dbid));
    assert.equal(all.scope, 'all');
  });

  it('a reset between two snapshots shows as a reset inside the window', async () => {
    const previous = await readSnapshot(db, source, 'database');
    const resetAt = await resetStatements(db, source, server().user);
    if (server().major >= 17) assert.ok(resetAt !== null && resetAt >= previous.takenAt, 'pg_stat_statements_reset() returns its time from 17 on');
    else assert.equal(resetAt, null);
    await app.query(LOOKUP, [2]);
    const next = await readSnapshot(db, source, 'database');
    assert.ok(next.statsReset !== null && next.statsReset >= previous.takenAt, 'pg_stat_statements_info.stats_reset moved');
    const w = windowStats([previous, next], 'last')!;
    assert.equal(w.resetInWindow, true);
    assert.equal(find(w.rows, LOOKUP).calls, 1);
    // The window starts at the reset: what ran before it did not vanish inside the window, it is simply not in it.
    assert.deepEqual(w.vanished, []);
    assert.ok(next.rows.length < previous.rows.length, 'statements not run since the reset are gone');
  });
});

/**
 * A well-kept database: keys everywhere, foreign keys indexed, statistics
 * fresh, nothing bloated. The whole report must run without errors, and the
 * table-level checks must find nothing to warn about.
 */
import assert from 'node:assert/strict';
import type { Client } from 'pg';
import { ALL_CHECKS } from '../../../src/core/health';
import { flushStats, freshDatabase, openHealthDb, runAll, type HealthDb } from './support';

describe('health checks: a clean database (db)', function () {
  this.timeout(60_000);
  let admin: Client;
  let h: HealthDb;

  before(async () => {
    admin = (await freshDatabase('health_clean')).admin;
    await admin.query(`
      CREATE TABLE users (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email text NOT NULL UNIQUE, created_at timestamptz NOT NULL DEFAULT now());
      CREATE TABLE posts (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                          user_id bigint NOT NULL REFERENCES users (id), title text NOT NULL, body text);
      CREATE INDEX posts_user_id_idx ON posts (user_id);
      CREATE TABLE post_tags (post_id bigint NOT NULL REFERENCES posts (id), tag text NOT NULL, PRIMARY KEY (post_id, tag));
      INSERT INTO users (email) SELECT 'u' || g || '@example.com' FROM generate_series(1, 2000) g;
      INSERT INTO posts (user_id, title, body) SELECT 1 + g % 2000, 'title ' || g, repeat('b', 200) FROM generate_series(1, 20000) g;
      INSERT INTO post_tags SELECT g, 'tag-' || (g % 10) FROM generate_series(1, 20000) g;`);
    await admin.query('VACUUM ANALYZE');
    await flushStats(admin);
    h = await openHealthDb('health_clean');
  });

  after(async () => {
    await h?.close();
    await admin?.end();
  });

  it('runs every check without an error, and the table-level ones find nothing to warn about', async () => {
    const results = await runAll(h);
    assert.equal(results.length, ALL_CHECKS.length);
    for (const r of results) assert.notEqual(r.status, 'error', `${r.id}: ${r.reason}`);
    const tableLevel = results.filter((r) => r.level === 'table');
    assert.ok(tableLevel.length >= 10, `${tableLevel.length} table-level checks`);
    const complaints = tableLevel.flatMap((r) => r.findings.filter((f) => f.severity !== 'info').map((f) => `${r.id}: ${f.message}`));
    assert.deepEqual(complaints, []);
    for (const r of tableLevel) assert.ok(r.status === 'ok' || r.status === 'info', `${r.id} is ${r.status}`);
    // Each result says what it ran.
    for (const r of results.filter((x) => x.status !== 'skipped')) assert.ok(r.sql.length > 0, r.id);
  });
});

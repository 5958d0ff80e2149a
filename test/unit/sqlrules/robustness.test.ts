/**
 * The SQL rules never throw and never hang: every statement kind the
 * grammar knows, and random damage to them (seeded, so a failure repeats).
 */
import assert from 'node:assert/strict';
import type { SchemaModel } from '../../../src/core/schema/model';
import { loadSqlParser } from '../../../src/core/sql/parser';
import { check, schemaOf, SHOP_DDL } from './support';

const STATEMENTS = [
  'SELECT * FROM users u, LATERAL (SELECT * FROM orders o WHERE o.user_id = u.id ORDER BY created_at DESC LIMIT 3) last',
  'SELECT * FROM ROWS FROM (generate_series(1, 3)) AS g(n) JOIN users ON users.id = g.n',
  "SELECT * FROM users WHERE (email, name) = ($1, $2) AND ROW(id, tenant_id) > ROW(1, 2)",
  'SELECT * FROM orders WHERE ARRAY[status] && $1::text[] AND (total)[1] = 2',
  "SELECT count(*) FILTER (WHERE status = 'x') OVER (PARTITION BY user_id ORDER BY created_at) FROM orders",
  "SELECT CASE WHEN name = $1 THEN 1 ELSE 2 END FROM users WHERE CASE WHEN tenant_id = 1 THEN true END",
  'VALUES (1, 2), (3, 4)',
  'SELECT * FROM (VALUES (1), (2)) v(x) JOIN users ON users.id = v.x WHERE v.x = 1',
  'WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t WHERE n < 10) SELECT * FROM t JOIN users ON users.id = t.n',
  'WITH d AS (DELETE FROM orders WHERE created_at < $1 RETURNING user_id) SELECT * FROM users WHERE id IN (SELECT user_id FROM d)',
  'INSERT INTO orders (user_id, status, total) VALUES ($1, $2, $3) ON CONFLICT (id) DO UPDATE SET total = EXCLUDED.total WHERE orders.status = $4',
  'UPDATE users SET name = u2.name FROM users u2 WHERE u2.email = users.email AND users.id = $1 RETURNING *',
  'MERGE INTO users t USING (SELECT $1::text AS email) s ON t.email = s.email WHEN NOT MATCHED THEN INSERT (email) VALUES (s.email)',
  "SELECT * FROM users WHERE email ~ '^a' AND name SIMILAR TO 'x%' AND created_at IS DISTINCT FROM $1 AND NOT (tenant_id <> 3)",
  'SELECT * FROM users WHERE id = ANY (SELECT user_id FROM orders WHERE total > (SELECT avg(total) FROM orders))',
  "SELECT jsonb_build_object('a', 1) ? 'a', data->>'k' FROM (SELECT '{}'::jsonb AS data) x WHERE data @> '{}'",
  'SELECT * FROM users NATURAL JOIN orders FULL JOIN tags ON true CROSS JOIN LATERAL unnest($1::int[]) AS u(x)',
  'SELECT DISTINCT ON (user_id) * FROM orders ORDER BY user_id, created_at DESC, 1 FETCH FIRST 5 ROWS WITH TIES',
  'SELECT * FROM users WHERE coalesce(lower(trim(name)), email) = $1 AND -tenant_id = $2 AND +id = 1',
  'SELECT * FROM public.users AS "U" WHERE "U".email = $1 AND "U"."name" IS NOT NULL',
  'CREATE INDEX CONCURRENTLY x ON users (lower(email)) WHERE deleted_at IS NULL',
  'EXPLAIN ANALYZE SELECT * FROM users WHERE name = $1',
  'COPY users TO STDOUT',
  'DO $$ BEGIN PERFORM 1; END $$',
  "SELECT 'unterminated",
  'SELECT * FROM users WHERE',
  ';;;',
  '',
  'SELECT $1 FROM $2',
  '/* only a comment */',
];

/** A small deterministic generator, so a failing case can be replayed. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const PIECES = ['(', ')', "'", '"', '$', '$1', '?', ':x', '::', ';', ' ', 'WHERE', 'AND', 'OR', '=', '%', '😀', 'é', '\\', '--', '/*', '*/', 'users', 'FROM'];

function damage(text: string, next: () => number): string {
  let out = text;
  const edits = 1 + Math.floor(next() * 4);
  for (let i = 0; i < edits; i++) {
    const at = Math.floor(next() * (out.length + 1));
    const r = next();
    if (r < 0.4) out = out.slice(0, at) + out.slice(at + 1 + Math.floor(next() * 5));
    else if (r < 0.8) out = out.slice(0, at) + (PIECES[Math.floor(next() * PIECES.length)] ?? '') + out.slice(at);
    else out = out.slice(0, at) + out.slice(at).split('').reverse().join('');
  }
  return out;
}

describe('SQL rules robustness', function () {
  this.timeout(60_000);
  let schema: SchemaModel;
  before(async () => {
    await loadSqlParser();
    schema = schemaOf(`${SHOP_DDL} CREATE INDEX users_lower_email ON users (lower(email));`, { users: 50_000, orders: 1_000_000, tags: 50_000 });
  });

  it('handles every statement kind, with spans inside the text', () => {
    for (const sql of STATEMENTS) {
      const findings = check(sql, schema);
      for (const f of findings) {
        assert.ok(f.start >= 0 && f.end <= Math.max(sql.length, 1) && f.start < f.end, `${sql}: ${f.start}-${f.end}`);
      }
    }
  });

  it('survives 3,000 damaged statements, quickly', () => {
    const next = random(20240917);
    const started = Date.now();
    let count = 0;
    for (let round = 0; round < 100; round++) {
      for (const sql of STATEMENTS) {
        const broken = damage(sql, next);
        try {
          for (const f of check(broken, schema)) assert.ok(f.start < f.end && f.start >= 0, broken);
        } catch (e) {
          throw new Error(`check threw on ${JSON.stringify(broken)}: ${(e as Error).stack ?? String(e)}`);
        }
        count++;
      }
    }
    assert.equal(count, 3000);
    assert.ok(Date.now() - started < 30_000, `took ${Date.now() - started} ms`);
  });
});

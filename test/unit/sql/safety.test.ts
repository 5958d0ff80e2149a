import assert from 'node:assert/strict';
import { loadSqlParser, parseSql } from '../../../src/core/sql/parser';
import { classifyStatement } from '../../../src/core/sql/safety';
import { judgeFunction } from '../../../src/core/sql/functions';

type Verdict = 'read' | 'write' | 'refuse';

/** Statement, expected verdict, expected statement type, and a word the reason must contain. */
const table: ReadonlyArray<readonly [string, Verdict, string, RegExp?]> = [
  ['SELECT * FROM t WHERE id = $1', 'read', 'SELECT'],
  ['SELECT count(*), lower(name), coalesce(a, b), now() FROM t GROUP BY 2', 'read', 'SELECT'],
  ['SELECT a FROM t UNION ALL SELECT b FROM u ORDER BY 1', 'read', 'SELECT'],
  ['WITH x AS (SELECT 1) SELECT * FROM x', 'read', 'SELECT'],
  ["SELECT jsonb_build_object('a', 1), array_length(arr, 1), date_trunc('day', ts) FROM t", 'read', 'SELECT'],
  ['SELECT pg_catalog.upper(name) FROM t', 'read', 'SELECT'],
  ['SELECT pg_sleep(0.1)', 'read', 'SELECT'],
  ['VALUES (1), (2)', 'read', 'VALUES'],
  ['TABLE t', 'read', 'SELECT'],
  ['SELECT * FROM generate_series(1, 10) g', 'read', 'SELECT'],
  ['SHOW work_mem', 'read', 'SHOW'],
  ['COPY (SELECT 1) TO STDOUT', 'read', 'COPY'],
  ['INSERT INTO t (a) VALUES (1)', 'write', 'INSERT', /sequence/],
  ['UPDATE t SET a = 1 WHERE id = 2', 'write', 'UPDATE', /rolled back/],
  ['DELETE FROM t WHERE id = 2', 'write', 'DELETE'],
  ['MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN UPDATE SET a = s.a', 'write', 'MERGE'],
  ['WITH d AS (DELETE FROM t RETURNING *) SELECT count(*) FROM d', 'write', 'SELECT', /DELETE/],
  ['SELECT * FROM t FOR UPDATE', 'write', 'SELECT', /FOR UPDATE/],
  ['SELECT * FROM t FOR SHARE SKIP LOCKED', 'write', 'SELECT', /locks rows/],
  ['SELECT * INTO new_t FROM t', 'write', 'SELECT INTO', /creates a table/],
  ['WITH t AS (SELECT 1 AS id INTO items) SELECT count(*) FROM t', 'write', 'SELECT', /creates a table/],
  ['CREATE TABLE n AS SELECT * FROM t', 'write', 'CREATE TABLE AS'],
  ['CREATE MATERIALIZED VIEW mv AS SELECT 1', 'write', 'CREATE MATERIALIZED VIEW'],
  ['CREATE TABLE n (id int)', 'write', 'CREATE TABLE'],
  ['ALTER TABLE t ADD COLUMN c int', 'write', 'ALTER TABLE'],
  ['DROP TABLE t', 'write', 'DROP TABLE'],
  ['TRUNCATE t', 'write', 'TRUNCATE'],
  ['CREATE INDEX ON t (a)', 'write', 'CREATE INDEX'],
  ['SELECT my_function(1)', 'write', 'SELECT', /my_function\(\)/],
  ['SELECT * FROM t WHERE id = app.lookup(2)', 'write', 'SELECT', /app\.lookup/],
  ['SELECT myschema.lower(name) FROM t', 'write', 'SELECT', /myschema\.lower/],
  ['SELECT * FROM my_set_returning_function()', 'write', 'SELECT'],
  ['COPY t FROM STDIN', 'write', 'COPY'],
  ['DO $$ BEGIN PERFORM 1; END $$', 'write', 'DO'],
  ['LOCK TABLE t IN ACCESS EXCLUSIVE MODE', 'write', 'LOCK'],
  ['VACUUM t', 'refuse', 'VACUUM', /cannot run inside a transaction/],
  ['VACUUM (ANALYZE) t', 'refuse', 'VACUUM'],
  ['ANALYZE t', 'refuse', 'ANALYZE', /statistics/],
  ['CREATE INDEX CONCURRENTLY i ON t (a)', 'refuse', 'CREATE INDEX CONCURRENTLY'],
  ['DROP INDEX CONCURRENTLY i', 'refuse', 'DROP INDEX CONCURRENTLY'],
  ['REINDEX TABLE CONCURRENTLY t', 'refuse', 'REINDEX'],
  ['REINDEX DATABASE d', 'refuse', 'REINDEX'],
  ['CREATE DATABASE d', 'refuse', 'CREATE DATABASE'],
  ['DROP DATABASE d', 'refuse', 'DROP DATABASE'],
  ["CREATE TABLESPACE ts LOCATION '/tmp/x'", 'refuse', 'CREATE TABLESPACE'],
  ['DROP TABLESPACE ts', 'refuse', 'DROP TABLESPACE'],
  ["ALTER SYSTEM SET work_mem = '1GB'", 'refuse', 'ALTER SYSTEM', /configuration file/],
  ["COPY t TO PROGRAM 'cat > /tmp/x'", 'refuse', 'COPY', /program/],
  ["COPY t FROM PROGRAM 'cat /etc/passwd'", 'refuse', 'COPY', /program/],
  ["COPY t TO '/tmp/t.csv'", 'refuse', 'COPY', /server file/],
  ["COPY t FROM '/tmp/t.csv'", 'refuse', 'COPY', /server file/],
  ["SELECT nextval('s')", 'refuse', 'SELECT', /sequence/],
  ["INSERT INTO t (id) VALUES (nextval('s'))", 'refuse', 'INSERT', /nextval/],
  ["SELECT setval('s', 10)", 'refuse', 'SELECT', /sequence/],
  ["SELECT * FROM dblink('dbname=x', 'SELECT 1') AS r(a int)", 'refuse', 'SELECT', /dblink/],
  ["SELECT dblink_exec('dbname=x', 'DELETE FROM t')", 'refuse', 'SELECT', /dblink/],
  ['SELECT pg_terminate_backend(pid) FROM pg_stat_activity', 'refuse', 'SELECT', /another server process/],
  ['SELECT pg_cancel_backend(123)', 'refuse', 'SELECT'],
  ['SELECT pg_reload_conf()', 'refuse', 'SELECT'],
  ["SELECT lo_import('/etc/passwd')", 'refuse', 'SELECT', /file/],
  ["SELECT lo_export(1, '/tmp/x')", 'refuse', 'SELECT', /file/],
  ["SELECT pg_notify('c', 'x')", 'refuse', 'SELECT'],
  ['SELECT pg_advisory_lock(1)', 'refuse', 'SELECT', /advisory/],
  ["SELECT set_config('search_path', 'x', false)", 'refuse', 'SELECT'],
  ['SELECT pg_stat_statements_reset()', 'refuse', 'SELECT'],
  ["NOTIFY chan, 'x'", 'refuse', 'NOTIFY'],
  ['LISTEN chan', 'refuse', 'LISTEN'],
  ['BEGIN', 'refuse', 'BEGIN', /transaction/],
  ['COMMIT', 'refuse', 'COMMIT'],
  ['ROLLBACK', 'refuse', 'ROLLBACK'],
  ['SAVEPOINT s', 'refuse', 'SAVEPOINT'],
  ["PREPARE TRANSACTION 'x'", 'refuse', 'PREPARE TRANSACTION', /Prepared transactions/],
  ["COMMIT PREPARED 'x'", 'refuse', 'COMMIT PREPARED'],
  ['DISCARD ALL', 'refuse', 'DISCARD'],
  ['CHECKPOINT', 'refuse', 'CHECKPOINT'],
  ['SET work_mem = 1000', 'refuse', 'SET', /session/],
  ['RESET ALL', 'refuse', 'RESET'],
  ['EXPLAIN SELECT 1', 'refuse', 'EXPLAIN'],
  ['PREPARE p AS SELECT 1', 'refuse', 'PREPARE'],
  ['EXECUTE p', 'refuse', 'EXECUTE'],
  ["LOAD 'auto_explain'", 'refuse', 'LOAD'],
  ['CLUSTER', 'refuse', 'CLUSTER'],
];

describe('sql/safety', () => {
  before(() => loadSqlParser());

  for (const [sql, verdict, statementType, reason] of table) {
    it(`${verdict.padEnd(6)} ${sql}`, () => {
      const parsed = parseSql(sql);
      assert.ok(parsed.ok, `does not parse: ${sql}`);
      const s = parsed.statements[0]!;
      const safety = classifyStatement(s.type, s.node);
      assert.equal(safety.verdict, verdict, `${sql}: ${safety.reason ?? ''}`);
      assert.equal(safety.statementType, statementType);
      if (verdict !== 'read') assert.ok(safety.reason && /[.)]$/.test(safety.reason), `a reason in a sentence: ${safety.reason ?? ''}`);
      if (reason) assert.match(safety.reason ?? '', reason);
    });
  }

  it('only trusts built-in names that are unqualified or in pg_catalog', () => {
    assert.equal(judgeFunction(['count']).kind, 'pure');
    assert.equal(judgeFunction(['pg_catalog', 'count']).kind, 'pure');
    assert.equal(judgeFunction(['public', 'count']).kind, 'unknown');
    assert.equal(judgeFunction(['public', 'nextval']).kind, 'refuse');
    assert.equal(judgeFunction(['NEXTVAL']).kind, 'refuse');
  });
});

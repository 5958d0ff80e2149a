import assert from 'node:assert/strict';
import type { SqlText } from '../../../src/core/code/types';
import { loadSqlParser } from '../../../src/core/sql/parser';
import { checkSql, checkSqlFile } from '../../../src/core/sqlrules/check';
import { sourceFromSqlText } from '../../../src/core/sqlrules/source';
import { templateHoles } from '../../../src/core/sqlrules/source';
import { tokenSpan } from '../../../src/core/sqlrules/sql-syntax';
import { brief, check } from './support';

const syntax = (sql: string) => check(sql, undefined, ['sql-syntax']);

describe('sql-syntax', () => {
  before(() => loadSqlParser());

  it('reports what PostgreSQL would reject, at the token the parser stopped on', () => {
    const sql = 'SELECT * FORM users WHERE id = $1';
    const f = syntax(sql);
    assert.deepEqual(brief(sql, f), ['sql-syntax error "FORM"']);
    assert.equal(f[0]!.message, 'PostgreSQL would reject this SQL: syntax error at or near "FORM".');
  });

  it('is quiet on valid SQL, PostgreSQL 18 syntax and multi-statement text', () => {
    assert.deepEqual(syntax('SELECT 1; UPDATE t SET a = 1 WHERE b IN (SELECT c FROM d) RETURNING old.a, new.a'), []);
    assert.deepEqual(syntax("MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN UPDATE SET v = s.v"), []);
  });

  it('points at the end of the text when the statement is cut short', () => {
    const sql = 'SELECT * FROM users WHERE id = ';
    assert.deepEqual(brief(sql, syntax(sql)), ['sql-syntax error "="']);
    assert.match(syntax(sql)[0]!.message, /at end of input/);
  });

  it('maps the position back through ? and :name placeholders and non-ASCII text', () => {
    const q = "SELECT '👋 grüß' AS hi, name FROM users WHERE id = ? AND org = :org AND AND name = :name";
    assert.deepEqual(brief(q, syntax(q)), ['sql-syntax error "AND"']);
    assert.equal(syntax(q)[0]!.start, q.lastIndexOf('AND name'));
    const unterminated = "SELECT 'é' FROM t WHERE a = :a AND b = 'open";
    assert.deepEqual(brief(unterminated, syntax(unterminated)), ["sql-syntax error \"'open\""]);
  });

  it('maps through the source map of SQL found in code', () => {
    // const rows = await db.query(`SELECT * FROM users WHERE AND id = ${id}`);
    const code = 'const rows = await db.query(`SELECT * FROM users WHERE AND id = ${id}`);';
    const lit = code.indexOf('`') + 1;
    const sub = code.indexOf('${id}');
    const text = 'SELECT * FROM users WHERE AND id = $1';
    const sql: SqlText = {
      start: lit - 1,
      end: code.lastIndexOf('`') + 1,
      text,
      origin: 'api',
      dynamic: true,
      holes: [1],
      // Literal text, then the substitution standing for `$1`.
      map: [[0, lit, sub - lit], [sub - lit, sub, 5]],
    };
    const f = checkSql(sourceFromSqlText('app.ts', sql), undefined);
    assert.deepEqual(f.map((x) => `${x.ruleId} ${code.slice(x.start, x.end)}`), ['sql-syntax AND']);
    assert.equal(f[0]!.path, 'app.ts');
  });

  const fromCode = (text: string, holes: number[], origin: SqlText['origin'] = 'api'): SqlText => ({
    start: 0,
    end: text.length,
    text,
    origin,
    dynamic: holes.length > 0,
    ...(holes.length > 0 ? { holes } : {}),
    map: [[0, 0, text.length]],
  });
  const inCode = (text: string, holes: number[], origin: SqlText['origin'] = 'api', path = 'a.ts') =>
    checkSql(sourceFromSqlText(path, fromCode(text, holes, origin)), undefined).map((f) => text.slice(f.start, f.end));

  it('says nothing when the parser stops at or after a part code fills in at run time', () => {
    // slonik: `select ${fields} from ${table} ${where} ${limit}`: the holes are fragments.
    assert.deepEqual(inCode('select $1 from $2 $3 $4', [1, 2, 3, 4]), []);
    // node-postgres with a spliced list: `where schema in ${list}`.
    assert.deepEqual(inCode('select * from t where s in $1 order by a', [1]), []);
    // A hole right after a word may continue it: `logto_tenant_${database}`.
    assert.deepEqual(inCode('grant select on t to logto_tenant_$1 now', [1]), []);
    // The same texts with bound values ($1 written in the SQL) are wrong whatever is bound.
    assert.deepEqual(inCode('select $1 from $2 $3 $4', []), ['$2']);
  });

  it('reports an error before the first hole: no hole can repair the text before it', () => {
    assert.deepEqual(inCode('SELECT * FORM users WHERE id = $1', [1]), ['FORM']);
    assert.deepEqual(inCode('UPDATE t SET a = 1 WHERE WHERE b = $1', [1]), ['WHERE']);
  });

  it('leaves strings that only look like SQL alone: they are not executed as written', () => {
    // A RegExp source (medusa), a test's expected text (logto), a fragment.
    assert.deepEqual(inCode('create index (?!if not exists)', [], 'sql-like'), []);
    assert.deepEqual(inCode('select * from users where', [], 'sql-like'), []);
    assert.deepEqual(inCode('select * from users where', [], 'api'), ['where']);
  });

  it('leaves SQL written for SQLite, MySQL or SQL Server alone, by its syntax or its folder', () => {
    assert.deepEqual(inCode('PRAGMA temp_store = MEMORY', []), []);
    assert.deepEqual(inCode('CREATE VIRTUAL TABLE docs USING fts5(title, body)', []), []);
    assert.deepEqual(inCode('SELECT * FROM docs WHERE docs MATCH $1 ORDER BY rank', []), []);
    assert.deepEqual(inCode('SELECT `id` FROM `memo` WHERE `id` = $1', []), []);
    assert.deepEqual(inCode('INSERT OR IGNORE INTO t VALUES (1)', []), []);
    assert.deepEqual(inCode('DELETE FROM memo WHERE id = $1 AND AND', [], 'api', 'store/db/sqlite/memo.go'), []);
    assert.deepEqual(inCode('DELETE FROM memo WHERE id = $1 AND AND', [], 'api', 'store/db/postgres/memo.go'), ['AND']);
    // PostgreSQL's own MATCH in a foreign key is not a marker.
    assert.equal(checkSqlFile('a.sql', 'CREATE TABLE a (b int REFERENCES c MATCH FULL,, d int)', undefined).length, 1);
  });

  it('treats template and psql variables in .sql files as holes', () => {
    const file = 'create role logto_tenant_${database} password \'${password}\' noinherit;\ncreate trigger t before insert on ${name} for each row execute procedure f();\n';
    assert.deepEqual(checkSqlFile('tables/_before_all.sql', file, undefined), []);
    assert.deepEqual(checkSqlFile('create.sql', 'CREATE DATABASE :db;', undefined), [], 'a psql variable');
    const t = "select {{ col }} from :schema.t where a = :'v' and b = :\"w\" -- ${x}\n\\set ON_ERROR_STOP on\nselect '{a}', {b}, c::int, <%= d %>";
    assert.deepEqual(
      templateHoles(t).map((h) => t.slice(h.start, h.end)),
      ['{{ col }}', ":'v'", ':"w"', '\\set ON_ERROR_STOP on', '{b}', '<%= d %>'],
    );
    // An error before the first template variable is still certain.
    assert.equal(checkSqlFile('a.sql', 'SELEC 1;\nselect * from ${table};', undefined).length, 1);
  });

  it('honours pg-insight-ignore comments in .sql files', () => {
    const file = 'SELECT 1;\n-- pg-insight-ignore sql-syntax\nSELEC 2;\nSELEC 3;\n';
    const f = checkSqlFile('q.sql', file, undefined);
    assert.deepEqual(f.map((x) => file.slice(x.start, x.end)), ['SELEC']);
    assert.equal(f[0]!.start, file.lastIndexOf('SELEC'));
  });

  it('finds a token span at any position', () => {
    assert.deepEqual(tokenSpan('SELECT "a b" x', 7), { start: 7, end: 12 });
    assert.deepEqual(tokenSpan('SELECT ((', 9), { start: 8, end: 9 });
    assert.deepEqual(tokenSpan('', 0), { start: 0, end: 1 });
    assert.deepEqual(tokenSpan('SELECT * FROM users WHERE  ', 27), { start: 20, end: 25 });
  });
});

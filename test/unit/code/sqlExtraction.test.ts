/**
 * SQL text found in code: literal parts, interpolations as `$n`, every
 * placeholder style normalised, and offsets that map back to the source in
 * UTF-16 units even when the line holds accents, CJK or emoji.
 */
import assert from 'node:assert/strict';
import { MappedText, sqlOffsetToSource } from '../../../src/core/code/mappedText';
import { looksLikeSql } from '../../../src/core/code/sqlExtraction';
import { normalisePlaceholders, pyformatEdits } from '../../../src/core/code/sqlPlaceholders';
import type { CodeLanguage, SqlText } from '../../../src/core/code/types';
import { summarizeSnippet } from './support';

function toSource(sql: SqlText, offset: number): number {
  return sqlOffsetToSource(sql.map, sql.text.length, offset);
}

async function onlySql(language: CodeLanguage, code: string): Promise<SqlText> {
  const s = await summarizeSnippet(language, code);
  assert.equal(s.sql.length, 1, `one SQL text in ${code}: ${JSON.stringify(s.sql.map((x) => x.text))}`);
  return s.sql[0]!;
}

/** Every SQL character that came from literal text maps to the same character in the source. */
function assertCharactersMap(code: string, sql: SqlText, skip: RegExp = /\$\d+/g): void {
  const skipped = new Set<number>();
  for (const m of sql.text.matchAll(skip)) for (let i = m.index ?? 0; i < (m.index ?? 0) + m[0].length; i++) skipped.add(i);
  for (let i = 0; i < sql.text.length; i++) {
    if (skipped.has(i)) continue;
    const at = toSource(sql, i);
    assert.equal(code[at], sql.text[i], `SQL offset ${i} ('${sql.text[i] ?? ''}') maps to source ${at} ('${code[at] ?? ''}')`);
  }
}

describe('SQL extraction', () => {
  it('turns template substitutions into $n and maps offsets on a line with emoji and accents', async () => {
    const code = 'const label = "naïve 😀 日本";\nawait pool.query(`SELECT * FROM café WHERE nom = ${name} AND id = ${user.id} -- ünïcode`);\n';
    const sql = await onlySql('typescript', code);
    assert.equal(sql.text, 'SELECT * FROM café WHERE nom = $1 AND id = $2 -- ünïcode');
    assert.equal(sql.origin, 'api');
    assert.equal(sql.dynamic, true);
    assert.deepEqual(sql.holes, [1, 2], 'both substitutions are code, not bound values');
    assertCharactersMap(code, sql);
    assert.equal(toSource(sql, sql.text.indexOf('café')), code.indexOf('café'));
    assert.equal(toSource(sql, sql.text.indexOf('$2')), code.indexOf('${user.id}'));
    assert.equal(code.slice(sql.start, sql.end), '`SELECT * FROM café WHERE nom = ${name} AND id = ${user.id} -- ünïcode`');
  });

  it('decodes escapes and maps characters after them', async () => {
    const code = "await db.query('SELECT \\'é\\' AS x,\\n  \\u0041 FROM t WHERE a = $1', [a]);";
    const sql = await onlySql('typescript', code);
    assert.equal(sql.text, "SELECT 'é' AS x,\n  A FROM t WHERE a = $1");
    assert.equal(toSource(sql, sql.text.indexOf('FROM')), code.indexOf('FROM'));
    assert.equal(toSource(sql, sql.text.indexOf("'é'")), code.indexOf("\\'é"));
  });

  it('normalises ? and :name, leaving casts and jsonb operators alone', async () => {
    const code = "await knex.raw('SELECT data->>? FROM t WHERE a = ? AND b::text = :b AND data ?| array[?]', [k, a, b, c]);";
    const sql = await onlySql('typescript', code);
    assert.equal(sql.text, 'SELECT data->>$1 FROM t WHERE a = $2 AND b::text = $3 AND data ?| array[$4]');
    assert.equal(toSource(sql, sql.text.indexOf('$3')), code.indexOf(':b'));
  });

  it('reads Python f-strings, %s and %(name)s, and implicit concatenation (interpolations numbered first)', async () => {
    const code = 'cur.execute(\n    "SELECT * FROM t WHERE a = %(a)s "\n    f"AND b = {b!r} AND c = %(a)s AND d LIKE \'x%%\'",\n    params,\n)\n';
    const sql = await onlySql('python', code);
    assert.equal(sql.text, "SELECT * FROM t WHERE a = $2 AND b = $1 AND c = $2 AND d LIKE 'x%'");
    assert.equal(toSource(sql, sql.text.indexOf('AND b')), code.indexOf('AND b'));
    assert.deepEqual(sql.holes, [1], 'the f-string part is code; %(a)s goes to the driver');
  });

  it('marks what a name gained by += after its assignment as a hole at the use', async () => {
    const code = 'package p\nfunc f(limit int) {\n\tquery := `SELECT a, b FROM t WHERE u = $1`\n\tif limit > 0 {\n\t\tquery += ` AND n < $2`\n\t}\n\tdb.QueryRow(query, u, limit)\n}\n';
    const s = await summarizeSnippet('go', code);
    const sql = s.sql.find((x) => x.origin === 'api');
    assert.ok(sql, JSON.stringify(s.sql));
    assert.equal(sql.text, 'SELECT a, b FROM t WHERE u = $1$2');
    assert.deepEqual(sql.holes, [2]);
  });

  it('gives the index rules one variant per item of a list of conditions joined into the text (memos ListReactions)', async () => {
    const go = 'package p\nfunc (d *DB) List(ctx context.Context, f *Find) error {\n\twhere, args := []string{"1 = 1"}, []any{}\n\tif f.MemoID != nil {\n\t\twhere, args = append(where, "memo_id = "+placeholder(len(args)+1)), append(args, *f.MemoID)\n\t}\n\tif len(f.IDs) > 0 {\n\t\twhere = append(where, fmt.Sprintf("id IN (%s)", strings.Join(holders, ", ")))\n\t}\n\tquery := `SELECT id FROM reaction WHERE ` + strings.Join(where, " AND ") + ` ORDER BY id`\n\tif f.Limit != nil {\n\t\tquery = fmt.Sprintf("%s LIMIT %d", query, *f.Limit)\n\t}\n\t_, err := d.db.QueryContext(ctx, query, args...)\n\treturn err\n}\n';
    const sql = (await summarizeSnippet('go', go)).sql.find((x) => x.origin === 'api');
    assert.equal(sql?.text, '$1 LIMIT $2', 'sql-syntax sees only what is certain');
    assert.deepEqual(sql?.variants?.map((v) => v.text), ['SELECT id FROM reaction WHERE memo_id = $1 ORDER BY id LIMIT $2', 'SELECT id FROM reaction WHERE id IN ($1) ORDER BY id LIMIT $2']);
    const js = "async function list(f) {\n  const conds = ['true'];\n  if (f.teamId) conds.push('team_id = $1');\n  return pool.query(`SELECT * FROM events WHERE ${conds.join(' AND ')}`);\n}\n";
    assert.deepEqual((await onlySql('typescript', js)).variants?.map((v) => v.text), ['SELECT * FROM events WHERE true', 'SELECT * FROM events WHERE team_id = $1']);
    const py = 'def q(cur, f):\n    where = []\n    if f.owner:\n        where.append("owner_id = %s")\n    cur.execute("SELECT * FROM api_ping WHERE " + " AND ".join(where), args)\n';
    assert.deepEqual((await onlySql('python', py)).variants?.map((v) => v.text), ['SELECT * FROM api_ping WHERE owner_id = $1']);
  });

  it('names the option each variant depends on, and what fields a file sets', async () => {
    const store = 'package p\nfunc (d *DB) ListInboxes(ctx context.Context, find *store.FindInbox) error {\n\twhere := []string{"1 = 1"}\n\tif find.SenderID != nil {\n\t\twhere = append(where, "sender_id = $1")\n\t}\n\tif v := find.ReceiverID; v != nil {\n\t\twhere = append(where, "receiver_id = $1")\n\t}\n\t_, err := d.db.QueryContext(ctx, "SELECT id FROM inbox WHERE "+strings.Join(where, " AND "))\n\treturn err\n}\n';
    const sql = (await summarizeSnippet('go', store)).sql.find((x) => x.origin === 'api');
    assert.deepEqual(sql?.variants?.map((v) => [v.guard, v.text]), [
      ['FindInbox.SenderID', 'SELECT id FROM inbox WHERE sender_id = $1'],
      ['FindInbox.ReceiverID', 'SELECT id FROM inbox WHERE receiver_id = $1'],
    ]);
    const caller = 'package p\nfunc f() {\n\tlist, _ := s.ListInboxes(ctx, &store.FindInbox{ReceiverID: &id})\n\tmsg := store.Inbox{SenderID: 1}\n\topts.Limit = 10\n}\n';
    const fields = (await summarizeSnippet('go', caller)).setFields ?? [];
    for (const f of ['FindInbox.ReceiverID', 'Inbox.SenderID', '=Limit']) assert.ok(fields.includes(f), `${f} in ${fields.join(', ')}`);
    assert.ok(!fields.includes('FindInbox.SenderID'));
  });

  it("takes Ruby's << on a string as an addition (openfoodnetwork ProxyOrderSyncer)", async () => {
    const rb = 'def create_proxy_orders!\n  query = "INSERT INTO proxy_orders (subscription_id, order_cycle_id)"\n  query << " VALUES #{insert_values}"\n  query << " ON CONFLICT DO NOTHING"\n  ActiveRecord::Base.connection.exec_query(query)\nend\n';
    const sql = (await summarizeSnippet('ruby', rb)).sql.find((x) => x.origin === 'api');
    assert.equal(sql?.text, 'INSERT INTO proxy_orders (subscription_id, order_cycle_id)$1', 'what << adds is a hole for sql-syntax');
    assert.deepEqual(sql?.variants?.map((v) => v.text), ['INSERT INTO proxy_orders (subscription_id, order_cycle_id) VALUES $1 ON CONFLICT DO NOTHING']);
  });

  it('gives a variant that reads what += added (miniflux FetchJobs)', async () => {
    const go = 'package p\nfunc (b *B) Fetch() error {\n\tquery := `SELECT id FROM feeds`\n\tquery += " ORDER BY next_check_at ASC"\n\tquery += " LIMIT " + strconv.Itoa(b.size)\n\t_, err := b.db.Query(query)\n\treturn err\n}\n';
    const sql = (await summarizeSnippet('go', go)).sql.find((x) => x.origin === 'api');
    assert.deepEqual(sql?.variants?.map((v) => v.text), ['SELECT id FROM feeds ORDER BY next_check_at ASC LIMIT $1']);
  });

  it('marks SQL sent by code that opens SQLite or MySQL', async () => {
    const sqlite = await onlySql('go', 'package p\nfunc f() {\n\tdb, _ := sql.Open("sqlite", dsn)\n\tdb.Exec(`INSERT INTO user (id) VALUES (1)`)\n}\n');
    assert.equal(sqlite.otherDatabase, true);
    const pg = await onlySql('go', 'package p\nfunc f() {\n\tdb, _ := sql.Open("pgx", dsn)\n\tdb.Exec(`INSERT INTO users (id) VALUES (1)`)\n}\n');
    assert.equal(pg.otherDatabase, undefined);
    const py = await onlySql('python', 'def f(path):\n    con = sqlite3.connect(path)\n    con.execute("CREATE TABLE docs (id integer)")\n');
    assert.equal(py.otherDatabase, true);
  });

  it('counts the %s of Python string formatting as code, and placeholders the driver binds as values', async () => {
    const formatted = await onlySql('python', 'cur.execute("SELECT %s FROM t WHERE id = %%s" % cols, [i])\n');
    assert.equal(formatted.text, 'SELECT $1 FROM t WHERE id = $2', '%% is left for the driver');
    assert.deepEqual(formatted.holes, [1]);
    const bound = await onlySql('python', 'cur.execute("SELECT a FROM t WHERE id = %s", [i])\n');
    assert.equal(bound.holes, undefined);
    assert.equal(bound.dynamic, false);
  });

  it('reads Go raw strings with ? placeholders', async () => {
    const code = 'package p\nfunc f() {\n\tdb.Get(&u, `SELECT *\n\t\tFROM users -- ✓ ok\n\t\tWHERE id = ? AND org = ?`, id, org)\n}\n';
    const sql = await onlySql('go', code);
    assert.equal(sql.text, 'SELECT *\n\t\tFROM users -- ✓ ok\n\t\tWHERE id = $1 AND org = $2');
    assertCharactersMap(code, sql);
  });

  it('reads Ruby heredocs with interpolation', async () => {
    const code = 'rows = conn.exec_query(<<~SQL.squish)\n  SELECT * FROM posts\n  WHERE author_id = #{author.id} -- ñ\nSQL\n';
    const sql = await onlySql('ruby', code);
    assert.equal(sql.text, '  SELECT * FROM posts\n  WHERE author_id = $1 -- ñ\n');
    assertCharactersMap(code, sql);
    assert.equal(toSource(sql, sql.text.indexOf('WHERE')), code.indexOf('WHERE'));
  });

  it('follows a local constant to its SQL and keeps one entry', async () => {
    const code = "const q = 'SELECT * FROM users WHERE id = $1';\nawait pool.query(q, [id]);\n";
    const s = await summarizeSnippet('typescript', code);
    assert.equal(s.sql.length, 1);
    assert.equal(s.sql[0]?.origin, 'api');
    assert.equal(s.queries[0]?.sql, 0);
  });

  it('finds strings that start like SQL outside known calls', async () => {
    const code = [
      'const A = "SELECT id FROM users WHERE email = ?";',
      'const B = `update orders set paid = true where id = ${id}`;',
      'const C = "Select the file from the list";',
      'const D = "Select a file";',
      'const E = "DELETE FROM sessions WHERE expires_at < now()";',
      'const F = "select is not a thing here";',
      'const G = "WITH recent AS (SELECT 1) SELECT * FROM recent";',
    ].join('\n');
    const s = await summarizeSnippet('typescript', code);
    assert.deepEqual(s.sql.map((x) => [x.origin, x.text]), [
      ['sql-like', 'SELECT id FROM users WHERE email = $1'],
      ['sql-like', 'update orders set paid = true where id = $1'],
      ['sql-like', 'DELETE FROM sessions WHERE expires_at < now()'],
      ['sql-like', 'WITH recent AS (SELECT 1) SELECT * FROM recent'],
    ]);
  });

  it('tells SQL from prose', () => {
    const yes = ['SELECT 1', 'select count(*) from t', 'INSERT INTO t (a) VALUES (1)', 'UPDATE t SET a = 1', '  (SELECT * FROM t)', 'WITH x AS (SELECT 1) SELECT * FROM x', 'CREATE UNIQUE INDEX i ON t (a)', 'COPY t FROM stdin'];
    const no = ['Select a file', 'Select from the list below', 'update your profile', 'Delete this item?', 'with love', 'selection', ''];
    for (const t of yes) assert.equal(looksLikeSql(t), true, t);
    for (const t of no) assert.equal(looksLikeSql(t), false, t);
  });

  it('numbers pyformat placeholders by name and unescapes %% everywhere, as the driver does', () => {
    const text = "a = %(x)s, b = %s, c = %(x)s, d LIKE 'x%%', e = 100%%";
    const out = MappedText.empty().append(text, 0).replace(pyformatEdits(text));
    assert.equal(out.text, "a = $1, b = $2, c = $1, d LIKE 'x%', e = 100%");
    assert.equal(out.toSource(out.text.indexOf('$2')), text.indexOf('%s'));
    assert.equal(out.toSource(out.text.indexOf(', c')), text.indexOf(', c'));
  });

  it('continues numbering after existing $n and maps through successive rewrites', () => {
    const text = 'SELECT $1, %s, ?, :name';
    const out = normalisePlaceholders(MappedText.empty().append(text, 100), 'any');
    assert.equal(out.text, 'SELECT $1, $2, $3, $4');
    assert.equal(out.toSource(out.text.indexOf('$4')), 100 + text.indexOf(':name'));
    const compact = out.toMap();
    assert.equal(sqlOffsetToSource(compact, out.text.length, out.text.indexOf('$3')), 100 + text.indexOf('?'));
  });
});

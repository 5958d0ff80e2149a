/**
 * One minimal snippet per entry of the query API table: the entry matches,
 * batch-ness is right, and the SQL argument (if any) is extracted. Every
 * entry must have a case here, so a new entry comes with its example.
 */
import assert from 'node:assert/strict';
import { QUERY_APIS } from '../../../src/core/code/queryApis';
import type { CodeLanguage } from '../../../src/core/code/types';
import { summarizeSnippet, textAt } from './support';

interface Case {
  readonly api: string;
  readonly language: CodeLanguage;
  readonly code: string;
  readonly batch?: boolean;
  readonly sql?: string;
}

const cases: Case[] = [
  // JavaScript / TypeScript
  { api: 'node-postgres.query', language: 'typescript', code: "await pool.query('SELECT * FROM users WHERE id = $1', [id]);", sql: 'SELECT * FROM users WHERE id = $1' },
  { api: 'node-postgres.query', language: 'typescript', code: "await this.client.query('SELECT * FROM users WHERE id = ANY($1)', [ids]);", batch: true },
  { api: 'node-postgres.query', language: 'javascript', code: "await helper.query('SELECT name FROM users WHERE id = $1', [id]);", sql: 'SELECT name FROM users WHERE id = $1' },
  { api: 'node-postgres.query', language: 'typescript', code: 'async function f(client: PoolClient) { await client.query(text, [id]); }' },
  { api: 'postgres.tag', language: 'typescript', code: 'const rows = await sql`select * from users where id = ${id}`;', sql: 'select * from users where id = $1' },
  { api: 'postgres.tag', language: 'typescript', code: 'await sql`select * from users where id in ${sql(ids)}`;', batch: true },
  { api: 'postgres.unsafe', language: 'typescript', code: "await sql.unsafe('SELECT 1 FROM users WHERE id = $1', [id]);", sql: 'SELECT 1 FROM users WHERE id = $1' },
  { api: 'slonik', language: 'typescript', code: 'await pool.one(sql.typeAlias("user")`SELECT * FROM users WHERE id = ${id}`);', sql: 'SELECT * FROM users WHERE id = $1' },
  { api: 'knex.raw', language: 'typescript', code: "await knex.raw('select * from users where id = ?', [id]);", sql: 'select * from users where id = $1' },
  { api: 'knex.builder', language: 'typescript', code: "await knex('users').where({ id }).first();" },
  { api: 'knex.builder', language: 'typescript', code: "await db('users').whereIn('id', ids);", batch: true },
  // A client in a field, and clients known by their declared knex type whatever their name.
  { api: 'knex.builder', language: 'typescript', code: "class Repo {\n  constructor(private readonly knex: Knex) {}\n  find(id: string) { return this.knex('users').where({ id }).first(); }\n}" },
  { api: 'knex.builder', language: 'typescript', code: "import { Knex } from 'knex';\nasync function f(conn: Knex, id: string) { return conn('users').where({ id }).first(); }" },
  { api: 'knex.builder', language: 'typescript', code: "import type { Knex } from 'knex';\nasync function f(transaction: Knex.Transaction, id: string) { return transaction('users').where({ id }).del(); }" },
  { api: 'knex.builder-from', language: 'javascript', code: "await knex.select('*').from('users').where('id', id);" },
  { api: 'prisma.model', language: 'typescript', code: 'await prisma.user.findUnique({ where: { id } });' },
  { api: 'prisma.model', language: 'typescript', code: 'await ctx.db.post.findMany({ where: { authorId: { in: ids } } });', batch: true },
  { api: 'prisma.model', language: 'typescript', code: 'await prisma.user.createMany({ data: rows });', batch: true },
  { api: 'prisma.model-write', language: 'typescript', code: 'await prisma.user.update({ where: { id }, data });' },
  { api: 'prisma.raw', language: 'typescript', code: 'await prisma.$queryRaw`SELECT * FROM users WHERE id = ${id}`;', sql: 'SELECT * FROM users WHERE id = $1' },
  { api: 'prisma.raw', language: 'typescript', code: "await prisma.$executeRawUnsafe('DELETE FROM t WHERE id = $1', id);", sql: 'DELETE FROM t WHERE id = $1' },
  { api: 'typeorm.repository', language: 'typescript', code: 'await userRepository.findOneBy({ id });' },
  { api: 'typeorm.repository', language: 'typescript', code: 'await this.userRepo.findBy({ id: In(ids) });', batch: true },
  { api: 'typeorm.repository', language: 'typescript', code: 'class S { constructor(private readonly users: Repository<User>) {} f() { return this.users.findOne({ where: { id: 1 } }); } }' },
  { api: 'typeorm.repository-of', language: 'typescript', code: 'await dataSource.getRepository(User).findOne({ where: { id } });' },
  { api: 'typeorm.entity-manager', language: 'typescript', code: 'await manager.save(OrderLine, line);' },
  { api: 'typeorm.entity-manager', language: 'typescript', code: "await entityManager.query('SELECT * FROM users WHERE id = $1', [id]);", sql: 'SELECT * FROM users WHERE id = $1' },
  { api: 'typeorm.query-builder', language: 'typescript', code: "await repo.createQueryBuilder('u').where('u.id = :id', { id }).getOne();" },
  { api: 'typeorm.query-builder', language: 'typescript', code: "await repo.createQueryBuilder('u').where('u.id IN (:...ids)', { ids }).getMany();", batch: true },
  { api: 'mikro-orm.entity-manager', language: 'typescript', code: 'await em.findOneOrFail(Author, { id });' },
  { api: 'mikro-orm.entity-manager', language: 'typescript', code: 'await em.find(Author, { id: { $in: ids } });', batch: true },
  { api: 'sequelize.query', language: 'javascript', code: "await sequelize.query('SELECT * FROM users WHERE id = :id', { replacements: { id } });", sql: 'SELECT * FROM users WHERE id = $1' },
  { api: 'model.statics', language: 'javascript', code: 'await User.findByPk(id);' },
  { api: 'model.statics', language: 'javascript', code: 'await User.findAll({ where: { id: { [Op.in]: ids } } });', batch: true },
  { api: 'model.statics', language: 'javascript', code: 'await db.User.findOne({ where: { id } });' },
  { api: 'model.instance', language: 'typescript', code: 'for (const user of await User.findAll()) await user.save();' },
  { api: 'drizzle.builder', language: 'typescript', code: 'await db.select().from(users).where(eq(users.id, id));' },
  { api: 'drizzle.builder', language: 'typescript', code: 'await db.select().from(users).where(inArray(users.id, ids));', batch: true },
  { api: 'drizzle.relational', language: 'typescript', code: 'await db.query.users.findFirst({ where: eq(users.id, id) });' },
  { api: 'drizzle.execute', language: 'typescript', code: 'await db.execute(sql`select * from users where id = ${id}`);', sql: 'select * from users where id = $1' },
  { api: 'kysely', language: 'typescript', code: "await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();" },
  { api: 'kysely', language: 'typescript', code: "await db.selectFrom('users').selectAll().where('id', 'in', ids).execute();", batch: true },
  { api: 'kysely.raw', language: 'typescript', code: 'await sql`select * from users where id = ${id}`.execute(db);', sql: 'select * from users where id = $1' },
  // Python
  { api: 'dbapi.execute', language: 'python', code: 'cur.execute("SELECT * FROM users WHERE id = %s", (uid,))\n', sql: 'SELECT * FROM users WHERE id = $1' },
  { api: 'dbapi.execute', language: 'python', code: 'cur.execute("SELECT * FROM users WHERE id = ANY(%s)", (ids,))\n', batch: true },
  { api: 'dbapi.execute', language: 'python', code: 'helper.execute("UPDATE t SET x = %(x)s WHERE id = %(id)s", params)\n', sql: 'UPDATE t SET x = $1 WHERE id = $2' },
  { api: 'dbapi.executemany', language: 'python', code: 'cur.executemany("INSERT INTO t VALUES (%s)", rows)\n', batch: true },
  { api: 'psycopg.extras', language: 'python', code: 'execute_values(cur, "INSERT INTO t (a) VALUES %s", rows)\n', batch: true, sql: 'INSERT INTO t (a) VALUES $1' },
  { api: 'dbapi.fetch', language: 'python', code: 'row = cur.fetchone()\n' },
  { api: 'asyncpg.fetch', language: 'python', code: 'row = await conn.fetchrow("SELECT * FROM users WHERE id = $1", uid)\n', sql: 'SELECT * FROM users WHERE id = $1' },
  { api: 'postgres-py', language: 'python', code: 'user = db.one("SELECT * FROM users WHERE id = %(id)s", {"id": uid})\n' },
  { api: 'postgres-py', language: 'python', code: 'website.db.run("UPDATE participants SET seen = now() WHERE id = %s", (pid,))\n' },
  { api: 'asyncpg.fetch', language: 'python', code: 'async def f(pool: asyncpg.Pool):\n    return await pool.fetch("SELECT 1")\n' },
  { api: 'sqlalchemy.session', language: 'python', code: 'session.execute(text("SELECT * FROM users WHERE id = :id"), {"id": uid})\n', sql: 'SELECT * FROM users WHERE id = $1' },
  { api: 'sqlalchemy.session', language: 'python', code: 'session.scalars(select(User).where(User.id.in_(ids)))\n', batch: true },
  { api: 'sqlalchemy.session-get', language: 'python', code: 'order = session.get(Order, oid)\n' },
  { api: 'sqlalchemy.query', language: 'python', code: 'session.query(User).filter(User.id == uid).first()\n' },
  { api: 'django.queryset', language: 'python', code: 'Book.objects.get(pk=1)\n' },
  { api: 'django.queryset', language: 'python', code: 'Book.objects.filter(author=a).order_by("-id").first()\n' },
  { api: 'django.queryset', language: 'python', code: 'Book.objects.filter(id__in=ids).count()\n', batch: true },
  { api: 'django.queryset', language: 'python', code: 'Book.objects.bulk_create(books)\n', batch: true },
  { api: 'django.queryset-lazy', language: 'python', code: 'books = list(Book.objects.filter(author=a))\n' },
  { api: 'django.related-manager', language: 'python', code: 'author.book_set.count()\n' },
  { api: 'django.related-manager-lazy', language: 'python', code: 'for r in book.review_set.all():\n    pass\n' },
  { api: 'pandas.read-sql', language: 'python', code: 'pd.read_sql("SELECT * FROM sales WHERE region = %s", conn, params=[r])\n', sql: 'SELECT * FROM sales WHERE region = $1' },
  // Go
  { api: 'database-sql', language: 'go', code: 'package p\nfunc f() { db.QueryRow("SELECT name FROM users WHERE id = $1", id) }\n', sql: 'SELECT name FROM users WHERE id = $1' },
  { api: 'database-sql', language: 'go', code: 'package p\nfunc f() { pool.Exec(ctx, "DELETE FROM t WHERE id = $1", id) }\n', sql: 'DELETE FROM t WHERE id = $1' },
  { api: 'database-sql.context', language: 'go', code: 'package p\nfunc f() { db.QueryContext(ctx, "SELECT * FROM t WHERE id = ANY($1)", pq.Array(ids)) }\n', batch: true },
  { api: 'sqlx.get-select', language: 'go', code: 'package p\nfunc f() { db.Get(&u, "SELECT * FROM users WHERE id = ?", id) }\n', sql: 'SELECT * FROM users WHERE id = $1' },
  { api: 'sqlx.context', language: 'go', code: 'package p\nfunc f() { db.SelectContext(ctx, &us, "SELECT * FROM users WHERE org = $1", org) }\n', sql: 'SELECT * FROM users WHERE org = $1' },
  { api: 'sqlx.named', language: 'go', code: 'package p\nfunc f() { db.NamedExec("UPDATE users SET name = :name WHERE id = :id", u) }\n', sql: 'UPDATE users SET name = $1 WHERE id = $2' },
  { api: 'pgx.batch', language: 'go', code: 'package p\nfunc f() { conn.SendBatch(ctx, batch) }\n', batch: true },
  { api: 'gorm.chain', language: 'go', code: 'package p\nfunc f() { db.Where("id = ?", id).First(&u) }\n' },
  { api: 'gorm.chain', language: 'go', code: 'package p\nfunc f() { db.Where("id IN ?", ids).Find(&us) }\n', batch: true },
  { api: 'gorm.raw', language: 'go', code: 'package p\nfunc f() { db.Raw("SELECT * FROM users WHERE id = ?", id).Scan(&u) }\n', sql: 'SELECT * FROM users WHERE id = $1' },
  { api: 'typeorm.repository', language: 'typescript', code: 'await itemRepository.softRemove({ line_item_id: id });' },
  { api: 'django.instance-save', language: 'python', code: 'product.save(update_fields=["minimal_variant_price"])\n' },
  { api: 'django.instance-reload', language: 'python', code: 'check.refresh_from_db()\n' },
  // xorm is known by the declared type of the session, whatever its name (vikunja passes `s *xorm.Session`).
  { api: 'xorm.session', language: 'go', code: 'package p\nfunc f(s *xorm.Session, id int64) { s.Where("task_id = ?", id).Exist(&TaskPosition{}) }\n' },
  { api: 'xorm.session', language: 'go', code: 'package p\nfunc f(s *xorm.Session, ids []int64) { s.In("id", ids).Find(&tasks) }\n', batch: true },
  // Ruby
  { api: 'activerecord.relation', language: 'ruby', code: 'User.find(id)\n' },
  { api: 'activerecord.relation', language: 'ruby', code: 'Post.where(author_id: a.id).order(:created_at).last\n' },
  { api: 'activerecord.relation', language: 'ruby', code: 'User.where(id: ids).to_a\n', batch: true },
  { api: 'activerecord.relation', language: 'ruby', code: 'Spree::PromotionCode.where(value: code_set.to_a).pluck(:value)\n', batch: true },
  { api: 'activerecord.relation', language: 'ruby', code: 'Product.where(id: positions.keys).to_a\n', batch: true },
  { api: 'activerecord.relation', language: 'ruby', code: 'Product.where(status: status).to_a\n' },
  { api: 'activerecord.relation', language: 'ruby', code: 'Post.where(author_id: a.id).pluck(:title)\n', batch: false },
  { api: 'activerecord.relation', language: 'ruby', code: 'User.insert_all(rows)\n', batch: true },
  { api: 'activerecord.relation-lazy', language: 'ruby', code: 'for p in Post.where(published: true) do end\n' },
  { api: 'activerecord.find-by-sql', language: 'ruby', code: 'Post.find_by_sql(["SELECT * FROM posts WHERE id = ?", id])\n' },
  { api: 'activerecord.connection', language: 'ruby', code: 'ActiveRecord::Base.connection.exec_query("SELECT * FROM t WHERE id = #{id}")\n', sql: 'SELECT * FROM t WHERE id = $1' },
  { api: 'pg-gem', language: 'ruby', code: '@conn.exec_params("SELECT * FROM items WHERE id = $1", [id])\n', sql: 'SELECT * FROM items WHERE id = $1' },
];

describe('query API table', () => {
  it('has an example for every entry', () => {
    const covered = new Set(cases.map((c) => c.api));
    const missing = QUERY_APIS.map((a) => a.id).filter((id) => !covered.has(id));
    assert.deepEqual(missing, [], 'add a case for each new entry');
  });

  it('has unique ids and a batching hint per entry', () => {
    const ids = QUERY_APIS.map((a) => a.id);
    assert.equal(new Set(ids).size, ids.length);
    for (const a of QUERY_APIS) assert.ok(a.batchHint.length > 5, a.id);
  });

  for (const c of cases) {
    it(`${c.api}: ${c.code.split('\n').find((l) => l && !l.startsWith('package')) ?? c.code}`, async () => {
      const s = await summarizeSnippet(c.language, c.code);
      const q = s.queries.find((x) => x.api === c.api);
      assert.ok(q, `expected ${c.api}, found ${JSON.stringify(s.queries.map((x) => `${x.api}: ${textAt(c.code, x)}`))}`);
      assert.equal(q.batch, c.batch ?? false, 'batch');
      if (c.sql !== undefined) {
        assert.ok(q.sql !== undefined, 'SQL text extracted');
        assert.equal(s.sql[q.sql]?.text.trim(), c.sql);
      }
    });
  }

  const lookAlikes: [CodeLanguage, string][] = [
    ['typescript', 'await client.query({ query: GET_USER, variables: { id } });'],
    // `all`/`one`/`run` with no SQL written there: a list, a task runner, a TinyDB table.
    ['python', 'rows = db.all()\nfirst = db.one(items)\ndb.run(task)\n'],
    ['typescript', 'const hit = cache.get(id); items.find((x) => x.id === id); await fetch(url);'],
    ['typescript', 'Object.create(null); Math.max(a, b); JSON.parse(s); Promise.all(ps); Array.from(xs);'],
    ['typescript', 'await executor.execute(task); await queue.add(job); router.get("/x", h);'],
    ['typescript', 'const fragment = sql`id = ${id}`;'],
    // A fork of slonik, published under another name: its tag builds fragments too (only postgres.js's tag runs).
    ['typescript', "import { sql } from '@silverhand/slonik';\nconst rows = ids.map((id) => sql`(${id})`);"],
    // `knex.raw` handed to a builder call is part of that query, not a query of its own.
    ['typescript', "builder.where('name', '=', knex.raw('?', [entity])).andOn('a', '=', knex.raw('?', [b]));"],
    ['python', 'requests.get(url)\nsession.get("https://example.com")\nd.get(k)\nos.path.exists(p)\nthreads.execute(job)\n'],
    ['python', 'qs = Book.objects.filter(author=a)\n'],
    // A bare save() is anybody's (a form, a file, an image): not taken for a model write.
    ['python', 'form.save()\nimage.save(path, "PNG")\n'],
    ['go', 'package p\nfunc f() { http.Get(url); strings.Join(xs, ","); m.Find(k) }\n'],
    // The same methods on a value that is not a xorm session: a cache and a builder of the app's own.
    ['go', 'package p\nfunc f(s *cache.Store, b *Builder) { s.Where("k").Get(&v); b.Where("x").Find(&y) }\n'],
    ['ruby', 'File.read(path)\nJSON.parse(s)\nhash.find { |k, _| k }\nPost.where(published: true)\n'],
    // Rails' own classes are no models: strong parameters converted to a hash.
    ['ruby', 'ActionController::Parameters.new(line_item).permit(:quantity, :variant_id).to_h\n'],
  ];
  for (const [language, code] of lookAlikes) {
    it(`does not mistake ${language} look-alikes for queries: ${code.split('\n')[0] ?? ''}`, async () => {
      const s = await summarizeSnippet(language, code);
      assert.deepEqual(s.queries.map((q) => `${q.api}: ${textAt(code, q)}`), []);
    });
  }
});

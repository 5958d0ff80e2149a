/**
 * The "batching rewrite" shown for an N+1 finding: the rule's own hint,
 * and an example fitting the library that issues the query. Pure text.
 */
import type { FindingView } from '../diagnostics/findingView';

/** Examples by library, matched on the finding's `library` fact (first match wins). */
const EXAMPLES: readonly { readonly match: RegExp; readonly language: string; readonly code: string }[] = [
  { match: /^Prisma/, language: 'ts', code: "const rows = await prisma.user.findMany({ where: { id: { in: ids } } });\nconst byId = new Map(rows.map((r) => [r.id, r]));" },
  { match: /Django/, language: 'python', code: "# Eager-load the relation with the loop's queryset:\nbooks = Book.objects.select_related('author')  # to-one\nbooks = Book.objects.prefetch_related('reviews')  # to-many\n# or fetch by ids in one query:\nrows = Model.objects.filter(id__in=ids)" },
  { match: /ActiveRecord/, language: 'ruby', code: "# Eager-load the association:\nBook.includes(:author).each { |b| puts b.author.name }\n# or fetch by ids in one query:\nModel.where(id: ids)" },
  { match: /Knex/, language: 'ts', code: "const rows = await knex('users').whereIn('id', ids);" },
  { match: /Sequelize/, language: 'ts', code: 'const rows = await User.findAll({ where: { id: ids } });' },
  { match: /TypeORM|MikroORM/, language: 'ts', code: 'const rows = await repo.findBy({ id: In(ids) });' },
  { match: /Drizzle/, language: 'ts', code: 'const rows = await db.select().from(users).where(inArray(users.id, ids));' },
  { match: /Kysely/, language: 'ts', code: "const rows = await db.selectFrom('users').selectAll().where('id', 'in', ids).execute();" },
  { match: /SQLAlchemy/, language: 'python', code: 'rows = session.execute(select(User).where(User.id.in_(ids))).scalars().all()' },
  { match: /asyncpg/, language: 'python', code: "rows = await conn.fetch('SELECT * FROM users WHERE id = ANY($1::bigint[])', ids)" },
  { match: /DB-API|psycopg/, language: 'python', code: "cur.execute('SELECT * FROM users WHERE id = ANY(%s)', (list(ids),))\nrows = cur.fetchall()" },
  { match: /GORM/, language: 'go', code: 'db.Where("id IN ?", ids).Find(&users)' },
  { match: /pgx|database\/sql|sqlx/, language: 'go', code: 'rows, err := db.Query(ctx, "SELECT * FROM users WHERE id = ANY($1)", ids)' },
  { match: /pg \(Ruby\)/, language: 'ruby', code: "conn.exec_params('SELECT * FROM users WHERE id = ANY($1)', [PG::TextEncoder::Array.new.encode(ids)])" },
  { match: /postgres\.js|Slonik/, language: 'ts', code: 'const rows = await sql`SELECT * FROM users WHERE id = ANY(${ids})`;' },
  { match: /node-postgres|pg\b/, language: 'ts', code: "const { rows } = await pool.query('SELECT * FROM users WHERE id = ANY($1)', [ids]);\nconst byId = new Map(rows.map((r) => [r.id, r]));" },
];

export function batchingDocument(view: FindingView): string {
  const library = typeof view.data?.library === 'string' ? view.data.library : undefined;
  const hint = typeof view.data?.hint === 'string' ? view.data.hint : typeof view.data?.fix === 'string' ? view.data.fix : undefined;
  const example = library ? EXAMPLES.find((e) => e.match.test(library)) : undefined;
  const lines = [
    '# Batching rewrite for an N+1 query',
    '',
    `\`${view.path}\`, line ${view.start.line + 1}: ${view.message}`,
    '',
  ];
  if (hint) lines.push(`**Suggested fix${library ? ` (${library})` : ''}:** ${hint}.`, '');
  if (example) lines.push('One query for all items, then look the results up by key inside the loop:', '', `\`\`\`${example.language}`, example.code, '```', '');
  lines.push(`More in the rule's documentation: \`${view.docsPath}\`.`, '');
  return lines.join('\n');
}

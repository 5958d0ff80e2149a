/**
 * From statements to call sites over real file summaries: SQL strings match
 * exactly, ORM calls match as likely, and the positions are the editor's.
 */
import assert from 'node:assert/strict';
import { loadSqlParser } from '../../../src/core/sql/parser';
import { fileCandidates, looksOrmGenerated, matchesInFile, positionAt, statementIdentity } from '../../../src/core/sqlmatch';
import { summarizeSnippet, textAt } from '../code/support';

const CODE = `import { PrismaClient } from '@prisma/client';
const prisma = new PrismaClient();
export async function load(db, email: string, ids: number[]) {
  const user = await prisma.user.findUnique({ where: { email } });
  const rows = await db.query('SELECT id, name FROM users WHERE email = $1', [email]);
  await db.query(\`select id, name
                   from users where email = '\${email}'\`);
  await prisma.user.update({ where: { email }, data: { name: 'x' } });
  return db.query('SELECT id FROM users WHERE id = ANY($1)', [ids]);
}
`;

describe('sqlmatch/siteMatch', () => {
  before(() => loadSqlParser());

  it('finds every SQL string of a statement, exactly, and the ORM read of its shape as likely', async () => {
    const summary = await summarizeSnippet('typescript', CODE, 'src/users.ts');
    const file = fileCandidates(summary, []);
    const byEmail = matchesInFile(statementIdentity('SELECT id, name FROM users WHERE email = $1'), file);
    assert.deepEqual(byEmail.map((m) => [m.confidence, m.kind, textAt(CODE, m).replace(/\s+/g, ' ')]), [
      ['exact', 'sql', "'SELECT id, name FROM users WHERE email = $1'"],
      ['exact', 'sql', "`select id, name from users where email = '${email}'`"],
    ]);
    const prisma = matchesInFile(statementIdentity('SELECT "public"."User"."id", "public"."User"."email" FROM "public"."User" WHERE ("public"."User"."email" = $1 AND $2=$3) LIMIT $4 OFFSET $5'), file);
    assert.deepEqual(prisma.map((m) => [m.confidence, m.label]), [['likely', 'prisma.user.findUnique(…)']], 'the update with the same where is not a read');
  });

  it('matches nothing for a statement the code does not issue', async () => {
    const file = fileCandidates(await summarizeSnippet('typescript', CODE), []);
    assert.deepEqual(matchesInFile(statementIdentity('SELECT id, name FROM users WHERE name = $1'), file), []);
    assert.deepEqual(matchesInFile(statementIdentity('SELECT id, name FROM users WHERE'), file), []);
    assert.deepEqual(matchesInFile(statementIdentity('SELECT "public"."User"."id" FROM "public"."User" WHERE ("public"."User"."id" = $1 AND $2=$3) LIMIT $4 OFFSET $5'), file), []);
  });

  it('matches Python DB-API %s strings', async () => {
    const code = 'def load(cur, email):\n    cur.execute("SELECT id, name FROM users WHERE email = %s", (email,))\n';
    const matches = matchesInFile(statementIdentity('SELECT id, name FROM users WHERE email = $1'), fileCandidates(await summarizeSnippet('python', code), []));
    assert.equal(matches.length, 1);
    assert.deepEqual(positionAt((await summarizeSnippet('python', code)).lineStarts, matches[0]!.start), { line: 1, character: 16 });
  });

  it('converts offsets to lines and characters', () => {
    const starts = [0, 10, 25];
    assert.deepEqual(positionAt(starts, 0), { line: 0, character: 0 });
    assert.deepEqual(positionAt(starts, 9), { line: 0, character: 9 });
    assert.deepEqual(positionAt(starts, 10), { line: 1, character: 0 });
    assert.deepEqual(positionAt(starts, 30), { line: 2, character: 5 });
  });

  it('tells ORM-generated texts by their table-qualified quoted names', () => {
    assert.ok(looksOrmGenerated('SELECT "public"."User"."id" FROM "public"."User" WHERE "public"."User"."id" = $1'));
    assert.ok(looksOrmGenerated('SELECT "users".* FROM "users" WHERE "users"."email" = $1 LIMIT $2'));
    assert.ok(!looksOrmGenerated('SELECT id, name FROM users WHERE email = $1'));
  });
});

describe('sqlmatch/siteMatch with query builders', () => {
  before(() => loadSqlParser());

  it('matches a Knex read on a named table by its where keys, but not its update', async () => {
    const code = "export async function byEmail(knex, email) {\n  const u = await knex('users').where({ email }).first();\n  await knex('users').where({ email }).update({ seen: true });\n  return u;\n}\n";
    const summary = await summarizeSnippet('javascript', code);
    const matches = matchesInFile(statementIdentity('select * from "users" where "email" = $1 limit $2'), fileCandidates(summary, []));
    assert.deepEqual(matches.map((m) => [m.confidence, positionAt(summary.lineStarts, m.start).line]), [['likely', 1]]);
  });
});

import * as assert from 'node:assert/strict';
import { addPrismaIndex, migrationFileName, migrationText, migrationTimestamp, suppressionLine } from '../../../src/diagnostics/migrationEdit';
import { batchingDocument } from '../../../src/providers/codeActionsBatching';
import type { FindingView } from '../../../src/diagnostics/findingView';

const PRISMA = `datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
}

model Event {
  id         Int      @id @default(autoincrement())
  customerId Int      @map("customer_id")
  createdAt  DateTime @default(now()) @map("created_at")

  @@map("events")
}

model Customer {
  id   Int    @id
  name String
}
`;

describe('diagnostics: migration edits', () => {
  it('names a new migration with a UTC timestamp and the index name', () => {
    const at = new Date(Date.UTC(2026, 0, 2, 3, 4, 5));
    assert.equal(migrationTimestamp(at), '20260102030405');
    assert.equal(migrationFileName(at, 'events_customer_id_idx'), '20260102030405_add_events_customer_id_idx.sql');
    assert.equal(migrationFileName(at, 'a"b c'), '20260102030405_add_a_b_c.sql');
  });

  it('writes the DDL with a closing semicolon and a note about transactions', () => {
    const text = migrationText('CREATE INDEX CONCURRENTLY x ON t (a)');
    assert.match(text, /^-- Added by PG Insight/);
    assert.match(text, /^CREATE INDEX CONCURRENTLY x ON t \(a\);$/m);
    assert.equal(migrationText('CREATE INDEX CONCURRENTLY x ON t (a);').match(/;/g)?.length, 1);
  });

  it('adds @@index with the field names to the model stored in the table', () => {
    const updated = addPrismaIndex(PRISMA, 'events', ['customer_id', 'created_at']);
    assert.ok(updated);
    assert.match(updated, /  @@map\("events"\)\n  @@index\(\[customerId, createdAt\]\)\n\}\n\nmodel Customer/);
    assert.equal(addPrismaIndex(PRISMA, 'public.events', ['customer_id'])?.includes('@@index([customerId])'), true);
  });

  it('leaves schema.prisma alone when the table or a column is unknown', () => {
    assert.equal(addPrismaIndex(PRISMA, 'orders', ['id']), undefined);
    assert.equal(addPrismaIndex(PRISMA, 'events', ['nope']), undefined);
  });

  it('indents the suppression comment like the line it silences', () => {
    assert.equal(suppressionLine('        cur.execute(q)', '# pg-insight-ignore n-plus-one'), '        # pg-insight-ignore n-plus-one\n');
    assert.equal(suppressionLine('\tawait q()', '// x'), '\t// x\n');
  });

  it('shows a batching rewrite fitting the library', () => {
    const view = (library: string): FindingView => ({
      ruleId: 'n-plus-one', path: 'a.ts', start: { line: 3, character: 0 }, end: { line: 3, character: 5 }, level: 'warning',
      message: 'N+1 query', docsPath: 'docs/rules/n-plus-one.md', related: [], data: { library, hint: 'fetch them together' },
    });
    assert.match(batchingDocument(view('node-postgres')), /= ANY\(\$1\)/);
    assert.match(batchingDocument(view('Prisma')), /findMany\(\{ where: \{ id: \{ in: ids \} \} \}\)/);
    assert.match(batchingDocument(view('Django ORM')), /select_related/);
    assert.match(batchingDocument(view('ActiveRecord')), /includes\(:author\)/);
    const unknown = batchingDocument(view('Something Else'));
    assert.match(unknown, /\*\*Suggested fix \(Something Else\):\*\* fetch them together\./);
    assert.doesNotMatch(unknown, /```/);
  });
});

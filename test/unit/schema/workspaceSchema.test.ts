import assert from 'node:assert/strict';
import { loadSqlParser } from '../../../src/core/sql/parser';
import { codeMigration, describeWorkspaceSchema, isCodeMigrationPath, schemaFileKind, schemaForPath, schemaRoot, workspaceSchema } from '../../../src/core/schema/workspaceSchema';

const PRISMA = 'model Booking {\n  id Int @id\n  userId Int\n  @@index([userId])\n}\n';

describe('workspace schema', () => {
  before(() => loadSqlParser());

  it('reads migrations anywhere, other .sql files that create tables, and Prisma schemas; not SQLite dumps', () => {
    assert.equal(schemaFileKind({ path: 'packages/core/db/migrations/001.sql', text: 'create table a (id int)' }), 'migration');
    assert.equal(schemaFileKind({ path: 'packages/schemas/tables/users.sql', text: 'create table users (id int)' }), 'sql');
    assert.equal(schemaFileKind({ path: 'queries/users.sql', text: 'select * from users' }), undefined);
    assert.equal(schemaFileKind({ path: 'store/seed/sqlite/01__dump.sql', text: 'CREATE TABLE memo (id integer)' }), undefined);
    assert.equal(schemaFileKind({ path: 'apps/web/prisma/schema.prisma', text: PRISMA }), 'prisma');
  });

  it('gives each package the schema next to it, and code elsewhere all of them', () => {
    assert.equal(schemaRoot('packages/billing/migrations/1.sql', 'migration'), 'packages/billing/');
    assert.equal(schemaRoot('apps/web/prisma/schema.prisma', 'prisma'), 'apps/web/');
    assert.equal(schemaRoot('schema.prisma', 'prisma'), '');
    const ws = workspaceSchema([
      { path: 'apps/web/prisma/schema.prisma', text: PRISMA },
      { path: 'packages/billing/migrations/002.sql', text: 'create index invoices_team on invoices (team_id);' },
      { path: 'packages/billing/migrations/001.sql', text: 'create table invoices (id int primary key, team_id int);' },
      { path: 'packages/schemas/tables/users.sql', text: 'create table users (id int primary key, email text);' },
    ]);
    assert.ok(ws);
    assert.deepEqual(ws.roots.map((r) => [r.root, r.model.tables.map((t) => t.name)]), [
      ['', ['users']],
      ['apps/web/', ['Booking']],
      ['packages/billing/', ['invoices']],
    ]);
    // A Prisma schema in one package no longer hides another package's SQL migrations.
    assert.deepEqual(schemaForPath(ws, 'packages/billing/src/invoices.ts').tables.map((t) => t.name), ['invoices']);
    assert.deepEqual(schemaForPath(ws, 'apps/web/lib/bookings.ts').tables.map((t) => t.name), ['Booking']);
    assert.deepEqual(schemaForPath(ws, 'packages/core/src/users.ts').tables.map((t) => t.name).sort(), ['Booking', 'invoices', 'users']);
    assert.deepEqual(ws.files, ['packages/schemas/tables/users.sql', 'apps/web/prisma/schema.prisma', 'packages/billing/migrations/001.sql', 'packages/billing/migrations/002.sql']);
    assert.deepEqual(describeWorkspaceSchema(ws), [
      'the workspace: 1 table, 1 index from SQL files (packages/schemas/tables/users.sql)',
      'apps/web: 1 table, 2 indexes from Prisma schema (apps/web/prisma/schema.prisma)',
      'packages/billing: 1 table, 2 indexes from SQL migrations (2 files, first packages/billing/migrations/001.sql)',
    ]);
  });

  it('takes the DDL that code migrations send, and lets a schema snapshot win over history', () => {
    assert.equal(isCodeMigrationPath('internal/database/migrations.go'), true);
    assert.equal(isCodeMigrationPath('packages/schemas/alterations/1.0.0-add.ts'), true);
    assert.equal(isCodeMigrationPath('src/migrations/Migration20240101.ts'), true);
    assert.equal(isCodeMigrationPath('internal/database/migrations_test.go'), false);
    assert.equal(isCodeMigrationPath('internal/storage/entry.go'), false);
    const go = codeMigration('internal/database/migrations.go', ['CREATE TABLE entries (id bigserial primary key, feed_id bigint, hash text);', 'SELECT 1', 'create index entries_feed_idx on entries (feed_id)']);
    assert.deepEqual(go, { path: 'internal/database/migrations.go', text: 'CREATE TABLE entries (id bigserial primary key, feed_id bigint, hash text);\ncreate index entries_feed_idx on entries (feed_id)', kind: 'migration' });
    assert.equal(codeMigration('x/migrations/a.ts', ['select * from t']), undefined);
    assert.match(codeMigration('m.go', ['\n  -- Speed up has_enclosure\n  CREATE INDEX enclosures_entry_id_idx ON enclosures(entry_id);'])?.text ?? '', /CREATE INDEX enclosures_entry_id_idx/);
    const ws = workspaceSchema([
      go,
      // A later alteration drops a column the snapshot (the current state) still has.
      { path: 'packages/schemas/alterations/2.ts', text: 'alter table users drop column email', kind: 'migration' },
      { path: 'packages/schemas/tables/users.sql', text: 'create table users (id int primary key, email text);' },
    ]);
    assert.deepEqual(ws?.merged.tables.map((t) => [t.name, t.columns.map((c) => c.name)]), [['users', ['id', 'email']], ['entries', ['id', 'feed_id', 'hash']]]);
  });

  it('is undefined when nothing creates a table', () => {
    assert.equal(workspaceSchema([{ path: 'q.sql', text: 'select 1' }, { path: 'migrations/1.sql', text: 'select 1' }]), undefined);
  });
});

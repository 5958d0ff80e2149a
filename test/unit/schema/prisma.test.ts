import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findTable, type TableInfo } from '../../../src/core/schema/model';
import { schemaFromPrisma } from '../../../src/core/schema/prisma';
import { parsePrismaSchema } from '../../../src/core/schema/prismaSyntax';

const FIXTURE = join(__dirname, '../../../../test/fixtures/migrations/prisma/schema.prisma');

function table(name: string): TableInfo {
  const t = findTable(schemaFromPrisma(readFileSync(FIXTURE, 'utf8')), name);
  assert.ok(t, `table ${name}`);
  return t;
}

function keys(t: TableInfo): string[] {
  return t.indexes.map((i) => `${i.name} ${i.method}${i.unique ? ' unique' : ''} (${i.keys.map((k) => (k.kind === 'column' ? `${k.column}${k.descending ? ' DESC' : ''}${k.opclass ? ` ${k.opclass}` : ''}` : k.text)).join(', ')})`);
}

describe('schema from a Prisma schema', () => {
  it('maps models and fields to tables and columns (@@map, @map, native and enum types)', () => {
    const model = schemaFromPrisma(readFileSync(FIXTURE, 'utf8'));
    assert.equal(model.source, 'prisma');
    assert.deepEqual(model.tables.map((t) => t.name).sort(), ['Post', 'order_items', 'orders', 'users']);
    assert.deepEqual(table('users').columns.map((c) => `${c.name} ${c.type}${c.notNull ? ' not null' : ''}`), [
      'id integer not null',
      'email character varying(255) not null',
      'name text',
      'role user_role not null',
      'created_at timestamp(6) with time zone not null',
    ]);
    assert.deepEqual(table('Post').columns.map((c) => `${c.name} ${c.type}`), ['id integer', 'title text', 'body text', 'authorId integer', 'tags text[]']);
    assert.deepEqual(table('orders').columns.find((c) => c.name === 'total')?.type, 'numeric(10,2)');
    assert.deepEqual(table('orders').columns.find((c) => c.name === 'created_at')?.type, 'timestamp(3) without time zone');
  });

  it('creates the indexes Prisma creates, with its default names', () => {
    assert.deepEqual(keys(table('users')).sort(), ['users_email_key btree unique (email)', 'users_name_created_at_idx btree (name, created_at DESC)', 'users_pkey btree unique (id)']);
    assert.deepEqual(keys(table('orders')).sort(), ['orders_pkey btree unique (id)', 'orders_user_status_idx btree (user_id, status)']);
    assert.deepEqual(keys(table('order_items')), ['order_items_pkey btree unique (order_id, product_id)']);
    assert.deepEqual(keys(table('Post')).sort(), ['Post_body_idx gin (body gin_trgm_ops)', 'Post_pkey btree unique (id)', 'post_title_author btree unique (title, authorId)']);
  });

  it('turns relations with fields into foreign keys (no index of their own)', () => {
    const fk = (t: TableInfo) => t.constraints.flatMap((c) => (c.kind === 'foreign' ? [`${c.name}: ${c.columns.join(',')} -> ${c.references.table}(${c.references.columns.join(',')}) ${c.onDelete}`] : []));
    assert.deepEqual(fk(table('orders')), ['orders_user_id_fkey: user_id -> users(id) cascade']);
    assert.deepEqual(fk(table('order_items')), ['order_items_order_id_fkey: order_id -> orders(id) restrict']);
    assert.deepEqual(fk(table('Post')), ['Post_authorId_fkey: authorId -> users(id) set null']);
  });

  it('records which model and field each table and column come from', () => {
    const model = schemaFromPrisma(readFileSync(FIXTURE, 'utf8'));
    const user = model.entities.find((e) => e.model === 'User');
    assert.ok(user);
    assert.equal(user.table, 'users');
    assert.equal(user.fields.get('createdAt'), 'created_at');
    assert.equal(user.fields.has('orders'), false, 'relation fields have no column');
    assert.deepEqual(model.entities.find((e) => e.model === 'Order')?.relations.get('user'), { target: 'User', fields: ['userId'] });
  });

  it('reads attributes spread over lines, comments and half-typed blocks', () => {
    const blocks = parsePrismaSchema(`
      model A {
        id Int @id // trailing comment
        b  B   @relation(
                 fields: [bId],
                 references: [id]
               )
        bId Int
        broken @@@ ???
        name String @default("a \\"quoted\\" value")
      }
      model B { id Int @id }
      model C {
        id Int @id
    `);
    assert.deepEqual(blocks.map((b) => `${b.keyword} ${b.name}: ${b.fields.map((f) => f.name).join(',')}`), ['model A: id,b,bId,name', 'model B: id', 'model C: id']);
    const rel = blocks[0]?.fields[1]?.attributes[0];
    assert.equal(rel?.name, 'relation');
    assert.deepEqual(rel?.args.map((a) => a.name), ['fields', 'references']);
  });
});

import assert from 'node:assert/strict';
import { createIndexDdl, createdIndexes, ddlStatements, trialIndexDdl } from '../../../src/core/advice/ddl';

const plain = { table: { schema: 'public', name: 'orders' }, method: 'btree' as const, keys: ['status'], nameParts: ['status'] };
const partitioned = {
  table: {
    schema: 'app',
    name: 'events',
    partitions: [
      { schema: 'app', name: 'events_2025', parentSchema: 'app', parentName: 'events', leaf: true },
      { schema: 'app', name: 'events_2026', parentSchema: 'app', parentName: 'events', leaf: false },
      { schema: 'archive', name: 'events_2026_h1', parentSchema: 'app', parentName: 'events_2026', leaf: true },
    ],
  },
  method: 'btree' as const,
  keys: ['kind', 'created_at'],
  nameParts: ['kind', 'created_at'],
  predicate: 'deleted_at IS NULL',
};

describe('index DDL', () => {
  it('builds a plain table\'s index CONCURRENTLY, and the trial form without it', () => {
    assert.equal(createIndexDdl(plain), 'CREATE INDEX CONCURRENTLY orders_status_idx ON orders (status);');
    assert.equal(trialIndexDdl(plain), 'CREATE INDEX orders_status_idx ON orders (status);');
    assert.deepEqual(ddlStatements(createIndexDdl(plain)), ['CREATE INDEX CONCURRENTLY orders_status_idx ON orders (status);']);
  });

  it('gives a partitioned table the ON ONLY recipe: every level, leaves built concurrently, attached bottom-up', () => {
    const ddl = createIndexDdl(partitioned);
    assert.match(ddl, /^-- app\.events is partitioned \(2 partitions\): CREATE INDEX CONCURRENTLY cannot run on it\./);
    assert.deepEqual(ddlStatements(ddl), [
      'CREATE INDEX events_kind_created_at_idx ON ONLY app.events (kind, created_at) WHERE deleted_at IS NULL;',
      'CREATE INDEX events_2026_kind_created_at_idx ON ONLY app.events_2026 (kind, created_at) WHERE deleted_at IS NULL;',
      'CREATE INDEX CONCURRENTLY events_2025_kind_created_at_idx ON app.events_2025 (kind, created_at) WHERE deleted_at IS NULL;',
      'ALTER INDEX app.events_kind_created_at_idx ATTACH PARTITION app.events_2025_kind_created_at_idx;',
      'CREATE INDEX CONCURRENTLY events_2026_h1_kind_created_at_idx ON archive.events_2026_h1 (kind, created_at) WHERE deleted_at IS NULL;',
      'ALTER INDEX app.events_2026_kind_created_at_idx ATTACH PARTITION archive.events_2026_h1_kind_created_at_idx;',
      'ALTER INDEX app.events_kind_created_at_idx ATTACH PARTITION app.events_2026_kind_created_at_idx;',
    ]);
    // One statement a transaction accepts: PostgreSQL builds it on every partition itself.
    assert.equal(trialIndexDdl(partitioned), 'CREATE INDEX events_kind_created_at_idx ON app.events (kind, created_at) WHERE deleted_at IS NULL;');
  });

  it('names the indexes a DDL text creates, in its table\'s schema, the partitioned table\'s first', () => {
    assert.deepEqual(createdIndexes(createIndexDdl(partitioned)), [
      'app.events_kind_created_at_idx', 'app.events_2026_kind_created_at_idx', 'app.events_2025_kind_created_at_idx', 'archive.events_2026_h1_kind_created_at_idx',
    ]);
    assert.deepEqual(createdIndexes(createIndexDdl(plain)), ['public.orders_status_idx']);
    assert.deepEqual(createdIndexes('CREATE INDEX CONCURRENTLY "Odd ""name""" ON "My Table" (a);'), ['public."Odd ""name"""']);
  });
});

/**
 * The CREATE INDEX statement a finding proposes. Always CONCURRENTLY (it
 * does not block writes while it builds; it cannot run inside a transaction
 * block), with identifiers quoted only where PostgreSQL needs it, so the
 * statement can be pasted into a migration as is.
 *
 * A partitioned table refuses CREATE INDEX CONCURRENTLY, and a plain CREATE
 * INDEX on it blocks writes to every partition until all are built. The
 * recipe PostgreSQL documents instead: the index on the partitioned table
 * alone (`ON ONLY`, invalid and unused for now), each partition's index
 * built CONCURRENTLY, then attached; once every partition's index is
 * attached, the partitioned table's index becomes valid, and partitions
 * added later get it automatically.
 */
import { qualified, quoteIdent } from '../health/ident';
import { truncateName } from '../schema/indexDefinition';
import { DEFAULT_SCHEMA, type TableInfo } from '../schema/model';

export interface IndexShape {
  readonly table: Pick<TableInfo, 'schema' | 'name' | 'partitions'>;
  readonly method: 'btree' | 'gin';
  /** Key texts as they go between the parentheses: `email`, `lower(email)`, `(created_at::date)`, `name gin_trgm_ops`. */
  readonly keys: readonly string[];
  /** Words for the index name: the columns, or function names for expressions. */
  readonly nameParts: readonly string[];
  readonly predicate?: string;
  /** Columns stored in the index without being keys (INCLUDE), so that an index-only scan can return them. */
  readonly include?: readonly string[];
}

/** `<table>_<parts>_idx`, lower case, at most 63 bytes. */
export function indexName(shape: Pick<IndexShape, 'table' | 'nameParts'>): string {
  const words = [shape.table.name, ...shape.nameParts].map((w) => w.replace(/[^\p{L}\p{N}_]+/gu, '_').replace(/^_+|_+$/g, '')).filter((w) => w !== '');
  return truncateName(words.join('_').toLowerCase(), '_idx');
}

export function tableName(table: Pick<TableInfo, 'schema' | 'name'>): string {
  return table.schema === DEFAULT_SCHEMA ? quoteIdent(table.name) : qualified(table.schema, table.name);
}

export function createIndexDdl(shape: IndexShape, name = indexName(shape)): string {
  if (shape.table.partitions && shape.table.partitions.length > 0) return partitionedIndexDdl(shape, name);
  return `CREATE INDEX CONCURRENTLY ${quoteIdent(name)} ON ${tableName(shape.table)}${body(shape)};`;
}

/** The same index in one statement that a transaction accepts (HypoPG, a trial build that is rolled back). */
export function trialIndexDdl(shape: IndexShape, name = indexName(shape)): string {
  return `CREATE INDEX ${quoteIdent(name)} ON ${tableName(shape.table)}${body(shape)};`;
}

/** Statements of a DDL text, without its comment lines, to run one at a time (CONCURRENTLY refuses a multi-statement query). */
export function ddlStatements(ddl: string): string[] {
  return ddl.split('\n').filter((line) => !line.startsWith('--')).join('\n').split(/;\s*(?:\n|$)/).map((s) => s.trim()).filter(Boolean).map((s) => `${s};`);
}

const IDENT = String.raw`"(?:[^"]|"")+"|[A-Za-z_][\w$]*`;
const CREATE = new RegExp(String.raw`^CREATE (?:UNIQUE )?INDEX (?:CONCURRENTLY )?(?:IF NOT EXISTS )?(${IDENT}) ON (?:ONLY )?(?:(${IDENT})\.)?(?:${IDENT})`);

/** The indexes a DDL text creates, schema-qualified (an index lives in its table's schema), for cleaning up after a failed build. */
export function createdIndexes(ddl: string): string[] {
  return ddlStatements(ddl).flatMap((statement) => {
    const m = CREATE.exec(statement);
    return m ? [`${m[2] ?? quoteIdent(DEFAULT_SCHEMA)}.${m[1]!}`] : [];
  });
}

function body(shape: IndexShape): string {
  const using = shape.method === 'btree' ? '' : ` USING ${shape.method}`;
  const where = shape.predicate ? ` WHERE ${shape.predicate}` : '';
  const include = shape.include && shape.include.length > 0 ? ` INCLUDE (${shape.include.map(quoteIdent).join(', ')})` : '';
  return `${using} (${shape.keys.join(', ')})${include}${where}`;
}

function partitionedIndexDdl(shape: IndexShape, name: string): string {
  const partitions = shape.table.partitions!;
  const leaves = partitions.filter((p) => p.leaf);
  const inner = partitions.filter((p) => !p.leaf);
  const nameOf = (t: { schema: string; name: string }) =>
    t.schema === shape.table.schema && t.name === shape.table.name ? name : indexName({ table: t, nameParts: shape.nameParts });
  const ref = (t: { schema: string; name: string }) => (t.schema === DEFAULT_SCHEMA ? quoteIdent(nameOf(t)) : qualified(t.schema, nameOf(t)));
  const parentOf = (p: { parentSchema: string; parentName: string }) => ({ schema: p.parentSchema, name: p.parentName });
  const lines = [
    `-- ${tableName(shape.table)} is partitioned (${leaves.length} partition${leaves.length === 1 ? '' : 's'}): CREATE INDEX CONCURRENTLY cannot run on it.`,
    '-- The index is created on the partitioned table alone (invalid until every partition has its own), then built on each',
    '-- partition without blocking writes and attached. Run the statements one at a time, outside a transaction block.',
    `CREATE INDEX ${quoteIdent(name)} ON ONLY ${tableName(shape.table)}${body(shape)};`,
    ...inner.map((p) => `CREATE INDEX ${quoteIdent(nameOf(p))} ON ONLY ${tableName(p)}${body(shape)};`),
    ...leaves.flatMap((p) => [
      `CREATE INDEX CONCURRENTLY ${quoteIdent(nameOf(p))} ON ${tableName(p)}${body(shape)};`,
      `ALTER INDEX ${ref(parentOf(p))} ATTACH PARTITION ${ref(p)};`,
    ]),
    // A sub-partitioned partition's index becomes valid once its own partitions' are attached: attach it last, deepest first.
    ...[...inner].reverse().map((p) => `ALTER INDEX ${ref(parentOf(p))} ATTACH PARTITION ${ref(p)};`),
  ];
  return lines.join('\n');
}

/**
 * The CREATE INDEX statement a finding proposes. Always CONCURRENTLY (it
 * does not block writes while it builds; it cannot run inside a transaction
 * block), with identifiers quoted only where PostgreSQL needs it, so the
 * statement can be pasted into a migration as is.
 */
import { qualified, quoteIdent } from '../health/ident';
import { truncateName } from '../schema/indexDefinition';
import { DEFAULT_SCHEMA, type TableInfo } from '../schema/model';

export interface IndexShape {
  readonly table: Pick<TableInfo, 'schema' | 'name'>;
  readonly method: 'btree' | 'gin';
  /** Key texts as they go between the parentheses: `email`, `lower(email)`, `(created_at::date)`, `name gin_trgm_ops`. */
  readonly keys: readonly string[];
  /** Words for the index name: the columns, or function names for expressions. */
  readonly nameParts: readonly string[];
  readonly predicate?: string;
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
  const using = shape.method === 'btree' ? '' : ` USING ${shape.method}`;
  const where = shape.predicate ? ` WHERE ${shape.predicate}` : '';
  return `CREATE INDEX CONCURRENTLY ${quoteIdent(name)} ON ${tableName(shape.table)}${using} (${shape.keys.join(', ')})${where};`;
}

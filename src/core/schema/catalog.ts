/**
 * The schema model from the live catalog's rows (read by src/db/catalog.ts).
 * Index keys and partial predicates come from parsing `pg_get_indexdef`, so
 * live and offline schemas describe indexes the same way. The SQL parser
 * must be loaded (`loadSqlParser()`).
 */
import { bool, num, text } from '../health/rows';
import { parseIndexDefinition } from './indexDefinition';
import type { ColumnInfo, ColumnStats, ConstraintInfo, IndexInfo, PartitionInfo, ReferentialAction, SchemaModel, TableInfo } from './model';

type Row = Readonly<Record<string, unknown>>;

/** The rows of the catalog queries, as the driver returns them. */
export interface CatalogRows {
  /** oid, schema, name, reltuples, size_bytes, partitions (JSON array, partitioned tables only) */
  readonly tables: readonly Row[];
  /** table_oid, name, type, not_null, null_frac, n_distinct, common_values, common_freqs */
  readonly columns: readonly Row[];
  /** table_oid, name, definition, predicate, valid, primary, unique, method */
  readonly indexes: readonly Row[];
  /** table_oid, name, type, columns, ref_schema, ref_table, ref_columns, on_delete, validated */
  readonly constraints: readonly Row[];
}

const ACTIONS: Readonly<Record<string, ReferentialAction>> = { a: 'no action', r: 'restrict', c: 'cascade', n: 'set null', d: 'set default' };
const KINDS: Readonly<Record<string, 'primary' | 'unique' | 'check' | 'exclusion'>> = { p: 'primary', u: 'unique', c: 'check', x: 'exclusion' };

export function schemaFromCatalog(rows: CatalogRows): SchemaModel {
  const byTable = <T>(list: readonly Row[], map: (r: Row) => T | undefined): Map<string, T[]> => {
    const out = new Map<string, T[]>();
    for (const r of list) {
      const value = map(r);
      if (value === undefined) continue;
      const key = text(r.table_oid);
      out.set(key, [...(out.get(key) ?? []), value]);
    }
    return out;
  };
  const columns = byTable(rows.columns, columnFrom);
  const indexes = byTable(rows.indexes, indexFrom);
  const constraints = byTable(rows.constraints, constraintFrom);
  const tables: TableInfo[] = rows.tables.map((r) => {
    const oid = text(r.oid);
    const reltuples = num(r.reltuples);
    return {
      schema: text(r.schema),
      name: text(r.name),
      columns: columns.get(oid) ?? [],
      indexes: indexes.get(oid) ?? [],
      constraints: constraints.get(oid) ?? [],
      // -1 (PostgreSQL 14+) means never vacuumed or analysed: unknown, not empty.
      rowEstimate: reltuples === null || reltuples < 0 ? null : reltuples,
      sizeBytes: num(r.size_bytes),
      ...(Array.isArray(r.partitions) ? { partitions: (r.partitions as Row[]).map(partitionFrom) } : {}),
    };
  });
  return { source: 'catalog', tables, entities: [] };
}

function partitionFrom(r: Row): PartitionInfo {
  return { schema: text(r.schema), name: text(r.name), parentSchema: text(r.parentSchema), parentName: text(r.parentName), leaf: bool(r.leaf) };
}

function columnFrom(r: Row): ColumnInfo {
  const nullFraction = num(r.null_frac);
  const distinct = num(r.n_distinct);
  const stats: ColumnStats | undefined =
    nullFraction === null || distinct === null
      ? undefined
      : { nullFraction, distinct, commonValues: textArray(r.common_values), commonFrequencies: textArray(r.common_freqs).map(Number) };
  return { name: text(r.name), type: text(r.type), notNull: bool(r.not_null), ...(stats ? { stats } : {}) };
}

function indexFrom(r: Row): IndexInfo | undefined {
  const name = text(r.name);
  const parsed = parseIndexDefinition(text(r.definition), name);
  if (!parsed) return undefined;
  const predicate = r.predicate === null || r.predicate === undefined ? parsed.index.predicate : text(r.predicate);
  return {
    ...parsed.index,
    name,
    method: text(r.method, parsed.index.method),
    unique: bool(r.unique),
    primary: bool(r.primary),
    valid: bool(r.valid),
    predicate,
  };
}

function constraintFrom(r: Row): ConstraintInfo | undefined {
  const type = text(r.type);
  const name = text(r.name);
  const columns = textArray(r.columns);
  if (type === 'f') {
    return {
      kind: 'foreign',
      name,
      columns,
      references: { schema: text(r.ref_schema), table: text(r.ref_table), columns: textArray(r.ref_columns) },
      onDelete: ACTIONS[text(r.on_delete)] ?? 'no action',
      validated: bool(r.validated),
    };
  }
  const kind = KINDS[type];
  return kind ? { kind, name, columns } : undefined;
}

/** A text[] as the driver gives it: a JavaScript array, or the array literal `{a,"b c"}` when not parsed. */
export function textArray(value: unknown): string[] {
  if (Array.isArray(value)) return value.map((v) => (v === null ? '' : String(v)));
  if (typeof value !== 'string' || !value.startsWith('{')) return [];
  const out: string[] = [];
  let i = 1;
  while (i < value.length && value[i] !== '}') {
    let item = '';
    if (value[i] === '"') {
      i++;
      while (i < value.length && value[i] !== '"') {
        if (value[i] === '\\') i++;
        item += value[i] ?? '';
        i++;
      }
      i++;
    } else {
      while (i < value.length && value[i] !== ',' && value[i] !== '}') item += value[i++];
    }
    out.push(item);
    if (value[i] === ',') i++;
  }
  return out;
}

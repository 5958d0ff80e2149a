/**
 * What PG Insight knows about a database schema: tables, their columns,
 * indexes and constraints, and row estimates when a live catalog gave them.
 * The same model is built from the live catalog (`catalog.ts`), from SQL
 * migrations (`migrations.ts`) or from a Prisma schema (`prisma.ts`), so the
 * rules never care where it came from. Plain data, safe to cache and share.
 *
 * Names are stored as PostgreSQL stores them: unquoted identifiers folded to
 * lower case, quoted ones kept exactly.
 */

export type SchemaSource = 'catalog' | 'migrations' | 'prisma';

export interface SchemaModel {
  readonly source: SchemaSource;
  readonly tables: readonly TableInfo[];
  /** ORM model names mapped to tables (Prisma), for ORM filters. Empty for SQL sources. */
  readonly entities: readonly EntityMapping[];
}

export interface TableInfo {
  readonly schema: string;
  readonly name: string;
  readonly columns: readonly ColumnInfo[];
  readonly indexes: readonly IndexInfo[];
  readonly constraints: readonly ConstraintInfo[];
  /** `pg_class.reltuples`; null when unknown (offline schemas, never analysed tables). */
  readonly rowEstimate: number | null;
  /** Table, indexes and TOAST on disk (`pg_total_relation_size`), in bytes; null offline. */
  readonly sizeBytes: number | null;
  /**
   * A partitioned table's partitions, every level, parents before their
   * children (live catalog only). An index on the table is built on each.
   */
  readonly partitions?: readonly PartitionInfo[];
}

export interface PartitionInfo {
  readonly schema: string;
  readonly name: string;
  /** The table it is a partition of (the partitioned table itself, or a sub-partitioned partition). */
  readonly parentSchema: string;
  readonly parentName: string;
  /** Holds rows; false for a partition that is itself partitioned. */
  readonly leaf: boolean;
}

export interface ColumnInfo {
  readonly name: string;
  /** As `format_type` prints it: `bigint`, `character varying(255)`, `timestamp with time zone`. */
  readonly type: string;
  readonly notNull: boolean;
  /**
   * Read from DDL without statistics: the column holds one of a few states
   * (a text column with a constant default such as `'NORMAL'`, a CHECK
   * `IN (…)` list, a Prisma enum). A test on it keeps many rows.
   */
  readonly enumLike?: true;
  /** Planner statistics (`pg_stats`) when the live catalog had them. */
  readonly stats?: ColumnStats;
}

export interface ColumnStats {
  /** Fraction of NULLs. */
  readonly nullFraction: number;
  /** `n_distinct`: a count when positive, minus a fraction of the rows when negative. */
  readonly distinct: number;
  /** Most common values as text, with their frequencies (same order). */
  readonly commonValues: readonly string[];
  readonly commonFrequencies: readonly number[];
}

/** One key of an index: a column, or an expression with its canonical form for matching. */
export type IndexKey =
  | { readonly kind: 'column'; readonly column: string; readonly descending: boolean; readonly opclass?: string }
  | {
      readonly kind: 'expression';
      /** Display text, e.g. `lower(email)`. */
      readonly text: string;
      /** Canonical form (see expression.ts); equal for equivalent spellings. */
      readonly canonical: string;
      /** Columns the expression reads. */
      readonly columns: readonly string[];
      readonly descending: boolean;
      readonly opclass?: string;
    };

export interface IndexInfo {
  readonly name: string;
  /** Access method: btree, hash, gin, gist, brin, spgist… */
  readonly method: string;
  readonly keys: readonly IndexKey[];
  /** INCLUDE columns: stored, not searchable. */
  readonly include: readonly string[];
  readonly unique: boolean;
  readonly primary: boolean;
  /** False for an index left invalid by a failed concurrent build (or not ready yet): the planner ignores it. */
  readonly valid: boolean;
  /** Partial index predicate as text, null when the index covers every row. */
  readonly predicate: string | null;
  /** Canonical forms of the predicate's AND-ed conjuncts. */
  readonly predicateConjuncts: readonly string[];
}

export type ReferentialAction = 'no action' | 'restrict' | 'cascade' | 'set null' | 'set default';

export type ConstraintInfo =
  | { readonly kind: 'primary' | 'unique'; readonly name: string; readonly columns: readonly string[] }
  | {
      readonly kind: 'foreign';
      readonly name: string;
      readonly columns: readonly string[];
      readonly references: { readonly schema: string; readonly table: string; readonly columns: readonly string[] };
      readonly onDelete: ReferentialAction;
      readonly validated: boolean;
    }
  | { readonly kind: 'check' | 'exclusion'; readonly name: string; readonly columns: readonly string[] };

export type ForeignKey = Extract<ConstraintInfo, { kind: 'foreign' }>;

/** An ORM model and where it is stored. */
export interface EntityMapping {
  readonly framework: 'prisma';
  readonly model: string;
  readonly schema: string;
  readonly table: string;
  /** Scalar field name → column name. */
  readonly fields: ReadonlyMap<string, string>;
  /** Relation field name → the scalar fields holding its foreign key (empty on the side without one). */
  readonly relations: ReadonlyMap<string, { readonly target: string; readonly fields: readonly string[] }>;
}

export const DEFAULT_SCHEMA = 'public';

/**
 * The table a statement means by `name` (and `schema` when written): the
 * exact schema when given, else `public` first (the default search path),
 * else the only table of that name in any schema.
 */
export function findTable(model: SchemaModel, name: string, schema?: string): TableInfo | undefined {
  if (schema !== undefined) return model.tables.find((t) => t.schema === schema && t.name === name);
  const matches = model.tables.filter((t) => t.name === name);
  return matches.find((t) => t.schema === DEFAULT_SCHEMA) ?? (matches.length === 1 ? matches[0] : undefined);
}

export function findColumn(table: TableInfo, name: string): ColumnInfo | undefined {
  return table.columns.find((c) => c.name === name);
}

export function foreignKeys(table: TableInfo): ForeignKey[] {
  return table.constraints.filter((c): c is ForeignKey => c.kind === 'foreign');
}

/** Foreign keys in other tables (or this one) that reference `table`. */
export function referencingKeys(model: SchemaModel, table: TableInfo): { table: TableInfo; key: ForeignKey }[] {
  const out: { table: TableInfo; key: ForeignKey }[] = [];
  for (const t of model.tables) {
    for (const key of foreignKeys(t)) {
      if (key.references.schema === table.schema && key.references.table === table.name) out.push({ table: t, key });
    }
  }
  return out;
}

/** `schema.table` for messages, without the schema when it is `public`. */
export function displayName(table: Pick<TableInfo, 'schema' | 'name'>): string {
  return table.schema === DEFAULT_SCHEMA ? table.name : `${table.schema}.${table.name}`;
}

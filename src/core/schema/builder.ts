/**
 * A schema under construction, changed step by step as migrations (or a
 * Prisma schema) describe it, with PostgreSQL's side effects: a primary key
 * or unique constraint brings its index, dropping a column drops the indexes
 * and constraints that use it, dropping a table drops the foreign keys that
 * point at it, renames follow through.
 */
import { defaultIndexName, truncateName } from './indexDefinition';
import {
  DEFAULT_SCHEMA,
  type ColumnInfo,
  type ConstraintInfo,
  type EntityMapping,
  type IndexInfo,
  type IndexKey,
  type SchemaModel,
  type SchemaSource,
} from './model';

/** A plain, valid, full index on keys (what ORM schemas declare: `@@index`, `Meta.indexes`). */
export function plainIndex(name: string, keys: readonly IndexKey[], method = 'btree'): IndexInfo {
  return { name, method, keys, include: [], unique: false, primary: false, valid: true, predicate: null, predicateConjuncts: [] };
}

export interface MutableTable {
  schema: string;
  name: string;
  columns: ColumnInfo[];
  indexes: IndexInfo[];
  constraints: ConstraintInfo[];
  rowEstimate: number | null;
  sizeBytes: number | null;
}

export class SchemaBuilder {
  private readonly tables: MutableTable[] = [];

  /** The table `name` means: the given schema, else `public`, else the only one of that name. */
  table(name: string, schema?: string): MutableTable | undefined {
    if (schema !== undefined) return this.tables.find((t) => t.schema === schema && t.name === name);
    const matches = this.tables.filter((t) => t.name === name);
    return matches.find((t) => t.schema === DEFAULT_SCHEMA) ?? (matches.length === 1 ? matches[0] : undefined);
  }

  createTable(name: string, schema = DEFAULT_SCHEMA): MutableTable {
    const existing = this.table(name, schema);
    if (existing) return existing;
    const t: MutableTable = { schema, name, columns: [], indexes: [], constraints: [], rowEstimate: null, sizeBytes: null };
    this.tables.push(t);
    return t;
  }

  dropTable(t: MutableTable): void {
    this.tables.splice(this.tables.indexOf(t), 1);
    for (const other of this.tables) {
      other.constraints = other.constraints.filter((c) => !(c.kind === 'foreign' && c.references.schema === t.schema && c.references.table === t.name));
    }
  }

  renameTable(t: MutableTable, newName: string): void {
    for (const other of this.tables) {
      other.constraints = other.constraints.map((c) =>
        c.kind === 'foreign' && c.references.schema === t.schema && c.references.table === t.name ? { ...c, references: { ...c.references, table: newName } } : c,
      );
    }
    t.name = newName;
  }

  addColumn(t: MutableTable, column: ColumnInfo): void {
    t.columns = [...t.columns.filter((c) => c.name !== column.name), column];
  }

  dropColumn(t: MutableTable, name: string): void {
    t.columns = t.columns.filter((c) => c.name !== name);
    t.indexes = t.indexes.filter((i) => !indexUses(i, name));
    t.constraints = t.constraints.filter((c) => !c.columns.includes(name));
    for (const other of this.tables) {
      other.constraints = other.constraints.filter(
        (c) => !(c.kind === 'foreign' && c.references.schema === t.schema && c.references.table === t.name && c.references.columns.includes(name)),
      );
    }
  }

  renameColumn(t: MutableTable, from: string, to: string): void {
    const swap = (c: string) => (c === from ? to : c);
    t.columns = t.columns.map((c) => (c.name === from ? { ...c, name: to } : c));
    t.indexes = t.indexes.map((i) => ({ ...i, keys: i.keys.map((k) => renameKey(k, from, to)), include: i.include.map(swap) }));
    t.constraints = t.constraints.map((c) => ({ ...c, columns: c.columns.map(swap) }));
    for (const other of this.tables) {
      other.constraints = other.constraints.map((c) =>
        c.kind === 'foreign' && c.references.schema === t.schema && c.references.table === t.name
          ? { ...c, references: { ...c.references, columns: c.references.columns.map(swap) } }
          : c,
      );
    }
  }

  updateColumn(t: MutableTable, name: string, change: Partial<ColumnInfo>): void {
    t.columns = t.columns.map((c) => (c.name === name ? { ...c, ...change } : c));
  }

  /** Adds (or replaces, by name) an index. */
  addIndex(t: MutableTable, index: IndexInfo): void {
    t.indexes = [...t.indexes.filter((i) => i.name !== index.name), index];
  }

  /** Drops the index `name` of the schema (indexes share the namespace of tables). */
  dropIndex(name: string, schema?: string): void {
    for (const t of this.tables) {
      if (schema !== undefined && t.schema !== schema) continue;
      t.indexes = t.indexes.filter((i) => i.name !== name);
    }
  }

  renameIndex(name: string, to: string, schema?: string): void {
    for (const t of this.tables) {
      if (schema !== undefined && t.schema !== schema) continue;
      t.indexes = t.indexes.map((i) => (i.name === name ? { ...i, name: to } : i));
      t.constraints = t.constraints.map((c) => (c.name === name ? { ...c, name: to } : c));
    }
  }

  /** Adds a constraint; a primary key or unique constraint also creates its index, as PostgreSQL does. */
  addConstraint(t: MutableTable, constraint: ConstraintInfo): void {
    t.constraints = [...t.constraints.filter((c) => c.name !== constraint.name), constraint];
    if (constraint.kind === 'primary' || constraint.kind === 'unique') {
      const keys: IndexKey[] = constraint.columns.map((column) => ({ kind: 'column', column, descending: false }));
      const primary = constraint.kind === 'primary';
      this.addIndex(t, { name: constraint.name, method: 'btree', keys, include: [], unique: true, primary, valid: true, predicate: null, predicateConjuncts: [] });
      if (primary) for (const c of constraint.columns) this.updateColumn(t, c, { notNull: true });
    }
  }

  dropConstraint(t: MutableTable, name: string): void {
    const dropped = t.constraints.find((c) => c.name === name);
    t.constraints = t.constraints.filter((c) => c.name !== name);
    if (dropped && (dropped.kind === 'primary' || dropped.kind === 'unique')) t.indexes = t.indexes.filter((i) => i.name !== name);
  }

  build(source: SchemaSource, entities: readonly EntityMapping[] = []): SchemaModel {
    return { source, entities, tables: this.tables.map((t) => ({ ...t, columns: [...t.columns], indexes: [...t.indexes], constraints: [...t.constraints] })) };
  }
}

/** The name PostgreSQL gives a constraint declared without one. */
export function defaultConstraintName(table: string, kind: ConstraintInfo['kind'], columns: readonly string[]): string {
  switch (kind) {
    case 'primary':
      return defaultIndexName(table, columns, 'pkey');
    case 'unique':
      return defaultIndexName(table, columns, 'key');
    case 'foreign':
      return truncateName([table, ...columns].join('_'), '_fkey');
    case 'exclusion':
      return defaultIndexName(table, columns, 'excl');
    case 'check':
      return truncateName([table, ...columns.slice(0, 1)].join('_'), '_check');
  }
}

function indexUses(index: IndexInfo, column: string): boolean {
  return index.include.includes(column) || index.keys.some((k) => (k.kind === 'column' ? k.column === column : k.columns.includes(column)));
}

function renameKey(key: IndexKey, from: string, to: string): IndexKey {
  if (key.kind === 'column') return key.column === from ? { ...key, column: to } : key;
  if (!key.columns.includes(from)) return key;
  const word = new RegExp(`(?<![\\w"])${from.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w"])`, 'g');
  return { ...key, columns: key.columns.map((c) => (c === from ? to : c)), text: key.text.replace(word, to), canonical: key.canonical.split(`col:${from})`).join(`col:${to})`).split(`col:${from},`).join(`col:${to},`) };
}

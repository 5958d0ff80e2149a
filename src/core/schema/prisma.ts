/**
 * The schema a Prisma `schema.prisma` creates in PostgreSQL: one table per
 * model (`@@map` renames it, `@@schema` places it), one column per scalar
 * field (`@map`), the primary key (`@id`/`@@id`), unique constraints
 * (`@unique`/`@@unique`), indexes (`@@index`, with `map`, `type` and sort
 * order), and a foreign key for each relation that holds `fields:`. Prisma
 * does not index foreign keys by itself on PostgreSQL, so neither does this.
 * Index and constraint names follow Prisma's defaults.
 */
import { defaultConstraintName, plainIndex, SchemaBuilder } from './builder';
import { defaultIndexName } from './indexDefinition';
import { DEFAULT_SCHEMA, type EntityMapping, type IndexKey, type ReferentialAction, type SchemaModel } from './model';
import { argument, fieldList, parsePrismaSchema, stringValue, type PrismaBlock, type PrismaField } from './prismaSyntax';

const SCALARS: Readonly<Record<string, string>> = {
  String: 'text', Boolean: 'boolean', Int: 'integer', BigInt: 'bigint', Float: 'double precision',
  Decimal: 'numeric(65,30)', DateTime: 'timestamp(3) without time zone', Json: 'jsonb', Bytes: 'bytea',
};

/** `@db.X` native types, as format_type prints them. */
const NATIVE: Readonly<Record<string, (args: string[]) => string>> = {
  Text: () => 'text', VarChar: (a) => (a[0] ? `character varying(${a[0]})` : 'character varying'),
  Char: (a) => `character(${a[0] ?? 1})`, Uuid: () => 'uuid', Citext: () => 'citext', Inet: () => 'inet',
  Integer: () => 'integer', SmallInt: () => 'smallint', BigInt: () => 'bigint', Real: () => 'real',
  DoublePrecision: () => 'double precision', Decimal: (a) => (a.length ? `numeric(${a.join(',')})` : 'numeric'),
  Money: () => 'money', Boolean: () => 'boolean', Date: () => 'date', Json: () => 'json', JsonB: () => 'jsonb',
  Timestamp: (a) => `timestamp(${a[0] ?? 3}) without time zone`, Timestamptz: (a) => `timestamp(${a[0] ?? 3}) with time zone`,
  Time: (a) => `time(${a[0] ?? 3}) without time zone`, Timetz: (a) => `time(${a[0] ?? 3}) with time zone`,
  ByteA: () => 'bytea', Xml: () => 'xml', Bit: (a) => `bit(${a[0] ?? 1})`, VarBit: () => 'bit varying',
};

const ACTIONS: Readonly<Record<string, ReferentialAction>> = {
  Cascade: 'cascade', Restrict: 'restrict', NoAction: 'no action', SetNull: 'set null', SetDefault: 'set default',
};

interface ModelInfo {
  readonly block: PrismaBlock;
  readonly table: string;
  readonly schema: string;
  readonly columns: ReadonlyMap<string, string>;
}

export function schemaFromPrisma(text: string): SchemaModel {
  const blocks = parsePrismaSchema(text);
  const enums = new Map(blocks.filter((b) => b.keyword === 'enum').map((b) => [b.name, stringValue(argument(b.attributes.find((a) => a.name === 'map'), 'name', true)) ?? b.name]));
  const models = new Map<string, ModelInfo>();
  for (const block of blocks.filter((b) => b.keyword === 'model')) {
    const columns = new Map<string, string>();
    for (const f of block.fields) if (!isRelation(f, blocks)) columns.set(f.name, mapped(f) ?? f.name);
    const table = stringValue(argument(block.attributes.find((a) => a.name === 'map'), 'name', true)) ?? block.name;
    const schema = stringValue(argument(block.attributes.find((a) => a.name === 'schema'), 'name', true)) ?? DEFAULT_SCHEMA;
    models.set(block.name, { block, table, schema, columns });
  }

  const b = new SchemaBuilder();
  for (const m of models.values()) {
    const t = b.createTable(m.table, m.schema);
    for (const f of m.block.fields) {
      const column = m.columns.get(f.name);
      if (column === undefined) continue;
      b.addColumn(t, { name: column, type: columnType(f, enums), notNull: !f.optional, ...(enums.has(f.type) ? { enumLike: true as const } : {}) });
    }
  }
  const entities: EntityMapping[] = [];
  for (const m of models.values()) {
    const t = b.table(m.table, m.schema);
    if (!t) continue;
    const col = (field: string) => m.columns.get(field) ?? field;
    const relations = new Map<string, { target: string; fields: string[] }>();
    for (const f of m.block.fields) {
      const attr = (name: string) => f.attributes.find((a) => a.name === name);
      if (attr('id')) b.addConstraint(t, { kind: 'primary', name: stringValue(argument(attr('id'), 'map')) ?? defaultIndexName(t.name, [], 'pkey'), columns: [col(f.name)] });
      if (attr('unique')) b.addConstraint(t, { kind: 'unique', name: stringValue(argument(attr('unique'), 'map')) ?? defaultIndexName(t.name, [col(f.name)], 'key'), columns: [col(f.name)] });
      if (!isRelation(f, blocks)) continue;
      const rel = attr('relation');
      const fields = fieldList(argument(rel, 'fields')).map((x) => x.field);
      relations.set(f.name, { target: f.type, fields });
      const target = models.get(f.type);
      if (fields.length === 0 || !target) continue;
      const references = fieldList(argument(rel, 'references')).map((x) => target.columns.get(x.field) ?? x.field);
      const onDelete = argument(rel, 'onDelete');
      const columns = fields.map(col);
      b.addConstraint(t, {
        kind: 'foreign',
        name: stringValue(argument(rel, 'map')) ?? defaultConstraintName(t.name, 'foreign', columns),
        columns,
        references: { schema: target.schema, table: target.table, columns: references },
        onDelete: onDelete?.kind === 'ident' ? (ACTIONS[onDelete.value] ?? 'no action') : f.optional ? 'set null' : 'restrict',
        validated: true,
      });
    }
    for (const a of m.block.attributes) {
      const list = fieldList(argument(a, 'fields', true));
      const columns = list.map((x) => col(x.field));
      if (columns.length === 0) continue;
      const map = stringValue(argument(a, 'map'));
      if (a.name === 'id') b.addConstraint(t, { kind: 'primary', name: map ?? defaultIndexName(t.name, [], 'pkey'), columns });
      else if (a.name === 'unique') b.addConstraint(t, { kind: 'unique', name: map ?? defaultIndexName(t.name, columns, 'key'), columns });
      else if (a.name === 'index') {
        const type = argument(a, 'type');
        const keys: IndexKey[] = list.map((x) => ({ kind: 'column', column: col(x.field), descending: x.descending, ...(x.opclass ? { opclass: x.opclass } : {}) }));
        b.addIndex(t, plainIndex(map ?? defaultIndexName(t.name, columns, 'idx'), keys, type?.kind === 'ident' ? type.value.toLowerCase() : 'btree'));
      }
    }
    entities.push({ framework: 'prisma', model: m.block.name, schema: m.schema, table: m.table, fields: m.columns, relations });
  }
  return b.build('prisma', entities);
}

function mapped(f: PrismaField): string | undefined {
  return stringValue(argument(f.attributes.find((a) => a.name === 'map'), 'name', true));
}

/** A field whose type is another model (or a composite type) holds no column of its own. */
function isRelation(f: PrismaField, blocks: readonly PrismaBlock[]): boolean {
  return blocks.some((b) => (b.keyword === 'model' || b.keyword === 'view' || b.keyword === 'type') && b.name === f.type);
}

function columnType(f: PrismaField, enums: ReadonlyMap<string, string>): string {
  const native = f.attributes.find((a) => a.name.startsWith('db.'));
  let type: string;
  if (native) {
    const args = native.args.map((a) => (a.value.kind === 'number' || a.value.kind === 'ident' || a.value.kind === 'string' ? a.value.value : ''));
    type = NATIVE[native.name.slice(3)]?.(args) ?? native.name.slice(3).toLowerCase();
  } else {
    type = SCALARS[f.type] ?? enums.get(f.type) ?? (/^Unsupported\((.*)\)$/.exec(f.type)?.[1] ?? f.type);
  }
  return f.list ? `${type}[]` : type;
}

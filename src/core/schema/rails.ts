/**
 * The schema a Rails application dumps to `db/schema.rb`: `create_table`
 * blocks with their `t.<type> "column"` lines and `t.index`, and the
 * older top-level `add_index`. Each table has the `id` primary key unless
 * `id: false` (or `primary_key:` names another column). Read as text, line
 * by line, as Rails writes the file; a hand-written schema.rb with Ruby
 * logic in it is read as far as it follows that shape.
 */
import { plainIndex, SchemaBuilder, type MutableTable } from './builder';
import { defaultIndexName } from './indexDefinition';
import type { IndexKey, SchemaModel } from './model';

/** `db/schema.rb` in any folder (an engine's `spec/dummy/db/schema.rb` too). */
export function isRailsSchemaPath(path: string): boolean {
  return /(^|\/)db\/schema\.rb$/.test(path);
}

const TYPES: Record<string, string> = {
  string: 'character varying', text: 'text', integer: 'integer', bigint: 'bigint', float: 'double precision', decimal: 'numeric',
  numeric: 'numeric', datetime: 'timestamp without time zone', timestamp: 'timestamp without time zone', timestamptz: 'timestamp with time zone',
  time: 'time', date: 'date', binary: 'bytea', boolean: 'boolean', json: 'json', jsonb: 'jsonb', uuid: 'uuid', inet: 'inet', citext: 'citext',
  hstore: 'hstore', interval: 'interval', serial: 'integer', bigserial: 'bigint', references: 'bigint', belongs_to: 'bigint',
};

/** `["a", "b"]` or `"a"`: the quoted names in order. */
function names(text: string): string[] {
  return [...text.matchAll(/"([^"]+)"/g)].map((m) => m[1] ?? '');
}

export function schemaFromRailsSchema(text: string): SchemaModel {
  const b = new SchemaBuilder();
  let table: MutableTable | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/\s+#.*$/, '').trim();
    const create = /^create_table\s+"([^"]+)"(.*?)\s+do\s*\|\w+\|$/.exec(line);
    if (create) {
      table = b.createTable(create[1] ?? '');
      const options = create[2] ?? '';
      const key = /\bprimary_key:\s*"([^"]+)"/.exec(options)?.[1];
      if (!/\bid:\s*false\b/.test(options) || key) {
        const column = key ?? 'id';
        const idType = /\bid:\s*:(\w+)/.exec(options)?.[1];
        b.addColumn(table, { name: column, type: TYPES[idType ?? 'bigint'] ?? idType ?? 'bigint', notNull: true });
        b.addConstraint(table, { kind: 'primary', name: defaultIndexName(table.name, [], 'pkey'), columns: [column] });
      }
      continue;
    }
    if (line === 'end') {
      table = undefined;
      continue;
    }
    const index = /^(?:t\.index|add_index\s+"([^"]+)",)\s*(\[[^\]]*\]|"[^"]*")(.*)$/.exec(line);
    if (index) {
      const target = index[1] !== undefined ? b.table(index[1]) : table;
      if (target) addIndex(b, target, names(index[2] ?? ''), index[3] ?? '');
      continue;
    }
    const column = /^t\.(\w+)\s+"([^"]+)"(.*)$/.exec(line);
    if (column && table) {
      const [, kind = '', name = '', options = ''] = column;
      if (kind === 'index' || kind === 'timestamps') continue;
      const type = TYPES[kind] ?? kind;
      const reference = kind === 'references' || kind === 'belongs_to';
      const col = reference ? `${name}_id` : name;
      // A string with a written default (`default: "pending"`) holds a state: most rows keep a few values.
      const enumLike = (kind === 'string' || kind === 'text') && /\bdefault:\s*"[^"]+"/.test(options);
      b.addColumn(table, { name: col, type, notNull: /\bnull:\s*false\b/.test(options), ...(enumLike ? { enumLike: true as const } : {}) });
      if (reference && !/\bindex:\s*false\b/.test(options)) addIndex(b, table, [col], options);
    }
  }
  return b.build('migrations');
}

/** `t.index ["a", "b"], name: "…", unique: true, order: { b: :desc }, using: :gin`; a `where:` is kept as a full index. */
function addIndex(b: SchemaBuilder, t: MutableTable, columns: readonly string[], options: string): void {
  if (columns.length === 0) return;
  const name = /\bname:\s*"([^"]+)"/.exec(options)?.[1] ?? defaultIndexName(t.name, [...columns], 'idx');
  if (/\bunique:\s*true\b/.test(options)) {
    b.addConstraint(t, { kind: 'unique', name, columns: [...columns] });
    return;
  }
  const keys: IndexKey[] = columns.map((column) => ({ kind: 'column', column, descending: new RegExp(`\\b"?${column}"?:\\s*:desc\\b`).test(options) }));
  b.addIndex(t, plainIndex(name, keys, /\busing:\s*:(\w+)/.exec(options)?.[1] ?? 'btree'));
}

/**
 * The schema Django creates from an application's models, read from the
 * `models.py` (or `models/*.py`) source: each concrete model class becomes
 * the table `<app label>_<model name in lower case>` (or its `Meta.db_table`)
 * with the indexes Django adds by itself: the `id` primary key, one index
 * per ForeignKey (`<field>_id`), `unique=True`, `db_index=True`,
 * `Meta.indexes`, `unique_together` and `UniqueConstraint`. Read from text,
 * as written: fields inherited from an abstract base class in another file
 * are not seen, nor are models built at run time.
 */
import { defaultIndexName } from './indexDefinition';
import { plainIndex, SchemaBuilder, type MutableTable } from './builder';
import type { IndexInfo, SchemaModel } from './model';

export interface DjangoModelsFile {
  readonly path: string;
  readonly text: string;
}

/** `hc/api/models.py` and `shop/models/order.py` are models modules. */
export function isDjangoModelsPath(path: string): boolean {
  return /(^|\/)models\.py$/.test(path) || /(^|\/)models\/[^/]+\.py$/.test(path);
}

/** The app label: the package that holds the models module (`hc/api/models.py` → `api`). */
export function appLabel(path: string): string {
  const parts = path.split('/');
  const at = parts.lastIndexOf('models.py') >= 0 ? parts.lastIndexOf('models.py') : parts.lastIndexOf('models');
  return parts[at - 1] ?? '';
}

interface ClassBlock {
  readonly name: string;
  readonly bases: string;
  readonly body: string[];
}

const FIELD_TYPES: Record<string, string> = {
  AutoField: 'integer', BigAutoField: 'bigint', SmallAutoField: 'smallint', BigIntegerField: 'bigint', IntegerField: 'integer',
  SmallIntegerField: 'smallint', PositiveIntegerField: 'integer', PositiveSmallIntegerField: 'smallint', PositiveBigIntegerField: 'bigint',
  BooleanField: 'boolean', NullBooleanField: 'boolean', CharField: 'character varying', SlugField: 'character varying', EmailField: 'character varying',
  URLField: 'character varying', TextField: 'text', UUIDField: 'uuid', DateField: 'date', DateTimeField: 'timestamp with time zone', TimeField: 'time',
  DurationField: 'interval', FloatField: 'double precision', DecimalField: 'numeric', JSONField: 'jsonb', BinaryField: 'bytea',
  GenericIPAddressField: 'inet', IPAddressField: 'inet', FileField: 'character varying', ImageField: 'character varying',
};
const RELATIONS = new Set(['ForeignKey', 'OneToOneField']);

/** Top-level classes with their indented bodies; lines joined while brackets are open. */
function classBlocks(text: string): ClassBlock[] {
  const lines = logicalLines(text);
  const out: ClassBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = /^class\s+(\w+)\s*(?:\((.*)\))?\s*:/.exec(lines[i] ?? '');
    if (!m) continue;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const line = lines[j] ?? '';
      if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
      if (!/^\s/.test(line)) break;
      body.push(line);
    }
    out.push({ name: m[1] ?? '', bases: m[2] ?? '', body });
    i = j - 1;
  }
  return out;
}

/** Source lines, a statement spread over lines (open brackets, trailing commas) made one. */
function logicalLines(text: string): string[] {
  const out: string[] = [];
  let current = '';
  let depth = 0;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/(^|\s)#.*$/, '');
    current = current === '' ? line : `${current} ${line.trim()}`;
    for (const ch of line.replace(/(["'])(?:\\.|(?!\1).)*\1/g, '')) {
      if (ch === '(' || ch === '[' || ch === '{') depth++;
      else if (ch === ')' || ch === ']' || ch === '}') depth = Math.max(0, depth - 1);
    }
    if (depth === 0) {
      out.push(current);
      current = '';
    }
  }
  if (current !== '') out.push(current);
  return out;
}

function stringArg(args: string, name: string): string | undefined {
  return new RegExp(`\\b${name}\\s*=\\s*["']([^"']+)["']`).exec(args)?.[1];
}

function flag(args: string, name: string): boolean {
  return new RegExp(`\\b${name}\\s*=\\s*True\\b`).test(args);
}

/** `fields=["a", "-b"]` / `("a", "b")`: names in order. */
function nameList(text: string | undefined): string[] {
  if (!text) return [];
  return [...text.matchAll(/["']([-\w]+)["']/g)].map((m) => m[1] ?? '');
}

export function schemaFromDjangoModels(files: readonly DjangoModelsFile[]): SchemaModel {
  const b = new SchemaBuilder();
  // Model names of the workspace, for `class Check(BaseCheck)` where the base is itself a model.
  const blocksByFile = files.map((f) => ({ file: f, blocks: classBlocks(f.text) }));
  const models = new Set<string>();
  for (const { blocks } of blocksByFile) for (const c of blocks) if (/\bmodels\.Model\b|\bModel\b/.test(c.bases)) models.add(c.name);
  for (const { file, blocks } of blocksByFile) {
    const label = appLabel(file.path).toLowerCase();
    for (const c of blocks) {
      const isModel = /\bmodels\.Model\b|(^|[\s,])Model\b/.test(c.bases) || c.bases.split(',').some((x) => models.has(x.trim()));
      if (!isModel) continue;
      const meta = metaOf(c);
      if (/\babstract\s*=\s*True\b/.test(meta) || /\bproxy\s*=\s*True\b/.test(meta)) continue;
      const table = /\bdb_table\s*=\s*["']([^"']+)["']/.exec(meta)?.[1] ?? `${label}_${c.name.toLowerCase()}`;
      addModel(b, b.createTable(table), c, meta);
    }
  }
  return b.build('migrations');
}

function metaOf(c: ClassBlock): string {
  const at = c.body.findIndex((l) => /^\s+class\s+Meta\b/.test(l));
  if (at < 0) return '';
  const indent = /^\s*/.exec(c.body[at] ?? '')?.[0].length ?? 0;
  const lines: string[] = [];
  for (const l of c.body.slice(at + 1)) {
    if ((/^\s*/.exec(l)?.[0].length ?? 0) <= indent) break;
    lines.push(l.trim());
  }
  return lines.join('\n');
}

function addModel(b: SchemaBuilder, t: MutableTable, c: ClassBlock, meta: string): void {
  let hasPrimary = false;
  const indent = Math.min(...c.body.map((l) => /^\s*/.exec(l)?.[0].length ?? 0));
  for (const line of c.body) {
    if ((/^\s*/.exec(line)?.[0].length ?? 0) !== indent) continue;
    const m = /^\s*(\w+)\s*(?::[^=]+)?=\s*(?:models\.)?(\w+)\((.*)\)\s*$/.exec(line);
    if (!m) continue;
    const [, name = '', kind = '', args = ''] = m;
    if (kind === 'ManyToManyField') continue;
    const relation = RELATIONS.has(kind);
    const type = FIELD_TYPES[kind] ?? (relation ? 'bigint' : undefined);
    if (type === undefined) continue;
    const column = stringArg(args, 'db_column') ?? (relation ? `${name}_id` : name);
    const enumLike = /\bchoices\s*=/.test(args);
    b.addColumn(t, { name: column, type, notNull: !flag(args, 'null'), ...(enumLike ? { enumLike: true as const } : {}) });
    if (flag(args, 'primary_key')) {
      hasPrimary = true;
      b.addConstraint(t, { kind: 'primary', name: defaultIndexName(t.name, [], 'pkey'), columns: [column] });
    } else if (flag(args, 'unique') || kind === 'OneToOneField') {
      b.addConstraint(t, { kind: 'unique', name: defaultIndexName(t.name, [column], 'key'), columns: [column] });
    } else if ((relation && !/\bdb_index\s*=\s*False\b/.test(args)) || flag(args, 'db_index')) {
      b.addIndex(t, btree(`${t.name}_${column}_idx`, [column]));
    }
  }
  if (!hasPrimary) {
    b.addColumn(t, { name: 'id', type: 'bigint', notNull: true });
    b.addConstraint(t, { kind: 'primary', name: defaultIndexName(t.name, [], 'pkey'), columns: ['id'] });
  }
  const column = (field: string) => {
    const f = field.replace(/^-/, '');
    return t.columns.some((x) => x.name === f) ? f : `${f}_id`;
  };
  // Meta.indexes = [models.Index(fields=["status", "-created"], condition=…)]. A condition makes it
  // partial; its predicate is not read, and it is kept as a full index, so the rule stays quiet
  // where it may serve (a missed need costs less than advice to build an index that exists).
  for (const m of meta.matchAll(/Index\(([^()]*(?:\([^()]*(?:\([^()]*\)[^()]*)*\)[^()]*)*)\)/g)) {
    const args = m[1] ?? '';
    if (/\bexpressions?\b|F\(|Lower\(/.test(args)) continue;
    const fields = nameList(/\bfields\s*=\s*(\[[^\]]*\]|\([^)]*\))/.exec(args)?.[1]);
    if (fields.length > 0) b.addIndex(t, btree(stringArg(args, 'name') ?? `${t.name}_${fields.map(column).join('_')}_idx`, fields.map(column), fields.map((f) => f.startsWith('-'))));
  }
  for (const m of meta.matchAll(/UniqueConstraint\(([^()]*)\)/g)) {
    const args = m[1] ?? '';
    if (/\bcondition\s*=/.test(args)) continue;
    const fields = nameList(/\bfields\s*=\s*(\[[^\]]*\]|\([^)]*\))/.exec(args)?.[1]).map(column);
    if (fields.length > 0) b.addConstraint(t, { kind: 'unique', name: stringArg(args, 'name') ?? defaultIndexName(t.name, fields, 'key'), columns: fields });
  }
  const together = /\bunique_together\s*=\s*(.*)/.exec(meta)?.[1] ?? '';
  for (const group of together.match(/[([]\s*["'][^)\]]*[)\]]/g) ?? []) {
    const fields = nameList(group).map(column);
    if (fields.length > 1) b.addConstraint(t, { kind: 'unique', name: defaultIndexName(t.name, fields, 'key'), columns: fields });
  }
  for (const m of /\bindex_together\s*=\s*(.*)/.exec(meta)?.[1]?.match(/[([]\s*["'][^)\]]*[)\]]/g) ?? []) {
    const fields = nameList(m).map(column);
    if (fields.length > 0) b.addIndex(t, btree(`${t.name}_${fields.join('_')}_idx`, fields));
  }
}

function btree(name: string, columns: readonly string[], descending: readonly boolean[] = []): IndexInfo {
  return plainIndex(name, columns.map((column, i) => ({ kind: 'column' as const, column, descending: descending[i] ?? false })));
}

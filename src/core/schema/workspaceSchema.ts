/**
 * The schema of a workspace without a database, from the files that
 * describe it: SQL migrations, other `.sql` files that create tables
 * (`tables/*.sql`, `structure.sql`), Prisma schemas, Django models and
 * Rails' `db/schema.rb`. In a monorepo each
 * package keeps its own: a migrations folder or a Prisma schema belongs to
 * the folder that holds it (its root), and code under that root is checked
 * against it; code under no root is checked against all of them together.
 * Every choice is reported (`describeSchema`), so nobody has to guess what
 * a finding was judged against. Pure: callers hand in the files' text.
 */
import { isOtherDialectPath } from '../sqlrules/dialect';
import { isDjangoModelsPath, schemaFromDjangoModels } from './django';
import { isRailsSchemaPath, schemaFromRailsSchema } from './rails';
import { schemaFromMigrations } from './migrations';
import type { SchemaModel, TableInfo } from './model';
import { schemaFromPrisma } from './prisma';

export interface SchemaFile {
  readonly path: string;
  readonly text: string;
  /** Set for SQL taken out of code (a Go or TypeScript migration): its kind is known, not read from the path. */
  readonly kind?: SchemaFileKind;
}

export type SchemaFileKind = 'migration' | 'sql' | 'prisma' | 'django' | 'rails';

export interface RootSchema {
  /** Folder the schema belongs to, `/`-terminated; '' for the whole workspace. */
  readonly root: string;
  readonly model: SchemaModel;
  readonly files: readonly string[];
  readonly kinds: readonly SchemaFileKind[];
}

export interface WorkspaceSchema {
  readonly roots: readonly RootSchema[];
  /** All roots together: for code under none of them, and for callers with one schema. */
  readonly merged: SchemaModel;
  /** Files read, in the order applied. */
  readonly files: readonly string[];
}

/** Folders whose `.sql` files are migrations, as the common tools lay them out. */
const MIGRATION_DIR = /(^|\/)((?:db\/)?(?:migrations?|migrate|flyway|sql\/migrations))\//i;
const CREATES_TABLE = /\bcreate\s+(?:unlogged\s+)?table\b/i;
const SNAPSHOT_NAME = /(^|\/)(latest|schema|structure)\.sql$/i;

export function isMigrationPath(path: string): boolean {
  return /\.sql$/i.test(path) && MIGRATION_DIR.test(path);
}

export function isPrismaSchema(path: string): boolean {
  return /(^|\/)schema\.prisma$/.test(path);
}

/** What a file contributes to the schema, if anything. */
export function schemaFileKind(file: SchemaFile): SchemaFileKind | undefined {
  if (file.kind) return file.kind;
  if (isPrismaSchema(file.path)) return 'prisma';
  if (isDjangoModelsPath(file.path)) return /\bmodels\.Model\b/.test(file.text) ? 'django' : undefined;
  if (isRailsSchemaPath(file.path)) return /\bActiveRecord::Schema\b/.test(file.text) ? 'rails' : undefined;
  if (!/\.sql$/i.test(file.path) || isOtherDialectPath(file.path)) return undefined;
  // A full schema kept beside the migrations (memos' `LATEST.sql`, a `schema.sql` dump) states the current schema.
  if (SNAPSHOT_NAME.test(file.path) && CREATES_TABLE.test(file.text)) return 'sql';
  if (isMigrationPath(file.path)) return 'migration';
  return CREATES_TABLE.test(file.text) ? 'sql' : undefined;
}

/** A source file that migrates the schema in code: under a migrations folder, or named for it (`migrations.go`). */
export function isCodeMigrationPath(path: string): boolean {
  if (/\.sql$/i.test(path) || /(^|\/)(tests?|__tests__|spec)\/|[._-](test|spec)\.[a-z]+$|_test\.go$/i.test(path)) return false;
  return /(^|\/)(migrations?|migrate|alterations)\//i.test(path) || /(^|\/)[^/]*migrat[^/]*\.[a-z]+$/i.test(path);
}

const DDL = /^\s*(?:create\s+(?:unique\s+)?(?:unlogged\s+)?(?:table|index)|alter\s+table|drop\s+(?:table|index)|comment\s+on)\b/i;

/**
 * The DDL a code migration sends (`tx.Exec("CREATE TABLE …")`,
 * `this.addSql('create index …')`), as one SQL text in the order written;
 * undefined when it sends none.
 */
export function codeMigration(path: string, sqlTexts: readonly string[]): SchemaFile | undefined {
  // A migration often opens with a comment (`-- Speed up has_enclosure`).
  const ddl = sqlTexts.filter((t) => DDL.test(t.replace(/^(?:\s*(?:--[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/))*/, '')));
  if (ddl.length === 0) return undefined;
  return { path, text: ddl.map((t) => t.replace(/;\s*$/, '')).join(';\n'), kind: 'migration' };
}

/** The folder a schema file belongs to. */
export function schemaRoot(path: string, kind: SchemaFileKind): string {
  if (kind === 'migration') {
    const m = MIGRATION_DIR.exec(path);
    if (m) return path.slice(0, (m.index ?? 0) + (m[1]?.length ?? 0));
    // A migrations file in code (`internal/database/migrations.go`) serves the whole workspace.
    return '';
  }
  if (kind === 'prisma') return path.replace(/(^|\/)(?:prisma\/)?schema\.prisma$/, '$1');
  // Django apps of one project share one database.
  if (kind === 'django') return '';
  // `engine/spec/dummy/db/schema.rb` belongs to `engine/spec/dummy/`.
  if (kind === 'rails') return path.replace(/db\/schema\.rb$/, '');
  // A snapshot inside a migrations folder belongs where the migrations do.
  const m = MIGRATION_DIR.exec(path);
  if (m) return path.slice(0, (m.index ?? 0) + (m[1]?.length ?? 0));
  // A `tables/` or `schema/` folder of plain `.sql` files serves the whole workspace (code often lives in another package).
  return '';
}

/** Builds one schema per root; undefined when no file describes a table. */
export function workspaceSchema(files: readonly SchemaFile[]): WorkspaceSchema | undefined {
  const byRoot = new Map<string, { snapshot: SchemaFile[]; migrations: SchemaFile[]; prisma: SchemaFile[]; django: SchemaFile[]; rails: SchemaFile[]; kinds: Set<SchemaFileKind> }>();
  for (const f of files) {
    const kind = schemaFileKind(f);
    if (!kind) continue;
    const root = schemaRoot(f.path, kind);
    let group = byRoot.get(root);
    if (!group) {
      group = { snapshot: [], migrations: [], prisma: [], django: [], rails: [], kinds: new Set() };
      byRoot.set(root, group);
    }
    group.kinds.add(kind);
    (kind === 'prisma' ? group.prisma : kind === 'django' ? group.django : kind === 'rails' ? group.rails : kind === 'sql' ? group.snapshot : group.migrations).push(f);
  }
  const roots: RootSchema[] = [];
  for (const [root, group] of [...byRoot].sort(([a], [b]) => a.localeCompare(b))) {
    // Files that create tables outside a migrations folder (`structure.sql`, `tables/*.sql`) state the
    // current schema; migrations next to them are its history. A table both define keeps the snapshot's form.
    const parts: SchemaModel[] = [];
    const read: string[] = [];
    // `db/schema.rb` is Rails' dump of the current schema: a snapshot.
    for (const f of group.rails) {
      parts.push(schemaFromRailsSchema(f.text));
      read.push(f.path);
    }
    for (const set of [group.snapshot, group.migrations]) {
      if (set.length === 0) continue;
      const built = schemaFromMigrations(set);
      parts.push(built.model);
      read.push(...built.applied);
    }
    for (const p of group.prisma) {
      parts.push(schemaFromPrisma(p.text));
      read.push(p.path);
    }
    if (group.django.length > 0) {
      parts.push(schemaFromDjangoModels(group.django));
      read.push(...group.django.map((f) => f.path));
    }
    const model = mergeSchemas(parts);
    if (model.tables.length === 0) continue;
    roots.push({ root, model, files: read, kinds: [...group.kinds] });
  }
  if (roots.length === 0) return undefined;
  return { roots, merged: mergeSchemas(roots.map((r) => r.model)), files: roots.flatMap((r) => r.files) };
}

/** The schema for code at `path`: its nearest root's, else all of them. */
export function schemaForPath(ws: WorkspaceSchema, path: string): SchemaModel {
  let best: RootSchema | undefined;
  for (const r of ws.roots) {
    if (r.root !== '' && path.startsWith(r.root) && (!best || r.root.length > best.root.length)) best = r;
  }
  return best?.model ?? ws.merged;
}

/** Several schemas as one: a table defined twice keeps its first definition. */
export function mergeSchemas(parts: readonly SchemaModel[]): SchemaModel {
  if (parts.length === 1 && parts[0]) return parts[0];
  const tables = new Map<string, TableInfo>();
  for (const p of parts) for (const t of p.tables) if (!tables.has(`${t.schema}.${t.name}`)) tables.set(`${t.schema}.${t.name}`, t);
  const source = parts.some((p) => p.source === 'prisma') && parts.every((p) => p.source !== 'migrations') ? 'prisma' : 'migrations';
  return { source, tables: [...tables.values()], entities: parts.flatMap((p) => p.entities) };
}

export interface SchemaCounts {
  readonly tables: number;
  readonly indexes: number;
}

export function schemaCounts(model: SchemaModel): SchemaCounts {
  return { tables: model.tables.length, indexes: model.tables.reduce((n, t) => n + t.indexes.length, 0) };
}

const KIND_WORDS: Record<SchemaFileKind, string> = { migration: 'SQL migrations', sql: 'SQL files', prisma: 'Prisma schema', django: 'Django models', rails: 'Rails schema.rb' };

/** One line per root, for a scan's report and the log. */
export function describeWorkspaceSchema(ws: WorkspaceSchema): string[] {
  return ws.roots.map((r) => {
    const { tables, indexes } = schemaCounts(r.model);
    const where = r.root === '' ? 'the workspace' : r.root.replace(/\/$/, '');
    const kinds = r.kinds.map((k) => KIND_WORDS[k]).join(' and ');
    const sample = r.files.length === 1 ? r.files[0] : `${r.files.length} files, first ${r.files[0] ?? ''}`;
    return `${where}: ${tables} table${tables === 1 ? '' : 's'}, ${indexes} index${indexes === 1 ? '' : 'es'} from ${kinds} (${sample})`;
  });
}

/**
 * The schema described by SQL migration files, for when no database is
 * connected: CREATE TABLE, ALTER TABLE (columns, constraints, types, NOT
 * NULL, renames), CREATE [UNIQUE] INDEX (partial, expression, INCLUDE) and
 * DROP TABLE/INDEX, applied file after file in migration order. Down
 * migrations are left out (`*.down.sql`, and the down half of dbmate and goose
 * files). Statements the schema does not depend on (data changes, functions,
 * grants) are skipped; statements that do not parse are reported, not fatal.
 *
 * The SQL parser must be loaded (`loadSqlParser()`).
 */
import { splitStatements } from '../sql/statements';
import { unwrapNode } from '../sql/nodeSpans';
import { SchemaBuilder } from './builder';
import { applyStatement } from './ddl';
import type { SchemaModel } from './model';

export interface MigrationFile {
  readonly path: string;
  readonly text: string;
}

export interface MigrationProblem {
  readonly path: string;
  /** UTF-16 offset in the file. */
  readonly offset: number;
  readonly message: string;
}

export interface MigrationSchema {
  readonly model: SchemaModel;
  readonly problems: readonly MigrationProblem[];
  /** Paths applied, in order. */
  readonly applied: readonly string[];
}

/** Builds the schema from migration files, in `orderMigrations` order. */
export function schemaFromMigrations(files: readonly MigrationFile[]): MigrationSchema {
  const builder = new SchemaBuilder();
  const problems: MigrationProblem[] = [];
  const applied: string[] = [];
  for (const file of orderMigrations(files)) {
    if (isDownMigration(file.path)) continue;
    applied.push(file.path);
    const up = upSection(file.text);
    for (const s of splitStatements(up).statements) {
      if (s.error) {
        problems.push({ path: file.path, offset: s.error.position, message: s.error.message });
        continue;
      }
      const u = s.node ? unwrapNode(s.node) : undefined;
      if (!u) continue;
      const problem = applyStatement(builder, u[0], u[1]);
      if (problem) problems.push({ path: file.path, offset: s.start, message: problem });
    }
  }
  return { model: builder.build('migrations'), problems, applied };
}

/**
 * Migration order: by path, comparing runs of digits as numbers, so
 * `V10__x.sql` follows `V9__x.sql` and timestamps sort as written.
 */
export function orderMigrations<T extends { readonly path: string }>(files: readonly T[]): T[] {
  return [...files].sort((a, b) => naturalCompare(a.path, b.path));
}

export function naturalCompare(a: string, b: string): number {
  const split = (s: string) => s.split(/(\d+)/).filter((p) => p !== '');
  const pa = split(a);
  const pb = split(b);
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const x = pa[i] as string;
    const y = pb[i] as string;
    if (x === y) continue;
    const nx = /^\d+$/.test(x);
    const ny = /^\d+$/.test(y);
    if (nx && ny) return Number(x) - Number(y) || x.length - y.length;
    return x < y ? -1 : 1;
  }
  return pa.length - pb.length;
}

/** golang-migrate, sqlx and others keep the undo step in its own `*.down.sql` file. */
export function isDownMigration(path: string): boolean {
  return /(^|[._/-])down\.sql$/i.test(path);
}

/**
 * The "up" part of a file holding both directions: dbmate's `-- migrate:down`
 * and goose's `-- +goose Down` start the undo half. The down half is blanked
 * (not cut), so offsets stay those of the file.
 */
export function upSection(text: string): string {
  const down = /^[ \t]*--[ \t]*(migrate:down|\+goose[ \t]+Down)\b/im.exec(text);
  if (!down) return text;
  return text.slice(0, down.index) + text.slice(down.index).replace(/[^\n]/g, ' ');
}

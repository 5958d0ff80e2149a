/**
 * From a pg_stat_statements entry to the code that issues it. Each file's
 * candidates are computed once per summary (fingerprints of its SQL
 * strings, predicted reads of its ORM calls); each statement once per text.
 * A SQL string whose fingerprint equals the statement's is an exact match;
 * an ORM call whose predicted read has the statement's shape is a likely
 * one, shown as such.
 */
import type { OrmFilter } from '../code/ormFilters';
import type { QueryCall, SqlText } from '../code/types';
import type { EntityMapping } from '../schema/model';
import { codeSqlFingerprint, statementFingerprint } from './fingerprint';
import { matchesPrediction, predictRead, type PredictedRead } from './ormShape';
import { readShapeOf, type ReadShape } from './statementShape';
import { splitStatements } from '../sql/statements';

/** `exact`: the SQL text in the code has the statement's fingerprint; `likely`: an ORM call predicted to send it. */
export type MatchConfidence = 'exact' | 'likely';

export interface SiteCandidate {
  readonly start: number;
  readonly end: number;
  readonly kind: 'sql' | 'orm';
  /** `SQL string`, or the call's short form: `prisma.user.findUnique(…)`. */
  readonly label: string;
}

/** What one file offers to match against. */
export interface FileCandidates {
  readonly sql: readonly (SiteCandidate & { readonly fingerprint: string })[];
  readonly orm: readonly (SiteCandidate & { readonly predicted: PredictedRead })[];
}

/** What one statement is matched by. */
export interface StatementIdentity {
  readonly fingerprint: string | null;
  readonly shape: ReadShape | null;
}

export interface SiteMatch extends SiteCandidate {
  readonly confidence: MatchConfidence;
}

/** The parts of a file summary the matching reads. */
export interface SummaryFacts {
  readonly sql: readonly SqlText[];
  readonly queries: readonly QueryCall[];
  readonly ormFilters: readonly OrmFilter[];
}

export function fileCandidates(summary: SummaryFacts, entities: readonly EntityMapping[]): FileCandidates {
  const sql: (SiteCandidate & { fingerprint: string })[] = [];
  for (const s of summary.sql) {
    const fingerprint = codeSqlFingerprint(s.text);
    if (fingerprint) sql.push({ start: s.start, end: s.end, kind: 'sql', label: s.origin === 'sql-like' ? 'SQL string' : 'SQL query', fingerprint });
  }
  const orm: (SiteCandidate & { predicted: PredictedRead })[] = [];
  for (const f of summary.ormFilters) {
    // The call recorded for the same source span tells which method it is.
    const call = summary.queries.find((q) => q.start === f.start && q.end === f.end) ?? summary.queries.find((q) => q.start <= f.start && q.end >= f.end);
    if (!call) continue;
    const predicted = predictRead(f, call, entities);
    if (predicted) orm.push({ start: f.start, end: f.end, kind: 'orm', label: call.label, predicted });
  }
  return { sql, orm };
}

/**
 * The statements of a `.sql` file (migrations, query files, functions run by
 * name) as candidates: each is matched by fingerprint like a SQL string in
 * code. A statement PostgreSQL would reject cannot have been recorded.
 */
export function sqlFileCandidates(text: string): FileCandidates {
  const sql: (SiteCandidate & { fingerprint: string })[] = [];
  for (const statement of splitStatements(text).statements) {
    if (statement.error) continue;
    const fingerprint = codeSqlFingerprint(statement.text);
    if (fingerprint) sql.push({ start: statement.start, end: statement.end, kind: 'sql', label: 'SQL file statement', fingerprint });
  }
  return { sql, orm: [] };
}

/** The shape is parsed on first use: only workspaces with predictable ORM calls need it. */
export function statementIdentity(normalisedText: string): StatementIdentity {
  let shape: ReadShape | null | undefined;
  return {
    fingerprint: statementFingerprint(normalisedText),
    get shape() {
      if (shape === undefined) shape = readShapeOf(normalisedText);
      return shape;
    },
  };
}

export function matchesInFile(statement: StatementIdentity, file: FileCandidates): SiteMatch[] {
  const out: SiteMatch[] = [];
  if (statement.fingerprint) {
    for (const s of file.sql) if (s.fingerprint === statement.fingerprint) out.push({ start: s.start, end: s.end, kind: s.kind, label: s.label, confidence: 'exact' });
  }
  const shape = file.orm.length > 0 ? statement.shape : null;
  if (shape) {
    for (const o of file.orm) if (matchesPrediction(shape, o.predicted)) out.push({ start: o.start, end: o.end, kind: o.kind, label: o.label, confidence: 'likely' });
  }
  return out;
}

/**
 * Texts an ORM or query builder generated: table-qualified quoted column
 * names (`"public"."User"."email"`, `"shop_book"."id"`), which people rarely
 * write by hand. Used to explain why such a statement may have no match.
 */
export function looksOrmGenerated(normalisedText: string): boolean {
  return /"[^"]+"\s*\.\s*"[^"]+"/.test(normalisedText);
}

/** Zero-based line and character of a UTF-16 offset, from a file's line starts. */
export function positionAt(lineStarts: readonly number[], offset: number): { line: number; character: number } {
  let lo = 0;
  let hi = lineStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if ((lineStarts[mid] ?? 0) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo, character: offset - (lineStarts[lo] ?? 0) };
}

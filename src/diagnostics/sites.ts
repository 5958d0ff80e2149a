/**
 * "Where in the code is this statement issued?", answered over the indexed
 * workspace files (the analysis worker's side of Find in code and of the
 * statement CodeLens). Each file's candidates are computed once per
 * summary and schema; each statement's fingerprint once per text.
 */
import type { FileSummary } from '../core/code/types';
import type { EntityMapping } from '../core/schema/model';
import { loadSqlParser } from '../core/sql/parser';
import { fileCandidates, matchesInFile, positionAt, sqlFileCandidates, statementIdentity, type FileCandidates, type MatchConfidence, type StatementIdentity } from '../core/sqlmatch';
import type { AnalysisEngine } from './engine';

export interface StatementRequest {
  /** The caller's id for the statement (the panel's row key). */
  readonly key: string;
  /** pg_stat_statements' normalised text. */
  readonly text: string;
}

export interface CodeSite {
  /** Workspace-relative path, as the index knows the file. */
  readonly path: string;
  readonly start: number;
  readonly end: number;
  /** Zero-based, from the indexed text's line starts. */
  readonly range: { readonly startLine: number; readonly startCharacter: number; readonly endLine: number; readonly endCharacter: number };
  /** How many lines the indexed text had: a caller compares it with the document before trusting the range. */
  readonly lineCount: number;
  readonly confidence: MatchConfidence;
  readonly kind: 'sql' | 'orm';
  readonly label: string;
}

export interface SitesResult {
  /** Statement key → its sites, by path and offset. Keys without a site are left out. */
  readonly sites: Readonly<Record<string, readonly CodeSite[]>>;
  /** How many files were searched. */
  readonly files: number;
}

/** A file yields to the event loop after this many files, so a search in process does not hold up the host. */
const FILES_PER_TURN = 25;
const MAX_CACHED_STATEMENTS = 20_000;

const candidatesCache = new WeakMap<FileSummary, { entities: readonly EntityMapping[]; candidates: FileCandidates }>();
const identities = new Map<string, StatementIdentity>();
/** A `.sql` file's candidates, kept while its text is the same. */
const sqlFileCache = new Map<string, { text: string; candidates: FileCandidates }>();

function sqlCandidatesOf(path: string, text: string): FileCandidates {
  const cached = sqlFileCache.get(path);
  if (cached?.text === text) return cached.candidates;
  const candidates = sqlFileCandidates(text);
  sqlFileCache.set(path, { text, candidates });
  return candidates;
}

function candidatesOf(summary: FileSummary, entities: readonly EntityMapping[]): FileCandidates {
  const cached = candidatesCache.get(summary);
  if (cached && cached.entities === entities) return cached.candidates;
  const candidates = fileCandidates(summary, entities);
  candidatesCache.set(summary, { entities, candidates });
  return candidates;
}

function identityOf(text: string): StatementIdentity {
  let id = identities.get(text);
  if (!id) {
    if (identities.size >= MAX_CACHED_STATEMENTS) identities.clear();
    id = statementIdentity(text);
    identities.set(text, id);
  }
  return id;
}

const NO_ENTITIES: readonly EntityMapping[] = [];

/** The sites of each statement in `paths` (default: every indexed file). */
export async function sitesFor(engine: AnalysisEngine, statements: readonly StatementRequest[], paths?: readonly string[]): Promise<SitesResult> {
  await loadSqlParser();
  const wanted = statements.map((s) => ({ key: s.key, id: identityOf(s.text) }));
  const entities = engine.schema?.entities ?? NO_ENTITIES;
  const sites: Record<string, CodeSite[]> = {};
  let files = 0;
  const sqlPaths = new Set(engine.sqlPaths);
  for (const path of paths ?? [...engine.paths, ...sqlPaths]) {
    const summary = engine.summary(path);
    const sqlFile = summary ? undefined : sqlPaths.has(path) ? engine.sqlFile(path) : undefined;
    const lineStarts = summary?.lineStarts ?? sqlFile?.lineStarts;
    if (!lineStarts) continue;
    files++;
    const candidates = summary ? candidatesOf(summary, entities) : sqlCandidatesOf(path, sqlFile!.text);
    if (candidates.sql.length > 0 || candidates.orm.length > 0) {
      for (const s of wanted) {
        for (const m of matchesInFile(s.id, candidates)) {
          const from = positionAt(lineStarts, m.start);
          const to = positionAt(lineStarts, m.end);
          (sites[s.key] ??= []).push({
            path,
            start: m.start,
            end: m.end,
            range: { startLine: from.line, startCharacter: from.character, endLine: to.line, endCharacter: to.character },
            lineCount: lineStarts.length,
            confidence: m.confidence,
            kind: m.kind,
            label: m.label,
          });
        }
      }
    }
    if (files % FILES_PER_TURN === 0) await new Promise<void>((resolve) => setImmediate(resolve));
  }
  for (const list of Object.values(sites)) list.sort((a, b) => (a.path === b.path ? a.start - b.start : a.path < b.path ? -1 : 1));
  return { sites, files };
}

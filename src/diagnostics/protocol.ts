/**
 * What the editor asks of the analysis, and what it gets back: plain,
 * structured-clone-safe data, so the same requests run in a worker thread
 * (dist/analysisWorker.js) or in process. `handle` is the one place that
 * answers them.
 */
import type { SchemaModel } from '../core/schema/model';
import { schemaForPath, type RootSchema } from '../core/schema/workspaceSchema';
import type { AnalysisEngine, EngineOptions } from './engine';
import { levelFor, toView, type FindingView } from './findingView';
import { sitesFor, type SitesResult, type StatementRequest } from './sites';

export type { CodeSite, SitesResult, StatementRequest } from './sites';

/** What code lenses and hovers need of a file: where its SQL strings are, and its lines. */
export interface FileFacts {
  readonly lineStarts: readonly number[];
  readonly sql: readonly { readonly start: number; readonly end: number; readonly origin: string; readonly text: string }[];
}

export type AnalysisRequest =
  | { readonly op: 'update'; readonly path: string; readonly text: string }
  | { readonly op: 'forget'; readonly path: string }
  /** `roots`: each package's own schema offline (a monorepo); code under none of them uses `schema`. */
  | { readonly op: 'schema'; readonly schema: SchemaModel | undefined; readonly roots?: readonly RootSchema[] }
  | { readonly op: 'check'; readonly path: string; readonly text: string; readonly options: EngineOptions; readonly rules: Readonly<Record<string, unknown>> }
  /** Where the code issues each of these pg_stat_statements entries (all indexed files, or only `paths`). */
  | { readonly op: 'sites'; readonly statements: readonly StatementRequest[]; readonly paths?: readonly string[] };

export interface CheckResult {
  readonly views: readonly FindingView[];
  readonly facts: FileFacts | undefined;
}

export function factsOf(engine: AnalysisEngine, path: string): FileFacts | undefined {
  const s = engine.summary(path);
  if (s) return { lineStarts: s.lineStarts, sql: s.sql.map((q) => ({ start: q.start, end: q.end, origin: q.origin, text: q.text })) };
  // A .sql file: its lines, for the statement CodeLens (its statements are found by the sites search).
  const sqlFile = engine.sqlFile(path);
  return sqlFile ? { lineStarts: sqlFile.lineStarts, sql: [] } : undefined;
}

/** Answers one request; `check` updates the file, then rates and converts its findings. */
export async function handle(engine: AnalysisEngine, request: AnalysisRequest): Promise<CheckResult | SitesResult | undefined> {
  switch (request.op) {
    case 'update':
      await engine.update(request.path, request.text);
      return undefined;
    case 'forget':
      engine.forget(request.path);
      return undefined;
    case 'schema': {
      engine.schema = request.schema;
      const { roots, schema } = request;
      engine.schemaFor = schema && roots && roots.length > 1 ? (path) => schemaForPath({ roots, merged: schema, files: [] }, path) : undefined;
      return undefined;
    }
    case 'check': {
      engine.options = request.options;
      await engine.update(request.path, request.text);
      const findings = await engine.findings(request.path, request.text);
      const views = findings.flatMap((f) => {
        const level = levelFor(f, request.rules);
        return level ? [toView(f, level, (p) => engine.lineStarts(p))] : [];
      });
      return { views, facts: factsOf(engine, request.path) };
    }
    case 'sites':
      return sitesFor(engine, request.statements, request.paths);
  }
}

/**
 * Workspace-level entry points: summarise many files, build the index, and
 * run `n-plus-one` over all of them. Pure: the edge reads the files and hands
 * in their text (or cached summaries).
 */
import type { CodeAnalyzer } from './analyzer';
import type { CodeFinding } from './findings';
import { createImportResolver, type ImportResolver } from './importResolver';
import { checkNPlusOne, type NPlusOneOptions } from './rules/n-plus-one';
import type { FileSummary } from './types';
import { WorkspaceIndex } from './workspaceIndex';

export interface SourceFile {
  readonly path: string;
  readonly text: string;
}

/** Summaries of the files in a supported language, in input order. */
export async function summarizeFiles(analyzer: CodeAnalyzer, files: Iterable<SourceFile>): Promise<FileSummary[]> {
  const out: FileSummary[] = [];
  for (const f of files) {
    const s = await analyzer.summarize(f.path, f.text);
    if (s) out.push(s);
  }
  return out;
}

export interface WorkspaceCheckOptions extends NPlusOneOptions {
  /** Defaults to the path-based resolver over the summaries' own paths. */
  readonly resolver?: ImportResolver;
  readonly maxDepth?: number;
}

export function buildIndex(summaries: readonly FileSummary[], options: WorkspaceCheckOptions = {}): WorkspaceIndex {
  const resolver = options.resolver ?? createImportResolver(summaries.map((s) => s.path));
  return new WorkspaceIndex(summaries, resolver, { maxDepth: options.maxDepth });
}

/** `n-plus-one` findings for every file, by path. */
export function findNPlusOne(summaries: readonly FileSummary[], options: WorkspaceCheckOptions = {}): Map<string, CodeFinding[]> {
  const index = buildIndex(summaries, options);
  const out = new Map<string, CodeFinding[]>();
  for (const s of summaries) out.set(s.path, checkNPlusOne(s, index, options));
  return out;
}

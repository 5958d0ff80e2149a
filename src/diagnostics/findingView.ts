/**
 * The plain-data form of a finding as an editor or the CLI shows it: line
 * and column positions (UTF-16, zero-based), the severity after the user's
 * per-rule setting, and the docs page. Pure, so the conversion is unit
 * tested without an editor.
 */
import type { CodeFinding } from '../core/code/findings';
import { lineOf } from '../core/code/suppression';
import { showBidiControls } from '../core/text/bidi';

export type Level = 'error' | 'warning' | 'information';
export type RuleSetting = 'off' | 'info' | 'warning' | 'error';

/** A finding with the severity its rule chose (`n-plus-one` findings carry none: warning). */
export type RatedFinding = CodeFinding & { readonly severity?: Level };

export interface Position {
  readonly line: number;
  readonly character: number;
}

export interface FindingView {
  readonly ruleId: string;
  readonly path: string;
  readonly start: Position;
  readonly end: Position;
  readonly level: Level;
  readonly message: string;
  readonly docsPath: string;
  readonly related: readonly { readonly path: string; readonly start: Position; readonly end: Position; readonly message: string }[];
  readonly data?: CodeFinding['data'];
}

export function positionAt(starts: readonly number[], offset: number): Position {
  const line = lineOf(starts, offset);
  return { line, character: offset - (starts[line] ?? 0) };
}

/** The docs page of a rule, relative to the extension or repository root. */
export function docsPath(ruleId: string): string {
  return `docs/rules/${ruleId}.md`;
}

/**
 * The level a finding is shown at: the user's setting for the rule when it
 * has one, else the rule's own choice. Undefined when the rule is off.
 */
export function levelFor(finding: RatedFinding, rules: Readonly<Record<string, unknown>>): Level | undefined {
  const setting = rules[finding.ruleId];
  if (setting === 'off') return undefined;
  if (setting === 'info') return 'information';
  if (setting === 'warning' || setting === 'error') return setting;
  return finding.severity ?? 'warning';
}

/** `lineStarts(path)` gives the line table of any file a finding or its related locations name. */
export function toView(finding: RatedFinding, level: Level, lineStarts: (path: string) => readonly number[] | undefined): FindingView {
  const own = lineStarts(finding.path) ?? [0];
  return {
    ruleId: finding.ruleId,
    path: finding.path,
    start: positionAt(own, finding.start),
    end: positionAt(own, finding.end),
    level,
    // Messages name tables and indexes of the schema (the live catalog with --db): shown as they are.
    message: showBidiControls(finding.message),
    docsPath: docsPath(finding.ruleId),
    related: finding.related.flatMap((r) => {
      const starts = lineStarts(r.path);
      return starts ? [{ path: r.path, start: positionAt(starts, r.start), end: positionAt(starts, r.end), message: showBidiControls(r.message) }] : [];
    }),
    ...(finding.data ? { data: finding.data } : {}),
  };
}

/** Comment token that suppresses a rule on the next line, in the file's language. */
export function suppressionComment(path: string, ruleId: string): string {
  const prefix = /\.(py|rb)$/i.test(path) ? '#' : /\.sql$/i.test(path) ? '--' : '//';
  return `${prefix} pg-insight-ignore ${ruleId}`;
}

/**
 * `pg-insight-ignore <rule-id>[, <rule-id>…]` in a comment silences those
 * rules on the comment's own line and on the line below, in any language PG
 * Insight reads (`//`, `#`, `--`, `/* … *\/`, `<!-- … -->`). One helper for
 * every rule, so the token means the same everywhere.
 */

const TOKEN = 'pg-insight-ignore';
/** A comment opener somewhere before the token on its line. */
const COMMENT_BEFORE = /(\/\/|#|--|\/\*|<!--|^\s*\*)/;

export interface Suppression {
  /** Zero-based line of the comment. */
  readonly line: number;
  readonly rules: readonly string[];
}

/** Offsets where each line starts (line 0 starts at 0). */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** Zero-based line containing `offset`. */
export function lineOf(starts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if ((starts[mid] ?? 0) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Every suppression comment in `text`. */
export function scanSuppressions(text: string, starts: readonly number[] = lineStarts(text)): Suppression[] {
  const out: Suppression[] = [];
  for (let at = text.indexOf(TOKEN); at >= 0; at = text.indexOf(TOKEN, at + TOKEN.length)) {
    const line = lineOf(starts, at);
    const lineStart = starts[line] ?? 0;
    if (!COMMENT_BEFORE.test(text.slice(lineStart, at))) continue;
    const rest = text.slice(at + TOKEN.length, text.indexOf('\n', at) < 0 ? text.length : text.indexOf('\n', at));
    const rules = /^\s*:?\s*([a-z0-9-]+(?:\s*,\s*[a-z0-9-]+)*)/.exec(rest)?.[1]?.split(/\s*,\s*/) ?? [];
    if (rules.length > 0) out.push({ line, rules });
  }
  return out;
}

/** True when a comment on `line` or the line above silences `ruleId`. */
export function isSuppressed(suppressions: readonly Suppression[], ruleId: string, line: number): boolean {
  return suppressions.some((s) => (s.line === line || s.line === line - 1) && s.rules.includes(ruleId));
}

/**
 * Stable identities for findings, for SARIF's `partialFingerprints`: code
 * scanning matches an alert across runs by it. Built from what moves with
 * the code, not from line numbers: the rule, the file, the text of the
 * finding's line with its whitespace squeezed, and how many equal triples
 * came before it in the file (two identical lines stay two alerts).
 */
import { createHash } from 'node:crypto';
import type { FindingView } from '../diagnostics/findingView';

export function findingFingerprints(views: readonly FindingView[], textOf: (path: string) => string | undefined): Map<FindingView, string> {
  const lines = new Map<string, string[]>();
  const seen = new Map<string, number>();
  const out = new Map<FindingView, string>();
  for (const v of views) {
    let fileLines = lines.get(v.path);
    if (!fileLines) {
      fileLines = (textOf(v.path) ?? '').split(/\r?\n/);
      lines.set(v.path, fileLines);
    }
    const line = (fileLines[v.start.line] ?? '').replace(/\s+/g, ' ').trim();
    const key = `${v.ruleId}\u0000${v.path}\u0000${line}`;
    const rank = seen.get(key) ?? 0;
    seen.set(key, rank + 1);
    out.set(v, createHash('sha256').update(`${key}\u0000${rank}`).digest('hex').slice(0, 32));
  }
  return out;
}

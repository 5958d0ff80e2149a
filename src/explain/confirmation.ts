/**
 * The words of the question asked before EXPLAIN ANALYZE runs a statement
 * that may change something: what the catalog showed it executes, and what
 * a rollback does not give back. Plain text (a modal dialog renders no
 * Markdown).
 */
import type { StatementSafety } from '../db/types';

export interface ConfirmationText {
  readonly message: string;
  readonly detail: string;
}

export function confirmationText(safety: StatementSafety): ConfirmationText {
  const kept = safety.kept ?? [];
  const message = `EXPLAIN ANALYZE runs this ${safety.statementType} for real, inside a transaction that is then rolled back.`;
  const parts: string[] = [];
  if (safety.reason) parts.push(safety.reason);
  const findings = (safety.findings ?? []).filter((f) => !safety.reason?.includes(f));
  if (findings.length > 0) parts.push(`It also:\n${findings.map((f) => `• ${f}`).join('\n')}`);
  parts.push(
    kept.length > 0
      ? `Not undone by the rollback:\n${kept.map((k) => `• ${k}`).join('\n')}`
      : 'The rollback undoes its changes. While it runs it takes locks and fires triggers.',
  );
  parts.push('Its connection is closed afterwards, so nothing it leaves in the session stays.');
  return { message, detail: parts.join('\n\n') };
}

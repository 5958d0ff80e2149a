/**
 * Plan tips on the SQL text: after an explain from the editor, the top
 * tips become diagnostics on the part of the statement they are about (the
 * predicate, the join condition, the ORDER BY item, the table), in the
 * document the statement came from. Source "PG Insight", code = the tip id
 * linking to its docs page; a critical or warning tip is a Warning, an info
 * tip Information.
 *
 * The diagnostics describe one plan of one text: any edit inside the
 * statement clears them (an edit before it only moves them), closing the
 * document clears them, and the next explain of the same statement replaces
 * them. They live in their own collection, 'pg-insight-plan', apart from
 * the code diagnostics that are recomputed on every change.
 */
import * as vscode from 'vscode';
import { showBidiControls } from '../core/text/bidi';
import type { AnalysedPlan, Severity } from '../core/plan';
import { locateTips, type TipRange } from '../core/plan/sourceMap';
import { rewritePlaceholders } from '../core/sql/placeholders';
import { spanAfterChange, statementToDocument, touches, type Span } from '../explain/sourceOffsets';
import type { ExplainTarget } from '../explain/target';

export const PLAN_DIAGNOSTICS = 'pg-insight-plan';

interface Mark extends Span {
  readonly range: TipRange;
}

interface Entry {
  readonly uri: string;
  readonly fingerprint: string;
  /** The statement in the document (offsets), kept up to date as text before it changes. */
  statement: Span;
  marks: Mark[];
  /** Where the statement started when it was explained: `place` answers in those offsets. */
  readonly origin: number;
  /** The marks of another analysis of the same statement (a Re-run), placed as the first were. */
  readonly place: (analysed: Pick<AnalysedPlan, 'plan' | 'tips'>) => Mark[];
}

export function diagnosticSeverity(severity: Severity): vscode.DiagnosticSeverity {
  return severity === 'info' ? vscode.DiagnosticSeverity.Information : vscode.DiagnosticSeverity.Warning;
}

export class PlanDiagnostics implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection(PLAN_DIAGNOSTICS);
  private entries: Entry[] = [];
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly extensionUri: vscode.Uri) {
    this.subscriptions = [
      vscode.workspace.onDidChangeTextDocument((e) => this.onChange(e)),
      vscode.workspace.onDidCloseTextDocument((d) => this.forget(d.uri.toString())),
    ];
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.collection.dispose();
    this.entries = [];
  }

  /**
   * Shows the tips of a plan just taken for `target`, from its analysis (the
   * same the plan view shows). `sql` is the text that was explained
   * (placeholders rewritten, trimmed); the SQL parser is loaded.
   * Returns how many tips landed on the text.
   */
  show(target: ExplainTarget, sql: string, fingerprint: string, analysed: Pick<AnalysedPlan, 'plan' | 'tips'>): number {
    const document = target.document;
    const uri = document.uri.toString();
    const start = document.offsetAt(target.range.start);
    const statement = { start, end: document.offsetAt(target.range.end) };
    // The next explain of the same statement (or of text overlapping it) replaces what was shown.
    this.entries = this.entries.filter((e) => e.uri !== uri || (e.fingerprint !== fingerprint && !touches(e.statement, statement)));
    const toDocument = statementToDocument({ rangeStart: start, rawText: document.getText(target.range), targetText: target.text, rewrite: rewritePlaceholders(target.text) });
    const place = (a: Pick<AnalysedPlan, 'plan' | 'tips'>): Mark[] =>
      locateTips(sql, a.plan, a.tips).map((range) => ({ range, start: toDocument(range.start), end: toDocument(range.end) }));
    const marks = place(analysed);
    // Kept without marks too: a Re-run may bring tips to a statement that had none.
    this.entries.push({ uri, fingerprint, statement, marks, origin: start, place });
    this.publish(document.uri);
    return marks.length;
  }

  /**
   * A new plan of a statement whose tips are on a text (a Re-run from the
   * plan view): its tips replace the old ones there, so the text never shows
   * the tips of an earlier plan. Returns how many landed.
   */
  refresh(fingerprint: string, analysed: Pick<AnalysedPlan, 'plan' | 'tips'>): number {
    let count = 0;
    const touched = new Set<string>();
    for (const entry of this.entries) {
      if (entry.fingerprint !== fingerprint) continue;
      const delta = entry.statement.start - entry.origin;
      entry.marks = entry.place(analysed).map((m) => ({ ...m, start: m.start + delta, end: m.end + delta }));
      count += entry.marks.length;
      touched.add(entry.uri);
    }
    for (const uri of touched) this.publish(vscode.Uri.parse(uri));
    return count;
  }

  private onChange(e: vscode.TextDocumentChangeEvent): void {
    const uri = e.document.uri.toString();
    if (e.contentChanges.length === 0 || !this.entries.some((x) => x.uri === uri)) return;
    // Changes of one event are reported against the text before the event, last first or in any
    // order; applying them from the end backwards keeps the earlier offsets valid.
    const changes = [...e.contentChanges].sort((a, b) => b.rangeOffset - a.rangeOffset);
    const kept: Entry[] = [];
    for (const entry of this.entries) {
      if (entry.uri !== uri) {
        kept.push(entry);
        continue;
      }
      let alive: Entry | undefined = entry;
      for (const c of changes) {
        const change = { start: c.rangeOffset, end: c.rangeOffset + c.rangeLength, insertedLength: c.text.length };
        const moved = spanAfterChange(alive.statement, change);
        if (!moved) {
          alive = undefined;
          break;
        }
        const delta: number = moved.start - alive.statement.start;
        const marks: Mark[] = alive.marks.map((m) => ({ ...m, start: m.start + delta, end: m.end + delta }));
        alive = { ...alive, statement: moved, marks };
      }
      if (alive) kept.push(alive);
    }
    this.entries = kept;
    this.publish(e.document.uri, e.document);
  }

  private forget(uri: string): void {
    if (!this.entries.some((e) => e.uri === uri)) return;
    this.entries = this.entries.filter((e) => e.uri !== uri);
    this.collection.delete(vscode.Uri.parse(uri));
  }

  private publish(uri: vscode.Uri, known?: vscode.TextDocument): void {
    const key = uri.toString();
    const document = known ?? vscode.workspace.textDocuments.find((d) => d.uri.toString() === key);
    const marks = this.entries.filter((e) => e.uri === key).flatMap((e) => e.marks);
    if (!document || marks.length === 0) {
      this.collection.delete(uri);
      return;
    }
    this.collection.set(uri, marks.map((m) => this.diagnostic(document, m)));
  }

  private diagnostic(document: vscode.TextDocument, mark: Mark): vscode.Diagnostic {
    const tip = mark.range.tip;
    const range = new vscode.Range(document.positionAt(mark.start), document.positionAt(mark.end));
    // Tips name the plan's relations and indexes, as the server spells them.
    const d = new vscode.Diagnostic(range, showBidiControls(`${tip.title}: ${tip.message} ${tip.action.text}`), diagnosticSeverity(tip.severity));
    d.source = 'PG Insight';
    d.code = { value: tip.id, target: vscode.Uri.joinPath(this.extensionUri, tip.docs) };
    return d;
  }
}

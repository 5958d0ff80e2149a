/**
 * Quick picks over the plan history: one plan (to open, or to compare with
 * the one on screen), or two plans to compare. Plans are grouped by
 * statement, the statement at hand first, newest plans first.
 */
import * as vscode from 'vscode';
import { formatCost, formatDuration } from '../core/plan/format';
import { statementLabel } from './fingerprint';
import type { PlanHistory, PlanRecord } from './history';
import { planTitle } from './payloads';

interface RecordItem extends vscode.QuickPickItem {
  readonly record?: PlanRecord;
}

/** "12.3 ms" (execution time) or "cost 1,234.50", read straight from the stored output. */
export function headline(record: PlanRecord): string {
  const top = Array.isArray(record.plan) ? (record.plan[0] as Record<string, unknown> | undefined) : undefined;
  const execution = top?.['Execution Time'];
  if (typeof execution === 'number') return formatDuration(execution);
  const cost = (top?.Plan as Record<string, unknown> | undefined)?.['Total Cost'];
  return typeof cost === 'number' ? `cost ${formatCost(cost)}` : '';
}

function time(at: string): string {
  const d = new Date(at);
  return Number.isNaN(d.getTime()) ? at : d.toLocaleString();
}

function recordItem(record: PlanRecord, picked = false): RecordItem {
  const parts = [headline(record), record.parameters === 'generic' ? 'generic plan' : undefined].filter(Boolean);
  return {
    label: `$(${record.options.analyze ? 'pulse' : 'list-tree'}) ${planTitle(record)}${parts.length > 0 ? ` · ${parts.join(' · ')}` : ''}`,
    description: `${time(record.at)} · ${record.connection}`,
    picked,
    record,
  };
}

function items(history: PlanHistory, options: { readonly first?: string; readonly exclude?: string; readonly onlyFirst?: boolean }): RecordItem[] {
  const groups = [...history.statements()];
  groups.sort((a, b) => Number(b.fingerprint === options.first) - Number(a.fingerprint === options.first));
  const out: RecordItem[] = [];
  for (const g of groups) {
    if (options.onlyFirst && g.fingerprint !== options.first) continue;
    const plans = g.plans.filter((p) => p.id !== options.exclude);
    if (plans.length === 0) continue;
    out.push({ label: statementLabel(plans[0]!.sql, 70), kind: vscode.QuickPickItemKind.Separator });
    out.push(...plans.map((p) => recordItem(p)));
  }
  return out;
}

export async function pickRecord(
  history: PlanHistory,
  options: { readonly title: string; readonly placeHolder: string; readonly first?: string; readonly exclude?: string; readonly onlyFirst?: boolean },
): Promise<PlanRecord | undefined> {
  const list = items(history, options);
  if (list.length === 0) {
    void vscode.window.showInformationMessage(options.onlyFirst ? 'There is no other plan of this statement yet: explain it again (after a change) to compare.' : 'There is no other plan in the history yet.');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(list, { title: options.title, placeHolder: options.placeHolder, matchOnDescription: true });
  return picked?.record;
}

/** Two plans, the first picked as "before"; undefined when fewer than two exist or the user cancels. */
export async function pickTwo(history: PlanHistory, first?: string): Promise<[PlanRecord, PlanRecord] | undefined> {
  const count = history.statements().reduce((n, s) => n + s.plans.length, 0);
  if (count < 2) {
    void vscode.window.showInformationMessage('Comparing needs two plans in the history: explain a statement, change something (an index, the query), and explain it again.');
    return undefined;
  }
  const before = await pickRecord(history, { title: 'Compare plans (1/2)', placeHolder: 'The first plan ("before")', first });
  if (!before) return undefined;
  const after = await pickRecord(history, { title: 'Compare plans (2/2)', placeHolder: 'The plan to compare it with ("after")', first: before.fingerprint, exclude: before.id });
  return after ? [before, after] : undefined;
}

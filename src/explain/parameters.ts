/**
 * Values for a statement's `$n` placeholders (after `?` and `:name` became
 * `$n`). The user chooses: type values (one input box per parameter,
 * pre-filled with the values used last time for the same statement), or,
 * for plain EXPLAIN on PostgreSQL 16 and later, a generic plan that needs
 * no values. Values are sent as text, with the types the server infers;
 * `NULL` typed alone is SQL NULL.
 */
import * as vscode from 'vscode';
import type { PlaceholderRewrite } from '../core/sql/placeholders';
import type { ParameterMode } from './history';
import type { ParameterValues } from './parameterMemory';

export interface ParameterChoice {
  readonly mode: ParameterMode;
  readonly values: ParameterValues;
}

/** `$2 (:email)`: the placeholder's number and, when it had one, its name in the source. */
export function parameterName(rewrite: PlaceholderRewrite, index: number): string {
  const named = rewrite.placeholders.find((p) => p.index === index && p.name !== null);
  return named ? `$${index} (:${named.name})` : `$${index}`;
}

export function parseValue(text: string): string | null {
  return text === 'NULL' ? null : text;
}

export function showValue(value: string | null): string {
  return value === null ? 'NULL' : value;
}

interface ModeItem extends vscode.QuickPickItem {
  readonly mode: 'values' | 'generic';
}

/**
 * Asks how to fill the parameters; undefined when the user cancels.
 * `genericAllowed` says why a generic plan is not possible, or true.
 */
export async function chooseParameters(
  rewrite: PlaceholderRewrite,
  remembered: ParameterValues | undefined,
  genericAllowed: true | string,
): Promise<ParameterChoice | undefined> {
  const count = rewrite.parameterCount;
  const items: ModeItem[] = [
    {
      mode: 'values',
      label: '$(edit) Enter values…',
      description: remembered ? `last time: ${remembered.map(showValue).join(', ')}` : undefined,
      detail: `${count} parameter${count === 1 ? '' : 's'}; the plan is made for these values, as the application would run it.`,
    },
  ];
  if (genericAllowed === true) {
    items.push({ mode: 'generic', label: '$(symbol-parameter) Generic plan', detail: 'The plan PostgreSQL uses for any value (GENERIC_PLAN); nothing is executed.' });
  }
  const picked = await vscode.window.showQuickPick(items, {
    title: `The statement has ${count} parameter${count === 1 ? '' : 's'}`,
    placeHolder: genericAllowed === true ? 'Plan with values, or a generic plan?' : `Enter values (${genericAllowed})`,
  });
  if (!picked) return undefined;
  if (picked.mode === 'generic') return { mode: 'generic', values: [] };
  const values: (string | null)[] = [];
  for (let i = 1; i <= count; i++) {
    const typed = await vscode.window.showInputBox({
      title: `Value ${i} of ${count}`,
      prompt: `${parameterName(rewrite, i)}: as you would write it in SQL, without quotes; NULL for null`,
      value: remembered?.[i - 1] !== undefined ? showValue(remembered[i - 1] ?? null) : '',
      ignoreFocusOut: true,
    });
    if (typed === undefined) return undefined;
    values.push(parseValue(typed));
  }
  return { mode: 'values', values };
}

/**
 * Values for a statement's `$n` placeholders (after `?` and `:name` became
 * `$n`). The user chooses: type values (one input box per parameter,
 * pre-filled with the values used last time for the same statement),
 * values sampled from the column statistics (the most common value of the
 * column each parameter is compared to, see core/sql/parameterSamples.ts;
 * the parameters that cannot be sampled are asked for), or, for plain
 * EXPLAIN on PostgreSQL 16 and later, a generic plan that needs no values.
 * Values are sent as text, with the types the server infers; `NULL` typed
 * alone is SQL NULL.
 */
import * as vscode from 'vscode';
import type { Ctx } from '../context';
import { asDbError } from '../connections/manager';
import { inferParameterColumns, sampleParameters, type SampledParameter } from '../core/sql/parameterSamples';
import type { PlaceholderRewrite } from '../core/sql/placeholders';
import { readColumnStatistics } from '../db/columnSamples';
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
  readonly mode: 'values' | 'generic' | 'sample';
}

/** Longest value shown in the quick pick's detail line. */
const SHOWN_VALUE = 40;

/**
 * A value for each parameter of `sql` (rewritten, the parser loaded) from
 * the column statistics, or undefined when the catalog cannot be read (the
 * choice is then not offered).
 */
export async function sampleFromStatistics(ctx: Ctx, sql: string, count: number): Promise<SampledParameter[] | undefined> {
  try {
    const columns = inferParameterColumns(sql, count);
    const stats = columns.requests.length > 0 ? await ctx.connections.use((db) => readColumnStatistics(db, columns.requests)) : [];
    return sampleParameters(columns, stats, count);
  } catch (e) {
    ctx.log.warn(`Could not read column statistics for the parameters: ${asDbError(e).message}`);
    return undefined;
  }
}

function sampleItem(rewrite: PlaceholderRewrite, sampled: readonly SampledParameter[]): ModeItem {
  const missing = sampled.filter((s) => s.value === undefined).map((s) => parameterName(rewrite, s.index));
  const shown = sampled.map((s) => {
    if (s.value === undefined) return `${parameterName(rewrite, s.index)} asked`;
    const v = s.value.length > SHOWN_VALUE ? `${s.value.slice(0, SHOWN_VALUE - 1)}…` : s.value;
    return `${parameterName(rewrite, s.index)} = ${v}`;
  });
  return {
    mode: 'sample',
    label: '$(graph) Sample values from column statistics',
    description: missing.length > 0 ? `${missing.join(', ')} not inferred: asked next` : 'most common values (pg_stats)',
    detail: shown.join(' · '),
  };
}

/**
 * Asks how to fill the parameters; undefined when the user cancels.
 * `genericAllowed` says why a generic plan is not possible, or true.
 */
export async function chooseParameters(
  rewrite: PlaceholderRewrite,
  remembered: ParameterValues | undefined,
  genericAllowed: true | string,
  sample?: () => Promise<SampledParameter[] | undefined>,
): Promise<ParameterChoice | undefined> {
  const count = rewrite.parameterCount;
  // Sampled before the pick, so that the item shows the values it would use.
  const sampled = sample ? await sample() : undefined;
  const items: ModeItem[] = [
    {
      mode: 'values',
      label: '$(edit) Enter values…',
      description: remembered ? `last time: ${remembered.map(showValue).join(', ')}` : undefined,
      detail: `${count} parameter${count === 1 ? '' : 's'}; the plan is made for these values, as the application would run it.`,
    },
  ];
  if (sampled?.some((s) => s.value !== undefined)) items.push(sampleItem(rewrite, sampled));
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
    const sample = picked.mode === 'sample' ? sampled?.find((s) => s.index === i) : undefined;
    if (sample?.value !== undefined) {
      values.push(sample.value);
      continue;
    }
    const why = sample && sample.value === undefined ? ` (no sample: ${sample.reason})` : '';
    const typed = await vscode.window.showInputBox({
      title: `Value ${i} of ${count}`,
      prompt: `${parameterName(rewrite, i)}${why}: as you would write it in SQL, without quotes; NULL for null`,
      value: remembered?.[i - 1] !== undefined ? showValue(remembered[i - 1] ?? null) : '',
      ignoreFocusOut: true,
    });
    if (typed === undefined) return undefined;
    values.push(parseValue(typed));
  }
  return { mode: 'values', values };
}

/**
 * The `pgInsight.diagnostics.*` and `pgInsight.codeLens.*` settings, read
 * fresh for the resource at hand (multi-root folders may differ).
 */
import * as vscode from 'vscode';
import { DEFAULT_IGNORE_GLOBS } from '../core/code/rules/n-plus-one';
import { DEFAULT_ROW_THRESHOLD } from '../core/sqlrules';

export interface DiagnosticsSettings {
  readonly enabled: boolean;
  readonly rules: Readonly<Record<string, unknown>>;
  readonly maxFileSizeKb: number;
  readonly excludeGlobs: readonly string[];
  readonly missingIndexMinRows: number;
  readonly codeLensExplain: boolean;
}

function nonNegative(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : fallback;
}

export function diagnosticsSettings(scope?: vscode.ConfigurationScope): DiagnosticsSettings {
  const c = vscode.workspace.getConfiguration('pgInsight', scope);
  const rules = c.get<unknown>('diagnostics.rules');
  const globs = c.get<unknown>('diagnostics.excludeGlobs');
  return {
    enabled: c.get<boolean>('diagnostics.enabled') !== false,
    rules: typeof rules === 'object' && rules !== null ? (rules as Record<string, unknown>) : {},
    maxFileSizeKb: nonNegative(c.get('diagnostics.maxFileSizeKb'), 512),
    excludeGlobs: Array.isArray(globs) ? globs.filter((g): g is string => typeof g === 'string') : DEFAULT_IGNORE_GLOBS,
    missingIndexMinRows: nonNegative(c.get('diagnostics.missingIndexMinRows'), DEFAULT_ROW_THRESHOLD),
    codeLensExplain: c.get<boolean>('codeLens.explain') !== false,
  };
}

export function affectsDiagnostics(e: vscode.ConfigurationChangeEvent): boolean {
  return e.affectsConfiguration('pgInsight.diagnostics') || e.affectsConfiguration('pgInsight.codeLens');
}

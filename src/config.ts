/**
 * Typed access to the `pgInsight.*` settings. A Config reads through to
 * VS Code on every access and is created for a scope when needed (a
 * workspace folder, a document), never cached in a global: settings change
 * while the extension runs, and multi-root workspaces give each folder its
 * own values.
 *
 * Adding a setting: declare it in package.json (`contributes.configuration`),
 * add a getter here with the same default, and if a change must take effect
 * at once, react to it in `affectsConnections` / `affectsLimits` below.
 */
import * as vscode from 'vscode';
import type { DbLimits } from './db/types';

export const SECTION = 'pgInsight';

export const DEFAULT_ENV_FILES: readonly string[] = ['.env', '.env.local', '.env.development', '.env.development.local'];

/** The three levels of `pgInsight.connections`, read separately so each keeps its source. */
export interface ConnectionSettingLevels {
  readonly user: unknown;
  readonly workspace: unknown;
  readonly folder: unknown;
}

function positiveInt(value: unknown, fallback: number, min = 1): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= min ? Math.floor(value) : fallback;
}

export class Config {
  constructor(private readonly scope?: vscode.ConfigurationScope) {}

  private get raw(): vscode.WorkspaceConfiguration {
    return vscode.workspace.getConfiguration(SECTION, this.scope);
  }

  get statementTimeoutMs(): number {
    return positiveInt(this.raw.get('statementTimeoutMs'), 30_000, 0);
  }

  get lockTimeoutMs(): number {
    return positiveInt(this.raw.get('lockTimeoutMs'), 5_000, 0);
  }

  get connectTimeoutMs(): number {
    return positiveInt(this.raw.get('connectTimeoutMs'), 10_000);
  }

  get poolMax(): number {
    return positiveInt(this.raw.get('poolMax'), 3);
  }

  get limits(): DbLimits {
    return {
      statementTimeoutMs: this.statementTimeoutMs,
      lockTimeoutMs: this.lockTimeoutMs,
      connectTimeoutMs: this.connectTimeoutMs,
      poolMax: this.poolMax,
    };
  }

  /** `.env` file names, relative to each workspace folder. */
  get envFiles(): string[] {
    const v = this.raw.get<unknown>('envFiles');
    return Array.isArray(v) ? v.filter((f): f is string => typeof f === 'string' && f.trim() !== '') : [...DEFAULT_ENV_FILES];
  }

  /** Offer connections from the extension host's own environment (DATABASE_URL, PG*). */
  get discoverEnvironment(): boolean {
    return this.raw.get<boolean>('discoverEnvironment') ?? true;
  }

  /** Ask before EXPLAIN ANALYZE of a statement that writes (it is rolled back). */
  get confirmWrites(): boolean {
    return this.raw.get<boolean>('explain.confirmWrites') ?? true;
  }

  /** CodeLens with pg_stat_statements figures above the code that issues a statement. */
  get slowQueriesCodeLens(): boolean {
    return this.raw.get<boolean>('slowQueries.codeLens') ?? true;
  }

  /** Index advice without HypoPG builds trial indexes only on tables up to this size (MB, `pg_table_size`). */
  get indexVerifyMaxTableMb(): number {
    return positiveInt(this.raw.get('explain.indexVerifyMaxTableMb'), 100, 0);
  }

  /** `pgInsight.connections` at user, workspace and (for a folder scope) folder level. */
  connectionLevels(): ConnectionSettingLevels {
    const inspected = this.raw.inspect<unknown>('connections');
    return { user: inspected?.globalValue, workspace: inspected?.workspaceValue, folder: inspected?.workspaceFolderValue };
  }
}

export function config(scope?: vscode.ConfigurationScope): Config {
  return new Config(scope);
}

export function affectsConnections(e: vscode.ConfigurationChangeEvent): boolean {
  return ['connections', 'envFiles', 'discoverEnvironment'].some((k) => e.affectsConfiguration(`${SECTION}.${k}`));
}

export function affectsLimits(e: vscode.ConfigurationChangeEvent): boolean {
  return ['statementTimeoutMs', 'lockTimeoutMs', 'connectTimeoutMs', 'poolMax'].some((k) => e.affectsConfiguration(`${SECTION}.${k}`));
}

/**
 * The plan history: the last plans of each statement (by normalised
 * fingerprint), kept in the workspace's storage so that plans survive a
 * reload and any two can be compared (before and after an index, a
 * rewrite). Each record holds the raw FORMAT JSON output; the view model
 * is recomputed when a plan is shown, so a newer plan engine reads older
 * records.
 *
 * Limits keep workspace storage small: PLANS_PER_STATEMENT per statement,
 * STATEMENTS statements (the least recently explained go first), and a
 * plan larger than MAX_PLAN_CHARS is shown but not kept.
 */
import { randomBytes } from 'node:crypto';
import type { PlanContext } from '../core/plan';
import type { ExplainOptions } from '../db/types';

export const PLANS_PER_STATEMENT = 10;
export const STATEMENTS = 30;
export const MAX_PLAN_CHARS = 2_000_000;
const KEY = 'pgInsight.explain.history';
const VERSION = 1;

/** Memento-shaped storage (VS Code's workspaceState). */
export interface HistoryStorage {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): PromiseLike<void>;
}

export type ParameterMode = 'none' | 'values' | 'generic';

export interface PlanRecord {
  readonly id: string;
  readonly fingerprint: string;
  /** The statement as explained: `?` and `:name` already rewritten to `$n`. */
  readonly sql: string;
  readonly options: ExplainOptions;
  readonly parameters: ParameterMode;
  /** The values sent for `$1…$n` (null for SQL NULL), with parameters 'values'. */
  readonly values?: readonly (string | null)[];
  /** ISO 8601. */
  readonly at: string;
  /** The connection's name and the server's version at the time. */
  readonly connection: string;
  readonly serverVersion?: string;
  /** Wall time of the EXPLAIN round trip, ms. */
  readonly durationMs: number;
  readonly rolledBack: boolean;
  /** The verdict of the runner: "SELECT", "UPDATE"... */
  readonly statementType: string;
  /** The FORMAT JSON output as the server returned it. */
  readonly plan: unknown;
  /** Catalog facts read with the plan (table statistics, foreign keys) that some tips need. */
  readonly context?: PlanContext;
  /** Where the statement came from, to re-run it against the same document. */
  readonly source?: { readonly uri: string; readonly languageId: string };
}

export type NewPlanRecord = Omit<PlanRecord, 'id'>;

interface Stored {
  readonly version: number;
  /** Most recently explained statement first; plans newest first. */
  readonly statements: ReadonlyArray<{ readonly fingerprint: string; readonly plans: readonly PlanRecord[] }>;
}

export class PlanHistory {
  /** Records too large to keep, held for this session only so their panels still work. */
  private readonly transient = new Map<string, PlanRecord>();

  constructor(private readonly storage: HistoryStorage) {}

  /** Adds a plan and returns it with its id; a plan too large to keep is only held in memory. */
  async add(record: NewPlanRecord): Promise<PlanRecord> {
    const full: PlanRecord = { id: newId(), ...record };
    if (JSON.stringify(record.plan).length > MAX_PLAN_CHARS) {
      this.transient.set(full.id, full);
      return full;
    }
    const stored = this.read();
    const own = stored.statements.find((s) => s.fingerprint === record.fingerprint);
    const plans = [full, ...(own?.plans ?? [])].slice(0, PLANS_PER_STATEMENT);
    const others = stored.statements.filter((s) => s.fingerprint !== record.fingerprint);
    await this.write({ version: VERSION, statements: [{ fingerprint: record.fingerprint, plans }, ...others].slice(0, STATEMENTS) });
    return full;
  }

  get(id: string): PlanRecord | undefined {
    const kept = this.transient.get(id);
    if (kept) return kept;
    for (const s of this.read().statements) {
      const found = s.plans.find((p) => p.id === id);
      if (found) return found;
    }
    return undefined;
  }

  /** The plans of one statement, newest first. */
  forStatement(fingerprint: string): readonly PlanRecord[] {
    return this.read().statements.find((s) => s.fingerprint === fingerprint)?.plans ?? [];
  }

  /** Every statement with its plans, the most recently explained first. */
  statements(): ReadonlyArray<{ readonly fingerprint: string; readonly plans: readonly PlanRecord[] }> {
    return this.read().statements;
  }

  async clear(): Promise<void> {
    this.transient.clear();
    await this.storage.update(KEY, undefined);
  }

  private read(): Stored {
    const value = this.storage.get<Stored>(KEY);
    // Another layout (an older or newer version of the extension) is ignored rather than misread.
    if (!value || value.version !== VERSION || !Array.isArray(value.statements)) return { version: VERSION, statements: [] };
    return value;
  }

  private async write(value: Stored): Promise<void> {
    await this.storage.update(KEY, value);
  }
}

function newId(): string {
  return `${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
}

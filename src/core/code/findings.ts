/**
 * What a code rule reports: a range in one file (UTF-16 offsets), a message,
 * the rule id (= diagnostic code = docs page = suppression token) and
 * related locations, possibly in other files. Providers turn these into VS
 * Code diagnostics; the CLI into text, JSON or SARIF.
 */

export interface RelatedLocation {
  readonly path: string;
  readonly start: number;
  readonly end: number;
  readonly message: string;
}

export interface CodeFinding {
  readonly ruleId: string;
  readonly path: string;
  readonly start: number;
  readonly end: number;
  readonly message: string;
  readonly related: readonly RelatedLocation[];
  /** Rule-specific facts for quick fixes (library, batching hint, relation to eager-load…). */
  readonly data?: Readonly<Record<string, string | number | boolean | readonly string[]>>;
  /** The level the rule chose when not its usual one (a per-rule setting still overrides it at the edge). */
  readonly severity?: 'error' | 'warning' | 'information';
}

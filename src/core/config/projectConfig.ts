/**
 * `.pg-insight.json`: one project file read by `pg-insight scan` and the
 * editor alike, so CI and the editor judge the same files the same way.
 * Parsed and checked here (pure); every problem comes back as a sentence
 * naming the key, and a bad key never takes the good ones down with it.
 * The JSON schema in `schemas/pg-insight.schema.json` describes the same
 * shape for completion in VS Code.
 */

export const PROJECT_CONFIG_FILE = '.pg-insight.json';
export const RULE_LEVELS = ['off', 'info', 'warning', 'error'] as const;
export type RuleLevel = (typeof RULE_LEVELS)[number];
export const KNOWN_RULES = ['n-plus-one', 'missing-index', 'non-sargable-predicate', 'sql-syntax'] as const;

export interface ProjectConfig {
  /** Globs of files never scanned (relative to the project folder, `/` separators). */
  readonly exclude: readonly string[];
  /** Level per rule id. */
  readonly rules: Readonly<Record<string, RuleLevel>>;
  /** Files or folders that describe the schema (migrations, `.sql`, `schema.prisma`). */
  readonly schema: readonly string[];
  /** Globs of migrations and seeds: the N+1 and index rules leave them alone (replaces the defaults). */
  readonly migrations?: readonly string[];
  /** Smallest table, in rows, that `missing-index` speaks about with a database. */
  readonly missingIndexMinRows?: number;
}

export const EMPTY_PROJECT_CONFIG: ProjectConfig = { exclude: [], rules: {}, schema: [] };

export interface ParsedConfig {
  readonly config: ProjectConfig;
  readonly problems: readonly string[];
}

const KEYS = new Set(['$schema', 'exclude', 'rules', 'schema', 'migrations', 'missingIndexMinRows']);

function strings(value: unknown, key: string, problems: string[]): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
    problems.push(`"${key}" must be a list of strings.`);
    return undefined;
  }
  return value as string[];
}

export function parseProjectConfig(text: string, file = PROJECT_CONFIG_FILE): ParsedConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return { config: EMPTY_PROJECT_CONFIG, problems: [`${file} is not valid JSON: ${e instanceof Error ? e.message : String(e)}.`] };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { config: EMPTY_PROJECT_CONFIG, problems: [`${file} must hold a JSON object.`] };
  const o = raw as Record<string, unknown>;
  const problems: string[] = [];
  for (const k of Object.keys(o)) if (!KEYS.has(k)) problems.push(`Unknown key "${k}" in ${file} (known: ${[...KEYS].filter((x) => x !== '$schema').join(', ')}).`);
  const rules: Record<string, RuleLevel> = {};
  if (o.rules !== undefined) {
    if (typeof o.rules !== 'object' || o.rules === null || Array.isArray(o.rules)) problems.push('"rules" must be an object of rule id to level.');
    else {
      for (const [id, level] of Object.entries(o.rules)) {
        const p = ruleLevelProblem(id, level);
        if (p) problems.push(p);
        else rules[id] = level as RuleLevel;
      }
    }
  }
  let minRows: number | undefined;
  if (o.missingIndexMinRows !== undefined) {
    if (typeof o.missingIndexMinRows === 'number' && Number.isFinite(o.missingIndexMinRows) && o.missingIndexMinRows >= 0) minRows = o.missingIndexMinRows;
    else problems.push('"missingIndexMinRows" must be a number of rows, 0 or more.');
  }
  const migrations = strings(o.migrations, 'migrations', problems);
  return {
    config: {
      exclude: strings(o.exclude, 'exclude', problems) ?? [],
      rules,
      schema: strings(o.schema, 'schema', problems) ?? [],
      ...(migrations ? { migrations } : {}),
      ...(minRows !== undefined ? { missingIndexMinRows: minRows } : {}),
    },
    problems,
  };
}

/** A sentence when `id=level` is not a known rule and level; undefined when it is. */
export function ruleLevelProblem(id: string, level: unknown): string | undefined {
  if (!(KNOWN_RULES as readonly string[]).includes(id)) return `Unknown rule "${id}" (rules: ${KNOWN_RULES.join(', ')}).`;
  if (typeof level !== 'string' || !(RULE_LEVELS as readonly string[]).includes(level)) return `The level of ${id} must be ${RULE_LEVELS.join(', ')}, not ${JSON.stringify(level)}.`;
  return undefined;
}

/** The file's settings with the command line's on top. */
export function withOverrides(config: ProjectConfig, over: { readonly exclude: readonly string[]; readonly rules: Readonly<Record<string, RuleLevel>>; readonly schema: readonly string[] }): ProjectConfig {
  return { ...config, exclude: [...config.exclude, ...over.exclude], rules: { ...config.rules, ...over.rules }, schema: [...config.schema, ...over.schema] };
}

/**
 * Accepts EXPLAIN (FORMAT JSON) output in the forms it reaches us: the array
 * the server returns, its single element, a bare plan node, or any of these
 * as text (also as pasted from psql, with its header, "+" continuation marks
 * and row-count footer). Anything else is rejected with an error that says
 * what was expected, never with a stack trace from deep inside enrichment.
 */
import type { RawExplain, RawPlanNode } from './model';

export class PlanParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PlanParseError';
  }
}

const EXPECTED = 'Expected the output of EXPLAIN (FORMAT JSON): an array or object with a "Plan" key.';

/** Keys that must be numbers when present: enrichment does arithmetic on them. */
const NUMERIC_KEYS = [
  'Startup Cost', 'Total Cost', 'Plan Rows', 'Plan Width', 'Actual Startup Time', 'Actual Total Time',
  'Actual Rows', 'Actual Loops', 'Rows Removed by Filter', 'Rows Removed by Join Filter',
  'Rows Removed by Index Recheck', 'Heap Fetches', 'Workers Planned', 'Workers Launched',
] as const;

/** Plans nest a few dozen levels in practice; this bound only stops pathological input. */
const MAX_DEPTH = 2000;

export function parseExplain(input: unknown): RawExplain {
  let value = typeof input === 'string' ? parseText(input) : input;
  // A JSON string holding JSON (copied from a JSON viewer or a log) is unwrapped once.
  if (typeof value === 'string') value = parseText(value);
  if (Array.isArray(value)) {
    if (value.length === 0) throw new PlanParseError(`${EXPECTED} Got an empty array.`);
    value = value[0];
  }
  if (!isObject(value)) throw new PlanParseError(`${EXPECTED} Got ${describe(value)}.`);
  const explain: Record<string, unknown> = 'Plan' in value ? value : 'Node Type' in value ? { Plan: value } : fail(value);
  validateNode(explain.Plan, 'Plan', 0);
  validateTopLevel(explain);
  return explain as RawExplain;
}

function fail(value: Record<string, unknown>): never {
  const keys = Object.keys(value).slice(0, 5).map((k) => JSON.stringify(k)).join(', ');
  throw new PlanParseError(`${EXPECTED} Got an object with keys ${keys || '(none)'}.`);
}

/**
 * Query identifiers are 64-bit and lose digits as JavaScript numbers: they are
 * turned into strings before parsing so that they survive exactly.
 */
function protectBigIntegers(text: string): string {
  return text.replace(/("Query Identifier"\s*:\s*)(-?\d{16,})/g, '$1"$2"');
}

function parseText(text: string): unknown {
  const trimmed = protectBigIntegers(text.trim());
  if (trimmed === '') throw new PlanParseError(`${EXPECTED} Got empty text.`);
  try {
    return JSON.parse(trimmed);
  } catch (first) {
    const cleaned = stripPsqlDecorations(trimmed);
    if (cleaned !== trimmed) {
      try {
        return JSON.parse(cleaned);
      } catch {
        // Report the error of the text as given: it is the one the user can find.
      }
    }
    const reason = first instanceof Error ? first.message : String(first);
    const hint = /^[A-Z][A-Za-z ]+ {2}\(cost=|->/m.test(trimmed) ? ' This looks like FORMAT TEXT output; run EXPLAIN with FORMAT JSON.' : '';
    throw new PlanParseError(`${EXPECTED} The text is not valid JSON (${reason}).${hint}`);
  }
}

/** psql prints a "QUERY PLAN" header, a dashed rule, "+" at wrapped line ends and "(1 row)". */
function stripPsqlDecorations(text: string): string {
  return text
    .split(/\r?\n/)
    .filter((line) => !/^\s*QUERY PLAN\s*$/.test(line) && !/^\s*-+\s*$/.test(line) && !/^\s*\(\d+ rows?\)\s*$/.test(line))
    .map((line) => line.replace(/\s\+\s*$/, ''))
    .join('\n')
    .trim();
}

function validateTopLevel(explain: Record<string, unknown>): void {
  for (const key of ['Planning Time', 'Execution Time']) {
    if (key in explain && typeof explain[key] !== 'number') throw new PlanParseError(`"${key}" must be a number, got ${describe(explain[key])}.`);
  }
  if ('Triggers' in explain && !Array.isArray(explain.Triggers)) throw new PlanParseError(`"Triggers" must be an array, got ${describe(explain.Triggers)}.`);
  if ('Settings' in explain && !isObject(explain.Settings)) throw new PlanParseError(`"Settings" must be an object, got ${describe(explain.Settings)}.`);
  if ('JIT' in explain && !isObject(explain.JIT)) throw new PlanParseError(`"JIT" must be an object, got ${describe(explain.JIT)}.`);
}

/** Iterative, so that a deep plan cannot overflow the stack. */
function validateNode(root: unknown, rootPath: string, rootDepth: number): asserts root is RawPlanNode {
  const stack: Array<{ node: unknown; path: string; depth: number }> = [{ node: root, path: rootPath, depth: rootDepth }];
  while (stack.length > 0) {
    const { node, path, depth } = stack.pop()!;
    if (depth > MAX_DEPTH) throw new PlanParseError(`The plan nests deeper than ${MAX_DEPTH} levels at ${path}.`);
    if (!isObject(node)) throw new PlanParseError(`${path} must be a plan node object, got ${describe(node)}.`);
    if (typeof node['Node Type'] !== 'string') throw new PlanParseError(`${path} has no "Node Type".`);
    for (const key of NUMERIC_KEYS) {
      if (key in node && typeof node[key] !== 'number') throw new PlanParseError(`${path} ("${node['Node Type']}"): "${key}" must be a number, got ${describe(node[key])}.`);
    }
    const plans = node.Plans;
    if (plans === undefined) continue;
    if (!Array.isArray(plans)) throw new PlanParseError(`${path}: "Plans" must be an array, got ${describe(plans)}.`);
    plans.forEach((child, i) => stack.push({ node: child, path: `${path}.Plans[${i}]`, depth: depth + 1 }));
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value)}`;
  return `${typeof value === 'object' ? 'an object' : `a ${typeof value}`}`;
}

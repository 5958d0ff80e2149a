/**
 * Accepts EXPLAIN (FORMAT JSON) output in the forms it reaches us: the array
 * the server returns, its single element, a bare plan node, or any of these
 * as text (also as pasted from psql, with its header, "+" continuation marks
 * and row-count footer). Anything else is rejected with an error that says
 * what was expected, never with a stack trace from deep inside enrichment.
 */
import type { RawExplain, RawPlanNode } from './model';
import { describe, EXPLAIN_FIELDS, fieldProblem, NODE_FIELDS } from './rawShape';

export class PlanParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PlanParseError';
  }
}

const EXPECTED = 'Expected the output of EXPLAIN (FORMAT JSON): an array or object with a "Plan" key.';

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

/** The keys around "Plan" (timings, triggers, JIT, settings) have the types the engine reads. */
function validateTopLevel(explain: Record<string, unknown>): void {
  const problem = fieldProblem(explain, EXPLAIN_FIELDS);
  if (problem !== null) throw new PlanParseError(`${problem}.`);
}

/** Iterative, so that a deep plan cannot overflow the stack. */
function validateNode(root: unknown, rootPath: string, rootDepth: number): asserts root is RawPlanNode {
  const stack: Array<{ node: unknown; path: string; depth: number }> = [{ node: root, path: rootPath, depth: rootDepth }];
  while (stack.length > 0) {
    const { node, path, depth } = stack.pop()!;
    if (depth > MAX_DEPTH) throw new PlanParseError(`The plan nests deeper than ${MAX_DEPTH} levels at ${path}.`);
    if (!isObject(node)) throw new PlanParseError(`${path} must be a plan node object, got ${describe(node)}.`);
    if (typeof node['Node Type'] !== 'string') throw new PlanParseError(`${path} has no "Node Type".`);
    const problem = fieldProblem(node, NODE_FIELDS);
    if (problem !== null) throw new PlanParseError(`${path} ("${node['Node Type']}"): ${problem}.`);
    const plans = node.Plans;
    if (plans === undefined) continue;
    if (!Array.isArray(plans)) throw new PlanParseError(`${path}: "Plans" must be an array, got ${describe(plans)}.`);
    plans.forEach((child, i) => stack.push({ node: child, path: `${path}.Plans[${i}]`, depth: depth + 1 }));
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

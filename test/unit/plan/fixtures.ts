/**
 * Loads the plan fixtures captured from real PostgreSQL by
 * scripts/capture-plans.mjs (test/fixtures/plans/<name>.json, .txt, .meta.json).
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { enrichPlan, type EnrichedPlan } from '../../../src/core/plan/enrich';
import { parseExplain } from '../../../src/core/plan/parse';
import { findTips } from '../../../src/core/plan/tips';
import type { PlanContext, Tip } from '../../../src/core/plan/tips/types';

function repoRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error(`no package.json above ${__dirname}`);
    dir = up;
  }
  return dir;
}

export const FIXTURE_DIR = join(repoRoot(), 'test', 'fixtures', 'plans');

export interface FixtureMeta {
  readonly description: string;
  readonly server: string;
  readonly sql: string;
  readonly settings: Record<string, string>;
  readonly context?: PlanContext;
}

export function fixtureNames(): string[] {
  return readdirSync(FIXTURE_DIR).filter((f) => f.endsWith('.json') && !f.endsWith('.meta.json')).map((f) => f.slice(0, -'.json'.length)).sort();
}

/** The FORMAT JSON text exactly as the server returned it. */
export function fixtureJson(name: string): string {
  const file = join(FIXTURE_DIR, `${name}.json`);
  if (!existsSync(file)) throw new Error(`no fixture ${name}: run node scripts/capture-plans.mjs --only ${name}`);
  return readFileSync(file, 'utf8');
}

/** The FORMAT TEXT output of the same statement (a separate run: same shape, other timings). */
export function fixtureText(name: string): string {
  return readFileSync(join(FIXTURE_DIR, `${name}.txt`), 'utf8').replace(/\n$/, '');
}

export function fixtureMeta(name: string): FixtureMeta {
  return JSON.parse(readFileSync(join(FIXTURE_DIR, `${name}.meta.json`), 'utf8')) as FixtureMeta;
}

export function enriched(name: string): EnrichedPlan {
  return enrichPlan(parseExplain(fixtureJson(name)));
}

/** The fixture's raw JSON, parsed, for tests that derive a variant by changing one number. */
export function rawFixture(name: string): Array<Record<string, unknown>> {
  return JSON.parse(fixtureJson(name)) as Array<Record<string, unknown>>;
}

export function tipsFor(name: string, context?: PlanContext): Tip[] {
  return findTips(enriched(name), context ?? fixtureMeta(name).context ?? {});
}

/** Finds the first node (preorder) matching a predicate, failing with the labels present. */
export function nodeWhere(plan: EnrichedPlan, test: (label: string) => boolean): EnrichedPlan['nodes'][number] {
  const node = plan.nodes.find((n) => test(n.label));
  if (!node) throw new Error(`no node matched; labels: ${plan.nodes.map((n) => n.label).join(' | ')}`);
  return node;
}

export function close(actual: number | undefined, expected: number, tolerance = 1e-6): boolean {
  return actual !== undefined && Math.abs(actual - expected) <= tolerance;
}

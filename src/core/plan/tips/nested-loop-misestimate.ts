/**
 * nested-loop-misestimate: the planner chose a nested loop because it
 * expected few outer rows; many more came, and the inner side ran once for
 * each. With the right estimate it would have hashed or merged instead.
 */
import type { EnrichedPlan, PlanNode } from '../enrich';
import { formatCount, formatDuration, formatFactor } from '../format';
import { band, docsPath, inputChildren, saving, tip } from './helpers';
import { FACTOR_BANDS, fixEstimate } from './row-misestimate';
import type { TipRule } from './types';

/** Inner loops below this are not a problem whatever the estimate said. */
export const MIN_LOOPS = 100;

export const nestedLoopMisestimate: TipRule = {
  id: 'nested-loop-misestimate',
  title: 'Nested loop chosen on a low estimate',
  docs: docsPath('nested-loop-misestimate'),
  evaluate(node, plan) {
    if (node.nodeType !== 'Nested Loop' || !plan.analyzed) return [];
    const [outer, inner] = inputChildren(plan, node);
    const m = outer?.rows.misestimate;
    if (!outer || !inner || !m || m.direction !== 'under') return [];
    const severity = band(m.factor, FACTOR_BANDS);
    const loops = inner.loops ?? 0;
    if (!severity || loops < MIN_LOOPS) return [];
    const expected = outer.rows.estimatedTotal ?? 1;
    const actual = outer.rows.actualTotal ?? 0;
    const source = estimateSource(plan, outer);
    const message =
      `${node.label} expected ${formatCount(expected)} outer rows and got ${formatCount(actual)} (${formatFactor(m.factor)} more), ` +
      `so ${inner.label} ran ${formatCount(loops)} times${plan.timed ? ` for ${formatDuration(inner.inclusiveMs ?? 0)}` : ''}.`;
    const fix = fixEstimate(source, plan);
    const action = {
      text: `${fix.text} With a correct estimate the planner can pick a hash or merge join; to check, compare with SET enable_nestloop = off in a session.`,
      ...(fix.sql ? { sql: fix.sql } : {}),
    };
    // Saving: the inner side's inclusive time × (1 − planned loops / actual loops): the
    // loops beyond those the planner expected are what a hash or merge join replaces.
    return [tip(nestedLoopMisestimate, node.id, {
      severity, message, action, estimatedSavingMs: saving(plan, (inner.inclusiveMs ?? 0) * (1 - expected / Math.max(actual, 1))),
      ...(fix.statistics ? { statisticsCandidate: fix.statistics } : {}),
    })];
  },
};

/** Follows the underestimate down the outer side to the scan where it starts. */
function estimateSource(plan: EnrichedPlan, node: PlanNode): PlanNode {
  let current = node;
  for (;;) {
    const next = inputChildren(plan, current).find((c) => c.rows.misestimate?.direction === 'under' && c.rows.misestimate.factor >= FACTOR_BANDS[0]);
    if (!next) return current;
    current = next;
  }
}

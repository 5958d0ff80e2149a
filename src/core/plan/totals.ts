/**
 * Statement-level figures of an enriched plan: planning and execution time,
 * triggers, JIT, the buffers of the whole statement and the settings.
 */
import { combine, emptyBuffers, hasBuffers, readBuffers } from './counters';
import type { JitSummary, PlanNode, PlanTotals, TimeBreakdown, TriggerTime } from './enriched';
import type { StatementTime } from './statementTime';
import type { RawExplain } from './model';

export function totalsOf(raw: RawExplain, nodes: readonly PlanNode[], basis: number, buffered: boolean, placed: StatementTime): PlanTotals {
  const triggers: TriggerTime[] = (raw.Triggers ?? []).map((t, i) => ({
    name: t['Trigger Name'],
    constraint: t['Constraint Name'],
    relation: t.Relation,
    timeMs: t.Time ?? 0,
    calls: t.Calls ?? 0,
    insideNodeId: placed.triggers[i]?.nodeId ?? null,
  }));
  const triggersMs = triggers.reduce((s, t) => s + t.timeMs, 0);
  // Top-level pieces (the root and CTEs nobody scans) together hold every buffer the statement used.
  const topLevel = nodes.filter((n) => n.timeParentId === null && n.buffers);
  const buffers = buffered ? topLevel.reduce((acc, n) => combine(acc, n.buffers!.inclusive, (a, b) => a + b), emptyBuffers()) : undefined;
  return {
    planningMs: raw['Planning Time'],
    executionMs: raw['Execution Time'],
    jit: raw.JIT ? jitSummary(raw.JIT, placed) : undefined,
    triggers,
    triggersMs,
    breakdown: breakdownOf(raw, nodes, triggersMs, placed),
    totalCost: raw.Plan['Total Cost'],
    basis,
    nodeCount: nodes.length,
    maxDepth: nodes.reduce((m, n) => Math.max(m, n.depth), 0),
    buffers,
    planningBuffers: raw.Planning && hasBuffers(raw.Planning) ? readBuffers(raw.Planning) : undefined,
    settings: raw.Settings ?? {},
    queryId: raw['Query Identifier'] !== undefined ? String(raw['Query Identifier']) : undefined,
  };
}

function breakdownOf(raw: RawExplain, nodes: readonly PlanNode[], triggersMs: number, placed: StatementTime): TimeBreakdown | undefined {
  const executionMs = raw['Execution Time'];
  if (executionMs === undefined || nodes.some((n) => n.exclusiveMs === undefined)) return undefined;
  const nodesMs = nodes.reduce((s, n) => s + n.exclusiveMs!, 0);
  const jitMs = placed.jit?.nodeId != null ? placed.jit.compileMs : 0;
  return { nodesMs, triggersMs, jitMs, otherMs: Math.max(0, executionMs - nodesMs - triggersMs - jitMs) };
}

function jitSummary(jit: NonNullable<RawExplain['JIT']>, placed: StatementTime): JitSummary {
  const t = jit.Timing ?? {};
  const generation = typeof t.Generation === 'object' ? t.Generation.Total : t.Generation;
  return {
    functions: jit.Functions,
    options: jit.Options ?? {},
    generationMs: generation,
    inliningMs: t.Inlining,
    optimizationMs: t.Optimization,
    emissionMs: t.Emission,
    totalMs: t.Total,
    compileMs: placed.jit?.compileMs,
    insideNodeId: placed.jit?.nodeId ?? null,
  };
}

/**
 * jit-share: compiling the query with LLVM took a large share of its time.
 * JIT pays off on long analytical queries; on short ones it is overhead.
 */
import { formatCost, formatDuration, formatShare } from '../format';
import { band, docsPath, saving, setting, tip } from './helpers';
import type { TipRule } from './types';

/** JIT time over execution time: 10% info, 25% warning, 50% critical. */
export const SHARE_BANDS = [0.1, 0.25, 0.5] as const;
export const MIN_JIT_MS = 5;
/** PostgreSQL's default jit_above_cost. */
const DEFAULT_JIT_ABOVE_COST = 100_000;

export const jitShare: TipRule = {
  id: 'jit-share',
  title: 'JIT compilation dominates',
  docs: docsPath('jit-share'),
  evaluate(node, plan) {
    if (node.id !== 0) return [];
    const jitMs = plan.totals.jit?.totalMs;
    const executionMs = plan.totals.executionMs;
    if (jitMs === undefined || executionMs === undefined || executionMs <= 0 || jitMs < MIN_JIT_MS) return [];
    const share = jitMs / executionMs;
    const severity = band(share, SHARE_BANDS);
    if (!severity) return [];
    const jit = plan.totals.jit!;
    const parts = [['optimization', jit.optimizationMs], ['emission', jit.emissionMs], ['inlining', jit.inliningMs], ['generation', jit.generationMs]] as const;
    const top = parts.reduce((best, p) => ((p[1] ?? 0) > (best[1] ?? 0) ? p : best));
    const cost = plan.totals.totalCost ?? 0;
    const threshold = setting(plan, 'jit_above_cost');
    const message =
      `JIT compilation took ${formatDuration(jitMs)} (${formatShare(share)} of the ${formatDuration(executionMs)} execution)` +
      `${jit.functions !== undefined ? ` for ${jit.functions} functions` : ''}, mostly ${top[0]}.`;
    const lowered = threshold !== undefined && Number(threshold) < DEFAULT_JIT_ABOVE_COST && cost < DEFAULT_JIT_ABOVE_COST;
    const action = lowered
      ? {
        text: `jit_above_cost is ${threshold} here while this plan costs ${formatCost(cost)}: restore the default so that only expensive queries are compiled.`,
        sql: 'SET jit_above_cost = 100000;\nSET jit_inline_above_cost = 500000;\nSET jit_optimize_above_cost = 500000;',
      }
      : {
        text: `This plan costs ${formatCost(cost)}, above jit_above_cost, but runs too briefly to win the compilation back. Turn JIT off for it (or its role), or raise jit_above_cost above its cost.`,
        sql: 'SET jit = off;',
      };
    // Saving: the whole JIT time. At these shares the compiled code cannot win back
    // its compilation, so running without JIT saves about what compiling cost.
    return [tip(jitShare, null, { severity, message, action, estimatedSavingMs: saving(plan, jitMs) })];
  },
};

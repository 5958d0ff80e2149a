/**
 * workers-not-launched: the planner chose a parallel plan, but fewer workers
 * started than planned, so the part below the Gather ran with less help (or
 * in the leader alone) than its cost assumed.
 */
import { formatDuration } from '../format';
import { docsPath, saving, setting, tip } from './helpers';
import type { Severity, TipRule } from './types';

export const workersNotLaunched: TipRule = {
  id: 'workers-not-launched',
  title: 'Parallel workers not launched',
  docs: docsPath('workers-not-launched'),
  evaluate(node, plan) {
    const planned = node.workers?.planned;
    const launched = node.workers?.launched;
    if (planned === undefined || launched === undefined || launched >= planned) return [];
    const severity: Severity = launched === 0 ? 'warning' : 'info';
    const limit = setting(plan, 'max_parallel_workers');
    const perGather = setting(plan, 'max_parallel_workers_per_gather');
    const message =
      `${node.label} planned ${planned} workers and launched ${launched}` +
      `${plan.timed ? `; the ${formatDuration(node.inclusiveMs ?? 0)} below it ran on ${launched + 1} process${launched === 0 ? '' : 'es'}` : ''}.`;
    const target = Math.max(8, planned * 2);
    const action = limit !== undefined && Number(limit) < planned
      ? {
        text: `max_parallel_workers is ${limit} in this session, below the ${planned} workers planned (max_parallel_workers_per_gather is ${perGather ?? 'at its default'}). Raise it.`,
        sql: `SET max_parallel_workers = ${target};`,
      }
      : {
        text: 'The pool of parallel workers was used up by other queries when this one started. Raise max_parallel_workers (and max_worker_processes, which needs a restart), or run fewer parallel queries at once.',
        sql: `ALTER SYSTEM SET max_parallel_workers = ${target};\nSELECT pg_reload_conf();`,
      };
    // Saving: the Gather's inclusive time × (1 − (launched + 1) / (planned + 1)): the time
    // the part below it would take spread over all the planned processes.
    const ideal = 1 - (launched + 1) / (planned + 1);
    return [tip(workersNotLaunched, node.id, { severity, message, action, estimatedSavingMs: saving(plan, (node.inclusiveMs ?? 0) * ideal) })];
  },
};

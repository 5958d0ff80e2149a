/**
 * PG Insight: Compare Plans… — two plans from the history side by side
 * (picked, or given by id: `executeCommand('pgInsight.comparePlans', beforeId, afterId)`).
 */
import type { Ctx } from '../context';
import { explainService } from '../explain';

export function comparePlans(ctx: Ctx) {
  return (beforeId?: unknown, afterId?: unknown): Promise<boolean> =>
    explainService(ctx).compare(typeof beforeId === 'string' ? beforeId : undefined, typeof afterId === 'string' ? afterId : undefined);
}

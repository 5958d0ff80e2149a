/** PG Insight: Show Log — the "PG Insight" output channel (statements, durations, connection events). */
import type { Ctx } from '../context';

export function showLog(ctx: Ctx) {
  return (): void => {
    ctx.log.show();
  };
}

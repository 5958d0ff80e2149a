/** PG Insight: Disconnect — closes the active connection's pool and forgets it for this workspace. */
import type { Ctx } from '../context';

export function disconnect(ctx: Ctx) {
  return async (): Promise<void> => {
    await ctx.connections.disconnect();
  };
}

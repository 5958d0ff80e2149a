/**
 * PG Insight: Show Slow Queries — opens (or brings to the front) the panel
 * of pg_stat_statements and live activity. Returns the panel, which lets
 * tests follow what it shows and export without a dialog.
 */
import type { Ctx } from '../context';
import { SlowQueriesPanels, type SlowQueriesPanel } from '../panels/slowQueriesPanel';

const panelsByCtx = new WeakMap<Ctx, SlowQueriesPanels>();

/** The panels of this activation (created on first use; extension.ts registers their serializer). */
export function slowQueriesPanels(ctx: Ctx): SlowQueriesPanels {
  let panels = panelsByCtx.get(ctx);
  if (!panels) {
    panels = new SlowQueriesPanels(ctx);
    panelsByCtx.set(ctx, panels);
    ctx.extension.subscriptions.push(panels);
  }
  return panels;
}

export function showSlowQueries(ctx: Ctx) {
  return (): SlowQueriesPanel => slowQueriesPanels(ctx).show();
}

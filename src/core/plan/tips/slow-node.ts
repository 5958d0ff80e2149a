/**
 * slow-node: one operation takes a large share of the statement's time. It
 * names where the time goes; the other rules on the node say what to do.
 */
import { formatDuration, formatShare } from '../format';
import { band, docsPath, tip } from './helpers';
import type { TipRule } from './types';

/** Exclusive-time share bands, as pev2 uses: 10% info, 40% warning, 90% critical. */
export const SHARE_BANDS = [0.1, 0.4, 0.9] as const;
/**
 * Below this, even a large share of a fast statement is not worth a tip: in
 * a 5 ms query, a Gather starting its workers or a scan of a small table
 * takes half the time and there is nothing to fix.
 */
export const MIN_EXCLUSIVE_MS = 10;

export const slowNode: TipRule = {
  id: 'slow-node',
  title: 'Most of the time is spent here',
  docs: docsPath('slow-node'),
  evaluate(node, plan) {
    if (!plan.timed || (node.exclusiveMs ?? 0) < MIN_EXCLUSIVE_MS) return [];
    const severity = band(node.share, SHARE_BANDS);
    if (!severity) return [];
    const message = `${node.label} takes ${formatDuration(node.exclusiveMs!)} of its own, ${formatShare(node.share)} of the execution time.`;
    const action = {
      text: 'Start here: apply the other tips on this node, or reduce the rows that reach it (a more selective condition earlier, an index that serves the filter or the order).',
    };
    // Saving: none is claimed. This tip locates the time; the rules that name a cause
    // (filter, spill, estimate...) estimate what fixing it saves.
    return [tip(slowNode, node.id, { severity, message, action, estimatedSavingMs: null })];
  },
};

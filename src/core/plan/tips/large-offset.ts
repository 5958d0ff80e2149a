/**
 * large-offset: LIMIT ... OFFSET n produces the first n rows and throws them
 * away, so each page of results costs as much as all the pages before it.
 */
import { formatCount } from '../format';
import { band, docsPath, inputChildren, saving, tip } from './helpers';
import type { TipRule } from './types';

/** Rows skipped by the OFFSET: 1,000 info, 10,000 warning, 100,000 critical. */
export const SKIPPED_BANDS = [1000, 10_000, 100_000] as const;

export const largeOffset: TipRule = {
  id: 'large-offset',
  title: 'Large OFFSET',
  docs: docsPath('large-offset'),
  evaluate(node, plan) {
    if (node.nodeType !== 'Limit' || !plan.analyzed) return [];
    const input = inputChildren(plan, node)[0];
    const read = input?.rows.actualTotal;
    const returned = node.rows.actualTotal ?? 0;
    if (!input || read === undefined) return [];
    // A Limit pulls exactly OFFSET + LIMIT rows (or fewer when its input runs out).
    const skipped = read - returned;
    const severity = band(skipped, SKIPPED_BANDS);
    if (!severity) return [];
    const sortKey = input.raw['Sort Key'];
    const key = sortKey ? `sort key (${sortKey.join(', ')})` : input.indexName ? `key in ${input.indexName}` : 'sort key';
    const message = `${node.label} read ${formatCount(read)} rows to return ${formatCount(returned)}: the OFFSET skipped ${formatCount(skipped)}.`;
    const action = {
      text:
        `Paginate by key instead of by position: remember the last row's ${key} ` +
        'and ask for the rows after it (WHERE key > last value ORDER BY key LIMIT n); an index on the key then reads only the page.',
    };
    // Saving: the input's inclusive time × the share of its rows that were skipped.
    return [tip(largeOffset, node.id, { severity, message, action, estimatedSavingMs: saving(plan, (input.inclusiveMs ?? 0) * (skipped / Math.max(read, 1))) })];
  },
};

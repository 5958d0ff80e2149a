/**
 * The selected node in full: every figure of the view model's detail rows
 * (times, rows and estimates, filters, memory, buffers, I/O), and the tips
 * that point at it.
 */
import type { ViewNode, ViewTip } from '../../src/core/plan';
import { clear, el } from '../common/dom';
import { tipCard, type TipLinks } from './tips';

/** Conditions and keys read better in the editor font. */
const CODE_LABELS = new Set(['Index Cond', 'Recheck Cond', 'TID Cond', 'Hash Cond', 'Merge Cond', 'Join Filter', 'Filter', 'One-Time Filter', 'Run Condition', 'Order By', 'Cache Key', 'Sort Key', 'Presorted Key', 'Group Key', 'Output']);

export class NodeDetails {
  readonly element: HTMLElement;

  constructor(
    private readonly tips: readonly ViewTip[],
    private readonly links: TipLinks,
  ) {
    this.element = el('aside', { class: 'details', attrs: { 'aria-label': 'Node details' } });
  }

  show(node: ViewNode | undefined): void {
    clear(this.element);
    if (!node) {
      this.element.appendChild(el('div', { class: 'empty', text: 'Select a node to see its details.' }));
      return;
    }
    const badges = el('div', { class: 'detail-badges' }, [
      node.flags.hottest ? el('span', { class: 'pill hot', text: 'slowest node' }) : null,
      node.flags.onHottestPath && !node.flags.hottest ? el('span', { class: 'pill outline', text: 'on the hottest path' }) : null,
      node.flags.spilled ? el('span', { class: 'pill outline', text: 'spilled to disk' }) : null,
      node.flags.neverExecuted ? el('span', { class: 'pill outline', text: 'never executed' }) : null,
      node.rows.misestimate ? el('span', { class: `pill outline sev-${node.rows.misestimate.severity}`, text: `estimate ${node.rows.misestimate.factor} too ${node.rows.misestimate.direction === 'under' ? 'low' : 'high'}` }) : null,
    ]);
    const list = el('dl', { class: 'detail-list' });
    for (const d of node.details) {
      list.appendChild(el('dt', { text: d.label }));
      list.appendChild(el('dd', { class: CODE_LABELS.has(d.label) ? 'mono' : '', text: d.value }));
    }
    const tips = node.tipIndexes.map((i) => this.tips[i]).filter((t): t is ViewTip => t !== undefined);
    this.element.append(
      el('header', { class: 'detail-head' }, [
        node.title ? el('div', { class: 'muted', text: node.title }) : null,
        el('h2', { class: 'detail-title', text: node.label }),
        el('div', { class: 'detail-figures' }, [
          el('span', {}, [el('strong', { text: node.exclusive }), el('span', { class: 'muted', text: ` own (${node.share})` })]),
          el('span', {}, [el('strong', { text: node.inclusive }), el('span', { class: 'muted', text: ' with children' })]),
        ]),
        badges,
      ]),
      ...tips.map((t) => tipCard(t, null, this.links)),
      list,
    );
  }
}

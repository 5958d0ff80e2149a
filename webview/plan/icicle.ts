/**
 * The icicle chart: the plan top-down, each node as wide as its inclusive
 * time (or cost), so where the time goes is visible at a glance. Colour
 * says how much of the time is the node's own; the hottest path is
 * outlined. The layout comes finished from the plan engine; this only
 * places the cells. Cells too narrow to see are not built.
 */
import type { PlanViewModel, ViewNode } from '../../src/core/plan';
import { el } from '../common/dom';

const ROW = 22;
/** Narrower than this share of the chart, a cell is not drawn. */
const MIN_WIDTH = 0.002;

export class Icicle {
  readonly element: HTMLElement;
  private readonly cells = new Map<number, HTMLElement>();
  private selected: number | null = null;

  constructor(view: PlanViewModel, onSelect: (id: number) => void) {
    const chart = el('div', { class: 'icicle-chart', attrs: { role: 'img', 'aria-label': `Time per node: ${view.nodes.length} nodes, the widest cells take the most time` } });
    chart.style.height = `${(view.icicle.maxDepth + 1) * ROW}px`;
    for (const c of view.icicle.cells) {
      if (c.width < MIN_WIDTH) continue;
      const node: ViewNode | undefined = view.nodes[c.nodeId];
      const cell = el('div', {
        class: `cell${c.onHottestPath ? ' hot-path' : ''}${node?.flags.neverExecuted ? ' never' : ''}`,
        title: `${c.label}\n${c.value} with children${node ? `, ${node.exclusive} own (${node.share})` : ''}`,
        attrs: { 'data-node-id': String(c.nodeId) },
      }, [el('span', { class: 'text', text: `${c.label} · ${c.value}` })]);
      cell.style.left = `${(c.x * 100).toFixed(3)}%`;
      cell.style.width = `${(c.width * 100).toFixed(3)}%`;
      cell.style.top = `${c.depth * ROW}px`;
      // Own share drives the heat: a cell that spends its time in its children stays pale.
      cell.style.setProperty('--heat', `${Math.round(12 + 78 * (node?.bar ?? 0))}%`);
      this.cells.set(c.nodeId, cell);
      chart.appendChild(cell);
    }
    chart.addEventListener('click', (e) => {
      const id = (e.target as HTMLElement).closest('.cell')?.getAttribute('data-node-id');
      if (id !== null && id !== undefined) onSelect(Number(id));
    });
    this.element = el('div', { class: 'icicle' }, [chart]);
  }

  select(id: number | null): void {
    if (this.selected !== null) this.cells.get(this.selected)?.classList.remove('selected');
    this.selected = id;
    if (id !== null) this.cells.get(id)?.classList.add('selected');
  }
}

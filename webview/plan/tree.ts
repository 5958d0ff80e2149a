/**
 * The plan as a tree with exclusive-time bars: one row per node, the
 * hottest path marked, subtrees collapsible, and only the rows in view
 * built (rows have a fixed height), so a plan of thousands of nodes scrolls
 * as smoothly as a plan of ten.
 *
 * Keyboard, as in a file tree (WAI-ARIA tree pattern): the tree is one tab
 * stop with `aria-activedescendant` pointing at the current row; Up/Down,
 * Home/End, PageUp/PageDown move; Right expands or enters, Left collapses or
 * goes to the parent; Enter or Space toggles; `*` expands everything.
 */
import type { ViewNode, ViewTip } from '../../src/core/plan';
import { clear, el, icon } from '../common/dom';

export const ROW_HEIGHT = 26;
const INDENT = 16;
/** Rows built above and below the visible ones, so fast scrolling shows no gaps. */
const OVERSCAN = 12;

export interface TreeOptions {
  readonly nodes: readonly ViewNode[];
  readonly tips: readonly ViewTip[];
  readonly metric: 'time' | 'cost';
  readonly analyzed: boolean;
  readonly collapsed: ReadonlySet<number>;
  readonly selected: number | null;
  onSelect(id: number): void;
  onCollapsedChange(collapsed: ReadonlySet<number>): void;
}

export class PlanTree {
  readonly element: HTMLElement;
  private readonly viewport: HTMLElement;
  private readonly spacer: HTMLElement;
  private readonly layer: HTMLElement;
  private readonly collapsed: Set<number>;
  private visible: number[] = [];
  private active: number;
  private frame = 0;

  constructor(private readonly o: TreeOptions) {
    this.collapsed = new Set(o.collapsed);
    this.active = o.selected ?? o.nodes[0]?.id ?? 0;
    const costs = o.metric === 'cost';
    const head = el('div', { class: 'tree-head', attrs: { 'aria-hidden': 'true' } }, [
      el('div', { class: 'cell node', text: 'Operation' }),
      el('div', { class: 'cell time', text: costs ? 'Own cost' : 'Own time' }),
      el('div', { class: 'cell share', text: '%' }),
      el('div', { class: 'cell rows', text: o.analyzed ? 'Rows' : 'Est. rows' }),
      el('div', { class: 'cell loops', text: o.analyzed ? 'Loops' : '' }),
    ]);
    this.spacer = el('div', { class: 'tree-spacer' });
    this.layer = el('div', { class: 'tree-rows' });
    this.viewport = el('div', { class: 'tree-viewport', attrs: { role: 'tree', tabindex: '0', 'aria-label': 'Plan nodes' } }, [this.spacer, this.layer]);
    this.element = el('div', { class: 'tree' }, [head, this.viewport]);
    this.viewport.addEventListener('scroll', () => this.schedule());
    this.viewport.addEventListener('keydown', (e) => this.onKey(e));
    this.layer.addEventListener('click', (e) => this.onClick(e));
    this.layer.addEventListener('dblclick', (e) => {
      const id = this.rowId(e.target);
      if (id !== undefined) this.toggle(id);
    });
    new ResizeObserver(() => this.schedule()).observe(this.viewport);
    this.refresh();
  }

  /** Selects a node from elsewhere (the icicle, a tip): expands its ancestors and scrolls it into view. */
  select(id: number, focus = false): void {
    for (let p = this.o.nodes[id]?.parentId ?? null; p !== null; p = this.o.nodes[p]?.parentId ?? null) this.collapsed.delete(p);
    this.active = id;
    this.refresh();
    this.reveal(id);
    if (focus) this.viewport.focus();
  }

  expandAll(): void {
    this.collapsed.clear();
    this.changed();
  }

  /** Collapses everything except the way down to the hottest node. */
  collapseToHotPath(): void {
    this.collapsed.clear();
    for (const n of this.o.nodes) if (n.childIds.length > 0 && !n.flags.onHottestPath) this.collapsed.add(n.id);
    this.changed();
  }

  private changed(): void {
    this.o.onCollapsedChange(this.collapsed);
    this.refresh();
  }

  private refresh(): void {
    this.visible = visibleNodes(this.o.nodes, this.collapsed);
    this.spacer.style.height = `${this.visible.length * ROW_HEIGHT}px`;
    this.viewport.setAttribute('aria-activedescendant', `node-${this.active}`);
    this.render();
  }

  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
    });
  }

  private render(): void {
    const top = this.viewport.scrollTop;
    const height = this.viewport.clientHeight || 600;
    const first = Math.max(0, Math.floor(top / ROW_HEIGHT) - OVERSCAN);
    const last = Math.min(this.visible.length, Math.ceil((top + height) / ROW_HEIGHT) + OVERSCAN);
    clear(this.layer);
    for (let i = first; i < last; i++) {
      const node = this.o.nodes[this.visible[i]!];
      if (node) this.layer.appendChild(this.row(node, i));
    }
  }

  private row(n: ViewNode, index: number): HTMLElement {
    const hasChildren = n.childIds.length > 0;
    const open = hasChildren && !this.collapsed.has(n.id);
    const classes = ['row', n.flags.onHottestPath ? 'hot-path' : '', n.flags.hottest ? 'hottest' : '', n.id === this.active ? 'active' : '', n.flags.neverExecuted ? 'never' : '', n.flags.slow ? `slow sev-${n.flags.slow}` : ''];
    const attrs: Record<string, string> = {
      role: 'treeitem',
      id: `node-${n.id}`,
      'aria-level': String(n.depth + 1),
      'aria-selected': String(n.id === this.active),
      'data-node-id': String(n.id),
    };
    if (hasChildren) attrs['aria-expanded'] = String(open);

    const twisty = hasChildren ? icon(open ? 'chevron-down' : 'chevron-right', 'twisty') : el('span', { class: 'twisty' });
    const label = el('span', { class: 'label', text: n.label });
    const nodeCell = el('div', { class: 'cell node' }, [
      twisty,
      n.title ? el('span', { class: 'pill outline subplan', text: n.title }) : null,
      n.flags.hottest ? el('span', { class: 'flame', title: 'The slowest node' }, [icon('flame')]) : null,
      label,
      n.summary ? el('span', { class: 'summary', text: n.summary }) : null,
    ]);
    nodeCell.style.paddingLeft = `${4 + n.depth * INDENT}px`;
    nodeCell.style.backgroundSize = `${n.depth * INDENT}px 100%`;

    const bar = el('span', { class: 'bar' });
    bar.style.width = `${(n.bar * 100).toFixed(2)}%`;
    const timeCell = el('div', { class: 'cell time', title: `own ${n.exclusive} (${n.share}), with children ${n.inclusive}` }, [
      el('span', { class: 'bar-track' }, [bar]),
      el('span', { class: 'value', text: n.exclusive }),
    ]);

    const m = n.rows.misestimate;
    const rowsCell = el('div', { class: 'cell rows' }, [
      el('span', { text: (this.o.analyzed ? n.rows.actual : n.rows.estimated) ?? '' }),
      m ? el('span', {
        class: `est sev-${m.severity}`,
        text: `${m.direction === 'under' ? '↓' : '↑'}${m.factor}`,
        title: `Estimated ${n.rows.estimated ?? '?'} rows: ${m.factor} too ${m.direction === 'under' ? 'low' : 'high'}`,
      }) : null,
    ]);
    const flags = el('span', { class: 'flags' }, [
      n.flags.spilled ? el('span', { title: 'Spilled to disk' }, [icon('database')]) : null,
      n.flags.parallel ? el('span', { title: 'Runs in parallel' }, [icon('layers')]) : null,
      n.tipIndexes.length > 0 ? el('span', { class: 'tip-flag', title: this.o.tips[n.tipIndexes[0]!]?.title ?? 'Tip' }, [icon('lightbulb'), String(n.tipIndexes.length)]) : null,
    ]);
    nodeCell.appendChild(flags);

    const row = el('div', { class: classes.filter(Boolean).join(' '), attrs }, [
      nodeCell,
      timeCell,
      el('div', { class: 'cell share', text: n.share }),
      rowsCell,
      el('div', { class: 'cell loops', text: n.rows.loops && n.rows.loops !== '1' ? `× ${n.rows.loops}` : '' }),
    ]);
    row.style.top = `${index * ROW_HEIGHT}px`;
    if (n.flags.neverExecuted) row.title = 'Never executed';
    return row;
  }

  private rowId(target: EventTarget | null): number | undefined {
    const row = (target as HTMLElement | null)?.closest?.('.row');
    const id = row?.getAttribute('data-node-id');
    return id === null || id === undefined ? undefined : Number(id);
  }

  private onClick(e: MouseEvent): void {
    const id = this.rowId(e.target);
    if (id === undefined) return;
    if ((e.target as HTMLElement).classList.contains('twisty')) this.toggle(id);
    this.setActive(id);
    this.viewport.focus();
  }

  private toggle(id: number): void {
    if ((this.o.nodes[id]?.childIds.length ?? 0) === 0) return;
    if (this.collapsed.has(id)) this.collapsed.delete(id);
    else this.collapsed.add(id);
    this.changed();
  }

  private setActive(id: number): void {
    this.active = id;
    this.viewport.setAttribute('aria-activedescendant', `node-${id}`);
    this.reveal(id);
    this.render();
    this.o.onSelect(id);
  }

  private reveal(id: number): void {
    const index = this.visible.indexOf(id);
    if (index < 0) return;
    const top = index * ROW_HEIGHT;
    const view = this.viewport;
    if (top < view.scrollTop) view.scrollTop = top;
    else if (top + ROW_HEIGHT > view.scrollTop + view.clientHeight) view.scrollTop = top + ROW_HEIGHT - view.clientHeight;
  }

  private onKey(e: KeyboardEvent): void {
    const index = Math.max(0, this.visible.indexOf(this.active));
    const node = this.o.nodes[this.active];
    const page = Math.max(1, Math.floor(this.viewport.clientHeight / ROW_HEIGHT) - 1);
    const go = (i: number) => {
      const id = this.visible[Math.min(this.visible.length - 1, Math.max(0, i))];
      if (id !== undefined) this.setActive(id);
    };
    switch (e.key) {
      case 'ArrowDown': go(index + 1); break;
      case 'ArrowUp': go(index - 1); break;
      case 'Home': go(0); break;
      case 'End': go(this.visible.length - 1); break;
      case 'PageDown': go(index + page); break;
      case 'PageUp': go(index - page); break;
      case 'ArrowRight':
        if (!node || node.childIds.length === 0) return;
        if (this.collapsed.has(node.id)) this.toggle(node.id);
        else go(index + 1);
        break;
      case 'ArrowLeft':
        if (!node) return;
        if (node.childIds.length > 0 && !this.collapsed.has(node.id)) this.toggle(node.id);
        else if (node.parentId !== null) this.setActive(node.parentId);
        break;
      case 'Enter':
      case ' ':
        if (node) this.toggle(node.id);
        break;
      case '*':
        this.expandAll();
        break;
      default:
        return;
    }
    e.preventDefault();
  }
}

/** Node ids in plan order, skipping the subtrees of collapsed nodes; iterative for deep plans. */
export function visibleNodes(nodes: readonly ViewNode[], collapsed: ReadonlySet<number>): number[] {
  const out: number[] = [];
  const roots = nodes.filter((n) => n.parentId === null).map((n) => n.id);
  const stack = [...roots].reverse();
  while (stack.length > 0) {
    const id = stack.pop()!;
    out.push(id);
    const n = nodes[id];
    if (n && !collapsed.has(id)) for (let i = n.childIds.length - 1; i >= 0; i--) stack.push(n.childIds[i]!);
  }
  return out;
}

/** Big plans open folded below a depth, except along the hottest path, so the first screen is readable. */
export function defaultCollapsed(nodes: readonly ViewNode[]): Set<number> {
  const collapsed = new Set<number>();
  if (nodes.length <= 150) return collapsed;
  for (const n of nodes) if (n.depth >= 4 && n.childIds.length > 0 && !n.flags.onHottestPath) collapsed.add(n.id);
  return collapsed;
}

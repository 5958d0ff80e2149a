/**
 * The statement table, virtualised: the body is as tall as all the rows,
 * but only the rows in view (and a few either side) exist in the DOM, so
 * 5,000 statements cost as much as forty. Rows have one fixed height; the
 * full text of a statement opens in the details pane instead of growing a
 * row.
 *
 * Keyboard: the body is one tab stop (a grid with an active row); arrows,
 * Page Up/Down, Home/End move, Enter opens the details. Headers are buttons
 * that sort (aria-sort says how).
 */
import type { QueryStat, SortColumn } from '../../src/core/stats';
import type { StatementsView } from '../../src/shared/slowQueriesProtocol';
import type { Column } from './columns';

export const ROW_HEIGHT = 26;
const OVERSCAN = 8;

export interface TableCallbacks {
  onSort(column: SortColumn): void;
  onSelect(key: string | null, open: boolean): void;
}

export interface SortState {
  readonly sort: SortColumn;
  readonly descending: boolean;
}

export class VirtualTable {
  readonly element: HTMLElement;
  private readonly header: HTMLElement;
  private readonly scroller: HTMLElement;
  private readonly body: HTMLElement;
  private rows: readonly QueryStat[] = [];
  private columns: readonly Column[] = [];
  private view: StatementsView | undefined;
  private selected: string | null = null;
  private frame = 0;
  private rendered = '';

  constructor(private readonly callbacks: TableCallbacks) {
    this.element = document.createElement('div');
    this.element.className = 'vt';
    this.element.setAttribute('role', 'grid');
    this.element.setAttribute('aria-label', 'Statements');
    this.header = document.createElement('div');
    this.header.className = 'vt-header';
    this.header.setAttribute('role', 'row');
    this.scroller = document.createElement('div');
    this.scroller.className = 'vt-scroll';
    this.scroller.tabIndex = 0;
    this.body = document.createElement('div');
    this.body.className = 'vt-body';
    this.body.setAttribute('role', 'rowgroup');
    // The header sits in the scroller (sticky) so that it follows horizontal scrolling.
    this.scroller.append(this.header, this.body);
    this.element.appendChild(this.scroller);
    this.scroller.addEventListener('scroll', () => this.schedule(), { passive: true });
    this.scroller.addEventListener('keydown', (e) => this.key(e));
    this.body.addEventListener('click', (e) => {
      const row = (e.target as HTMLElement).closest<HTMLElement>('.vt-row');
      if (!row?.dataset.key) return;
      this.select(row.dataset.key, true);
    });
    new ResizeObserver(() => this.schedule()).observe(this.scroller);
  }

  /** New rows (already filtered and sorted), columns and sort. */
  setRows(rows: readonly QueryStat[], columns: readonly Column[], view: StatementsView, sort: SortState): void {
    const columnsChanged = columns.map((c) => c.id).join() !== this.columns.map((c) => c.id).join();
    this.rows = rows;
    this.columns = columns;
    this.view = view;
    this.element.style.setProperty('--vt-columns', columns.map((c) => c.width).join(' '));
    const fixed = columns.reduce((sum, c) => sum + (Number.parseInt(c.width.replace(/^minmax\(/, ''), 10) || 0), 0);
    this.element.style.setProperty('--vt-min-width', `${fixed}px`);
    this.element.setAttribute('aria-rowcount', String(rows.length + 1));
    this.renderHeader(sort, columnsChanged);
    this.body.style.height = `${rows.length * ROW_HEIGHT}px`;
    this.rendered = '';
    this.render();
  }

  get selectedKey(): string | null {
    return this.selected;
  }

  select(key: string | null, open: boolean): void {
    this.selected = key;
    this.rendered = '';
    this.render();
    if (key) {
      const i = this.rows.findIndex((r) => r.key === key);
      if (i >= 0) this.scroller.setAttribute('aria-activedescendant', `row-${i}`);
    }
    this.callbacks.onSelect(key, open);
  }

  focus(): void {
    this.scroller.focus();
  }

  /** Scrolls a row to the middle of the view and opens it. */
  reveal(key: string): void {
    const i = this.rows.findIndex((r) => r.key === key);
    if (i < 0) return;
    this.scroller.scrollTop = Math.max(0, i * ROW_HEIGHT - this.scroller.clientHeight / 2);
    this.select(key, true);
  }

  private renderHeader(sort: SortState, rebuild: boolean): void {
    if (rebuild || this.header.childElementCount === 0) {
      this.header.replaceChildren(
        ...this.columns.map((c) => {
          const cell = document.createElement('div');
          cell.className = `vt-cell vt-head${c.numeric ? ' num' : ''}`;
          cell.setAttribute('role', 'columnheader');
          cell.dataset.column = c.id;
          if (c.sort) {
            const b = document.createElement('button');
            b.className = 'vt-sort';
            b.type = 'button';
            b.title = c.title;
            b.dataset.sort = c.sort;
            const label = document.createElement('span');
            label.textContent = c.label;
            const arrow = document.createElement('span');
            arrow.className = 'codicon vt-arrow';
            arrow.setAttribute('aria-hidden', 'true');
            b.append(label, arrow);
            const column = c.sort;
            b.addEventListener('click', () => this.callbacks.onSort(column));
            cell.appendChild(b);
          } else {
            cell.textContent = c.label;
            cell.title = c.title;
          }
          return cell;
        }),
      );
    }
    for (const cell of Array.from(this.header.children) as HTMLElement[]) {
      const c = this.columns.find((col) => col.id === cell.dataset.column);
      const active = c?.sort !== undefined && c.sort === sort.sort;
      cell.setAttribute('aria-sort', active ? (sort.descending ? 'descending' : 'ascending') : 'none');
      const arrow = cell.querySelector('.vt-arrow');
      if (arrow) arrow.className = `codicon vt-arrow${active ? (sort.descending ? ' codicon-arrow-down' : ' codicon-arrow-up') : ''}`;
    }
  }

  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
    });
  }

  /** Draws the rows in view; does nothing when the same range is already drawn. */
  render(): void {
    const view = this.view;
    if (!view) return;
    const height = this.scroller.clientHeight || 600;
    const top = Math.max(0, this.scroller.scrollTop - ROW_HEIGHT);
    const first = Math.max(0, Math.floor(top / ROW_HEIGHT) - OVERSCAN);
    const last = Math.min(this.rows.length, Math.ceil((top + height) / ROW_HEIGHT) + OVERSCAN);
    const range = `${first}:${last}`;
    if (range === this.rendered) return;
    this.rendered = range;
    const fragment = document.createDocumentFragment();
    for (let i = first; i < last; i++) {
      const r = this.rows[i];
      if (r) fragment.appendChild(this.row(r, i, view));
    }
    this.body.replaceChildren(fragment);
  }

  private row(r: QueryStat, index: number, view: StatementsView): HTMLElement {
    const row = document.createElement('div');
    row.className = `vt-row band-${r.band}${r.key === this.selected ? ' selected' : ''}`;
    row.id = `row-${index}`;
    row.setAttribute('role', 'row');
    row.setAttribute('aria-rowindex', String(index + 2));
    row.setAttribute('aria-selected', String(r.key === this.selected));
    row.dataset.key = r.key;
    row.style.transform = `translateY(${index * ROW_HEIGHT}px)`;
    for (const c of this.columns) {
      const cell = document.createElement('div');
      cell.className = `vt-cell${c.numeric ? ' num' : ''} col-${c.id}`;
      cell.setAttribute('role', 'gridcell');
      c.fill(cell, r, view);
      row.appendChild(cell);
    }
    return row;
  }

  private key(e: KeyboardEvent): void {
    if (this.rows.length === 0) return;
    const current = this.rows.findIndex((r) => r.key === this.selected);
    const page = Math.max(1, Math.floor(this.scroller.clientHeight / ROW_HEIGHT) - 1);
    const moves: Record<string, number> = { ArrowDown: current + 1, ArrowUp: current - 1, PageDown: current + page, PageUp: current - page, Home: 0, End: this.rows.length - 1 };
    if (e.key === 'Enter' && current >= 0) {
      e.preventDefault();
      this.select(this.selected, true);
      return;
    }
    const target = moves[e.key];
    if (target === undefined) return;
    e.preventDefault();
    const i = Math.min(this.rows.length - 1, Math.max(0, current < 0 && e.key === 'ArrowDown' ? 0 : target));
    // Row i starts one header height below the top of the scrolled content.
    const top = i * ROW_HEIGHT;
    if (top < this.scroller.scrollTop) this.scroller.scrollTop = top;
    else if (top + 2 * ROW_HEIGHT > this.scroller.scrollTop + this.scroller.clientHeight) this.scroller.scrollTop = top + 2 * ROW_HEIGHT - this.scroller.clientHeight;
    this.select(this.rows[i]?.key ?? null, false);
  }
}

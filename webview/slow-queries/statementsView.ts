/**
 * The Statements tab: window picker, scope, filters, the virtualised table
 * and the details pane of the open statement. Sorting and filtering run
 * here, on the rows the host sent, with the same code the host's export
 * uses (src/core/stats/table.ts).
 */
import { selectRows } from '../../src/core/stats/table';
import type { QueryStat, SortColumn, StatsWindow } from '../../src/core/stats';
import type { SlowQueriesUi, StatementsView } from '../../src/shared/slowQueriesProtocol';
import { post } from './api';
import { columnsFor } from './columns';
import { clock, count, ms } from './format';
import { actionButton, el, fixSteps } from './ui';
import { highlightInto } from './sqlHighlight';
import { VirtualTable } from './virtualTable';

const WINDOW_LABELS: readonly [StatsWindow, string][] = [
  ['last', 'Last refresh'],
  ['5m', '5 min'],
  ['1h', '1 hour'],
  ['reset', 'Since reset'],
];

/** Columns whose natural order is largest first. */
const TEXT_SORTS = new Set<SortColumn>(['query', 'database', 'user']);

export class StatementsTab {
  readonly element: HTMLElement;
  private readonly table: VirtualTable;
  private readonly summary = el('span', { class: 'summary muted' });
  private readonly info = el('div', { class: 'info-line muted' });
  private readonly notice = el('div', { class: 'notice-slot' });
  private readonly details = el('div', { class: 'details', attrs: { hidden: '' } });
  private readonly windowButtons = new Map<StatsWindow, HTMLButtonElement>();
  private readonly scope: HTMLInputElement;
  private view: StatementsView | undefined;
  private shown: QueryStat[] = [];
  private openKey: string | null = null;
  private readonly fields: { readonly text: HTMLInputElement; readonly minMean: HTMLInputElement; readonly minCalls: HTMLInputElement };

  constructor(
    private ui: SlowQueriesUi,
    private readonly onUi: (ui: SlowQueriesUi) => void,
  ) {
    this.table = new VirtualTable({
      onSort: (column) => this.sortBy(column),
      onSelect: (key, open) => {
        if (open || this.openKey !== null) this.openDetails(key);
      },
    });
    const picker = el('div', { class: 'segmented', attrs: { role: 'radiogroup', 'aria-label': 'Window' } });
    for (const [w, label] of WINDOW_LABELS) {
      const b = el('button', { class: 'segment', text: label, attrs: { type: 'button', role: 'radio', 'data-window': w } });
      b.addEventListener('click', () => this.pickWindow(w));
      this.windowButtons.set(w, b);
      picker.appendChild(b);
    }
    this.scope = el('input', { attrs: { type: 'checkbox', id: 'all-databases', 'data-action': 'all-databases' } });
    this.scope.checked = ui.allDatabases;
    this.scope.addEventListener('change', () => {
      this.setUi({ ...this.ui, allDatabases: this.scope.checked });
      post({ type: 'scope', allDatabases: this.scope.checked });
    });
    const text = this.input('search', 'Filter statements', 'filter-text', ui.text, (v) => this.setUi({ ...this.ui, text: v }));
    const minMean = this.input('number', 'Min mean (ms)', 'filter-min-mean', ui.minMeanMs === null ? '' : String(ui.minMeanMs), (v) => this.setUi({ ...this.ui, minMeanMs: numberOrNull(v) }));
    const minCalls = this.input('number', 'Min calls', 'filter-min-calls', ui.minCalls === null ? '' : String(ui.minCalls), (v) => this.setUi({ ...this.ui, minCalls: numberOrNull(v) }));
    this.fields = { text, minMean, minCalls };
    const controls = el('div', { class: 'controls' }, [
      el('span', { class: 'control-label', text: 'Window' }),
      picker,
      el('label', { class: 'check', attrs: { for: 'all-databases' } }, [this.scope, 'All databases']),
      el('span', { class: 'spacer' }),
      text,
      minMean,
      minCalls,
      this.summary,
    ]);
    this.element = el('section', { class: 'tab-body statements' }, [controls, this.info, this.notice, this.table.element, this.details]);
    this.markWindow();
  }

  get uiState(): SlowQueriesUi {
    return this.ui;
  }

  /** The keys shown, in order (what Export writes). */
  shownKeys(): string[] {
    return this.shown.map((r) => r.key);
  }

  show(view: StatementsView): void {
    this.view = view;
    if (view.window !== this.ui.window) this.setUi({ ...this.ui, window: view.window });
    this.scope.checked = view.allDatabases;
    this.markWindow();
    this.info.replaceChildren(...infoParts(view));
    this.notice.replaceChildren(...(view.notice ? [el('div', { class: 'notice' }, [el('span', { class: 'codicon codicon-info', attrs: { 'aria-hidden': 'true' } }), el('div', {}, [el('strong', { text: view.notice.title }), el('div', { text: view.notice.message }), fixSteps(view.notice.fix)])])] : []));
    this.apply();
    if (this.openKey) this.openDetails(this.openKey);
  }

  /** Shows a statement's row with its details, clearing the filters that would hide it. */
  focus(key: string): void {
    const row = this.view?.rows.find((r) => r.key === key);
    if (!row) return;
    if (!this.shown.some((r) => r.key === key)) {
      const minCalls = row.calls > 0 ? null : 0;
      this.fields.text.value = '';
      this.fields.minMean.value = '';
      this.fields.minCalls.value = minCalls === null ? '' : '0';
      this.setUi({ ...this.ui, text: '', minMeanMs: null, minCalls });
    }
    this.table.reveal(key);
  }

  private input(type: string, placeholder: string, action: string, value: string, onChange: (v: string) => void): HTMLInputElement {
    const input = el('input', { class: `field ${type === 'number' ? 'narrow' : 'wide'}`, attrs: { type, placeholder, 'aria-label': placeholder, 'data-action': action, spellcheck: 'false' } });
    if (type === 'number') input.min = '0';
    input.value = value;
    input.addEventListener('input', () => onChange(input.value));
    return input;
  }

  private setUi(ui: SlowQueriesUi): void {
    const refilter = ui.text !== this.ui.text || ui.minCalls !== this.ui.minCalls || ui.minMeanMs !== this.ui.minMeanMs || ui.sort !== this.ui.sort || ui.descending !== this.ui.descending;
    this.ui = ui;
    this.onUi(ui);
    if (refilter) this.apply();
  }

  private sortBy(column: SortColumn): void {
    const descending = this.ui.sort === column ? !this.ui.descending : !TEXT_SORTS.has(column);
    this.setUi({ ...this.ui, sort: column, descending });
  }

  private pickWindow(w: StatsWindow): void {
    this.setUi({ ...this.ui, window: w });
    this.markWindow();
    post({ type: 'window', window: w });
  }

  private markWindow(): void {
    for (const [w, b] of this.windowButtons) {
      const on = w === this.ui.window;
      b.classList.toggle('on', on);
      b.setAttribute('aria-checked', String(on));
    }
  }

  /** Filters and sorts the rows and hands them to the table. */
  private apply(): void {
    const view = this.view;
    if (!view) return;
    this.shown = selectRows(view.rows, {
      sort: this.ui.sort,
      descending: this.ui.descending,
      text: this.ui.text,
      minMeanMs: this.ui.minMeanMs ?? undefined,
      // Statements not called in the window are hidden unless asked for with "min calls 0".
      minCalls: this.ui.minCalls ?? 1,
    });
    const total = view.rows.filter((r) => !r.own).length;
    this.summary.textContent = `${count(this.shown.length)} of ${count(total)} statements`;
    this.table.setRows(this.shown, columnsFor(view), view, { sort: this.ui.sort, descending: this.ui.descending });
  }

  private openDetails(key: string | null): void {
    this.openKey = key;
    const row = key ? this.view?.rows.find((r) => r.key === key) : undefined;
    const view = this.view;
    if (!row || !view) {
      this.details.hidden = true;
      this.details.replaceChildren();
      return;
    }
    const sql = el('pre', { class: 'code sql full-sql' });
    highlightInto(sql, row.query);
    const actions = el('div', { class: 'detail-actions' }, [
      actionButton('Copy', 'copy', 'copy-query', () => post({ type: 'copy', key: row.key })),
      view.canExplain && actionButton('Explain', 'list-tree', 'explain', () => post({ type: 'explain', key: row.key })),
      view.canFindInCode && actionButton('Find in Code', 'search', 'find-in-code', () => post({ type: 'findInCode', key: row.key })),
      actionButton('Close', 'close', 'close-details', () => this.table.select(null, false)),
    ]);
    const facts: [string, string][] = [
      ['Band', row.band === 'none' ? 'no calls in the window' : row.band],
      ['Mean (window)', ms(row.meanMs)],
      ['Mean (lifetime)', ms(row.lifetimeMeanMs)],
      ['Calls (lifetime)', count(row.lifetimeCalls)],
      ['Database', row.database ?? '—'],
      ['Role', row.user ?? '—'],
      ['queryid', row.queryid ?? '—'],
    ];
    if (row.status !== 'steady') facts.push(['Window', row.status === 'new' ? 'new in this window' : 'its statistics restarted in this window']);
    this.details.replaceChildren(
      el('div', { class: 'detail-head' }, [el('strong', { text: 'Statement' }), el('span', { class: `pill band-pill band-${row.band}`, text: row.band === 'none' ? 'idle' : row.band }), el('span', { class: 'spacer' }), actions]),
      el('div', { class: 'detail-body' }, [sql, el('dl', { class: 'facts' }, facts.flatMap(([k, v]) => [el('dt', { text: k }), el('dd', { text: v })]))]),
    );
    this.details.hidden = false;
  }
}

function numberOrNull(v: string): number | null {
  const n = Number(v);
  return v.trim() === '' || !Number.isFinite(n) || n < 0 ? null : n;
}

function infoParts(view: StatementsView): Node[] {
  const t = view.thresholds;
  const parts: (string | Node)[] = [
    el('span', { class: 'window-label', text: capitalise(view.windowLabel) }),
    el('span', { text: `Snapshot ${clock(view.takenAt)}${view.snapshotCount > 1 ? ` · ${view.snapshotCount} snapshots kept` : ''}` }),
    el('span', { class: 'stats-reset', text: view.statsReset === null ? 'Reset time not tracked (PostgreSQL 13)' : `Statistics reset ${clock(view.statsReset)}` }),
    view.refreshSeconds > 0 ? el('span', { text: `Auto-refresh every ${view.refreshSeconds} s` }) : el('span', { text: 'Auto-refresh off' }),
    el('span', { class: 'legend', title: 'Row colours: mean time over the window (settings pgInsight.slowQueries.*Ms)' }, [
      el('span', { class: 'swatch band-warning' }), `≥ ${threshold(t.warningMs)}`,
      el('span', { class: 'swatch band-critical' }), `≥ ${threshold(t.criticalMs)}`,
      el('span', { class: 'swatch band-emergency' }), `≥ ${threshold(t.emergencyMs)}`,
    ]),
  ];
  if (view.dealloc) parts.push(el('span', { class: 'warn', text: `${count(view.dealloc)} entries evicted since the reset (pg_stat_statements.max reached)` }));
  return parts.map((p) => (typeof p === 'string' ? document.createTextNode(p) : p));
}

/** Thresholds as the user typed them: "100 ms", "1 s". */
function threshold(valueMs: number): string {
  return valueMs >= 1000 && valueMs % 1000 === 0 ? `${valueMs / 1000} s` : `${valueMs} ms`;
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

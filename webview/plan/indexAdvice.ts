/**
 * The "Index advice" section of the Tips tab: candidate indexes verified
 * against the planner, each with its DDL, the plan's cost before and after
 * (and the measured times, where a trial build ran with ANALYZE), and the
 * actions: copy, add to a new migration, create on this database now.
 *
 * The advice arrives after the plan (verification takes a moment) as a
 * message of its own; the section the plan view builds is filled when the
 * advice for its plan is there. Every piece of database text goes in as
 * text.
 */
import type { IndexAdviceItem, IndexAdviceRequest, IndexAdviceView } from '../../src/shared/protocol';
import { isIndexAdviceMessage } from '../../src/shared/protocol';
import { button, copyButton } from '../common/controls';
import { clear, el, icon } from '../common/dom';
import { post } from '../common/vscode';

/**
 * The page's one channel to the host, for the advice requests: the host
 * checks them with `isIndexAdviceRequest` before the other plan messages.
 */
const request = post as unknown as (message: IndexAdviceRequest) => void;

let latest: IndexAdviceView | undefined;
let mounted: { readonly recordId: string; readonly element: HTMLElement } | undefined;

/** Listens for the host's advice messages (the plan payload has its own listener). */
export function listenForAdvice(): void {
  window.addEventListener('message', (event: MessageEvent<unknown>) => {
    if (!isIndexAdviceMessage(event.data)) return;
    latest = event.data.advice;
    if (mounted && mounted.recordId === latest.recordId) fill(mounted.element, latest);
  });
}

/** The section for a plan; filled now if its advice already arrived, else when it does. */
export function adviceSection(recordId: string): HTMLElement {
  const element = el('section', { class: 'index-advice', attrs: { 'aria-label': 'Index advice', 'data-section': 'index-advice' } });
  mounted = { recordId, element };
  if (latest?.recordId === recordId) fill(element, latest);
  else fill(element, { recordId, state: 'working', summary: 'Looking for candidate indexes…', items: [], rejected: [], canCreate: false });
  return element;
}

function fill(section: HTMLElement, view: IndexAdviceView): void {
  clear(section);
  section.dataset.state = view.state;
  section.append(
    el('div', { class: 'section-head' }, [
      view.state === 'working' ? icon('loading', 'codicon-modifier-spin') : icon('database'),
      el('span', { class: 'section-title', text: 'Index advice' }),
      view.items.length > 0 ? el('vscode-badge', { attrs: { variant: 'counter' }, text: String(view.items.length) }) : null,
    ]),
    el('p', { class: 'muted advice-summary' }, [view.summary, ' ', docsLink()]),
  );
  if (view.state === 'confirm') {
    section.append(el('div', { class: 'advice-confirm' }, [
      button({
        label: 'Verify…',
        icon: 'beaker',
        secondary: false,
        title: 'Build each candidate inside a transaction, explain the statement with it, and roll back',
        action: 'verify-indexes',
        onClick: () => request({ type: 'indexAdvice.verify', recordId: view.recordId }),
      }),
    ]));
  }
  for (const item of view.items) section.append(card(view, item));
  if (view.rejected.length > 0) {
    section.append(el('details', { class: 'advice-rejected' }, [
      el('summary', { class: 'muted', text: `${view.rejected.length} ${view.rejected.length === 1 ? 'candidate' : 'candidates'} left out` }),
      el('ul', {}, view.rejected.map((r) => el('li', { attrs: { 'data-index-name': r.name } }, [
        el('span', { class: 'mono', text: r.name }),
        el('span', { class: 'muted', text: `: ${r.why}` }),
      ]))),
    ]));
  }
}

function card(view: IndexAdviceView, item: IndexAdviceItem): HTMLElement {
  const statistics = item.kind === 'statistics';
  const figures = [
    statistics && item.rowsBefore && item.rowsAfter ? figure('rows', `Estimated rows (actual ${item.rowsActual ?? '?'})`, item.rowsBefore, item.rowsAfter) : null,
    // A right estimate can make the planner cost its plan higher: for statistics the estimate is the figure, the cost is in the pill's tooltip.
    statistics ? null : figure('cost', 'Cost', item.costBefore, item.costAfter),
    item.timeBefore && item.timeAfter ? figure('time', 'Time', item.timeBefore, item.timeAfter) : null,
  ];
  const actions = [
    copyButton('DDL', () => item.ddl, 'Copy DDL'),
    button({ label: 'Add to a new migration', icon: 'new-file', action: 'index-migration', onClick: () => request({ type: 'indexAdvice.migration', recordId: view.recordId, name: item.name }) }),
    item.created
      ? el('span', { class: 'advice-created', text: 'Created on this database' })
      : view.canCreate && !statistics
        ? button({
          label: 'Create on this database now',
          icon: 'play',
          title: 'Run CREATE INDEX CONCURRENTLY on the connected database, then explain again and compare the plans',
          action: 'index-create',
          onClick: () => request({ type: 'indexAdvice.create', recordId: view.recordId, name: item.name }),
        })
        : null,
  ];
  return el('article', { class: 'advice-item', attrs: { 'data-index-name': item.name } }, [
    el('div', { class: 'tip-head' }, [
      el('span', { class: 'tip-title mono', text: item.name }),
      el('span', { class: 'pill saving', title: item.costChangeTitle ?? 'Change of the plan\'s total cost with the index', attrs: { 'data-figure': 'change' }, text: item.costChange }),
    ]),
    el('p', { class: 'tip-message' }, [el('span', { text: `On ${item.table}, for ${item.reason}. ` }), el('span', { class: 'muted', text: `Verified: ${item.method}.` })]),
    el('div', { class: 'advice-figures' }, figures),
    item.extension ? el('p', { class: 'muted tip-message', text: `Needs the ${item.extension} extension: CREATE EXTENSION IF NOT EXISTS ${item.extension};` }) : null,
    el('div', { class: 'tip-sql' }, [el('pre', { class: 'code', text: item.ddl })]),
    el('div', { class: 'advice-actions' }, actions),
  ]);
}

function docsLink(): HTMLElement {
  const b = el('button', { class: 'link', attrs: { type: 'button', 'data-action': 'index-advice-docs' } }, [icon('book'), ' How candidates are verified']);
  b.addEventListener('click', () => post({ type: 'openDocs', path: 'docs/tips/index-advice.md' }));
  return b;
}

function figure(kind: string, label: string, before: string, after: string): HTMLElement {
  return el('span', { class: 'advice-figure', attrs: { 'data-figure': kind } }, [
    el('span', { class: 'muted', text: `${label} ` }),
    el('span', { class: 'figure-before', text: before }),
    ' → ',
    el('span', { class: 'figure-after', text: after }),
  ]);
}

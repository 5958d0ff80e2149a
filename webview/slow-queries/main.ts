/**
 * The slow queries page: two tabs (Statements, Live activity), the panel
 * actions, and what to show when the statements cannot be read. It keeps
 * how it was left (tab, window, sort, filters, scope) with setState, so a
 * hidden or reloaded panel comes back the same; the host's serializer reads
 * it too.
 */
import baseCss from '../common/base.css';
import { adoptStyles } from '../common/dom';
import { DEFAULT_SLOW_QUERIES_UI, slowQueriesUiOf, type SlowQueriesTab, type SlowQueriesUi, type UnavailableView } from '../../src/shared/slowQueriesProtocol';
import { onHostMessage, post, savedUi, saveUi } from './api';
import { ActivityTab } from './activityView';
import { StatementsTab } from './statementsView';
import pageCss from './slow-queries.css';
import { actionButton, el, fixSteps } from './ui';

adoptStyles(baseCss, pageCss);
const root = document.getElementById('root')!;

let ui: SlowQueriesUi = savedUi() ? slowQueriesUiOf(savedUi()) : DEFAULT_SLOW_QUERIES_UI;
const remember = (next: SlowQueriesUi) => {
  ui = next;
  saveUi(ui);
};

const statements = new StatementsTab(ui, (next) => remember({ ...next, tab: ui.tab }));
const activity = new ActivityTab();
const fallback = el('section', { class: 'tab-body fallback', attrs: { hidden: '' } });
const progress = el('div', { class: 'progress', attrs: { hidden: '', role: 'progressbar', 'aria-label': 'Reading statistics' } });

const statementActions = [
  actionButton('Refresh', 'refresh', 'refresh', () => post({ type: 'refresh' })),
  actionButton('CSV', 'export', 'export-csv', () => post({ type: 'export', format: 'csv', keys: statements.shownKeys() })),
  actionButton('JSON', 'json', 'export-json', () => post({ type: 'export', format: 'json', keys: statements.shownKeys() })),
  actionButton('Reset…', 'discard', 'reset', () => post({ type: 'reset' })),
];
for (const b of statementActions.slice(1, 3)) b.title = `Export the statements shown as ${b.textContent ?? ''}`;

const tabs = new Map<SlowQueriesTab, HTMLButtonElement>();
const tabBar = el('div', { class: 'tabs', attrs: { role: 'tablist' } });
for (const [id, label] of [['statements', 'Statements'], ['activity', 'Live activity']] as const) {
  const b = el('button', { class: 'tab', text: label, attrs: { type: 'button', role: 'tab', 'data-tab': id } });
  b.addEventListener('click', () => selectTab(id));
  tabs.set(id, b);
  tabBar.appendChild(b);
}
const actionsBar = el('div', { class: 'panel-actions' }, statementActions);
root.append(el('header', { class: 'topbar' }, [tabBar, el('span', { class: 'spacer' }), actionsBar]), progress, statements.element, fallback, activity.element);

let statementsReadable = false;

function selectTab(tab: SlowQueriesTab): void {
  remember({ ...statements.uiState, tab });
  for (const [id, b] of tabs) {
    b.setAttribute('aria-selected', String(id === tab));
    b.classList.toggle('on', id === tab);
  }
  statements.element.hidden = tab !== 'statements' || !statementsReadable;
  fallback.hidden = tab !== 'statements' || statementsReadable;
  activity.element.hidden = tab !== 'activity';
  actionsBar.hidden = tab !== 'statements';
  // Export and reset need readable statements; Refresh is what to press after fixing the cause.
  for (const b of statementActions.slice(1)) b.hidden = !statementsReadable;
  if (tab === 'activity') post({ type: 'activity' });
}

function showFallback(content: HTMLElement): void {
  statementsReadable = false;
  fallback.replaceChildren(content);
  selectTab(ui.tab);
}

function unavailable(view: UnavailableView): HTMLElement {
  return el('div', { class: 'unavailable' }, [
    el('h2', { text: view.title }),
    el('p', { class: 'unavailable-message', text: view.message }),
    view.fix.length > 0 && el('h3', { text: 'How to fix it' }),
    fixSteps(view.fix),
    el('p', { class: 'muted', text: 'Then press Refresh. Sessions running now are on the Live activity tab, which does not need pg_stat_statements.' }),
    el('div', { class: 'detail-actions' }, [actionButton('Refresh', 'refresh', 'refresh-unavailable', () => post({ type: 'refresh' })), actionButton('Open Live Activity', 'pulse', 'open-activity', () => selectTab('activity'))]),
  ]);
}

onHostMessage((m) => {
  switch (m.type) {
    case 'statements':
      statementsReadable = true;
      statements.show(m.view);
      selectTab(ui.tab);
      break;
    case 'unavailable':
      showFallback(unavailable(m.view));
      break;
    case 'problem':
      showFallback(
        el('div', { class: 'unavailable' }, [
          el('p', { class: 'unavailable-message', text: m.message }),
          m.canSelectConnection && actionButton('Select Connection…', 'database', 'select-connection', () => post({ type: 'selectConnection' }), false),
        ]),
      );
      break;
    case 'activity':
      activity.show(m.view);
      break;
    case 'activityProblem':
      activity.problem(m.message);
      break;
    case 'focus':
      if (ui.tab !== 'statements') selectTab('statements');
      statements.focus(m.key);
      break;
    case 'busy':
      progress.hidden = !m.busy;
      document.body.dataset.busy = String(m.busy);
      break;
  }
});

fallback.appendChild(el('div', { class: 'empty', text: 'Reading pg_stat_statements…' }));
selectTab(ui.tab);
saveUi(ui);
post({ type: 'ready', ui });

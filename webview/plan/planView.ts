/**
 * One plan on screen: the header (statement, circumstances, totals), then
 * tabs: Plan (top tip, icicle chart, node tree and the selected node's
 * details), Tips, Text (as psql prints it) and JSON.
 */
import '@vscode-elements/elements/dist/vscode-tabs/index.js';
import '@vscode-elements/elements/dist/vscode-tab-header/index.js';
import '@vscode-elements/elements/dist/vscode-tab-panel/index.js';
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import type { PlanPayload } from '../../src/shared/protocol';
import { button, copyButton } from '../common/controls';
import { el, icon } from '../common/dom';
import { post } from '../common/vscode';
import { NodeDetails } from './details';
import { adviceSection } from './indexAdvice';
import { Icicle } from './icicle';
import { topTip, tipsList, type TipLinks } from './tips';
import { PlanTree, defaultCollapsed } from './tree';

export interface PlanUi {
  readonly tab: number;
  readonly selected: number | null;
  readonly collapsed: readonly number[];
}

const TAB_PLAN = 0;
const TAB_TIPS = 1;
/** Header figures shown as cards; the rest go on one line below them. */
const CARD_LABELS = new Set(['Execution', 'Planning', 'JIT', 'Triggers', 'Rows', 'Total cost']);
/** Circumstances shown next to the title; the others go on the line under the cards. */
const LEAD_META = new Set(['Connection', 'Server', 'When']);

export function renderPlan(root: HTMLElement, p: PlanPayload, saved: PlanUi | undefined, save: (ui: PlanUi) => void): void {
  const view = p.view;
  let ui: PlanUi = saved ?? { tab: TAB_PLAN, selected: view.hottestNodeId ?? view.nodes[0]?.id ?? null, collapsed: [...defaultCollapsed(view.nodes)] };
  const update = (change: Partial<PlanUi>) => {
    ui = { ...ui, ...change };
    save(ui);
  };
  save(ui);

  const tabs = document.createElement('vscode-tabs');
  const links: TipLinks = {
    showNode: (id) => {
      tabs.selectedIndex = TAB_PLAN;
      update({ tab: TAB_PLAN });
      selectNode(id, true);
    },
  };
  const details = new NodeDetails(view.tips, links);
  const tree = new PlanTree({
    nodes: view.nodes,
    tips: view.tips,
    metric: view.metric,
    analyzed: view.analyzed,
    collapsed: new Set(ui.collapsed),
    selected: ui.selected,
    onSelect: (id) => selectNode(id, false),
    onCollapsedChange: (c) => update({ collapsed: [...c] }),
  });
  const icicle = new Icicle(view, (id) => selectNode(id, true));
  function selectNode(id: number, fromOutside: boolean): void {
    if (fromOutside) tree.select(id);
    icicle.select(id);
    details.show(view.nodes[id]);
    update({ selected: id });
  }
  if (ui.selected !== null) {
    icicle.select(ui.selected);
    details.show(view.nodes[ui.selected]);
  } else details.show(undefined);

  const openTips = () => {
    tabs.selectedIndex = TAB_TIPS;
    update({ tab: TAB_TIPS });
  };
  const planPanel = el('div', { class: 'plan-tab' }, [
    topTip(view.tips, openTips),
    el('section', { class: 'icicle-section', attrs: { 'aria-label': 'Icicle chart' } }, [
      el('div', { class: 'section-head' }, [
        el('span', { class: 'section-title', text: view.metric === 'time' ? 'Where the time goes' : 'Where the cost goes' }),
        el('span', { class: 'muted legend', text: view.metric === 'time' ? 'width: time with children · colour: own time' : 'width: cost with children · colour: own cost' }),
        el('span', { class: 'spacer' }),
        button({ label: 'Hot path', icon: 'flame', title: 'Fold everything except the way to the slowest node', action: 'hot-path', onClick: () => tree.collapseToHotPath() }),
        button({ label: 'Expand all', icon: 'expand-all', action: 'expand-all', onClick: () => tree.expandAll() }),
      ]),
      icicle.element,
    ]),
    el('div', { class: 'split' }, [tree.element, details.element]),
  ]);

  tabs.append(
    tabHeader('Plan', 'list-tree'),
    tabHeader('Tips', 'lightbulb', view.tips.length),
    tabHeader('Text', 'file-text'),
    tabHeader('JSON', 'json'),
    tabPanel(planPanel),
    tabPanel(el('div', { class: 'scroll-tab' }, [adviceSection(recordId(p)), tipsList(view.tips, links)])),
    tabPanel(rawTab('plan text', p.text)),
    tabPanel(rawTab('JSON', p.json, indentJson)),
  );
  tabs.selectedIndex = ui.tab;
  tabs.addEventListener('vsc-tabs-select', (e) => update({ tab: e.detail.selectedIndex }));

  root.append(header(p), tabs);
}

function header(p: PlanPayload): HTMLElement {
  const view = p.view;
  const cards = view.header.filter((d) => CARD_LABELS.has(d.label));
  const rest = view.header.filter((d) => !CARD_LABELS.has(d.label));
  const lead = p.meta.filter((d) => LEAD_META.has(d.label));
  const more = [...p.meta.filter((d) => !LEAD_META.has(d.label) && !(d.label === 'Options' && d.value === 'none')), ...rest];
  const oneLine = p.statement.replace(/\s+/g, ' ').trim();
  return el('header', { class: 'plan-header' }, [
    el('div', { class: 'title-row' }, [
      el('span', { class: `pill mode${p.title === 'EXPLAIN' ? ' outline' : ''}`, text: p.title }),
      el('span', { class: 'lead' }, lead.map((d, i) => el('span', { class: 'lead-item', title: d.label }, [i > 0 ? el('span', { class: 'sep', text: '·' }) : null, d.value]))),
      el('div', { class: 'actions' }, [
        button({ label: p.historyCount > 1 ? `History (${p.historyCount})` : 'History', icon: 'history', title: 'Open another plan of this statement', action: 'history', onClick: () => post({ type: 'history', recordId: recordId(p) }) }),
        button({ label: 'Compare…', icon: 'diff', title: 'Compare this plan with another one from the history', action: 'compare', onClick: () => post({ type: 'compare', recordId: recordId(p) }) }),
        button({ label: 'Re-run', icon: 'refresh', title: 'Explain the statement again with the same options and values', action: 'rerun', onClick: () => post({ type: 'rerun', recordId: recordId(p) }) }),
      ]),
    ]),
    el('details', { class: 'statement' }, [
      el('summary', { title: 'Show the whole statement' }, [el('span', { class: 'mono', text: oneLine })]),
      el('div', { class: 'statement-full' }, [el('pre', { class: 'code', text: p.statement }), copyButton('statement', () => p.statement)]),
    ]),
    el('div', { class: 'stats' }, cards.map((d) => el('div', { class: `stat${d.label === 'Execution' ? ' primary' : ''}`, attrs: { 'data-stat': d.label } }, [
      el('div', { class: 'stat-value', text: d.value }),
      el('div', { class: 'stat-label', text: d.label }),
    ]))),
    more.length > 0 ? el('div', { class: 'meta' }, more.map((d) => el('span', { class: 'meta-item', title: `${d.label}: ${d.value}` }, [el('span', { class: 'muted', text: `${d.label} ` }), d.value]))) : null,
    ...p.notes.map((n) => el('div', { class: 'notice' }, [icon('info'), el('span', { text: n })])),
    view.triggers.length > 0 ? triggersTable(p) : null,
    view.settings.length > 0 ? el('div', { class: 'meta' }, [el('span', { class: 'muted', text: 'Settings ' }), view.settings.map((s) => `${s.label} = ${s.value}`).join(', ')]) : null,
  ]);
}

function triggersTable(p: PlanPayload): HTMLElement {
  return el('table', { class: 'triggers' }, [
    el('thead', {}, [el('tr', {}, ['Trigger', 'Time', 'Calls', 'Share'].map((h) => el('th', { text: h })))]),
    el('tbody', {}, p.view.triggers.map((t) => el('tr', {}, [
      el('td', {}, [t.name, t.detail ? el('span', { class: 'muted', text: ` ${t.detail}` }) : null]),
      el('td', { text: t.time }),
      el('td', { text: t.calls }),
      el('td', { text: t.share }),
    ]))),
  ]);
}

function recordId(p: PlanPayload): string {
  return p.ref.kind === 'plan' ? p.ref.recordId : '';
}

function tabHeader(label: string, iconName: string, count?: number): HTMLElement {
  const before = icon(iconName, 'tab-icon');
  before.setAttribute('slot', 'content-before');
  const h = el('vscode-tab-header', { attrs: { slot: 'header', 'data-tab': label.toLowerCase() } }, [before, label]);
  if (count !== undefined) h.appendChild(el('vscode-badge', { attrs: { variant: 'counter', slot: 'content-after' }, text: String(count) }));
  return h;
}

function tabPanel(content: HTMLElement): HTMLElement {
  return el('vscode-tab-panel', {}, [content]);
}

/** Text and JSON: built when first shown (or copied), as a large plan's JSON is megabytes of text. */
function rawTab(what: string, source: string, format: (s: string) => string = (s) => s): HTMLElement {
  let text: string | undefined;
  const shown = () => (text ??= format(source));
  const pre = el('pre', { class: 'code raw' });
  const box = el('div', { class: 'raw-tab' }, [el('div', { class: 'raw-toolbar' }, [copyButton(what, shown)]), pre]);
  const fill = () => {
    if (pre.textContent === '') pre.textContent = shown();
  };
  new IntersectionObserver((entries) => {
    if (entries.some((e) => e.isIntersecting)) fill();
  }).observe(box);
  return box;
}

/** The plan's JSON as EXPLAIN prints it, indented; text that does not parse is shown as it came. */
function indentJson(compact: string): string {
  try {
    return JSON.stringify(JSON.parse(compact), null, 2);
  } catch {
    return compact;
  }
}

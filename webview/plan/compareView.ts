/**
 * Two plans side by side: what changed in a few sentences, the totals, and
 * every matched node with its own time (or cost) before and after, the
 * difference and the rows; nodes that appeared or disappeared are marked.
 */
import type { ComparePayload, CompareRow, CompareSide } from '../../src/shared/protocol';
import { button } from '../common/controls';
import { el, icon } from '../common/dom';
import { post } from '../common/vscode';

const CHANGE_TEXT = { same: '', changed: 'changed', added: 'new', removed: 'gone' } as const;
const TREND_CLASS = { '-1': 'better', '0': 'same', '1': 'worse' } as const;

export function renderCompare(root: HTMLElement, p: ComparePayload): void {
  const [headline, ...rest] = p.summary;
  const head = el('header', { class: 'plan-header compare-header' }, [
    el('div', { class: 'title-row' }, [el('span', { class: 'pill mode', text: 'COMPARE' }), el('h1', { class: 'compare-title', text: p.sameStatement ? 'Two plans of the same statement' : 'Two plans of different statements' })]),
    p.sameStatement ? el('div', { class: 'mono side-sql', title: p.after.statement, text: oneLine(p.after.statement) }) : null,
    el('div', { class: 'sides' }, [sideCard('Before', p.before, !p.sameStatement), el('span', { class: 'arrow' }, [icon('arrow-right')]), sideCard('After', p.after, !p.sameStatement)]),
    headline ? el('div', { class: `headline ${TREND_CLASS[String(p.trend) as '-1' | '0' | '1']}`, attrs: { 'data-trend': String(p.trend) } }, [icon(p.trend < 0 ? 'arrow-down' : p.trend > 0 ? 'arrow-up' : 'dash'), el('span', { text: headline })]) : null,
    rest.length > 0 ? el('ul', { class: 'changes' }, rest.map((s) => el('li', { text: s }))) : null,
  ]);
  const metric = p.metric === 'time' ? 'Own time' : 'Own cost';
  const table = el('table', { class: 'compare-table', attrs: { 'aria-label': 'Nodes of both plans' } }, [
    el('thead', {}, [el('tr', {}, [
      el('th', { class: 'node', text: 'Node' }),
      el('th', { class: 'num', text: `${metric} before` }),
      el('th', { class: 'num', text: `${metric} after` }),
      el('th', { class: 'num', text: 'Difference' }),
      el('th', { class: 'num', text: 'Rows before → after' }),
    ])]),
    el('tbody', {}, p.rows.map(row)),
  ]);
  root.append(head, el('div', { class: 'scroll-tab compare-body' }, [table]));
}

function oneLine(sql: string): string {
  return sql.replace(/\s+/g, ' ').trim();
}

function sideCard(which: string, s: CompareSide, withStatement: boolean): HTMLElement {
  return el('div', { class: 'side', attrs: { 'data-side': which.toLowerCase() } }, [
    el('div', { class: 'side-head' }, [
      el('span', { class: 'side-which', text: which }),
      el('span', { class: 'side-total', text: s.total }),
      button({ label: 'Open', icon: 'go-to-file', title: 'Open this plan on its own', action: `open-${which.toLowerCase()}`, onClick: () => post({ type: 'openPlan', recordId: s.recordId }) }),
    ]),
    el('div', { class: 'muted', text: s.title }),
    withStatement ? el('div', { class: 'mono side-sql', title: s.statement, text: oneLine(s.statement) }) : null,
  ]);
}

function bar(width: number, cls: string): HTMLElement {
  const b = el('span', { class: `bar ${cls}` });
  b.style.width = `${(width * 100).toFixed(2)}%`;
  return el('span', { class: 'bar-track' }, [b]);
}

function row(r: CompareRow): HTMLElement {
  const name = el('td', { class: 'node' }, [
    r.change !== 'same' ? el('span', { class: `pill change ${r.change}`, text: CHANGE_TEXT[r.change] }) : null,
    r.beforeLabel ? el('span', { class: 'was', text: r.beforeLabel }) : null,
    r.beforeLabel ? el('span', { class: 'muted', text: ' → ' }) : null,
    el('span', { class: 'label', text: r.label }),
  ]);
  name.style.paddingLeft = `${8 + r.depth * 16}px`;
  return el('tr', { class: `change-${r.change}`, attrs: { 'data-change': r.change } }, [
    name,
    el('td', { class: 'num' }, r.before !== undefined ? [bar(r.beforeBar, 'before'), el('span', { text: r.before })] : [el('span', { class: 'muted', text: '–' })]),
    el('td', { class: 'num' }, r.after !== undefined ? [bar(r.afterBar, 'after'), el('span', { text: r.after })] : [el('span', { class: 'muted', text: '–' })]),
    el('td', { class: `num delta ${TREND_CLASS[String(r.trend) as '-1' | '0' | '1']}`, text: r.delta }),
    el('td', { class: 'num', text: `${r.rowsBefore ?? '–'} → ${r.rowsAfter ?? '–'}` }),
  ]);
}

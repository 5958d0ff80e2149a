/**
 * Lays out a health report: a header with the actions, the summary (counts
 * by status and the most important findings), small charts, then one
 * section per category with a collapsible block per check (status badge,
 * findings with their remediation and copy buttons, limitations, detail
 * tables, and the SQL the check ran). Every value is set as text.
 */
import type { ReportDocument } from '../../src/core/health/report';
import { neededPrivileges } from '../../src/core/health/outcome';
import { STATUS_LABELS, STATUS_ORDER } from '../../src/core/health/report';
import { reportCharts } from '../../src/core/health/reportCharts';
import { CATEGORY_LABELS, CATEGORY_ORDER, formatCell, isNumericColumn } from '../../src/core/health/reportFormat';
import type { CheckResult, CheckStatus, DetailTable, Finding } from '../../src/core/health/types';
import type { HealthShowMessage } from '../../src/shared/healthProtocol';
import { el, icon } from '../common/dom';
import { renderCharts } from './charts';
import { post } from './host';

const STATUS_ICONS: Readonly<Record<CheckStatus, string>> = {
  critical: 'error',
  warning: 'warning',
  error: 'bug',
  limited: 'eye-closed',
  info: 'info',
  ok: 'pass',
  skipped: 'circle-slash',
};

function badge(status: CheckStatus): HTMLElement {
  return el('span', { class: `badge status-${status}`, attrs: { 'data-status': status } }, [icon(STATUS_ICONS[status]), el('span', { text: STATUS_LABELS[status] })]);
}

function actionButton(label: string, iconName: string, action: string, onClick: () => void, primary = false): HTMLButtonElement {
  const b = el('button', { class: primary ? 'btn primary' : 'btn', attrs: { type: 'button', 'data-action': action } }, [icon(iconName), el('span', { text: label })]);
  b.addEventListener('click', onClick);
  return b;
}

function copyButton(what: string, text: string): HTMLButtonElement {
  const b = el('button', { class: 'btn icon-only', title: `Copy ${what}`, attrs: { type: 'button', 'data-action': 'copy', 'aria-label': `Copy ${what}` } }, [icon('copy')]);
  b.addEventListener('click', () => post({ type: 'copy', text, what }));
  return b;
}

function codeBlock(what: string, sql: string): HTMLElement {
  return el('div', { class: 'code-block' }, [el('pre', { class: 'code', text: sql }), copyButton(what, sql)]);
}

function header(message: HealthShowMessage): HTMLElement {
  const doc = message.document;
  const t = doc.target;
  const when = new Date(doc.generatedAt);
  const scope = el('label', { class: 'scope-toggle', title: 'Show table-level findings only for tables named in this workspace\'s SQL' }, [
    (() => {
      const box = el('input', { attrs: { type: 'checkbox', 'data-action': 'scope' } });
      box.checked = message.scoped;
      box.addEventListener('change', () => post({ type: 'scope', scoped: box.checked }));
      return box;
    })(),
    el('span', { text: 'Scope to this workspace' }),
  ]);
  return el('header', { class: 'report-header' }, [
    el('div', { class: 'title-row' }, [
      el('div', {}, [
        el('h1', { text: 'Database health' }),
        el('div', { class: 'target muted' }, [
          el('span', { class: 'mono', text: t.database ?? '(unknown database)' }),
          ` · PostgreSQL ${t.serverVersion ?? '?'} · ${t.connection}${t.inRecovery ? ' · standby' : ''} · ${when.toLocaleString()} · ${doc.results.length} checks in ${(doc.durationMs / 1000).toFixed(1)} s`,
        ]),
      ]),
      el('div', { class: 'actions' }, [
        scope,
        actionButton('Run again', 'refresh', 'rerun', () => post({ type: 'rerun' }), true),
        actionButton('Copy summary', 'copy', 'copy-summary', () => post({ type: 'copySummary' })),
        actionButton('Markdown', 'markdown', 'export-markdown', () => post({ type: 'export', format: 'markdown' })),
        actionButton('JSON', 'json', 'export-json', () => post({ type: 'export', format: 'json' })),
      ]),
    ]),
    message.scoped && message.scopeNote ? el('div', { class: 'scope-note' }, [icon('filter'), el('span', { text: `${message.scopeNote}${doc.scope ? ` ${doc.scope.hiddenFindings} findings on other tables are hidden.` : ''}` })]) : null,
  ]);
}

function summary(doc: ReportDocument): HTMLElement {
  const counts = el('div', { class: 'counts' }, STATUS_ORDER.map((s) =>
    el('div', { class: `count status-${s}${doc.summary.counts[s] === 0 ? ' zero' : ''}`, attrs: { 'data-status': s } }, [
      el('div', { class: 'count-value', text: String(doc.summary.counts[s]) }),
      el('div', { class: 'count-label' }, [icon(STATUS_ICONS[s]), el('span', { text: STATUS_LABELS[s] })]),
    ]),
  ));
  const top = doc.summary.topFindings;
  const limited = doc.summary.counts.limited;
  // Without warnings, a report whose checks could not see everything must not read as a clean bill.
  const quiet = limited > 0
    ? el('div', { class: 'not-all-seen' }, [icon('eye-closed'), el('span', { text: `No warnings in what could be seen, but ${limited === 1 ? '1 check was' : `${limited} checks were`} limited by the role's privileges.` })])
    : el('div', { class: 'all-good' }, [icon('pass-filled'), el('span', { text: 'No warnings: nothing needs attention right now.' })]);
  const list = top.length === 0
    ? quiet
    : el('ol', { class: 'top-findings' }, top.map((f) =>
      el('li', { class: `top-finding severity-${f.severity}`, attrs: { 'data-check-id': f.checkId } }, [
        badge(f.severity),
        el('a', { class: 'link top-check', text: f.checkTitle, attrs: { href: `#check-${f.checkId}` } }),
        el('code', { class: 'object', text: f.object }),
        el('span', { class: 'message', text: f.message }),
      ]),
    ));
  return el('section', { class: 'summary' }, [counts, el('h2', { text: 'Most important' }), list]);
}

function findingView(f: Finding): HTMLElement {
  return el('li', { class: `finding severity-${f.severity}`, attrs: { 'data-severity': f.severity } }, [
    el('div', { class: 'finding-head' }, [badge(f.severity), el('code', { class: 'object', text: f.object }), el('span', { class: 'message', text: f.message })]),
    f.remediation ? el('div', { class: 'remediation' }, [
      el('div', { class: 'remediation-text' }, [icon('lightbulb'), el('span', { text: f.remediation.text })]),
      f.remediation.sql ? codeBlock('remediation', f.remediation.sql) : null,
      f.remediation.verified ? el('div', { class: 'remediation-verified muted', attrs: { 'data-verified': '' }, text: f.remediation.verified }) : null,
    ]) : null,
  ]);
}

function tableView(table: DetailTable): HTMLElement | null {
  if (table.rows.length === 0) return null;
  const numeric = table.columns.map((c) => isNumericColumn(c.kind));
  return el('div', { class: 'detail' }, [
    table.title ? el('h4', { text: table.title }) : null,
    el('div', { class: 'table-wrap' }, [
      el('table', {}, [
        el('thead', {}, [el('tr', {}, table.columns.map((c, i) => el('th', { text: c.label, class: numeric[i] ? 'num' : '' })))]),
        el('tbody', {}, table.rows.map((r) => el('tr', {}, table.columns.map((c, i) => el('td', { text: formatCell(r[i] ?? null, c.kind), class: numeric[i] ? 'num' : '' }))))),
      ]),
    ]),
  ]);
}

function checkView(r: CheckResult): HTMLElement {
  const attention = r.status === 'critical' || r.status === 'warning' || r.status === 'error' || r.status === 'limited';
  const details = el('details', { class: `check status-${r.status}`, attrs: { id: `check-${r.id}`, 'data-check-id': r.id, 'data-status': r.status } }, [
    el('summary', {}, [
      badge(r.status),
      el('span', { class: 'check-title', text: r.title }),
      el('span', { class: 'check-summary muted', text: r.reason ?? r.summary }),
      r.findings.length > 0 ? el('span', { class: 'finding-count', text: String(r.findings.length), title: `${r.findings.length} findings` }) : null,
    ]),
    el('div', { class: 'check-body' }, [
      r.reason ? el('div', { class: 'reason' }, [icon(r.status === 'error' ? 'error' : 'info'), el('span', { text: r.reason })]) : null,
      r.fix ? el('div', { class: 'fix' }, [el('span', { class: 'fix-label', text: 'Fix' }), codeBlock('fix', r.fix)]) : null,
      r.status === 'limited' ? el('div', { class: 'limited-needs' }, [icon('eye-closed'), el('span', { text: `Limited: needs ${neededPrivileges(r.limitations).join(', ')}` })]) : null,
      r.findings.length > 0 ? el('ul', { class: 'findings' }, r.findings.map(findingView)) : null,
      ...r.limitations.map((l) => el('div', { class: 'limitation' }, [icon('eye-closed'), el('span', { text: l.reason }), l.fix ? codeBlock('fix', l.fix) : null])),
      ...r.details.map(tableView),
      r.sql.length > 0 ? el('details', { class: 'sql' }, [
        el('summary', { text: `SQL this check ran (${r.sql.length} ${r.sql.length === 1 ? 'statement' : 'statements'}, ${r.durationMs} ms)` }),
        ...r.sql.map((s) => codeBlock('SQL', s)),
      ]) : null,
      el('div', { class: 'check-foot' }, [(() => {
        const a = el('a', { class: 'link', text: 'About this check', attrs: { href: '#', 'data-action': 'docs' } });
        a.addEventListener('click', (e) => {
          e.preventDefault();
          post({ type: 'openDocs', checkId: r.id });
        });
        return a;
      })()]),
    ]),
  ]);
  details.open = attention;
  return details;
}

function categories(doc: ReportDocument): HTMLElement[] {
  return CATEGORY_ORDER.flatMap((c) => {
    const results = doc.results.filter((r) => r.category === c);
    if (results.length === 0) return [];
    const worst = STATUS_ORDER.find((s) => results.some((r) => r.status === s)) ?? 'ok';
    return [el('section', { class: 'category', attrs: { 'data-category': c } }, [
      el('h2', {}, [el('span', { text: CATEGORY_LABELS[c] }), badge(worst)]),
      ...results.map(checkView),
    ])];
  });
}

export function renderReport(root: HTMLElement, message: HealthShowMessage): void {
  const doc = message.document;
  const charts = renderCharts(reportCharts(doc));
  root.append(el('main', { class: 'report' }, [header(message), summary(doc), charts, ...categories(doc)]));
}

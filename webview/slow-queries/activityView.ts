/**
 * The Live activity tab: sessions running a statement longer than the
 * threshold, idle inside a transaction, waiting for a lock, or blocking
 * others, with Cancel and Terminate (the host asks for confirmation and
 * says why when the server refuses).
 */
import type { Session, SessionKind } from '../../src/core/stats/activity';
import type { ActivityView } from '../../src/shared/slowQueriesProtocol';
import { post } from './api';
import { clock, duration } from './format';
import { highlightInto, oneLine } from './sqlHighlight';
import { actionButton, el } from './ui';

const KIND_LABELS: Readonly<Record<SessionKind, string>> = {
  blocking: 'blocking',
  waiting: 'waiting for a lock',
  'long-running': 'long running',
  'idle-in-transaction': 'idle in transaction',
};

export class ActivityTab {
  readonly element: HTMLElement;
  private readonly header = el('div', { class: 'info-line muted' });
  private readonly list = el('div', { class: 'sessions', attrs: { role: 'list', 'aria-label': 'Sessions' } });

  constructor() {
    const refresh = actionButton('Refresh', 'refresh', 'refresh-activity', () => post({ type: 'activity' }));
    this.element = el('section', { class: 'tab-body activity' }, [el('div', { class: 'controls' }, [this.header, el('span', { class: 'spacer' }), refresh]), this.list]);
    this.header.textContent = 'Loading sessions…';
  }

  show(view: ActivityView): void {
    this.header.textContent = `Statements running ≥ ${duration(view.longRunningMs)}, sessions idle in transaction, waiting for a lock or blocking others · read ${clock(view.takenAt)}`;
    this.list.replaceChildren(...(view.sessions.length === 0 ? [el('div', { class: 'empty', text: 'Nothing to look at: no long-running statement, no session idle in transaction, no lock waits.' })] : view.sessions.map(sessionCard)));
  }

  problem(message: string): void {
    this.header.textContent = '';
    this.list.replaceChildren(el('div', { class: 'notice' }, [el('span', { class: 'codicon codicon-warning', attrs: { 'aria-hidden': 'true' } }), el('span', { text: message })]));
  }
}

function sessionCard(s: Session): HTMLElement {
  const kinds = el('span', { class: 'kinds' }, s.kinds.map((k) => el('span', { class: `pill kind kind-${k}`, text: KIND_LABELS[k] })));
  const who = [s.user && `role ${s.user}`, s.database && `db ${s.database}`, s.application && `app ${s.application}`, s.client && `from ${s.client}`].filter(Boolean).join(' · ');
  const timing = [
    s.state && `${s.state}${s.stateMs !== null ? ` for ${duration(s.stateMs)}` : ''}`,
    s.transactionMs !== null && `transaction open ${duration(s.transactionMs)}`,
    s.waitEventType && `waits on ${s.waitEventType}${s.waitEvent ? `: ${s.waitEvent}` : ''}`,
  ].filter(Boolean).join(' · ');
  const links: (HTMLElement | false)[] = [
    s.blockedBy.length > 0 && el('span', { class: 'blocked-by', text: `blocked by session ${s.blockedBy.join(', ')}` }),
    s.blocking.length > 0 && el('span', { class: 'blocking', text: `blocks session ${s.blocking.join(', ')}` }),
  ];
  const sql = el('pre', { class: 'code sql' });
  highlightInto(sql, s.hidden ? '<insufficient privilege>' : oneLine(s.query ?? '', 2000));
  const actions = s.own
    ? el('span', { class: 'muted', text: 'PG Insight' })
    : el('div', { class: 'session-actions' }, [
        actionButton('Cancel', 'debug-stop', 'cancel', () => post({ type: 'signal', action: 'cancel', pid: s.pid })),
        actionButton('Terminate', 'close', 'terminate', () => post({ type: 'signal', action: 'terminate', pid: s.pid })),
      ]);
  if (!s.canSignal && !s.own) actions.title = 'The server decides: your role may lack the privilege to signal this session.';
  return el('div', { class: 'session', attrs: { role: 'listitem', 'data-pid': String(s.pid) } }, [
    el('div', { class: 'session-head' }, [el('strong', { class: 'pid', text: `Session ${s.pid}` }), kinds, el('span', { class: 'spacer' }), actions]),
    el('div', { class: 'muted' }, [who]),
    el('div', { class: 'muted' }, [timing, ...links.filter((l): l is HTMLElement => l !== false).flatMap((l) => [' · ', l])]),
    sql,
  ]);
}

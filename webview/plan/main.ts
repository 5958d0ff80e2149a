/**
 * The plan webview: waits for the host's payload (a plan, a comparison, or
 * word that the plan is gone) and renders it. The page keeps in its state
 * what it shows (the ref, read by the host's serializer after a window
 * reload) and how it was left (tab, selected node, folded nodes), so
 * coming back to it, or reloading the window, finds it as it was.
 */
import baseCss from '../common/base.css';
import { adoptStyles, clear, el, icon } from '../common/dom';
import { getState, onHostMessage, post, setState } from '../common/vscode';
import type { PanelPayload, PanelRef } from '../../src/shared/protocol';
import { renderCompare } from './compareView';
import { listenForAdvice } from './indexAdvice';
import planCss from './plan.css';
import { renderPlan, type PlanUi } from './planView';

adoptStyles(baseCss, planCss);
const root = document.getElementById('root')!;

function sameRef(a: PanelRef | undefined, b: PanelRef): boolean {
  return a !== undefined && JSON.stringify(a) === JSON.stringify(b);
}

function render(payload: PanelPayload): void {
  const previous = getState();
  const savedUi = sameRef(previous?.ref, payload.ref) ? previous?.ui : undefined;
  clear(root);
  document.body.dataset.kind = payload.kind;
  switch (payload.kind) {
    case 'plan':
      renderPlan(root, payload, savedUi as PlanUi | undefined, (ui) => setState({ ref: payload.ref, ui }));
      break;
    case 'compare':
      setState({ ref: payload.ref });
      renderCompare(root, payload);
      break;
    case 'missing':
      setState({ ref: payload.ref });
      root.appendChild(el('div', { class: 'empty' }, [el('div', { class: 'notice' }, [icon('info'), el('span', { text: payload.message })])]));
      break;
  }
}

onHostMessage((message) => render(message.payload));
listenForAdvice();
post({ type: 'ready' });

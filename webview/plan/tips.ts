/**
 * Tips: the ranked list (largest estimated saving first, as the plan engine
 * ranks them), a tip card shared with the node details, and the one-line
 * "top tip" shown above the tree.
 */
import type { ViewTip } from '../../src/core/plan';
import { copyButton } from '../common/controls';
import { el, icon } from '../common/dom';
import { post } from '../common/vscode';

const SEVERITY_ICON = { info: 'info', warning: 'warning', critical: 'error' } as const;
const SEVERITY_TEXT = { info: 'Info', warning: 'Warning', critical: 'Critical' } as const;

export interface TipLinks {
  /** Selects the tip's node in the plan tab. */
  showNode(id: number): void;
}

export function tipCard(tip: ViewTip, rank: number | null, links: TipLinks): HTMLElement {
  const head = el('div', { class: 'tip-head' }, [
    el('span', { class: 'sev-icon', title: SEVERITY_TEXT[tip.severity] }, [icon(SEVERITY_ICON[tip.severity])]),
    rank !== null ? el('span', { class: 'tip-rank', text: `${rank}.` }) : null,
    el('span', { class: 'tip-title', text: tip.title }),
    tip.saving ? el('span', { class: 'pill saving', title: 'Estimated time this could save', text: tip.saving }) : null,
  ]);
  const node = tip.nodeId !== null && tip.nodeLabel
    ? el('div', { class: 'tip-node' }, [
      el('span', { class: 'muted', text: 'on ' }),
      linkButton(tip.nodeLabel, () => links.showNode(tip.nodeId!)),
    ])
    : null;
  const sql = tip.sql;
  return el('article', { class: `tip sev-${tip.severity}`, attrs: { 'data-tip-id': tip.id } }, [
    head,
    node,
    el('p', { class: 'tip-message', text: tip.message }),
    el('p', { class: 'tip-action' }, [el('span', { class: 'tip-action-label', text: 'Action: ' }), tip.action]),
    sql ? el('div', { class: 'tip-sql' }, [el('pre', { class: 'code', text: sql }), copyButton('SQL', () => sql)]) : null,
    el('div', { class: 'tip-foot' }, [linkButton('Learn more', () => post({ type: 'openDocs', path: tip.docs }), 'book')]),
  ]);
}

function linkButton(text: string, onClick: () => void, iconName?: string): HTMLElement {
  const b = el('button', { class: 'link', attrs: { type: 'button' } }, [iconName ? icon(iconName) : null, iconName ? ' ' : null, text]);
  b.addEventListener('click', onClick);
  return b;
}

export function tipsList(tips: readonly ViewTip[], links: TipLinks): HTMLElement {
  if (tips.length === 0) {
    return el('div', { class: 'empty' }, [
      el('p', { text: 'No tips: nothing in this plan stands out.' }),
      el('p', { class: 'muted', text: 'Tips point at what could save time (misestimates, filters that throw rows away, spills to disk…); small ones are left out.' }),
    ]);
  }
  return el('div', { class: 'tips-list' }, [
    el('p', { class: 'muted tips-intro', text: 'Ranked by the time each could save, as estimated from this plan.' }),
    ...tips.map((t, i) => tipCard(t, i + 1, links)),
  ]);
}

/** The best tip in one line, above the tree; clicking it opens the Tips tab. */
export function topTip(tips: readonly ViewTip[], openTips: () => void): HTMLElement | null {
  const tip = tips[0];
  if (!tip) return null;
  const more = tips.length > 1 ? ` (+${tips.length - 1} more)` : '';
  const b = el('button', { class: `top-tip sev-${tip.severity}`, attrs: { type: 'button', 'data-tip-id': tip.id } }, [
    el('span', { class: 'sev-icon' }, [icon('lightbulb')]),
    el('span', { class: 'top-tip-title', text: tip.title }),
    tip.nodeLabel ? el('span', { class: 'muted top-tip-node', text: `on ${tip.nodeLabel}` }) : null,
    tip.saving ? el('span', { class: 'pill saving', text: tip.saving }) : null,
    el('span', { class: 'link top-tip-more', text: `See tips${more}` }),
  ]);
  b.addEventListener('click', openTips);
  return b;
}

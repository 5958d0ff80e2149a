/**
 * The few controls the webviews share, on top of @vscode-elements (only the
 * components used are imported, to keep the bundles small).
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import type { VscodeButton } from '@vscode-elements/elements/dist/vscode-button/vscode-button.js';
import { post } from './vscode';

export interface ButtonOptions {
  readonly label: string;
  readonly icon?: string;
  readonly title?: string;
  readonly secondary?: boolean;
  /** A stable hook for tests and styles. */
  readonly action?: string;
  readonly onClick: () => void;
}

export function button(o: ButtonOptions): VscodeButton {
  const b = document.createElement('vscode-button');
  // The label in its own element, so that narrow layouts can show the icon alone (the title still says it).
  b.appendChild(Object.assign(document.createElement('span'), { className: 'btn-label', textContent: o.label }));
  b.title = o.title ?? o.label;
  if (o.icon) b.icon = o.icon;
  if (o.secondary !== false) b.secondary = true;
  if (o.action) b.dataset.action = o.action;
  b.addEventListener('click', o.onClick);
  return b;
}

/** Copies through the host (the clipboard API is not available to every webview). */
export function copyButton(what: string, text: () => string, label = 'Copy'): VscodeButton {
  return button({ label, icon: 'copy', title: `Copy ${what}`, action: `copy-${what.replace(/\W+/g, '-')}`, onClick: () => post({ type: 'copy', text: text(), what }) });
}

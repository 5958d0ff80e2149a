/**
 * Small building blocks of the slow queries page on top of the shared DOM
 * helpers (webview/common/dom.ts): buttons and the "how to fix it" steps.
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import type { VscodeButton } from '@vscode-elements/elements/dist/vscode-button/vscode-button.js';
import type { FixStep } from '../../src/core/stats/availability';
import { post } from './api';
import { el } from '../common/dom';

export { el };

export function actionButton(label: string, icon: string, action: string, onClick: () => void, secondary = true): VscodeButton {
  const b = document.createElement('vscode-button');
  b.textContent = label;
  b.icon = icon;
  b.secondary = secondary;
  b.dataset.action = action;
  b.addEventListener('click', onClick);
  return b;
}

/** Numbered steps; a statement or setting to run is shown as code with its own Copy button. */
export function fixSteps(steps: readonly FixStep[]): HTMLElement {
  return el(
    'ol',
    { class: 'fix-steps' },
    steps.map((s) =>
      el('li', {}, [
        el('div', { text: s.say }),
        s.run !== undefined &&
          el('div', { class: 'fix-run' }, [
            el('pre', { class: 'code', text: s.run }),
            actionButton('Copy', 'copy', 'copy-fix', () => post({ type: 'copyText', text: s.run ?? '' })),
          ]),
      ]),
    ),
  );
}

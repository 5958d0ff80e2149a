/**
 * The browser side of the plan render benchmark (plan-render.bench.ts
 * bundles this file with the plan webview for a real Chromium). It stands
 * in for VS Code's webview API, then times the webview's own code from the
 * host's `show` message to a forced layout and to the next frame, and, for
 * scale, a bare nested list of the same node labels built in the same page.
 */
import type { PanelPayload } from '../src/shared/protocol';

interface Figures {
  /** Payload JSON parsed, as the webview receives it from the host. */
  parse: number[];
  /** `show` dispatched to a forced layout. */
  render: number[];
  /** `show` dispatched to the next frame (custom elements updated, virtual rows built). */
  frame: number[];
  /** "Expand all" clicked to the next frame. */
  expandAll: number[];
  /** A plain nested list of the labels, to a forced layout. */
  plainList: number[];
  domElements: number;
  treeRows: number;
}

declare global {
  interface Window {
    acquireVsCodeApi(): { postMessage(m: unknown): void; getState(): unknown; setState(s: unknown): void };
    planRenderBench(payloadJson: string, runs: number): Promise<Figures>;
  }
}

// The webview's script calls acquireVsCodeApi() as it loads; this page keeps its state in memory as VS Code would.
let state: unknown;
window.acquireVsCodeApi = () => ({ postMessage: () => undefined, getState: () => state, setState: (s) => (state = s) });

const nextFrame = () => new Promise<void>((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));

function plainList(payload: PanelPayload): HTMLElement {
  const view = payload.kind === 'plan' ? payload.view : undefined;
  const root = document.createElement('ul');
  const lists = new Map<number, HTMLElement>();
  for (const n of view?.nodes ?? []) {
    const li = document.createElement('li');
    li.textContent = n.label;
    const parent = n.parentId === null ? root : lists.get(n.parentId)!;
    parent.appendChild(li);
    const ul = document.createElement('ul');
    li.appendChild(ul);
    lists.set(n.id, ul);
  }
  return root;
}

window.planRenderBench = async (payloadJson, runs) => {
  const root = document.getElementById('root')!;
  const other = document.getElementById('plain')!;
  const f: Figures = { parse: [], render: [], frame: [], expandAll: [], plainList: [], domElements: 0, treeRows: 0 };
  for (let i = 0; i < runs; i++) {
    // A new ref each time, so that no saved fold or selection from the last run is reused.
    state = undefined;
    let t = performance.now();
    const payload = JSON.parse(payloadJson) as PanelPayload;
    f.parse.push(performance.now() - t);
    t = performance.now();
    window.dispatchEvent(new MessageEvent('message', { data: { type: 'show', payload } }));
    void root.offsetHeight;
    f.render.push(performance.now() - t);
    await nextFrame();
    f.frame.push(performance.now() - t);
    const expand = root.querySelector<HTMLElement>('[data-action="expand-all"]');
    if (expand) {
      t = performance.now();
      expand.click();
      await nextFrame();
      f.expandAll.push(performance.now() - t);
    }
    f.domElements = root.querySelectorAll('*').length;
    f.treeRows = root.querySelectorAll('.tree-rows .row').length;

    other.textContent = '';
    t = performance.now();
    other.appendChild(plainList(payload));
    void other.offsetHeight;
    f.plainList.push(performance.now() - t);
    other.textContent = '';
  }
  return f;
};

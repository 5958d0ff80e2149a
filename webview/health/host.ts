/**
 * The health page's side of the host connection, typed with its own
 * protocol. (webview/common/vscode.ts is typed for the plan view and calls
 * acquireVsCodeApi() itself, which a page may do only once.)
 */
import type { HealthHostMessage, HealthWebviewMessage, HealthWebviewState } from '../../src/shared/healthProtocol';

interface VsCodeApi {
  postMessage(message: HealthWebviewMessage): void;
  getState(): HealthWebviewState | undefined;
  setState(state: HealthWebviewState): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

const api = acquireVsCodeApi();

export function post(message: HealthWebviewMessage): void {
  api.postMessage(message);
}

export function saveState(state: HealthWebviewState): void {
  api.setState(state);
}

export function onShow(handler: (message: HealthHostMessage) => void): void {
  window.addEventListener('message', (event: MessageEvent<unknown>) => {
    const data = event.data as Partial<HealthHostMessage> | null;
    if (data && typeof data === 'object' && data.type === 'show' && data.document) handler(data as HealthHostMessage);
  });
}

/**
 * The webview side of the host connection: the one `acquireVsCodeApi()`
 * handle, typed with the shared protocol, and the page's persisted state.
 */
import type { HostMessage, WebviewMessage, WebviewState } from '../../src/shared/protocol';

interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  getState(): WebviewState | undefined;
  setState(state: WebviewState): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

const api = acquireVsCodeApi();

export function post(message: WebviewMessage): void {
  api.postMessage(message);
}

export function getState(): WebviewState | undefined {
  return api.getState();
}

export function setState(state: WebviewState): void {
  api.setState(state);
}

/** Calls `handler` for each message from the host; anything without a known type is ignored. */
export function onHostMessage(handler: (message: HostMessage) => void): void {
  window.addEventListener('message', (event: MessageEvent<unknown>) => {
    const data = event.data as Partial<HostMessage> | null;
    if (data && typeof data === 'object' && data.type === 'show' && data.payload) handler(data as HostMessage);
  });
}

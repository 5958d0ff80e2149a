/**
 * The slow queries page's connection to the host: the one
 * `acquireVsCodeApi()` handle, typed with this panel's protocol, and the
 * state kept across reloads (the serializer reads `ui`).
 */
import type { SlowQueriesHostMessage, SlowQueriesUi, SlowQueriesWebviewMessage } from '../../src/shared/slowQueriesProtocol';

interface PageState {
  readonly ui: SlowQueriesUi;
}

interface VsCodeApi {
  postMessage(message: SlowQueriesWebviewMessage): void;
  getState(): PageState | undefined;
  setState(state: PageState): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

const api = acquireVsCodeApi();

export function post(message: SlowQueriesWebviewMessage): void {
  api.postMessage(message);
}

export function savedUi(): unknown {
  return api.getState();
}

export function saveUi(ui: SlowQueriesUi): void {
  api.setState({ ui });
}

const HOST_TYPES = new Set<SlowQueriesHostMessage['type']>(['statements', 'unavailable', 'problem', 'activity', 'activityProblem', 'busy', 'focus']);

export function onHostMessage(handler: (message: SlowQueriesHostMessage) => void): void {
  window.addEventListener('message', (event: MessageEvent<unknown>) => {
    const data = event.data as { type?: unknown } | null;
    if (data && typeof data === 'object' && typeof data.type === 'string' && HOST_TYPES.has(data.type as SlowQueriesHostMessage['type'])) handler(data as SlowQueriesHostMessage);
  });
}

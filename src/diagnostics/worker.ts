/**
 * The analysis in a worker thread (bundled as dist/analysisWorker.js):
 * parsing and rule checks of a large file take longer than the extension
 * host may be kept busy, so they run here. Requests are answered in order.
 */
import { parentPort } from 'node:worker_threads';
import { AnalysisEngine } from './engine';
import { fsGrammarSource } from './grammarSource';
import { handle, type AnalysisRequest } from './protocol';

const engine = new AnalysisEngine(fsGrammarSource([__dirname]));
const port = parentPort;
let queue: Promise<void> = Promise.resolve();

port?.on('message', (message: { id: number; request: AnalysisRequest }) => {
  // One request at a time: a check must see the updates sent before it.
  queue = queue.then(async () => {
    try {
      port.postMessage({ id: message.id, ok: true, result: await handle(engine, message.request) });
    } catch (e) {
      port.postMessage({ id: message.id, ok: false, error: e instanceof Error ? e.message : String(e) });
    }
  });
});

/**
 * Plan analysis in a worker thread (bundled as dist/planWorker.js): a plan
 * of thousands of nodes takes long enough to analyse that the extension
 * host, which also answers every keystroke, should not do it. One request
 * at a time; the answer is plain data (structured clone).
 */
import { parentPort } from 'node:worker_threads';
import { analysePlan } from '../core/plan';
import type { PlanContext } from '../core/plan';

parentPort?.on('message', (message: { id: number; plan: unknown; context: PlanContext }) => {
  try {
    parentPort!.postMessage({ id: message.id, ok: true, result: analysePlan(message.plan, message.context) });
  } catch (e) {
    parentPort!.postMessage({ id: message.id, ok: false, error: e instanceof Error ? e.message : String(e) });
  }
});

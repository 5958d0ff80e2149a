/**
 * The Explain feature's one instance per activation: created by
 * `registerExplain` in `activate` (which also registers the plan view's
 * serializer, so that plan panels come back after a window reload), and
 * found by the commands through `explainService(ctx)`.
 */
import * as vscode from 'vscode';
import type { Ctx } from '../context';
import { PLAN_VIEW_TYPE } from '../panels/planPanel';
import { ExplainService } from './service';

const services = new WeakMap<Ctx, ExplainService>();

export function explainService(ctx: Ctx): ExplainService {
  let service = services.get(ctx);
  if (!service) {
    service = new ExplainService(ctx);
    services.set(ctx, service);
  }
  return service;
}

export function registerExplain(ctx: Ctx): vscode.Disposable {
  const service = explainService(ctx);
  return vscode.Disposable.from(service, vscode.window.registerWebviewPanelSerializer(PLAN_VIEW_TYPE, service.panels.serializer()));
}

/** Revives a plan panel from the state its page saved, as VS Code does after a window reload (for tests). */
export function revivePlanPanel(ctx: Ctx | undefined, panel: vscode.WebviewPanel, state: unknown): Thenable<void> {
  if (!ctx) return Promise.reject(new Error('PG Insight is not active.'));
  return explainService(ctx).panels.serializer().deserializeWebviewPanel(panel, state);
}

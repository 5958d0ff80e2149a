/**
 * The code diagnostics of the editor, built once per extension context:
 * the provider (collection, index, schema cache), quick fixes, Explain
 * lenses and table hovers.
 */
import * as vscode from 'vscode';
import type { Ctx } from '../context';
import { registerCodeActions } from '../providers/codeActions';
import { registerCodeLens } from '../providers/codeLens';
import { DiagnosticsProvider } from '../providers/diagnostics';
import { TableHover } from '../providers/hover';
import { affectsDiagnostics } from './settings';

const providers = new WeakMap<Ctx, DiagnosticsProvider>();

export function diagnosticsProvider(ctx: Ctx): DiagnosticsProvider {
  let provider = providers.get(ctx);
  if (!provider) {
    provider = new DiagnosticsProvider(ctx);
    providers.set(ctx, provider);
  }
  return provider;
}

export function registerDiagnostics(ctx: Ctx): vscode.Disposable {
  const provider = diagnosticsProvider(ctx);
  const selector: vscode.DocumentSelector = [{ scheme: 'file' }, { scheme: 'untitled' }];
  const disposable = vscode.Disposable.from(
    provider,
    registerCodeActions(provider, ctx.extension.extensionUri),
    registerCodeLens(provider),
    vscode.languages.registerHoverProvider(selector, new TableHover(provider)),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (affectsDiagnostics(e)) provider.recheckOpen();
    }),
  );
  provider.start();
  return disposable;
}

/**
 * The HTML shell every PG Insight webview loads: an empty page whose only
 * content is one script bundle from dist/webview, under a strict Content
 * Security Policy. Data never goes into this HTML: it arrives later by
 * `postMessage` and the page sets it as text.
 *
 * - `default-src 'none'`: nothing loads unless named below.
 * - Scripts: only the bundle, by nonce (a fresh random one per load) and
 *   from the webview resource origin.
 * - Styles and fonts: only from the webview resource origin (the codicon
 *   stylesheet and font copied to dist/webview by esbuild.mjs). The bundle's
 *   own CSS is applied as a constructed stylesheet, which needs no inline
 *   <style>.
 * - Images: only the resource origin and data: URIs (icons drawn by the page).
 * - `localResourceRoots` is limited to dist/webview, so a page cannot read
 *   any other file of the extension or the workspace.
 */
import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';

export interface WebviewShell {
  /** The bundle's name: dist/webview/<bundle>.js, built from webview/<bundle>/main.ts. */
  readonly bundle: string;
  /** The document title (also what the tests use to find the webview). */
  readonly title: string;
}

/** The folder a webview may load from. */
export function webviewRoot(extensionUri: vscode.Uri): vscode.Uri {
  return vscode.Uri.joinPath(extensionUri, 'dist', 'webview');
}

/** Options for createWebviewPanel and for panels revived by a serializer. */
export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions & vscode.WebviewPanelOptions {
  return {
    enableScripts: true,
    enableCommandUris: false,
    localResourceRoots: [webviewRoot(extensionUri)],
    retainContextWhenHidden: false,
  };
}

export function newNonce(): string {
  return randomBytes(18).toString('base64').replace(/[^A-Za-z0-9]/g, '');
}

const escapeAttribute = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function webviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, shell: WebviewShell, nonce = newNonce()): string {
  const root = webviewRoot(extensionUri);
  const script = webview.asWebviewUri(vscode.Uri.joinPath(root, `${shell.bundle}.js`)).toString();
  const codicons = webview.asWebviewUri(vscode.Uri.joinPath(root, 'codicon.css')).toString();
  const source = webview.cspSource;
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${nonce}' ${source}`,
    `style-src ${source}`,
    `font-src ${source}`,
    `img-src ${source} data:`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttribute(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" id="vscode-codicon-stylesheet" href="${escapeAttribute(codicons)}" nonce="${nonce}">
<title>${escapeAttribute(shell.title)}</title>
</head>
<body>
<div id="root" aria-live="polite"></div>
<script nonce="${nonce}" src="${escapeAttribute(script)}"></script>
</body>
</html>`;
}

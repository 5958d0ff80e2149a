/**
 * The plan webview panels: one per explained statement (a new plan of the
 * same statement replaces the old one in its panel), and one for
 * comparisons. A panel knows only what it shows (a PanelRef); the payload
 * is built by the host when the page asks for it, so a panel that was
 * hidden, or restored after a window reload by the serializer, renders from
 * the history like a new one.
 */
import * as vscode from 'vscode';
import {
  isIndexAdviceRequest, isWebviewMessage, panelRefOf,
  type HostMessage, type IndexAdviceMessage, type IndexAdviceRequest, type IndexAdviceView, type PanelPayload, type PanelRef, type WebviewMessage,
} from '../shared/protocol';
import { displayValues } from '../core/text/databaseText';
import { webviewHtml, webviewOptions } from './html';

export const PLAN_VIEW_TYPE = 'pgInsight.plan';
const BUNDLE = 'plan';

/** What the panels need from the explain feature. */
export interface PlanPanelHost {
  /** The payload for a ref (a 'missing' payload when the plan is gone), from the plan's analysis. */
  payload(ref: PanelRef): PanelPayload;
  /** Groups panels: refs with the same key share one panel. */
  panelKey(ref: PanelRef): string;
  /** The panel's tab title. */
  panelTitle(ref: PanelRef): string;
  onMessage(message: WebviewMessage, panel: PlanPanel): Promise<void>;
}

/**
 * The index advice of plans: sent after the payload (verification takes a
 * moment, and the plan should not wait for it), again whenever the page is
 * recreated, and the page's advice requests go back to it.
 */
export interface IndexAdviceHost {
  view(recordId: string): IndexAdviceView | undefined;
  onRequest(request: IndexAdviceRequest, panel: PlanPanel): Promise<void>;
}

export class PlanPanel implements vscode.Disposable {
  private ready = false;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    readonly panel: vscode.WebviewPanel,
    private refValue: PanelRef,
    private readonly host: PlanPanelHost,
    private readonly extensionUri: vscode.Uri,
    onDispose: (p: PlanPanel) => void,
    private readonly advice: () => IndexAdviceHost | undefined = () => undefined,
  ) {
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'icon.png');
    this.disposables.push(
      panel.webview.onDidReceiveMessage((m: unknown) => this.receive(m)),
      panel.onDidDispose(() => {
        onDispose(this);
        this.dispose();
      }),
    );
    this.load();
  }

  get ref(): PanelRef {
    return this.refValue;
  }

  get key(): string {
    return this.host.panelKey(this.refValue);
  }

  /** Shows another ref in this panel and brings it to the front. */
  show(ref: PanelRef, preserveFocus = false): void {
    this.refValue = ref;
    this.panel.title = this.host.panelTitle(ref);
    this.panel.reveal(undefined, preserveFocus);
    if (this.ready) this.post();
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
  }

  /** Sends index advice to the page when it shows that plan. */
  postAdvice(view: IndexAdviceView): void {
    if (!this.ready || this.refValue.kind !== 'plan' || this.refValue.recordId !== view.recordId) return;
    const message: IndexAdviceMessage = { type: 'indexAdvice', advice: view };
    void this.panel.webview.postMessage(displayValues(message));
  }

  /** A fresh page: the HTML holds no data, the script asks for it with 'ready'. */
  private load(): void {
    this.ready = false;
    this.panel.title = this.host.panelTitle(this.refValue);
    const title = this.refValue.kind === 'compare' ? 'PG Insight Compare' : 'PG Insight Plan';
    this.panel.webview.html = webviewHtml(this.panel.webview, this.extensionUri, { bundle: BUNDLE, title });
  }

  private post(): void {
    const ref = this.refValue;
    let payload: PanelPayload;
    try {
      payload = this.host.payload(ref);
    } catch (e) {
      payload = { kind: 'missing', ref, message: `This plan cannot be shown: ${e instanceof Error ? e.message : String(e)}` };
    }
    // Relation, index and column names, filters and messages in a plan come from the database:
    // the page shows them with credentials redacted and bidi controls spelled out.
    const message: HostMessage = { type: 'show', payload };
    void this.panel.webview.postMessage(displayValues(message));
    const advice = ref.kind === 'plan' ? this.advice()?.view(ref.recordId) : undefined;
    if (advice) this.postAdvice(advice);
  }

  private async receive(message: unknown): Promise<void> {
    if (isIndexAdviceRequest(message)) {
      await this.advice()?.onRequest(message, this);
      return;
    }
    if (!isWebviewMessage(message)) return;
    if (message.type === 'ready') {
      // Also after the page was recreated (hidden and shown again): send what it shows.
      this.ready = true;
      this.post();
      return;
    }
    await this.host.onMessage(message, this);
  }
}

export class PlanPanels implements vscode.Disposable {
  private readonly open = new Set<PlanPanel>();
  private adviceHost: IndexAdviceHost | undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly host: PlanPanelHost,
  ) {}

  /** Shows `ref` in the panel of its key, or in a new panel beside the editor. */
  show(ref: PanelRef, options: { readonly preserveFocus?: boolean } = {}): PlanPanel {
    const key = this.host.panelKey(ref);
    const existing = [...this.open].find((p) => p.key === key);
    if (existing) {
      existing.show(ref, options.preserveFocus);
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(
      PLAN_VIEW_TYPE,
      this.host.panelTitle(ref),
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: options.preserveFocus ?? false },
      webviewOptions(this.extensionUri),
    );
    return this.adopt(panel, ref);
  }

  /** Where index advice comes from; set once by the explain feature. */
  setAdviceHost(host: IndexAdviceHost): void {
    this.adviceHost = host;
  }

  /** Sends index advice to the panels showing its plan. */
  postAdvice(view: IndexAdviceView): void {
    for (const p of this.open) p.postAdvice(view);
  }

  /** The panels open now (for tests and for refreshing after a history change). */
  panels(): readonly PlanPanel[] {
    return [...this.open];
  }

  /** Revives panels after a window reload, from the ref the page kept in its state. */
  serializer(): vscode.WebviewPanelSerializer {
    return {
      deserializeWebviewPanel: (panel: vscode.WebviewPanel, state: unknown) => {
        // VS Code restores the options the panel had; setting them again would load the page twice.
        if (!panel.webview.options.enableScripts) panel.webview.options = webviewOptions(this.extensionUri);
        const ref = panelRefOf(state) ?? { kind: 'plan', recordId: '' };
        this.adopt(panel, ref);
        return Promise.resolve();
      },
    };
  }

  dispose(): void {
    for (const p of [...this.open]) p.panel.dispose();
    this.open.clear();
  }

  private adopt(panel: vscode.WebviewPanel, ref: PanelRef): PlanPanel {
    const p = new PlanPanel(panel, ref, this.host, this.extensionUri, (gone) => this.open.delete(gone), () => this.adviceHost);
    this.open.add(p);
    return p;
  }
}

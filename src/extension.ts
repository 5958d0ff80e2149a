/**
 * PG Insight's entry point: builds the context object once, registers the
 * commands and providers, and returns a small API used by the tests.
 *
 * Activation stays fast: discovery reads settings and `.env` files in the
 * background, and the connection remembered for this workspace (if any) is
 * re-established after that, also in the background; `activate` itself never
 * waits for the network.
 */
import * as vscode from 'vscode';
import { performance } from 'node:perf_hooks';
import { registerCommands } from './commands';
import { slowQueriesPanels } from './commands/showSlowQueries';
import { affectsLimits, config } from './config';
import { Discovery } from './connections/discovery';
import { ConnectionManager } from './connections/manager';
import { passwordUi } from './connections/passwordUi';
import { Passwords } from './connections/passwords';
import { pgpassLookup } from './connections/pgpassFile';
import { createCtx, type Ctx } from './context';
import { healthPanels } from './commands/healthReport';
import { createDatabase } from './db';
import { diagnosticsProvider, registerDiagnostics } from './diagnostics';
import { registerExplain, revivePlanPanel } from './explain';
import { Log } from './log';
import { ConnectionsView } from './providers/connectionsView';
import { registerSlowQueriesView } from './providers/slowQueriesView';
import { trackContextKeys } from './providers/contextKeys';
import { registerStatementLens } from './providers/statementLens';
import { SLOW_QUERIES_VIEW_TYPE } from './panels/slowQueriesPanel';
import { HEALTH_VIEW_TYPE } from './panels/healthPanel';
import type { HealthWebviewState } from './shared/healthProtocol';
import { Notifier } from './providers/notifications';
import { ConnectionStatusBar } from './providers/statusBar';
import type { StatusView } from './providers/statusView';

/** What `activate` returns: enough for the tests to observe the extension as a user would. */
export interface PgInsightApi {
  readonly connections: ConnectionManager;
  /** Reads every connection source again and returns the new list. */
  refreshConnections(): Promise<readonly unknown[]>;
  /** The status bar item's current text, tooltip and warning flag. */
  statusBar(): StatusView;
  /** Recent log lines, redacted as written to the "PG Insight" log. */
  logLines(): string[];
  /** Recent notifications shown to the user, redacted. */
  notifications(): string[];
  /** Stores a password in SecretStorage for a profile, as "Save Password" does. */
  savePassword(profileId: string, password: string): Promise<void>;
  /** Ids of the profiles with a password in SecretStorage. */
  savedPasswordIds(): string[];
  /** Revives a plan panel from its page's saved state, as VS Code does after a window reload. */
  revivePlanPanel(panel: vscode.WebviewPanel, state: unknown): Thenable<void>;
  /** Hands a bare health report panel and a saved page state to the serializer, as a window reload does. */
  reviveHealthPanel(panel: vscode.WebviewPanel, state: unknown): Thenable<void>;
}

let ctx: Ctx | undefined;

export function activate(extension: vscode.ExtensionContext): PgInsightApi {
  const started = performance.now();
  const log = new Log(vscode.window.createOutputChannel('PG Insight', { log: true }));
  extension.subscriptions.push(log);
  const notify = new Notifier(log);
  const passwords = new Passwords(extension.secrets, extension.globalState, pgpassLookup(log), log);
  const connections = new ConnectionManager({
    factory: createDatabase,
    limits: () => config().limits,
    log,
    passwords,
    workspaceState: extension.workspaceState,
    ui: passwordUi,
  });
  let firstRead = true;
  const discovery = new Discovery(
    log,
    (profiles) => {
      connections.setProfiles(profiles);
      // The remembered connection can be restored once the list is known.
      if (firstRead) {
        firstRead = false;
        connections.restore();
      }
    },
    () => connections.restore(),
  );
  ctx = createCtx({ extension, log, notify, connections, passwords, discovery });
  const health = healthPanels(ctx);

  const statusBar = new ConnectionStatusBar(connections);
  extension.subscriptions.push(
    discovery,
    statusBar,
    new ConnectionsView(ctx),
    trackContextKeys(connections),
    ...registerCommands(ctx),
    vscode.window.registerWebviewPanelSerializer(HEALTH_VIEW_TYPE, health.serializer()),
    registerExplain(ctx),
    registerDiagnostics(ctx),
    vscode.window.registerWebviewPanelSerializer(SLOW_QUERIES_VIEW_TYPE, slowQueriesPanels(ctx).serializer()),
    registerStatementLens(ctx, diagnosticsProvider(ctx), slowQueriesPanels(ctx)),
    registerSlowQueriesView(ctx, slowQueriesPanels(ctx)),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (affectsLimits(e)) connections.limitsChanged();
    }),
  );
  void discovery.refresh();
  log.info(`PG Insight ${String((extension.extension.packageJSON as { version?: unknown }).version)} activated in ${(performance.now() - started).toFixed(1)} ms.`);

  return {
    connections,
    refreshConnections: () => discovery.refresh(),
    statusBar: () => statusBar.view(),
    logLines: () => log.lines(),
    notifications: () => notify.messages(),
    savePassword: (profileId, password) => passwords.save(profileId, password),
    savedPasswordIds: () => passwords.savedIds(),
    revivePlanPanel: (panel, state) => revivePlanPanel(ctx, panel, state),
    reviveHealthPanel: (panel, state) => health.serializer().deserializeWebviewPanel(panel, state as HealthWebviewState),
  };
}

/** Ends the pool of the active connection; VS Code waits for the returned promise. */
export async function deactivate(): Promise<void> {
  const current = ctx;
  ctx = undefined;
  await current?.connections.dispose();
}

/**
 * The context handed to every command and provider factory: the services
 * the extension builds once in `activate`. Settings are not in here as
 * values: `config(scope)` reads them fresh for the resource at hand.
 */
import type * as vscode from 'vscode';
import { config, type Config } from './config';
import type { Discovery } from './connections/discovery';
import type { ConnectionManager } from './connections/manager';
import type { Passwords } from './connections/passwords';
import type { Log } from './log';
import type { Notifier } from './providers/notifications';

export interface Ctx {
  readonly extension: vscode.ExtensionContext;
  readonly log: Log;
  readonly notify: Notifier;
  readonly connections: ConnectionManager;
  readonly passwords: Passwords;
  readonly discovery: Discovery;
  config(scope?: vscode.ConfigurationScope): Config;
}

export function createCtx(parts: Omit<Ctx, 'config'>): Ctx {
  return { ...parts, config };
}

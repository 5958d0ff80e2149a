/**
 * Notifications shown by the extension. Every text passes through the log's
 * redaction and `notificationText` (no links made of database text, bidi
 * controls spelled out), and the latest ones are kept so the test API can
 * check what a user was told without reading the workbench.
 */
import * as vscode from 'vscode';
import { notificationText } from '../core/text/notification';
import type { Log } from '../log';

const KEEP = 50;

export class Notifier {
  private readonly recent: string[] = [];

  constructor(private readonly log: Log) {}

  info<T extends string>(message: string, ...actions: T[]): Thenable<T | undefined> {
    return vscode.window.showInformationMessage(this.record('info', message), ...actions);
  }

  warn<T extends string>(message: string, ...actions: T[]): Thenable<T | undefined> {
    return vscode.window.showWarningMessage(this.record('warn', message), ...actions);
  }

  error<T extends string>(message: string, ...actions: T[]): Thenable<T | undefined> {
    return vscode.window.showErrorMessage(this.record('error', message), ...actions);
  }

  /** The latest messages, oldest first, as `[level] text`. */
  messages(): string[] {
    return [...this.recent];
  }

  private record(level: string, message: string): string {
    const clean = notificationText(this.log.redact(message));
    this.recent.push(`[${level}] ${clean}`);
    if (this.recent.length > KEEP) this.recent.shift();
    return clean;
  }
}

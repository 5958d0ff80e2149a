/**
 * The "PG Insight" log. Every line, whatever its origin (the database
 * runner, connection management, a failure), passes through `redact` with
 * the passwords the extension currently knows, so a password cannot reach
 * the output channel even if some message quotes one.
 *
 * Lines quote database text (error messages, names): bidirectional
 * controls in them are spelled out (`\u202E`) so a line reads as it is.
 *
 * The most recent lines are also kept in memory (already redacted): the
 * extension's test API exposes them so a test can prove the log is clean.
 */
import type * as vscode from 'vscode';
import { redact } from './core/connection/redact';
import { showBidiControls } from './core/text/bidi';
import type { DbLog } from './db/types';

/** The part of vscode.LogOutputChannel the log writes to (a fake in unit tests). */
export type LogSink = Pick<vscode.LogOutputChannel, 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'show' | 'dispose'>;

const KEEP_LINES = 1000;

export class Log implements DbLog {
  private readonly recent: string[] = [];
  private readonly secrets = new Set<string>();

  constructor(private readonly sink: LogSink) {}

  /** Registers a password so that it is redacted from every later line. */
  addSecret(secret: string | undefined): void {
    if (secret) this.secrets.add(secret);
  }

  /** Redacts text with the same rules as log lines (for notifications). */
  redact(text: string): string {
    return redact(text, this.secrets);
  }

  statement(firstLine: string, durationMs: number, rowCount: number | null): void {
    const rows = rowCount === null ? '' : `, ${rowCount} row${rowCount === 1 ? '' : 's'}`;
    this.write('info', `${firstLine} (${durationMs.toFixed(1)} ms${rows})`);
  }

  debug(message: string): void {
    this.write('debug', message);
  }

  info(message: string): void {
    this.write('info', message);
  }

  warn(message: string): void {
    this.write('warn', message);
  }

  error(message: string): void {
    this.write('error', message);
  }

  /** The most recent lines, oldest first, as written (redacted). */
  lines(): string[] {
    return [...this.recent];
  }

  show(): void {
    this.sink.show(true);
  }

  dispose(): void {
    this.sink.dispose();
  }

  private write(level: 'debug' | 'info' | 'warn' | 'error', message: string): void {
    const clean = showBidiControls(this.redact(message));
    this.recent.push(`[${level}] ${clean}`);
    if (this.recent.length > KEEP_LINES) this.recent.splice(0, this.recent.length - KEEP_LINES);
    this.sink[level](clean);
  }
}

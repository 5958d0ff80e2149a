/**
 * Text that comes from a database (names, statements of other sessions,
 * settings, error messages) is written by whoever can write to that
 * database. Before it becomes part of anything shown or saved it loses the
 * credentials it may quote (a connection URL in another session's
 * statement, `password=...` in a setting) and its bidirectional controls
 * are spelled out.
 */
import { redact } from '../connection/redact';
import { showBidiControls } from './bidi';

/** Database text made fit to show: credentials redacted, bidirectional controls visible. */
export function displayText(text: string): string {
  return showBidiControls(redact(text));
}

/**
 * Every string of a value read from the database, at any depth (rows,
 * arrays of names, JSON columns), passed through `displayText`; everything
 * else is kept as is. Dates and other class instances are left alone.
 */
export function displayValues<T>(value: T): T {
  return clean(value) as T;
}

function clean(value: unknown): unknown {
  if (typeof value === 'string') return displayText(value);
  if (Array.isArray(value)) return value.map(clean);
  if (isPlainObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, clean(v)]));
  }
  return value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

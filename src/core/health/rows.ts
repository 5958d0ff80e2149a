/**
 * Reading values out of driver rows. The driver returns bigint and numeric as
 * strings, and the database layer may configure other type parsers, so every
 * check goes through these instead of trusting a JavaScript type.
 */
import type { Row } from './types';

/** A number, or null for SQL NULL and anything that is not numeric. */
export function num(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value);
    return Number.isFinite(n) ? n : null;
  }
  return null;
}

/** A number, with NULL read as 0 (counters that are NULL before first use). */
export function num0(value: unknown): number {
  return num(value) ?? 0;
}

export function str(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

export function text(value: unknown, fallback = ''): string {
  return str(value) ?? fallback;
}

/** Booleans arrive as true/false, or as 't'/'f' from text protocols. */
export function bool(value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') return value === 't' || value === 'true';
  return false;
}

/** The first row, or an empty row so field reads give NULL. */
export function first(rows: readonly Row[] | undefined): Row {
  return rows?.[0] ?? {};
}

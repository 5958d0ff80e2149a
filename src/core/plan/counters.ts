/**
 * Buffer, I/O timing and WAL counters read from a node. PostgreSQL reports
 * them as totals over all loops and workers, inclusive of the node's
 * children, so only subtraction is needed to get a node's own share.
 */
import type { RawBufferCounters, RawWalCounters } from './model';

export interface Buffers {
  sharedHit: number;
  sharedRead: number;
  sharedDirtied: number;
  sharedWritten: number;
  localHit: number;
  localRead: number;
  localDirtied: number;
  localWritten: number;
  tempRead: number;
  tempWritten: number;
}

/** ms. Servers before 17 report shared and local together: those land in the shared fields. */
export interface IoTimings {
  sharedRead: number;
  sharedWrite: number;
  localRead: number;
  localWrite: number;
  tempRead: number;
  tempWrite: number;
}

export interface Wal {
  records: number;
  fpi: number;
  bytes: number;
  buffersFull: number;
}

const BUFFER_KEYS: ReadonlyArray<readonly [keyof Buffers, keyof RawBufferCounters]> = [
  ['sharedHit', 'Shared Hit Blocks'],
  ['sharedRead', 'Shared Read Blocks'],
  ['sharedDirtied', 'Shared Dirtied Blocks'],
  ['sharedWritten', 'Shared Written Blocks'],
  ['localHit', 'Local Hit Blocks'],
  ['localRead', 'Local Read Blocks'],
  ['localDirtied', 'Local Dirtied Blocks'],
  ['localWritten', 'Local Written Blocks'],
  ['tempRead', 'Temp Read Blocks'],
  ['tempWritten', 'Temp Written Blocks'],
];

export function hasBuffers(raw: RawBufferCounters): boolean {
  return BUFFER_KEYS.some(([, key]) => raw[key] !== undefined);
}

export function readBuffers(raw: RawBufferCounters): Buffers {
  const b = emptyBuffers();
  for (const [field, key] of BUFFER_KEYS) b[field] = raw[key] ?? 0;
  return b;
}

export function emptyBuffers(): Buffers {
  return { sharedHit: 0, sharedRead: 0, sharedDirtied: 0, sharedWritten: 0, localHit: 0, localRead: 0, localDirtied: 0, localWritten: 0, tempRead: 0, tempWritten: 0 };
}

export function hasIoTimings(raw: RawBufferCounters): boolean {
  return ['Shared I/O Read Time', 'I/O Read Time', 'Temp I/O Read Time', 'Local I/O Read Time'].some((k) => raw[k as keyof RawBufferCounters] !== undefined);
}

export function readIoTimings(raw: RawBufferCounters): IoTimings {
  return {
    sharedRead: raw['Shared I/O Read Time'] ?? raw['I/O Read Time'] ?? 0,
    sharedWrite: raw['Shared I/O Write Time'] ?? raw['I/O Write Time'] ?? 0,
    localRead: raw['Local I/O Read Time'] ?? 0,
    localWrite: raw['Local I/O Write Time'] ?? 0,
    tempRead: raw['Temp I/O Read Time'] ?? 0,
    tempWrite: raw['Temp I/O Write Time'] ?? 0,
  };
}

export function emptyIoTimings(): IoTimings {
  return { sharedRead: 0, sharedWrite: 0, localRead: 0, localWrite: 0, tempRead: 0, tempWrite: 0 };
}

export function hasWal(raw: RawWalCounters): boolean {
  return raw['WAL Records'] !== undefined;
}

export function readWal(raw: RawWalCounters): Wal {
  return { records: raw['WAL Records'] ?? 0, fpi: raw['WAL FPI'] ?? 0, bytes: raw['WAL Bytes'] ?? 0, buffersFull: raw['WAL Buffers Full'] ?? 0 };
}

/** Blocks read from shared and local buffers (hits and reads): what a scan touched. */
export function blocksTouched(b: Buffers): number {
  return b.sharedHit + b.sharedRead + b.localHit + b.localRead;
}

export function totalIoMs(io: IoTimings): number {
  return io.sharedRead + io.sharedWrite + io.localRead + io.localWrite + io.tempRead + io.tempWrite;
}

/** Field-wise arithmetic over records of numbers (Buffers, IoTimings, Wal). */
export function combine<T extends object>(a: T, b: T, f: (x: number, y: number) => number): T {
  const out = { ...a } as Record<string, number>;
  const right = b as Record<string, number>;
  for (const key of Object.keys(out)) out[key] = f(out[key] ?? 0, right[key] ?? 0);
  return out as T;
}

export function scale<T extends object>(a: T, factor: number): T {
  return combine(a, a, (x) => x * factor);
}

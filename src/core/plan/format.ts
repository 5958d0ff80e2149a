/**
 * Numbers as the plan view and the tip messages show them. Deterministic
 * (no locale): the same plan reads the same on every machine and in tests.
 */

/** "0.042 ms", "3.21 ms", "45.6 ms", "1.23 s", "2 min 5 s". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '–';
  if (ms < 1) return `${ms.toFixed(3)} ms`;
  if (ms < 10) return `${ms.toFixed(2)} ms`;
  if (ms < 1000) return `${ms.toFixed(1)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(2)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms - minutes * 60_000) / 1000)} s`;
}

/** Thousands separators; fractions (per-loop averages) keep two decimals. */
export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return '–';
  const rounded = Math.round(n * 100) / 100;
  const [whole, fraction] = Math.abs(rounded).toFixed(Number.isInteger(rounded) ? 0 : 2).split('.');
  const grouped = whole!.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return (rounded < 0 ? '-' : '') + grouped + (fraction ? `.${fraction}` : '');
}

/** "1.2k", "3.4M", "12": for narrow columns. */
export function formatCompact(n: number): string {
  const abs = Math.abs(n);
  if (abs < 1000) return formatCount(Math.round(n * 100) / 100);
  for (const [limit, suffix] of [[1e12, 'T'], [1e9, 'G'], [1e6, 'M'], [1e3, 'k']] as const) {
    if (abs >= limit) {
      const v = n / limit;
      return `${Math.abs(v) < 10 ? v.toFixed(1) : Math.round(v)}${suffix}`;
    }
  }
  return String(n);
}

/** 1024-based, with PostgreSQL's unit names: "512 B", "8.0 kB", "10.0 MB". */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return '–';
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let v = bytes;
  let u = 0;
  while (Math.abs(v) >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${Math.round(v)} B` : `${v.toFixed(1)} ${units[u]}`;
}

export function formatKb(kb: number): string {
  return formatBytes(kb * 1024);
}

/** 8 kB pages: "2,858 (22.3 MB)". */
export function formatBlocks(blocks: number): string {
  return `${formatCount(blocks)} (${formatBytes(blocks * 8192)})`;
}

/** A 0..1 share as "45.2%", "<0.1%" for tiny non-zero shares. */
export function formatShare(share: number): string {
  if (!Number.isFinite(share)) return '–';
  if (share > 0 && share < 0.001) return '<0.1%';
  return `${(share * 100).toFixed(1)}%`;
}

/** "12×", "1,000×", "1.5×". */
export function formatFactor(factor: number): string {
  return factor < 10 ? `${(Math.round(factor * 10) / 10).toString()}×` : `${formatCount(Math.round(factor))}×`;
}

export function formatCost(cost: number): string {
  const [whole, fraction] = cost.toFixed(2).split('.');
  return `${whole!.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${fraction}`;
}

/**
 * Numbers as people read them in summaries and messages. Detail tables keep
 * raw numbers; only sentences are formatted here.
 */

const UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'];

/** 1536 -> "1.5 kB" (binary multiples, as PostgreSQL's pg_size_pretty). */
export function formatBytes(bytes: number): string {
  let value = Math.abs(bytes);
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = unit === 0 || value >= 100 ? 0 : value >= 10 ? 1 : 2;
  const shown = Number(value.toFixed(digits));
  return `${bytes < 0 ? '-' : ''}${shown} ${UNITS[unit]}`;
}

/** 90 -> "1 min 30 s", 5400 -> "1 h 30 min", 200000 -> "2 days 7 h". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return join(Math.floor(s / 60), 'min', s % 60, 's');
  if (s < 86400) return join(Math.floor(s / 3600), 'h', Math.floor((s % 3600) / 60), 'min');
  const days = Math.floor(s / 86400);
  return join(days, days === 1 ? 'day' : 'days', Math.floor((s % 86400) / 3600), 'h');
}

function join(a: number, aUnit: string, b: number, bUnit: string): string {
  return b === 0 ? `${a} ${aUnit}` : `${a} ${aUnit} ${b} ${bUnit}`;
}

/** 99.456 -> "99.5 %", 0.01 -> "0.01 %". Small shares keep two decimals so they do not read as zero. */
export function formatPercent(percent: number): string {
  const digits = percent !== 0 && Math.abs(percent) < 1 ? 2 : 1;
  return `${Number(percent.toFixed(digits))} %`;
}

/** 1234567 -> "1,234,567". */
export function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** "1 index", "3 indexes". */
export function plural(n: number, one: string, many: string): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

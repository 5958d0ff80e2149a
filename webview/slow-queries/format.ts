/** Figures as the table shows them: short, with their unit, and a dash for "not tracked". */

export const DASH = '—';

export function ms(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return DASH;
  if (value === 0) return '0 ms';
  if (value < 1) return `${value.toFixed(3)} ms`;
  if (value < 10) return `${value.toFixed(2)} ms`;
  if (value < 1000) return `${value.toFixed(1)} ms`;
  if (value < 60_000) return `${(value / 1000).toFixed(2)} s`;
  if (value < 3_600_000) return `${(value / 60_000).toFixed(1)} min`;
  return `${(value / 3_600_000).toFixed(1)} h`;
}

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });

export function count(value: number | null): string {
  return value === null || !Number.isFinite(value) ? DASH : integer.format(value);
}

export function decimal(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return DASH;
  return value !== 0 && Math.abs(value) < 10 ? value.toFixed(value < 1 ? 2 : 1) : oneDecimal.format(value);
}

export function percent(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return DASH;
  return value > 0 && value < 0.1 ? '<0.1 %' : `${value.toFixed(1)} %`;
}

export function ratio(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return DASH;
  const p = value * 100;
  return p < 100 && p >= 99.95 ? '99.9 %' : `${p.toFixed(1)} %`;
}

export function bytes(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return DASH;
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let v = value;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return i === 0 ? `${v} B` : `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}

export function perMin(value: number | null, unit: (v: number | null) => string = decimal): string {
  return value === null ? DASH : `${unit(value)}/min`;
}

/** "14:03:12", or with the date when it is not today. */
export function clock(epochMs: number | null): string {
  if (epochMs === null) return DASH;
  const d = new Date(epochMs);
  const time = d.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  return d.toDateString() === new Date().toDateString() ? time : `${d.toLocaleDateString('en-CA')} ${time}`;
}

/** "3 min 12 s" */
export function duration(valueMs: number | null): string {
  if (valueMs === null) return DASH;
  const s = Math.floor(valueMs / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  const h = Math.floor(m / 60);
  return `${h} h ${m % 60} min`;
}

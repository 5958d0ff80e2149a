/**
 * How report values read, shared by the webview, the exports and the CLI so
 * a number looks the same everywhere: detail cells by their column kind,
 * category names, and the order categories appear in.
 */
import { formatBytes, formatCount, formatDuration, formatPercent } from './format';
import type { CellValue, CheckCategory, DetailColumn } from './types';

export const CATEGORY_LABELS: Readonly<Record<CheckCategory, string>> = {
  activity: 'Activity',
  replication: 'Replication',
  indexes: 'Indexes',
  performance: 'Performance',
  maintenance: 'Maintenance',
  schema: 'Schema',
  storage: 'Storage',
  configuration: 'Configuration',
};

export const CATEGORY_ORDER: readonly CheckCategory[] = [
  'activity', 'replication', 'schema', 'indexes', 'performance', 'maintenance', 'storage', 'configuration',
];

/** One detail cell as text; an empty cell is an empty string, not "null". */
export function formatCell(value: CellValue, kind: DetailColumn['kind']): string {
  if (value === null) return '';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'string') return value;
  switch (kind) {
    case 'bytes':
      return formatBytes(value);
    case 'percent':
      return formatPercent(value);
    case 'seconds':
      return formatDuration(value);
    case 'number':
      return Number.isInteger(value) ? formatCount(value) : value.toLocaleString('en-US', { maximumFractionDigits: 2 });
    case 'timestamp':
    case 'text':
    case undefined:
      return String(value);
  }
}

/** Right-aligned columns: the numeric kinds. */
export function isNumericColumn(kind: DetailColumn['kind']): boolean {
  return kind === 'number' || kind === 'bytes' || kind === 'percent' || kind === 'seconds';
}

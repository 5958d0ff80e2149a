/**
 * The Markdown of the table hover, pure so that it is unit tested without an
 * editor. Every name, key, method and predicate comes from the schema (the
 * live catalog or the workspace's migrations) and so may hold anything: each
 * is shown with its bidirectional controls spelled out and escaped for
 * Markdown, so `[x](https://…)` in an index predicate stays text and
 * `![x](…)` loads nothing.
 */
import { showBidiControls } from '../core/text/bidi';
import { escapeMarkdown, markdownCode } from '../core/text/markdown';
import type { TableInfo } from '../core/schema/model';

const text = (value: string) => escapeMarkdown(showBidiControls(value));
const code = (value: string) => markdownCode(showBidiControls(value));

export function tableHoverMarkdown(table: TableInfo): string {
  const rows = table.rowEstimate === null ? 'row count unknown (no database connected)' : `≈${Math.round(table.rowEstimate).toLocaleString('en-US')} rows (estimate)`;
  const lines = [`**${text(`${table.schema}.${table.name}`)}** — ${rows}, ${table.columns.length} columns`, ''];
  if (table.indexes.length === 0) lines.push('No indexes.');
  else {
    lines.push('Indexes:', '');
    for (const i of table.indexes) {
      const keys = i.keys.map((k) => (k.kind === 'column' ? k.column : k.text) + (k.descending ? ' DESC' : '')).join(', ');
      const flags = [i.primary ? 'primary key' : i.unique ? 'unique' : '', i.valid ? '' : 'INVALID', i.predicate ? `WHERE ${i.predicate}` : ''].filter(Boolean).join(', ');
      lines.push(`- ${code(i.name)} ${text(i.method)} ${text(`(${keys})`)}${flags ? ` — ${text(flags)}` : ''}`);
    }
  }
  return lines.join('\n');
}

/**
 * The report as text to save or paste: Markdown (for a pull request or a
 * wiki page), JSON (for tools; the document as is), plain text (the CLI's
 * default) and a short summary for the clipboard.
 *
 * Names in a report come from the database and may contain anything, so the
 * Markdown escapes them: a table called `<img src=x onerror=…>` must print as
 * those characters on a rendered page, never become an element. (Credentials
 * and bidirectional controls were dealt with when the rows arrived, in
 * run.ts.)
 */
import { escapeMarkdown, markdownCode, markdownCodeBlock } from '../text/markdown';
import { neededPrivileges } from './outcome';
import { limitedResults, STATUS_LABELS, STATUS_ORDER, type ReportDocument } from './report';
import { CATEGORY_LABELS, CATEGORY_ORDER, formatCell } from './reportFormat';
import type { CheckResult, DetailTable } from './types';

export function renderJson(doc: ReportDocument): string {
  return `${JSON.stringify(doc, null, 2)}\n`;
}

function countsLine(doc: ReportDocument): string {
  return STATUS_ORDER.filter((s) => doc.summary.counts[s] > 0)
    .map((s) => `${doc.summary.counts[s]} ${STATUS_LABELS[s].toLowerCase()}`)
    .join(', ');
}

function targetLine(doc: ReportDocument): string {
  const t = doc.target;
  const server = t.serverVersion ? `PostgreSQL ${t.serverVersion}` : 'server unknown';
  return `${t.database ?? '(unknown database)'} on ${server} (${t.connection})${t.inRecovery ? ', a standby' : ''}`;
}

function ordered(doc: ReportDocument): { label: string; results: CheckResult[] }[] {
  return CATEGORY_ORDER.map((c) => ({ label: CATEGORY_LABELS[c], results: doc.results.filter((r) => r.category === c) })).filter((g) => g.results.length > 0);
}

function mdTable(table: DetailTable): string {
  const head = `| ${table.columns.map((c) => escapeMarkdown(c.label)).join(' | ')} |`;
  const rule = `|${table.columns.map((c) => (c.kind && c.kind !== 'text' && c.kind !== 'timestamp' ? ' ---: ' : ' --- ')).join('|')}|`;
  const rows = table.rows.map((r) => `| ${table.columns.map((c, i) => escapeMarkdown(formatCell(r[i] ?? null, c.kind))).join(' | ')} |`);
  return [head, rule, ...rows].join('\n');
}

export function renderMarkdown(doc: ReportDocument): string {
  const out: string[] = [];
  out.push('# Database health report', '');
  out.push(`${escapeMarkdown(targetLine(doc))}, ${escapeMarkdown(doc.generatedAt)}; ${doc.results.length} checks in ${(doc.durationMs / 1000).toFixed(1)} s.`, '');
  if (doc.scope) {
    out.push(`Scoped to the ${doc.scope.tables.length} tables the workspace refers to; ${doc.scope.hiddenFindings} findings on other tables are left out.`, '');
  }
  out.push('## Summary', '', `**${countsLine(doc)}**`, '');
  if (doc.summary.topFindings.length > 0) {
    for (const f of doc.summary.topFindings) out.push(`- **${STATUS_LABELS[f.severity]}** · ${escapeMarkdown(f.checkTitle)}: ${markdownCode(f.object)} ${escapeMarkdown(f.message)}`);
    out.push('');
  }
  const limited = limitedResults(doc);
  if (limited.length > 0) {
    for (const { result, needs } of limited) out.push(`- **${STATUS_LABELS.limited}** · ${escapeMarkdown(result.title)}: needs ${escapeMarkdown(needs.join(', '))}`);
    out.push('');
  }
  for (const group of ordered(doc)) {
    out.push(`## ${group.label}`, '');
    for (const r of group.results) {
      out.push(`### ${escapeMarkdown(r.title)}: ${STATUS_LABELS[r.status]}`, '', escapeMarkdown(r.reason ?? r.summary), '');
      if (r.status === 'limited') out.push(`**Limited: needs ${escapeMarkdown(neededPrivileges(r.limitations).join(', '))}.**`, '');
      if (r.fix) out.push(`Fix: ${escapeMarkdown(r.fix)}`, '');
      for (const f of r.findings) {
        out.push(`- **${STATUS_LABELS[f.severity]}** ${markdownCode(f.object)}: ${escapeMarkdown(f.message)}`);
        if (f.remediation) {
          out.push(`  ${escapeMarkdown(f.remediation.text)}`);
          if (f.remediation.sql) out.push('', markdownCodeBlock(f.remediation.sql).replace(/^/gm, '  '), '');
          if (f.remediation.verified) out.push(`  ${escapeMarkdown(f.remediation.verified)}`);
        }
      }
      if (r.findings.length > 0) out.push('');
      for (const l of r.limitations) out.push(`> ${escapeMarkdown(l.reason)}${l.fix ? ` Fix: ${escapeMarkdown(l.fix)}` : ''}`, '');
      for (const table of r.details) {
        if (table.rows.length === 0) continue;
        if (table.title) out.push(`**${escapeMarkdown(table.title)}**`, '');
        out.push(mdTable(table), '');
      }
    }
  }
  return `${out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}

/** A few lines for a chat or a ticket: the counts, the most important findings and what could not be seen. */
export function renderSummary(doc: ReportDocument): string {
  const lines = [`Database health: ${targetLine(doc)}`, countsLine(doc)];
  for (const f of doc.summary.topFindings) lines.push(`- [${STATUS_LABELS[f.severity]}] ${f.checkTitle}: ${f.object}: ${f.message}`);
  for (const { result, needs } of limitedResults(doc)) lines.push(`- [${STATUS_LABELS.limited}] ${result.title}: needs ${needs.join(', ')}`);
  if (doc.scope) lines.push(`(Scoped to ${doc.scope.tables.length} workspace tables.)`);
  return `${lines.join('\n')}\n`;
}

/** The CLI's default output: one line per check, then its findings (worst first) and what it could not see, indented. */
export function renderText(doc: ReportDocument): string {
  const lines = [`Database health report: ${targetLine(doc)}`, `${countsLine(doc)} (${doc.results.length} checks, ${(doc.durationMs / 1000).toFixed(1)} s)`, ''];
  for (const group of ordered(doc)) {
    lines.push(group.label.toUpperCase());
    for (const r of group.results) {
      lines.push(`  [${STATUS_LABELS[r.status].padEnd(8)}] ${r.title}: ${r.reason ?? r.summary}`);
      if (r.fix) lines.push(`      fix: ${r.fix}`);
      if (r.status === 'limited') lines.push(`      limited: needs ${neededPrivileges(r.limitations).join(', ')}`);
      for (const f of r.findings) {
        lines.push(`      ${STATUS_LABELS[f.severity].toLowerCase()}: ${f.object}: ${f.message}`);
        if (f.remediation?.sql) lines.push(...f.remediation.sql.split('\n').map((l) => `        ${l}`));
        if (f.remediation?.verified) lines.push(`        ${f.remediation.verified}`);
      }
      // What a check could not see belongs to its answer, as in the other renderings.
      for (const l of r.limitations) {
        lines.push(`      not seen: ${l.reason}`);
        if (l.fix) lines.push(`        ${l.fix}`);
      }
    }
    lines.push('');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

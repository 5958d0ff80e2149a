import assert from 'node:assert/strict';
import { currentDocument, reportDocument, REPORT_FORMAT_VERSION, scopeDocument, thresholdReached, type ReportDocument } from '../../../src/core/health/report';
import { renderJson, renderMarkdown, renderSummary, renderText } from '../../../src/core/health/reportRender';
import { escapeMarkdown } from '../../../src/core/text/markdown';
import { formatCell } from '../../../src/core/health/reportFormat';
import type { CheckResult } from '../../../src/core/health';

const HOSTILE = '<img src=x onerror=alert(1)>';

function result(over: Partial<CheckResult> & Pick<CheckResult, 'id' | 'status'>): CheckResult {
  return {
    title: over.id,
    category: 'indexes',
    level: 'table',
    summary: `${over.id} summary.`,
    findings: [],
    details: [],
    limitations: [],
    sql: ['SELECT 1'],
    durationMs: 3,
    ...over,
  };
}

function doc(results: CheckResult[]): ReportDocument {
  const extensions = new Map<string, string>();
  return reportDocument(
    {
      context: { versionNum: 180001, database: 'app', inRecovery: false, extensions, privileges: { superuser: true, readAllStats: true, readAllSettings: true, statScanTables: true } },
      results,
      durationMs: 1234,
    },
    'local app',
    new Date('2026-01-02T03:04:05Z'),
  );
}

const sample = () =>
  doc([
    result({
      id: 'duplicate-indexes',
      title: 'Duplicate indexes',
      status: 'warning',
      findings: [
        { severity: 'warning', object: 'public.orders_dup', message: 'Same as orders_pkey.', relation: { schema: 'public', table: 'orders' }, remediation: { text: 'Drop it.', sql: 'DROP INDEX CONCURRENTLY public.orders_dup;' } },
        { severity: 'warning', object: `public."${HOSTILE}_idx"`, message: `Duplicates an index of ${HOSTILE}.`, relation: { schema: 'public', table: HOSTILE } },
      ],
      details: [{ title: 'Indexes', columns: [{ label: 'Index' }, { label: 'Size', kind: 'bytes' }], rows: [[HOSTILE, 2048], ['a|b', null]] }],
    }),
    result({ id: 'replication', title: 'Replication', category: 'replication', level: 'server', status: 'skipped', reason: 'Not a standby.', fix: 'Nothing to do.' }),
    result({ id: 'connections', title: 'Connections', category: 'activity', level: 'server', status: 'critical', findings: [{ severity: 'critical', object: 'max_connections', message: '99 of 100 in use.' }] }),
  ]);

describe('health report document', () => {
  it('counts results by status and lists the worst findings first', () => {
    const d = sample();
    assert.equal(d.target.serverVersion, '18.1');
    assert.equal(d.target.database, 'app');
    assert.deepEqual({ ...d.summary.counts }, { ok: 0, info: 0, limited: 0, warning: 1, critical: 1, skipped: 1, error: 0 });
    assert.deepEqual(d.summary.topFindings.map((f) => f.object), ['max_connections', 'public.orders_dup', `public."${HOSTILE}_idx"`]);
  });

  it('scopes table-level findings to the workspace tables, keeping server findings', () => {
    const scoped = scopeDocument(sample(), ['Orders']);
    const dup = scoped.results.find((r) => r.id === 'duplicate-indexes')!;
    assert.deepEqual(dup.findings.map((f) => f.object), ['public.orders_dup']);
    assert.equal(scoped.scope?.hiddenFindings, 1);
    assert.equal(scoped.results.find((r) => r.id === 'connections')!.findings.length, 1);
    const none = scopeDocument(sample(), ['public.customers']);
    const emptied = none.results.find((r) => r.id === 'duplicate-indexes')!;
    assert.equal(emptied.status, 'ok');
    assert.match(emptied.summary, /2 elsewhere/);
    assert.equal(none.summary.counts.warning, 0);
  });

  it('keeps a limited check limited when scoping drops its findings', () => {
    const limited = result({
      id: 'sequence-overflow',
      status: 'limited',
      findings: [{ severity: 'info', object: 'public.orders_id_seq', message: 'Half used.', relation: { schema: 'public', table: 'orders' } }],
      limitations: [{ reason: '1 sequence cannot be read by this role.', needs: 'SELECT or USAGE on the sequences' }],
    });
    const scoped = scopeDocument(doc([limited]), ['customers']);
    assert.equal(scoped.results[0]?.findings.length, 0);
    assert.equal(scoped.results[0]?.status, 'limited');
    assert.equal(scoped.summary.counts.limited, 1);
  });

  it('brings a document saved before the limited status up to date', () => {
    const d = sample();
    const { limited: _none, ...oldCounts } = d.summary.counts;
    const saved = { ...d, formatVersion: 1, summary: { ...d.summary, counts: oldCounts } } as unknown as ReportDocument;
    const current = currentDocument(saved);
    assert.equal(current.formatVersion, REPORT_FORMAT_VERSION);
    assert.deepEqual(current.summary, d.summary);
    assert.equal(currentDocument(d), d);
  });

  it('reaches --fail-on thresholds by the worst status', () => {
    const d = sample();
    assert.equal(thresholdReached(d, 'critical'), true);
    const mild = doc([result({ id: 'a', status: 'warning' }), result({ id: 'b', status: 'info' })]);
    assert.equal(thresholdReached(mild, 'critical'), false);
    assert.equal(thresholdReached(mild, 'warning'), true);
    const errored = doc([result({ id: 'c', status: 'error', reason: 'boom' })]);
    assert.equal(thresholdReached(errored, 'warning'), true);
    assert.equal(thresholdReached(doc([result({ id: 'd', status: 'info' })]), 'warning'), false);
    // Limited reached nothing it could see; the CLI says so on standard error instead.
    assert.equal(thresholdReached(doc([result({ id: 'e', status: 'limited' })]), 'warning'), false);
  });
});

describe('health report rendering', () => {
  it('round-trips the document through JSON', () => {
    const d = sample();
    const parsed = JSON.parse(renderJson(d)) as ReportDocument;
    assert.equal(parsed.format, 'pg-insight-health-report');
    assert.deepEqual(parsed, JSON.parse(JSON.stringify(d)));
  });

  it('writes Markdown with a summary, sections by category, remediation SQL and escaped names', () => {
    const md = renderMarkdown(sample());
    assert.match(md, /^# Database health report\n/);
    assert.match(md, /\*\*1 critical, 1 warning, 1 skipped\*\*/);
    assert.ok(md.indexOf('## Activity') < md.indexOf('## Replication'));
    assert.ok(md.indexOf('## Replication') < md.indexOf('## Indexes'));
    assert.match(md, /### Replication: Skipped\n\nNot a standby\.\n\nFix: Nothing to do\./);
    assert.match(md, /```sql\n  DROP INDEX CONCURRENTLY public\.orders_dup;\n  ```/);
    assert.ok(!md.includes(`of ${HOSTILE}`), 'raw HTML in prose must be escaped');
    assert.ok(md.includes('&lt;img src=x onerror=alert\\(1\\)&gt;'));
    assert.match(md, /\| Index \| Size \|\n\| --- \| ---: \|\n\| &lt;img src=x onerror=alert\\\(1\\\)&gt; \| 2 kB \|\n\| a\\\|b \|  \|/);
  });

  it('escapes Markdown punctuation and line breaks in text', () => {
    assert.equal(escapeMarkdown('a_b *c* [d](e)\nf'), 'a\\_b \\*c\\* \\[d\\]\\(e\\) f');
  });

  it('writes a plain-text report and a short summary', () => {
    const text = renderText(sample());
    assert.match(text, /^Database health report: app on PostgreSQL 18\.1 \(local app\)\n1 critical, 1 warning, 1 skipped \(3 checks, 1\.2 s\)/);
    assert.match(text, /\[Critical\] Connections: connections summary\.\n {6}critical: max_connections: 99 of 100 in use\./);
    assert.match(text, / {8}DROP INDEX CONCURRENTLY public\.orders_dup;/);
    const summary = renderSummary(scopeDocument(sample(), ['orders']));
    assert.equal(summary.split('\n')[1], '1 critical, 1 warning, 1 skipped');
    assert.match(summary, /- \[Critical\] Connections: max_connections: 99 of 100 in use\./);
    assert.match(summary, /\(Scoped to 1 workspace tables\.\)/);
  });

  it('says in every rendering which checks were limited and the privilege each needs', () => {
    const limited = () =>
      doc([
        result({
          id: 'idle-in-transaction',
          title: 'Idle in transaction',
          category: 'activity',
          level: 'database',
          status: 'limited',
          summary: 'No session this role can see is idle in a transaction.',
          limitations: [
            { reason: '2 sessions of other roles have a transaction open.', fix: 'GRANT pg_read_all_stats TO <role>;', needs: 'pg_read_all_stats' },
            { reason: 'A detail only.' },
          ],
        }),
        result({ id: 'invalid-indexes', status: 'ok' }),
      ]);
    const d = limited();
    assert.deepEqual({ ...d.summary.counts }, { ok: 1, info: 0, limited: 1, warning: 0, critical: 0, skipped: 0, error: 0 });
    assert.equal(d.summary.worst, 'limited');

    const text = renderText(d);
    assert.match(text, /\n1 limited, 1 ok \(2 checks/);
    assert.match(
      text,
      /\[Limited \] Idle in transaction: No session this role can see is idle in a transaction\.\n {6}limited: needs pg_read_all_stats\n {6}not seen: 2 sessions of other roles have a transaction open\.\n {8}GRANT pg_read_all_stats TO <role>;\n {6}not seen: A detail only\.\n/,
    );
    const md = renderMarkdown(d);
    assert.match(md, /\*\*1 limited, 1 ok\*\*\n\n- \*\*Limited\*\* · Idle in transaction: needs pg\\_read\\_all\\_stats\n/);
    assert.match(md, /### Idle in transaction: Limited\n\nNo session this role can see is idle in a transaction\.\n\n\*\*Limited: needs pg\\_read\\_all\\_stats\.\*\*\n/);
    assert.match(renderSummary(d), /^Database health: .*\n1 limited, 1 ok\n- \[Limited\] Idle in transaction: needs pg_read_all_stats\n$/);
    const json = JSON.parse(renderJson(d)) as ReportDocument;
    assert.equal(json.formatVersion, 2);
    assert.equal(json.results[0]?.status, 'limited');
    assert.equal(json.results[0]?.limitations[0]?.needs, 'pg_read_all_stats');
  });

  it('formats cells by column kind', () => {
    assert.equal(formatCell(1536, 'bytes'), '1.5 kB');
    assert.equal(formatCell(99.456, 'percent'), '99.5 %');
    assert.equal(formatCell(5400, 'seconds'), '1 h 30 min');
    assert.equal(formatCell(1234567, 'number'), '1,234,567');
    assert.equal(formatCell(2.345, 'number'), '2.35');
    assert.equal(formatCell(null, 'bytes'), '');
    assert.equal(formatCell(true, undefined), 'yes');
  });
});

describe('health report: verified proposals', () => {
  const finding = {
    severity: 'warning' as const,
    object: 'public.orders',
    message: 'public.orders is read mostly by sequential scans.',
    remediation: {
      text: 'Index the columns the busiest statement filters on (customer_ref).',
      sql: 'CREATE INDEX CONCURRENTLY ON public.orders (customer_ref);',
      trial: { index: 'CREATE INDEX ON public.orders (customer_ref)', statement: 'SELECT * FROM orders WHERE customer_ref = $1' },
      verified: 'Verified with HypoPG on the busiest statement: the planner uses the index, cost 934.00 → 8.30 (-99.1 %).',
    },
  };

  it('keeps the trial out of the document and shows the verdict in every rendering', () => {
    const d = doc([result({ id: 'missing-indexes', status: 'warning', findings: [finding] })]);
    assert.equal(d.results[0]?.findings[0]?.remediation?.trial, undefined);
    assert.doesNotMatch(renderJson(d), /customer_ref = \$1/);
    for (const rendering of [renderMarkdown(d), renderText(d)]) assert.match(rendering, /Verified with HypoPG on the busiest statement: the planner uses the index, cost 934\.00 → 8\.30/);
  });
});

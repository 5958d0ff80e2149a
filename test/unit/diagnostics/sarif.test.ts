import * as assert from 'node:assert/strict';
import { parseScanArgs } from '../../../src/cli/scanArgs';
import { findingFingerprints } from '../../../src/cli/fingerprint';
import { repositoryUrl, RULES, rulePageUrl, SARIF_SCHEMA, toSarif } from '../../../src/cli/scanSarif';
import type { FindingView } from '../../../src/diagnostics/findingView';

interface SarifLog {
  $schema: string;
  version: string;
  runs: {
    tool: { driver: { name: string; rules: { id: string; helpUri: string; shortDescription: { text: string } }[] } };
    results: {
      ruleId: string;
      ruleIndex: number;
      level: string;
      message: { text: string };
      locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; startColumn: number; endLine: number; endColumn: number } } }[];
      relatedLocations?: { id: number; message: { text: string } }[];
    }[];
  }[];
}

const views: FindingView[] = [
  {
    ruleId: 'missing-index', path: 'src/my orders.ts', start: { line: 14, character: 71 }, end: { line: 14, character: 82 }, level: 'information',
    message: 'No index on events', docsPath: 'docs/rules/missing-index.md', related: [],
  },
  {
    ruleId: 'n-plus-one', path: 'app/reports.py', start: { line: 7, character: 12 }, end: { line: 7, character: 40 }, level: 'warning',
    message: 'N+1 query', docsPath: 'docs/rules/n-plus-one.md',
    related: [{ path: 'app/reports.py', start: { line: 6, character: 8 }, end: { line: 6, character: 11 }, message: 'the loop' }],
  },
  {
    ruleId: 'custom-rule', path: 'q.sql', start: { line: 0, character: 0 }, end: { line: 0, character: 1 }, level: 'error',
    message: 'syntax', docsPath: 'docs/rules/custom-rule.md', related: [],
  },
];

describe('scan: SARIF output', () => {
  const log = toSarif(views, { version: '1.2.3', informationUri: 'file:///pkg/README.md', helpUri: (id) => `file:///pkg/docs/rules/${id}.md` }) as SarifLog;
  const run = log.runs[0];

  it('is a SARIF 2.1.0 log with one run and the driver rules', () => {
    assert.equal(log.version, '2.1.0');
    assert.equal(log.$schema, SARIF_SCHEMA);
    assert.equal(log.runs.length, 1);
    assert.ok(run);
    assert.equal(run.tool.driver.name, 'PG Insight');
    assert.deepEqual(run.tool.driver.rules.map((r) => r.id), [...RULES.map((r) => r.id), 'custom-rule']);
    assert.equal(run.tool.driver.rules[1]?.helpUri, 'file:///pkg/docs/rules/missing-index.md');
    for (const r of run.tool.driver.rules) assert.ok(r.shortDescription.text.length > 0);
  });

  it('gives each result its rule, level and a 1-based location', () => {
    assert.ok(run);
    assert.deepEqual(run.results.map((r) => [r.ruleId, run.tool.driver.rules[r.ruleIndex]?.id, r.level]), [
      ['missing-index', 'missing-index', 'note'],
      ['n-plus-one', 'n-plus-one', 'warning'],
      ['custom-rule', 'custom-rule', 'error'],
    ]);
    const loc = run.results[0]?.locations[0]?.physicalLocation;
    assert.deepEqual(loc?.region, { startLine: 15, startColumn: 72, endLine: 15, endColumn: 83 });
    assert.equal(loc?.artifactLocation.uri, 'src/my%20orders.ts');
    assert.deepEqual(run.results[1]?.relatedLocations?.map((r) => [r.id, r.message.text]), [[1, 'the loop']]);
    assert.equal(run.results[0]?.relatedLocations, undefined);
  });
});

describe('scan: SARIF links and fingerprints', () => {
  it('links rule pages on the web from the repository package.json names, never to this machine', () => {
    assert.equal(repositoryUrl({ repository: { type: 'git', url: 'git+https://github.com/acme/pg-insight.git' } }), 'https://github.com/acme/pg-insight');
    assert.equal(repositoryUrl({ repository: 'github:acme/pg-insight' }), 'https://github.com/acme/pg-insight');
    assert.equal(repositoryUrl({ repository: 'acme/pg-insight' }), 'https://github.com/acme/pg-insight');
    assert.equal(repositoryUrl({ repository: 'git@github.com:acme/pg-insight.git' }), 'https://github.com/acme/pg-insight');
    assert.equal(repositoryUrl({ repository: 'file:///home/me/pg-insight' }), undefined);
    assert.equal(repositoryUrl({}), undefined);
    assert.equal(rulePageUrl('https://github.com/acme/pg-insight', '1.2.0', 'sql-syntax'), 'https://github.com/acme/pg-insight/blob/v1.2.0/docs/rules/sql-syntax.md');
  });

  it('fingerprints by rule, file and line text, not by line number', () => {
    const at = (line: number): FindingView => ({ ruleId: 'n-plus-one', path: 'a.ts', start: { line, character: 0 }, end: { line, character: 1 }, level: 'warning', message: 'm', docsPath: '', related: [] });
    const before = [at(1), at(2)];
    const a = findingFingerprints(before, () => 'x\n  await q(a)\n  await q(a)\n');
    const after = [at(3), at(4)];
    const b = findingFingerprints(after, () => 'x\nnew line\nnew line\nawait   q(a)\n await q(a)\n');
    assert.deepEqual([...b.values()], [...a.values()], 'moved lines keep their fingerprints');
    assert.notEqual(a.get(before[0]!), a.get(before[1]!), 'two equal lines stay two results');
  });
});

describe('scan: arguments', () => {
  it('takes paths and flags in either spelling', () => {
    assert.deepEqual(parseScanArgs(['src', '--db', 'postgresql://h/d', '--format=sarif', '--fail-on', 'error', 'app']), {
      command: 'scan', paths: ['src', 'app'], db: 'postgresql://h/d', schema: [], exclude: [], rules: {}, format: 'sarif', failOn: 'error',
    });
    assert.deepEqual(parseScanArgs([]), { command: 'scan', paths: ['.'], schema: [], exclude: [], rules: {}, format: 'text' });
    assert.deepEqual(parseScanArgs(['--schema', 'db/', '--schema=tables', '--exclude', 'test/**', '--rule', 'missing-index=off', '--rule=sql-syntax=warning', '--config', 'ci.json']), {
      command: 'scan', paths: ['.'], schema: ['db/', 'tables'], exclude: ['test/**'], rules: { 'missing-index': 'off', 'sql-syntax': 'warning' }, config: 'ci.json', format: 'text',
    });
  });

  it('refuses unknown flags and values with a sentence', () => {
    assert.deepEqual(parseScanArgs(['--format', 'xml']), { command: 'error', message: '--format must be text, json or sarif, not "xml".' });
    assert.deepEqual(parseScanArgs(['--fail-on=critical']), { command: 'error', message: '--fail-on must be warning or error, not "critical".' });
    assert.deepEqual(parseScanArgs(['--nope']), { command: 'error', message: 'Unknown option --nope.' });
    assert.deepEqual(parseScanArgs(['--db']), { command: 'error', message: '--db needs a value.' });
    assert.deepEqual(parseScanArgs(['--rule', 'n-plus-one']), { command: 'error', message: '--rule takes ID=LEVEL, not "n-plus-one".' });
    assert.deepEqual(parseScanArgs(['--rule', 'n-plus-two=off']), { command: 'error', message: 'Unknown rule "n-plus-two" (rules: n-plus-one, missing-index, non-sargable-predicate, sql-syntax).' });
    assert.deepEqual(parseScanArgs(['--rule', 'sql-syntax=fatal']), { command: 'error', message: 'The level of sql-syntax must be off, info, warning, error, not "fatal".' });
    assert.deepEqual(parseScanArgs(['-h']), { command: 'help' });
  });
});

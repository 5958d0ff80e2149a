/**
 * SARIF 2.1.0 for `pg-insight scan --format sarif`, the format GitHub code
 * scanning uploads. Columns are 1-based UTF-16 code units (SARIF's default
 * `columnKind`), which is what the findings already count in. Files the
 * scan skipped are tool execution notifications of the run's invocation,
 * where SARIF puts "this artifact could not be analysed".
 *
 * Each rule carries its documentation page as `help.markdown` (code scanning
 * shows it beside the alert) and, when the package names its repository, a
 * `helpUri` to the page on the web at the released version: never a path on
 * the machine that ran the scan. Results carry a fingerprint that survives
 * edits elsewhere in the file, so an alert keeps its identity across runs.
 */
import type { FindingView, Level } from '../diagnostics/findingView';
import type { SkippedPath } from './scanFiles';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

/** The rules PG Insight reports, for the driver's rule list. */
export const RULES: readonly { readonly id: string; readonly name: string; readonly text: string; readonly level: Level }[] = [
  { id: 'n-plus-one', name: 'NPlusOneQuery', text: 'A database call runs once per iteration of a loop (N+1 queries).', level: 'warning' },
  { id: 'missing-index', name: 'MissingIndex', text: 'A query filters, joins or sorts a large table on columns no index serves.', level: 'warning' },
  { id: 'non-sargable-predicate', name: 'NonSargablePredicate', text: 'A predicate wraps an indexed column so the index cannot be used.', level: 'warning' },
  { id: 'sql-syntax', name: 'SqlSyntax', text: 'SQL in code that PostgreSQL would reject.', level: 'error' },
];

export interface SarifOptions {
  readonly version: string;
  /** The project's page on the web, when known. */
  readonly informationUri?: string;
  /** A rule's documentation page on the web, when known. */
  helpUri?(ruleId: string): string | undefined;
  /** A rule's documentation page as Markdown, when at hand. */
  helpMarkdown?(ruleId: string): string | undefined;
  readonly skipped?: readonly SkippedPath[];
  /** A result's stable fingerprint (`partialFingerprints`). */
  fingerprint?(finding: FindingView): string | undefined;
}

/**
 * The web address of the repository named in package.json (`repository` as a
 * string, `github:owner/name`, or `{ url }`), without `git+` and `.git`.
 */
export function repositoryUrl(manifest: { readonly repository?: unknown; readonly homepage?: unknown }): string | undefined {
  const r = manifest.repository;
  let url = typeof r === 'string' ? r : typeof r === 'object' && r !== null && typeof (r as { url?: unknown }).url === 'string' ? (r as { url: string }).url : undefined;
  if (url === undefined) return typeof manifest.homepage === 'string' && /^https:\/\//.test(manifest.homepage) ? manifest.homepage.replace(/\/$/, '') : undefined;
  const short = /^(?:github:)?([\w.-]+\/[\w.-]+)$/.exec(url);
  if (short) url = `https://github.com/${short[1] ?? ''}`;
  url = url.replace(/^git\+/, '').replace(/^git:\/\//, 'https://').replace(/^git@([^:]+):/, 'https://$1/').replace(/\.git$/, '').replace(/\/$/, '');
  return /^https:\/\//.test(url) ? url : undefined;
}

/** A rule page at a version, on GitHub-like hosts (`/blob/<tag>/<path>`). */
export function rulePageUrl(repository: string, version: string, ruleId: string): string {
  return `${repository}/blob/v${version}/docs/rules/${ruleId}.md`;
}

function sarifLevel(level: Level): 'error' | 'warning' | 'note' {
  return level === 'information' ? 'note' : level;
}

function region(v: Pick<FindingView, 'start' | 'end'>) {
  return { startLine: v.start.line + 1, startColumn: v.start.character + 1, endLine: v.end.line + 1, endColumn: v.end.character + 1 };
}

function artifact(path: string) {
  return { uri: encodeURI(path), uriBaseId: '%SRCROOT%' };
}

function location(path: string, v: Pick<FindingView, 'start' | 'end'>) {
  return { physicalLocation: { artifactLocation: artifact(path), region: region(v) } };
}

export function toSarif(findings: readonly FindingView[], options: SarifOptions): object {
  const ids = RULES.map((r) => r.id);
  for (const f of findings) if (!ids.includes(f.ruleId)) ids.push(f.ruleId);
  const rules = ids.map((id) => {
    const known = RULES.find((r) => r.id === id);
    const helpUri = options.helpUri?.(id);
    const markdown = options.helpMarkdown?.(id);
    return {
      id,
      name: known?.name ?? id,
      shortDescription: { text: known?.text ?? id },
      fullDescription: { text: known?.text ?? id },
      ...(helpUri !== undefined ? { helpUri } : {}),
      ...(markdown !== undefined ? { help: { text: known?.text ?? id, markdown } } : {}),
      defaultConfiguration: { level: sarifLevel(known?.level ?? 'warning') },
      properties: { tags: ['database', 'postgresql', id === 'sql-syntax' ? 'correctness' : 'performance'] },
    };
  });
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'PG Insight', version: options.version, semanticVersion: options.version, ...(options.informationUri !== undefined ? { informationUri: options.informationUri } : {}), rules } },
        invocations: [
          {
            executionSuccessful: true,
            toolExecutionNotifications: (options.skipped ?? []).map((s) => ({
              level: 'warning',
              descriptor: { id: `skipped-${s.reason}` },
              message: { text: `Skipped ${s.path}: ${s.message}.` },
              locations: [{ physicalLocation: { artifactLocation: artifact(s.path) } }],
            })),
          },
        ],
        columnKind: 'utf16CodeUnits',
        results: findings.map((f) => {
          const fingerprint = options.fingerprint?.(f);
          return {
          ruleId: f.ruleId,
          ruleIndex: ids.indexOf(f.ruleId),
          level: sarifLevel(f.level),
          message: { text: f.message },
          locations: [location(f.path, f)],
          ...(f.related.length > 0 ? { relatedLocations: f.related.map((r, i) => ({ id: i + 1, ...location(r.path, r), message: { text: r.message } })) } : {}),
          ...(fingerprint !== undefined ? { partialFingerprints: { 'pgInsight/v1': fingerprint } } : {}),
          };
        }),
      },
    ],
  };
}

/**
 * `pg-insight scan` as CI runs it: node dist/cli.js as a child process over
 * the diagnostics fixture workspace, with the schema and row estimates of a
 * real database (`events` with 20,000 rows and no index on customer_id), and
 * offline from the fixture's migrations. Checks the SARIF structure, the
 * text and JSON formats, and the --fail-on exit codes.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freshDatabase } from '../health/support';
import { testServer } from '../server';

const REPO = join(__dirname, '../../../..');
const CLI = join(REPO, 'dist/cli.js');
const FIXTURE = 'test/fixtures/workspaces/diagnostics';

interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Who runs the CLI: by default the test's own user; a uid and gid to run it as another. */
interface RunAs {
  readonly uid?: number;
  readonly gid?: number;
}

function cli(args: readonly string[], as: RunAs = {}): Promise<CliRun> {
  const env: NodeJS.ProcessEnv = { ...process.env, PGPASSFILE: '/nonexistent/pgpass' };
  for (const k of ['DATABASE_URL', 'PGHOST', 'PGPORT', 'PGDATABASE', 'PGUSER', 'PGPASSWORD']) delete env[k];
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, 'scan', ...args], { cwd: REPO, env, timeout: 60_000, ...as }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

/**
 * A user for whom `chmod 000` makes a file unreadable: the test's own, or
 * "nobody" when the tests run as root (root reads everything). A string
 * says why there is none: then the test is skipped with that reason.
 */
function unprivileged(probe: string): Promise<RunAs | string> {
  const as: RunAs = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
  return new Promise((resolve) => {
    execFile(process.execPath, ['-e', `require('fs').readFileSync(${JSON.stringify(probe)})`], { ...as, timeout: 10_000 }, (error) => {
      if (!error) resolve('this user reads files whatever their permissions, so none can be made unreadable');
      else if (/EACCES/.test(String(error.message))) resolve(as);
      else resolve(`a process could not be started as an unprivileged user: ${error.message}`);
    });
  });
}

interface Sarif {
  $schema: string;
  version: string;
  runs: {
    tool: { driver: { name: string; version: string; rules: { id: string; helpUri?: string; help?: { markdown: string } }[] } };
    results: { ruleId: string; ruleIndex: number; level: string; message: { text: string }; partialFingerprints?: Record<string, string>; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; startColumn: number } } }[] }[];
  }[];
}

function summary(s: Sarif): string[] {
  return (s.runs[0]?.results ?? []).map((r) => {
    const loc = r.locations[0]?.physicalLocation;
    return `${r.ruleId} ${r.level} ${loc?.artifactLocation.uri ?? ''}:${loc?.region.startLine ?? 0}:${loc?.region.startColumn ?? 0}`;
  });
}

describe('pg-insight scan (CLI, db)', function () {
  this.timeout(120_000);
  let url: string;
  const dir = mkdtempSync(join(tmpdir(), 'pg-insight-scan-'));
  writeFileSync(join(dir, 'broken.sql'), 'SELEC id FROM events;\n');

  after(() => rmSync(dir, { recursive: true, force: true }));

  before(async () => {
    assert.ok(existsSync(CLI), `${CLI} is missing: build with node esbuild.mjs`);
    const s = testServer();
    const fresh = await freshDatabase('scan_cli');
    try {
      await fresh.admin.query(`
        CREATE TABLE customers (id bigserial PRIMARY KEY, name text NOT NULL);
        CREATE TABLE events (id bigserial PRIMARY KEY, customer_id bigint NOT NULL, kind text NOT NULL, created_at timestamptz NOT NULL DEFAULT now());
        INSERT INTO events (customer_id, kind) SELECT g % 500, 'view' FROM generate_series(1, 20000) g;
        ANALYZE events;
      `);
    } finally {
      await fresh.admin.end();
    }
    url = `postgresql://${encodeURIComponent(s.user)}:${encodeURIComponent(s.password)}@${s.host}:${s.port}/scan_cli?sslmode=disable`;
  });

  it('writes SARIF 2.1.0 with rules, results, levels and locations, from the live schema', async () => {
    const run = await cli([FIXTURE, '--db', url, '--format', 'sarif']);
    assert.equal(run.code, 0, run.stderr);
    const sarif = JSON.parse(run.stdout) as Sarif;
    assert.equal(sarif.version, '2.1.0');
    assert.equal(sarif.$schema, 'https://json.schemastore.org/sarif-2.1.0.json');
    const driver = sarif.runs[0]?.tool.driver;
    assert.equal(driver?.name, 'PG Insight');
    assert.deepEqual(driver?.rules.map((r) => r.id), ['n-plus-one', 'missing-index', 'non-sargable-predicate', 'sql-syntax']);
    // The package names no repository: no web link, and never a path on this machine; the page itself travels along.
    for (const r of driver?.rules ?? []) {
      assert.equal(r.helpUri, undefined);
      assert.match(r.help?.markdown ?? '', new RegExp(`^# .*\\(\`${r.id}\`\\)$`, 'm'));
    }
    assert.ok(!run.stdout.includes('file://'), 'no machine paths in SARIF');
    const prints = (sarif.runs[0]?.results ?? []).map((r) => r.partialFingerprints?.['pgInsight/v1']);
    assert.equal(new Set(prints).size, prints.length, 'one fingerprint per result');
    for (const p of prints) assert.match(p ?? '', /^[0-9a-f]{32}$/);
    const again = JSON.parse((await cli([FIXTURE, '--db', url, '--format', 'sarif'])).stdout) as Sarif;
    assert.deepEqual(again.runs[0]?.results.map((r) => r.partialFingerprints?.['pgInsight/v1']), prints, 'stable across runs');
    assert.match(run.stderr, /^pg-insight: Schema from the database: .*scan_cli.*: 2 tables, \d+ indexes, with row estimates\.$/m);
    assert.deepEqual(summary(sarif), [
      `n-plus-one warning ${FIXTURE}/app/reports.py:8:13`,
      `missing-index warning ${FIXTURE}/app/reports.py:8:60`,
      `n-plus-one warning ${FIXTURE}/src/orders.ts:8:28`,
      `missing-index warning ${FIXTURE}/src/orders.ts:15:72`,
    ]);
    for (const r of sarif.runs[0]?.results ?? []) assert.equal(driver?.rules[r.ruleIndex]?.id, r.ruleId);
    assert.match(sarif.runs[0]?.results[3]?.message.text ?? '', /≈20,000 rows.*CREATE INDEX CONCURRENTLY events_customer_id_created_at_idx/);
  });

  it('without --db, reads the schema from the migrations: missing-index becomes a note', async () => {
    const run = await cli([FIXTURE, '--format=sarif']);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(summary(JSON.parse(run.stdout) as Sarif).filter((s) => s.startsWith('missing-index')), [
      `missing-index note ${FIXTURE}/app/reports.py:8:60`,
      `missing-index note ${FIXTURE}/src/orders.ts:15:72`,
    ]);
  });

  it('exits 1 when --fail-on is reached, 0 otherwise', async () => {
    assert.equal((await cli([FIXTURE, '--db', url, '--fail-on', 'warning'])).code, 1);
    // Warnings only: --fail-on error is not reached.
    const errorLevel = await cli([FIXTURE, '--db', url, '--fail-on', 'error']);
    assert.equal(errorLevel.code, 0, errorLevel.stderr);
    assert.match(errorLevel.stdout, /^test\/fixtures\/workspaces\/diagnostics\/src\/orders\.ts:8:28: warning n-plus-one: N\+1 query/m);
    assert.match(errorLevel.stdout, /^4 findings in 3 files\.$/m);
    const broken = await cli([join(dir, 'broken.sql'), '--fail-on', 'error']);
    assert.equal(broken.code, 1, broken.stdout + broken.stderr);
    assert.match(broken.stdout, /broken\.sql:1:1: error sql-syntax: /);
    const noSchema = await cli([`${FIXTURE}/src`, '--format', 'json']);
    const json = JSON.parse(noSchema.stdout) as { files: number; findings: { ruleId: string }[]; schema: { source: string } };
    assert.deepEqual([json.files, json.findings.map((f) => f.ruleId), json.schema.source], [1, ['n-plus-one'], 'none'], 'without migrations in the scanned paths there is no schema');
    assert.match(noSchema.stderr, /^pg-insight: Schema: none\. .*give --db URL, or --schema PATH/m);
  });

  it('says which schema it used, and takes one from --schema', async () => {
    const run = await cli([FIXTURE]);
    assert.match(run.stdout, /^Schema from files: test\/fixtures\/workspaces\/diagnostics: 2 tables, 2 indexes from SQL migrations \(test\/fixtures\/workspaces\/diagnostics\/migrations\/001_events\.sql\)\.$/m);
    const text = await cli([`${FIXTURE}/src`, '--schema', `${FIXTURE}/migrations`]);
    assert.match(text.stdout, /^Schema from files: /m);
    assert.match(text.stdout, /missing-index/, 'the schema from --schema serves the scanned code');
    const none = await cli([`${FIXTURE}/src`]);
    assert.match(none.stdout, /^Schema: none\. /m);
  });

  it('takes --exclude, --rule and a .pg-insight.json, and refuses a broken one', async () => {
    const excluded = await cli([FIXTURE, '--exclude', '**/app/**', '--rule', 'missing-index=off']);
    assert.equal(excluded.code, 0, excluded.stderr);
    assert.doesNotMatch(excluded.stdout, /reports\.py|missing-index/);
    assert.match(excluded.stdout, /^1 finding in 2 files \(1 excluded\)\.$/m);
    const config = join(dir, 'ci.json');
    writeFileSync(config, JSON.stringify({ rules: { 'n-plus-one': 'error' }, exclude: ['**/*.py'] }));
    const fromFile = await cli([FIXTURE, '--config', config, '--fail-on', 'error']);
    assert.equal(fromFile.code, 1, fromFile.stdout + fromFile.stderr);
    assert.match(fromFile.stdout, /orders\.ts:8:28: error n-plus-one/);
    assert.doesNotMatch(fromFile.stdout, /reports\.py/);
    writeFileSync(config, JSON.stringify({ rules: { 'n-plus-one': 'loud' }, exlude: [] }));
    const broken = await cli([FIXTURE, '--config', config]);
    assert.equal(broken.code, 2);
    assert.match(broken.stderr, /Unknown key "exlude"/);
    assert.match(broken.stderr, /The level of n-plus-one must be off, info, warning, error, not "loud"/);
  });

  describe('over a tree with parts it cannot read', () => {
    const tree = join(dir, 'tree');
    const locked = join(tree, 'locked');
    const secret = join(tree, 'secret.sql');
    let as: RunAs = {};

    before(async function () {
      mkdirSync(locked, { recursive: true });
      writeFileSync(join(tree, 'broken.sql'), 'SELEC id FROM events;\n');
      writeFileSync(join(tree, 'blob.sql'), 'SELECT 1;\u0000\u0000\u0001binary');
      writeFileSync(join(locked, 'inside.sql'), 'SELEC 2;\n');
      writeFileSync(secret, 'SELEC 3;\n');
      // The scan may run as another user: the folders on the way must let it in.
      chmodSync(dir, 0o755);
      chmodSync(tree, 0o755);
      chmodSync(locked, 0o000);
      chmodSync(secret, 0o000);
      const user = await unprivileged(secret);
      if (typeof user === 'string') {
        console.warn(`      skipped: ${user}`);
        this.skip();
        return;
      }
      as = user;
    });

    after(() => {
      chmodSync(locked, 0o755);
      chmodSync(secret, 0o644);
    });

    it('skips an unreadable file, an unreadable folder and a binary file with a note, and scans the rest (text)', async () => {
      const run = await cli([tree], as);
      assert.equal(run.code, 0, run.stdout + run.stderr);
      assert.match(run.stdout, /broken\.sql:1:1: error sql-syntax: /m);
      assert.match(run.stdout, /^\S*tree\/locked: skipped: folder cannot be read \(permission denied\)\.$/m);
      assert.match(run.stdout, /^\S*tree\/secret\.sql: skipped: cannot be read \(permission denied\)\.$/m);
      assert.match(run.stdout, /^\S*tree\/blob\.sql: skipped: binary \(holds NUL bytes\)\.$/m);
      assert.match(run.stdout, /^1 finding in 1 file \(3 skipped\)\.$/m);
      assert.ok(!run.stdout.includes('inside.sql'));
    });

    it('lists the skipped paths in JSON and as SARIF tool notifications', async () => {
      const json = await cli([tree, '--format', 'json'], as);
      assert.equal(json.code, 0, json.stderr);
      const parsed = JSON.parse(json.stdout) as { files: number; findings: { ruleId: string }[]; skipped: { path: string; reason: string; message: string }[] };
      assert.deepEqual([parsed.files, parsed.findings.map((f) => f.ruleId)], [1, ['sql-syntax']]);
      assert.deepEqual(parsed.skipped.map((s) => [s.path.replace(/^.*tree\//, ''), s.reason]), [['locked', 'unreadable'], ['blob.sql', 'binary'], ['secret.sql', 'unreadable']]);
      assert.match(json.stderr, /secret\.sql: skipped: cannot be read/);
      const sarif = await cli([tree, '--format', 'sarif'], as);
      assert.equal(sarif.code, 0, sarif.stderr);
      const run = (JSON.parse(sarif.stdout) as { runs: { results: unknown[]; invocations: { executionSuccessful: boolean; toolExecutionNotifications: { level: string; message: { text: string }; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[] }[] }).runs[0];
      assert.equal(run?.results.length, 1);
      const notes = run?.invocations[0]?.toolExecutionNotifications ?? [];
      assert.deepEqual(notes.map((n) => [n.level, n.locations[0]?.physicalLocation.artifactLocation.uri.replace(/^.*tree\//, '')]), [['warning', 'locked'], ['warning', 'blob.sql'], ['warning', 'secret.sql']]);
      assert.match(notes[2]?.message.text ?? '', /^Skipped .*secret\.sql: cannot be read \(permission denied\)\.$/);
    });
  });

  it('exits 2 for a path that does not exist, and for a --db URL without quoting a piece of its password', async () => {
    const missing = await cli([join(dir, 'no-such-folder')]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /^pg-insight: No such file or folder: .*no-such-folder$/m);
    const badUrl = await cli([FIXTURE, '--db', 'postgres://app:qx/jz@127.0.0.1:5432/app']);
    assert.equal(badUrl.code, 2);
    assert.match(badUrl.stderr, /Invalid connection URL: invalid port; .*percent-encoded/);
    assert.ok(!/qx|jz/.test(badUrl.stderr), badUrl.stderr);
  });

  it('exits 2 with a sentence for bad usage and an unreachable database', async () => {
    const bad = await cli([FIXTURE, '--format', 'xml']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--format must be text, json or sarif, not "xml"/);
    const unreachable = await cli([FIXTURE, '--db', 'postgresql://nobody@127.0.0.1:1/none?sslmode=disable']);
    assert.equal(unreachable.code, 2);
    assert.match(unreachable.stderr, /^pg-insight: Could not read the schema from /);
  });
});

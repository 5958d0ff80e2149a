// The runs of the vscode test tier. A run is one VS Code window: a workspace
// folder, trusted or in Restricted Mode, environment variables, user settings,
// and the compiled suite files it loads. Each run gets its own VS Code server,
// browser and test database; runs execute one after another. Used by
// scripts/vscode-test.mjs (offline web host) and scripts/test-desktop.mjs.
//
// Fields:
//   name          short id; also names the run's database (pg_insight_vscode_<name>)
//   workspace     folder under test/fixtures/workspaces, copied to a fresh
//                 temporary folder for the run ("*.template" files rendered, see below)
//   trusted       true: server started with --disable-workspace-trust;
//                 false: workspace trust is on and the folder opens in Restricted Mode
//   suites        patterns relative to out/test/vscode (`*` within a segment, `**` across)
//   env           extra variables for the extension host (undefined removes one)
//   userSettings  user-level settings, over the quiet defaults in scripts/lib/codeServer.mjs
//   timeoutMs     whole-run limit (default 300000)
//   server        'pg15': against Debian's PostgreSQL 15 (skipped, and said so, when it is not
//                 installed); otherwise the tier's embedded PostgreSQL 18
//
// In `*.template` files, `env` and `userSettings` values, `{{NAME}}` is replaced by
// the run's fact NAME: PG_INSIGHT_TEST_URL, PG_INSIGHT_TEST_HOST, PG_INSIGHT_TEST_PORT,
// PG_INSIGHT_TEST_USER, PG_INSIGHT_TEST_PASSWORD, PG_INSIGHT_TEST_DB,
// PG_INSIGHT_TEST_WORKSPACE, PG_INSIGHT_TEST_HOME.
export default [
  {
    name: 'main',
    workspace: 'basic',
    trusted: true,
    suites: ['*.test.js'],
  },
  {
    // The features that depend on the server version, again on the oldest one supported in CI.
    name: 'pg15',
    workspace: 'basic',
    trusted: true,
    server: 'pg15',
    suites: ['explain.test.js', 'slow-queries.test.js'],
  },
  {
    name: 'dotenv',
    workspace: 'dotenv',
    trusted: true,
    suites: ['dotenv/**/*.test.js'],
  },
  {
    name: 'restricted',
    workspace: 'restricted',
    trusted: false,
    suites: ['restricted/**/*.test.js'],
  },
  {
    name: 'diagnostics',
    workspace: 'diagnostics',
    trusted: true,
    suites: ['diagnostics/**/*.test.js'],
  },
  {
    // Offline: the schema from schema.prisma and Django models, no connection.
    name: 'orm',
    workspace: 'orm',
    trusted: true,
    suites: ['orm/**/*.test.js'],
  },
];

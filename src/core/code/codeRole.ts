/**
 * What a file is for, from its workspace-relative path and the naming
 * conventions of the test frameworks and project layouts of the supported
 * languages. A query in a loop in a test, a fixture or a one-off script is
 * rarely worth a warning: the n-plus-one rule reports it as information
 * there. Migrations and seeds are not judged at all (the rule's ignore
 * globs).
 */

export type CodeRole = 'application' | 'test' | 'script';

/** Folders that hold tests and their support code, in any language. */
const TEST_FOLDERS = new Set(['test', 'tests', '__tests__', 'spec', 'specs', 'e2e', 'cypress', 'playwright', 'testdata', '__mocks__', 'fixtures', '__fixtures__', 'testing', 'test-utils', 'testutils', 'test_utils', 'testing_support', 'factories', 'integration-tests']);
/** Folders of one-off and maintenance scripts (Rails' `script/`, the common `scripts/`). Rake tasks stay application code: they are often scheduled jobs. */
const SCRIPT_FOLDERS = new Set(['scripts', 'script', 'sample_data', 'sample-data', 'sampledata']);
/** Files that fill a database with made-up rows, by name. */
const SAMPLE_DATA_FILES = /^(?:(?:random|sample|fake|demo|dummy)_?data|populate_?db|populate_\w+)\.(?:py|rb|[cm]?[jt]s|go)$/i;
/** Test files by name: Jest/Vitest/Mocha, Go, RSpec and Minitest, pytest and unittest. */
const TEST_FILES = [/\.(test|spec|e2e-spec|e2e|cy)\.[cm]?[jt]sx?$/, /_test\.go$/, /_(spec|test)\.rb$/, /^test_.*\.py$/, /_tests?\.py$/, /^conftest\.py$/];

export function codeRole(path: string): CodeRole {
  const parts = path.replace(/\\/g, '/').split('/').filter((p) => p !== '' && p !== '.');
  const file = parts.at(-1) ?? '';
  const folders = parts.slice(0, -1).map((p) => p.toLowerCase());
  if (TEST_FILES.some((re) => re.test(file)) || folders.some((f) => TEST_FOLDERS.has(f))) return 'test';
  // Sample and default data loaders (`db/samples/*.rb`, Spree's `db/default/*.rb`) are run once by hand, like a script.
  if (folders.some((f) => SCRIPT_FOLDERS.has(f)) || folders.some((f, i) => (f === 'samples' || f === 'default') && folders[i - 1] === 'db')) return 'script';
  // Sample-data generators (saleor's `core/utils/random_data.py`, `populatedb` commands).
  if (SAMPLE_DATA_FILES.test(file)) return 'script';
  return 'application';
}

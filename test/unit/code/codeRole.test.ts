import assert from 'node:assert/strict';
import { codeRole } from '../../../src/core/code/codeRole';
import { checkNPlusOne } from '../../../src/core/code/rules/n-plus-one';
import { buildIndex } from '../../../src/core/code/scan';
import { summarizeSnippet } from './support';

/** Paths in the layouts of real applications' test suites and scripts. */
const cases: ReadonlyArray<readonly [string, string]> = [
  ['apps/web/lib/bookings/getBookings.ts', 'application'],
  ['packages/trpc/server/routers/viewer/bookings/get.handler.ts', 'application'],
  ['packages/features/bookings/lib/handleNewBooking/test/reschedule.test.ts', 'test'],
  ['apps/api/v2/src/modules/users/users.repository.spec.ts', 'test'],
  ['server/src/services/asset.service.spec.ts', 'test'],
  ['e2e/src/api/specs/album.e2e-spec.ts', 'test'],
  ['src/__tests__/queries.ts', 'test'],
  ['cypress/support/commands.js', 'test'],
  ['models/issues/issue_test.go', 'test'],
  ['models/fixtures/issue.yml', 'test'],
  ['modules/testdata/repos.go', 'test'],
  ['models/issues/issue_list.go', 'application'],
  ['spec/models/account_spec.rb', 'test'],
  ['spec/fabricators/status_fabricator.rb', 'test'],
  ['test/models/topic_test.rb', 'test'],
  ['app/models/status.rb', 'application'],
  ['zerver/tests/test_messages.py', 'test'],
  ['saleor/order/tests/test_order.py', 'test'],
  ['saleor/conftest.py', 'test'],
  ['saleor/graphql/order/mutations/fulfill.py', 'application'],
  ['scripts/backfill-slugs.ts', 'script'],
  ['script/cleanup_orphans.rb', 'script'],
  ['core/lib/spree/testing_support/factories/order_factory.rb', 'test'],
  ['packages/modules/product/integration-tests/__tests__/product.ts', 'test'],
  ['core/lib/spree/core/importer/order.rb', 'application'],
  ['sample/db/samples/products.rb', 'script'],
  ['lib/tasks/cleanup.rake', 'application'],
  ['src\\windows\\__tests__\\a.ts', 'test'],
  ['testimonials/service.ts', 'application'],
  ['latest/contest.py', 'application'],
  ['saleor/core/utils/random_data.py', 'script'],
  ['lib/tasks/sample_data/order_factory.rb', 'script'],
  ['db/default/users.rb', 'script'],
  ['app/models/default/setting.rb', 'application'],
  ['saleor/core/management/commands/populatedb.py', 'script'],
  ['hc/front/management/commands/populate_searchdb.py', 'script'],
  ['app/services/data_export.py', 'application'],
];

describe('code: what a file is for, from its path', () => {
  for (const [path, role] of cases) {
    it(`${path} is ${role}`, () => assert.equal(codeRole(path), role));
  }
});

describe('n-plus-one: tests and scripts are reported as information', () => {
  const LOOP = "export async function load(ids: number[]) {\n  for (const id of ids) {\n    await pool.query('SELECT * FROM orders WHERE id = $1', [id]);\n  }\n}\n";
  const findingsAt = async (path: string, projectPath?: string) => {
    const summary = await summarizeSnippet('typescript', LOOP, path);
    return checkNPlusOne(summary, buildIndex([summary]), projectPath === undefined ? {} : { projectPath });
  };
  it('an application file keeps the warning', async () => {
    const [f] = await findingsAt('src/orders.ts');
    assert.ok(f);
    assert.equal(f.severity, undefined);
  });
  it('a test file gets information, and says why', async () => {
    const [f] = await findingsAt('src/orders.test.ts');
    assert.equal(f?.severity, 'information');
    assert.match(f?.message ?? '', /Reported as information: this is test code\.\)$/);
  });
  it('a script gets information', async () => {
    assert.equal((await findingsAt('scripts/backfill.ts'))[0]?.severity, 'information');
  });
  it('what a file is for is read inside its project, not from where the scan started', async () => {
    // Scanning `repos/test-apps/shop` from its parent: the display path holds folders of the caller's own.
    const [f] = await findingsAt('repos/test/shop/src/orders.ts', 'src/orders.ts');
    assert.equal(f?.severity, undefined);
  });
});
